/**
 * Scoring: pure, no I/O. Rules are data from the site config; every score carries the rules that
 * fired as its reasons. The edge scores every submission; the console can preview with the same code.
 */
import type { FormIntent } from "./config.ts";
import type { FieldValue, Reason, Stage, Temperature } from "./lead.ts";
import type { Condition, Rule, ScoringConfig, ScoringConfigInput } from "./scoring-schema.ts";
import type { Engagement, Touch } from "./signals.ts";

/** Everything a rule may look at. Paths into this object are the rules' `signal`s. */
export interface ScoringInput {
  form: { id: string; intent: FormIntent };
  fields: Record<string, FieldValue>;
  email: { domain: string; domainType: "company" | "free" };
  engagement: Engagement;
  firstTouch: Touch;
  lastTouch: Touch;
}

export interface ScoreResult {
  score: number;
  temperature: Temperature;
  stage: Stage;
  reasons: Reason[];
}

/** Intents that mean "talk to me now" and those that mean "interested in content". */
const HOT_INTENTS: ReadonlySet<FormIntent> = new Set(["demo", "pricing", "contact"]);
const WARM_INTENTS: ReadonlySet<FormIntent> = new Set(["webinar", "download", "newsletter", "trial"]);

/** Consumer mailbox providers: an address there says nothing about the company. */
const FREE_MAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "yahoo.co.uk",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "t-online.de",
  "orange.fr",
  "free.fr",
  "laposte.net",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "zoho.com",
  "hey.com",
  "fastmail.com",
]);

export function emailDomainType(domain: string): "company" | "free" {
  return FREE_MAIL.has(domain.toLowerCase()) ? "free" : "company";
}

function lookup(input: ScoringInput, path: string): unknown {
  let value: unknown = input;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An empty string or an unticked box counts as "not there", as a marketer would expect. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && value !== false;
}

export function matches(input: ScoringInput, condition: Condition): boolean {
  const actual = lookup(input, condition.signal);
  const expected = condition.value;
  switch (condition.op) {
    case "exists":
      return present(actual) === (expected === undefined ? true : Boolean(expected));
    case "eq":
      return actual === expected;
    case "in":
      return Array.isArray(expected) && (expected as unknown[]).includes(actual);
    case "gte":
      return typeof actual === "number" && typeof expected === "number" && actual >= expected;
    case "lte":
      return typeof actual === "number" && typeof expected === "number" && actual <= expected;
    case "contains":
      return (
        typeof actual === "string" &&
        typeof expected === "string" &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
  }
}

function fired(input: ScoringInput, rule: Rule): boolean {
  return rule.when.every((condition) => matches(input, condition));
}

const RANK: Record<Temperature, number> = { cold: 0, warm: 1, hot: 2 };

export function score(input: ScoringInput, config: ScoringConfig): ScoreResult {
  const reasons: Reason[] = [];
  let total = 0;
  for (const rule of config.rules) {
    if (!fired(input, rule)) continue;
    reasons.push({ rule: rule.id, label: rule.label, points: rule.points });
    total += rule.points;
  }
  const value = Math.max(0, Math.min(100, total));

  // Temperature is the hotter of what the visitor asked for and what the score says.
  const byScore: Temperature =
    value >= config.hotThreshold ? "hot" : value >= config.warmThreshold ? "warm" : "cold";
  const byIntent: Temperature = HOT_INTENTS.has(input.form.intent)
    ? "hot"
    : WARM_INTENTS.has(input.form.intent)
      ? "warm"
      : "cold";
  const temperature = RANK[byIntent] > RANK[byScore] ? byIntent : byScore;
  const stage: Stage = value >= config.mqlThreshold ? "MQL" : "IQL";
  return { score: value, temperature, stage, reasons };
}

/** The first rule set: intent, fit from the email and company, engagement, campaign. */
export const DEFAULT_RULES: Rule[] = [
  {
    id: "asked-for-contact",
    label: "Asked to be contacted",
    points: 40,
    when: [{ signal: "form.intent", op: "in", value: ["demo", "pricing", "contact"] }],
  },
  {
    id: "content-interest",
    label: "Asked for content",
    points: 15,
    when: [{ signal: "form.intent", op: "in", value: ["webinar", "download", "newsletter", "trial"] }],
  },
  {
    id: "company-email",
    label: "Uses a company email",
    points: 15,
    when: [{ signal: "email.domainType", op: "eq", value: "company" }],
  },
  {
    id: "named-company",
    label: "Named their company",
    points: 10,
    when: [{ signal: "fields.company", op: "exists" }],
  },
  {
    id: "active-minute",
    label: "Active on the page for over a minute",
    points: 10,
    when: [{ signal: "engagement.activeTimeMs", op: "gte", value: 60_000 }],
  },
  {
    id: "read-most",
    label: "Read most of the page",
    points: 5,
    when: [{ signal: "engagement.maxScrollPct", op: "gte", value: 75 }],
  },
  {
    id: "returning",
    label: "Returning visitor",
    points: 10,
    when: [{ signal: "engagement.visits", op: "gte", value: 2 }],
  },
  {
    id: "from-campaign",
    label: "Came from a campaign",
    points: 5,
    when: [{ signal: "lastTouch.utm_campaign", op: "exists" }],
  },
];

/** The scoring config a new site starts with. */
export const DEFAULT_SCORING: ScoringConfigInput = {
  warmThreshold: 30,
  hotThreshold: 60,
  mqlThreshold: 50,
  rules: DEFAULT_RULES,
};
