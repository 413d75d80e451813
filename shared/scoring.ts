/**
 * Scoring: pure, no I/O. Rules are data from the site config; every score carries the rules that
 * fired as its reasons, and the reasons always sum to the score. The edge scores every submission;
 * the console can preview with the same code; the calibration tools fit the rules' points.
 *
 * How a score is made, in order:
 * 1. every rule whose conditions all hold fires with its points (× its `each` count, if any);
 *    engagement points decay with the site's half-life; points are rounded to whole numbers and
 *    bounded by the rule's own `cap`;
 * 2. group caps, then component weights, bound the *positive* points of their rules (penalties always
 *    apply): rules are taken in config order and the first ones keep their points, the one that
 *    crosses the cap is trimmed to what is left, later ones get nothing;
 * 3. the total is clamped to 0–100 the same way: over 100, the last positive reasons are trimmed;
 *    under 0, the last penalties are.
 * Reasons left with 0 points are dropped, so what a salesperson reads adds up to the score exactly.
 */
import type { FormIntent } from "./config.ts";
import type { FieldValue, Lead, Reason, Stage, Temperature } from "./lead.ts";
import type { Component, Condition, Rule, ScoringConfig, ScoringConfigInput } from "./scoring-schema.ts";
import type { Engagement, Touch } from "./signals.ts";

/** Something the lead did, e.g. `download`, `webinar`, `email_open`, `email_click`, `chat`. */
export interface EngagementEvent {
  type: string;
  /** When, ISO 8601; used for decay. */
  at?: string;
}

/** Everything a rule may look at. Paths into this object are the rules' `signal`s. */
export interface ScoringInput {
  form: { id: string; intent: FormIntent };
  fields: Record<string, FieldValue>;
  email: { domain: string; domainType: "company" | "free" };
  engagement: Engagement;
  firstTouch: Touch;
  lastTouch: Touch;
  /** The channel the lead came through (organic_search, paid_search, referral, partner, …). */
  channel?: string;
  /** Views of the site's key pages by name, e.g. `{ pricing: 3, "case-studies": 1 }`. */
  keyPages?: Record<string, number>;
  /** Engagement events; the signal `events.<type>` is how many there were of that type. */
  events?: EngagementEvent[];
  /** The latest engagement event. */
  lastActivity?: EngagementEvent;
  /** Consent by purpose, e.g. `{ email: false }` for a lead who opted out of email. */
  consent?: Record<string, boolean>;
  /** When the score is computed, ISO 8601: engagement decays from the latest activity to now. */
  now?: string;
}

/** Each component 0–100: its points over its weight. */
export interface ComponentScores {
  fit: number;
  engagement: number;
  intent: number;
}

export interface ScoreResult {
  /** 0–100, whole; the sum of the reasons' points. */
  score: number;
  temperature: Temperature;
  stage: Stage;
  reasons: Reason[];
  components: ComponentScores;
}

export const DEFAULT_HOT_INTENTS: readonly string[] = ["demo", "pricing", "contact"];
export const DEFAULT_WARM_INTENTS: readonly string[] = ["webinar", "download", "newsletter", "trial"];
export const DEFAULT_WARM_EVENTS: readonly string[] = ["download", "webinar"];
export const DEFAULT_WEIGHTS: Readonly<ComponentScores> = { fit: 100, engagement: 100, intent: 100 };

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
  const keys = path.split(".");
  // `events` and `events.<type>` are counts: rules ask "downloaded twice", not "event #2 is a download".
  if (keys[0] === "events" && keys.length <= 2) {
    const events = Array.isArray(input.events) ? input.events : [];
    return keys.length === 1 ? events.length : events.filter((e) => e.type === keys[1]).length;
  }
  let value: unknown = input;
  for (const key of keys) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An empty string or an unticked box counts as "not there", as a marketer would expect. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && value !== false;
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** Numbers, and text that is a number ("250" from a form field). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim().toLowerCase();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function equal(actual: unknown, expected: unknown): boolean {
  if (typeof expected === "boolean" || typeof actual === "boolean") return actual === expected;
  if (typeof expected === "number") return toNumber(actual) === expected;
  const a = text(actual);
  return a !== undefined && a === text(expected);
}

function compare(actual: unknown, expected: unknown, test: (a: number, e: number) => boolean): boolean {
  const a = toNumber(actual);
  return a !== undefined && typeof expected === "number" && test(a, expected);
}

export function matches(input: ScoringInput, condition: Condition): boolean {
  const actual = lookup(input, condition.signal);
  const expected = condition.value;
  switch (condition.op) {
    case "exists":
      return present(actual) === (expected === undefined ? true : Boolean(expected));
    case "eq":
      return equal(actual, expected);
    case "neq":
      return !equal(actual, expected);
    case "in":
      return Array.isArray(expected) && expected.some((e) => equal(actual, e));
    case "notIn":
      return !(Array.isArray(expected) && expected.some((e) => equal(actual, e)));
    case "contains": {
      const a = text(actual);
      if (a === undefined || typeof actual !== "string") return false;
      const needles = Array.isArray(expected) ? expected : [expected];
      return needles.some((n) => typeof n === "string" && a.includes(n.trim().toLowerCase()));
    }
    case "gte":
      return compare(actual, expected, (a, e) => a >= e);
    case "gt":
      return compare(actual, expected, (a, e) => a > e);
    case "lte":
      return compare(actual, expected, (a, e) => a <= e);
    case "lt":
      return compare(actual, expected, (a, e) => a < e);
    case "between": {
      const a = toNumber(actual);
      if (a === undefined || !Array.isArray(expected)) return false;
      const [min, max] = expected;
      return typeof min === "number" && typeof max === "number" && a >= min && a < max;
    }
  }
}

export function fires(input: ScoringInput, rule: Rule): boolean {
  return rule.when.every((condition) => matches(input, condition));
}

const ENGAGEMENT_ROOTS = new Set([
  "engagement",
  "keyPages",
  "events",
  "lastActivity",
  "channel",
  "firstTouch",
  "lastTouch",
]);

/** The component a rule feeds: its own, or the one its first condition's signal belongs to. */
export function componentOf(rule: Rule): Component {
  if (rule.component) return rule.component;
  const root = rule.when[0]?.signal.split(".")[0] ?? "";
  if (root === "form") return "intent";
  return ENGAGEMENT_ROOTS.has(root) ? "engagement" : "fit";
}

/**
 * What the rule's `each` multiplies its points by: 1 without `each`, else the signal's number (0 when
 * missing, so the rule gives nothing).
 */
export function multiplier(input: ScoringInput, rule: Rule): number {
  if (rule.each === undefined) return 1;
  const n = toNumber(lookup(input, rule.each));
  return n !== undefined && n > 0 ? n : 0;
}

const DAY_MS = 24 * 3600 * 1000;

/** When the lead last did something: the latest of its last activity, its events and its last touch. */
function latestActivity(input: ScoringInput): number {
  let latest = Number.NEGATIVE_INFINITY;
  const times = [input.lastActivity?.at, input.lastTouch?.at, ...(input.events ?? []).map((e) => e.at)];
  for (const at of times) {
    const t = at === undefined ? Number.NaN : Date.parse(at);
    if (t > latest) latest = t;
  }
  return latest;
}

/** Factor for engagement points: 1 at the latest activity, ½ one half-life later. */
export function decayFactor(input: ScoringInput, halfLifeDays: number | undefined): number {
  if (halfLifeDays === undefined || input.now === undefined) return 1;
  const ageDays = (Date.parse(input.now) - latestActivity(input)) / DAY_MS;
  return ageDays > 0 && Number.isFinite(ageDays) ? 0.5 ** (ageDays / halfLifeDays) : 1;
}

interface Fired extends Reason {
  component: Component;
  group?: string;
}

/** Bound the positive points of the items sharing a key, first come first served (see the top). */
function capPositive(
  items: Fired[],
  keyOf: (item: Fired) => string | undefined,
  caps: Record<string, number>,
) {
  const used = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined || item.points <= 0) continue;
    const cap = caps[key];
    if (cap === undefined) continue;
    const sofar = used.get(key) ?? 0;
    item.points = Math.min(item.points, Math.max(0, cap - sofar));
    used.set(key, sofar + item.points);
  }
}

/** Take `excess` points off the items of one sign, last item first. */
function trimFromEnd(items: Fired[], sign: 1 | -1, excess: number) {
  for (let i = items.length - 1; i >= 0 && excess > 0; i--) {
    const item = items[i] as Fired;
    if (Math.sign(item.points) !== sign) continue;
    const cut = Math.min(Math.abs(item.points), excess);
    item.points -= sign * cut;
    excess -= cut;
  }
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

const RANK: Record<Temperature, number> = { cold: 0, warm: 1, hot: 2 };

export function score(input: ScoringInput, config: ScoringConfig): ScoreResult {
  const decay = decayFactor(input, config.halfLifeDays);
  const items: Fired[] = [];
  for (const rule of config.rules) {
    if (!fires(input, rule)) continue;
    const n = multiplier(input, rule);
    const component = componentOf(rule);
    let points = rule.points * n * (component === "engagement" ? decay : 1);
    points = Math.round(points);
    if (rule.cap !== undefined) points = Math.max(-rule.cap, Math.min(rule.cap, points));
    if (points === 0) continue;
    const label = rule.each !== undefined && n !== 1 ? `${rule.label} ${formatCount(n)}×` : rule.label;
    items.push({ rule: rule.id, label, points, component, ...(rule.group ? { group: rule.group } : {}) });
  }

  const weights = config.weights ?? DEFAULT_WEIGHTS;
  capPositive(items, (item) => item.group, config.caps ?? {});
  capPositive(items, (item) => item.component, { ...weights });
  const total = items.reduce((sum, item) => sum + item.points, 0);
  if (total > 100) trimFromEnd(items, 1, total - 100);
  if (total < 0) trimFromEnd(items, -1, -total);

  const reasons: Reason[] = [];
  const byComponent: ComponentScores = { fit: 0, engagement: 0, intent: 0 };
  let value = 0;
  for (const item of items) {
    if (item.points === 0) continue;
    reasons.push({ rule: item.rule, label: item.label, points: item.points });
    byComponent[item.component] += item.points;
    value += item.points;
  }
  const components: ComponentScores = { fit: 0, engagement: 0, intent: 0 };
  for (const c of ["fit", "engagement", "intent"] as const) {
    const weight = weights[c];
    components[c] = weight > 0 ? Math.max(0, Math.min(100, Math.round((100 * byComponent[c]) / weight))) : 0;
  }

  const temperature = temperatureOf(input, value, config);
  const stage: Stage = value >= config.mqlThreshold ? "MQL" : "IQL";
  return { score: value, temperature, stage, reasons, components };
}

/**
 * Temperature is the hotter of what the visitor asked for and what the score says: hot for a hot
 * intent (demo, pricing, contact) or a score at the hot threshold; warm for a content intent, a
 * content event (download, webinar) or a score at the warm threshold; cold otherwise.
 */
export function temperatureOf(
  input: Pick<ScoringInput, "form" | "events">,
  value: number,
  config: Pick<ScoringConfig, "warmThreshold" | "hotThreshold" | "hotIntents" | "warmIntents" | "warmEvents">,
): Temperature {
  const byScore: Temperature =
    value >= config.hotThreshold ? "hot" : value >= config.warmThreshold ? "warm" : "cold";
  const intent = input.form.intent;
  const warmEvents = config.warmEvents ?? DEFAULT_WARM_EVENTS;
  const byIntent: Temperature = (config.hotIntents ?? DEFAULT_HOT_INTENTS).includes(intent)
    ? "hot"
    : (config.warmIntents ?? DEFAULT_WARM_INTENTS).includes(intent) ||
        (input.events ?? []).some((e) => warmEvents.includes(e.type))
      ? "warm"
      : "cold";
  return RANK[byIntent] > RANK[byScore] ? byIntent : byScore;
}

const STAGE_RANK: Record<Stage, number> = { IQL: 0, MQL: 1, PQL: 2, SQL: 3, customer: 4 };

/**
 * The stage after a (re)score. Scoring only ever promotes: IQL → MQL when the score passes the MQL
 * threshold, → PQL when the product says so; an MQL whose score decays stays an MQL (marketing
 * already handed it over), and SQL/customer are set by sales and never changed here.
 */
export function nextStage(
  current: Stage | undefined,
  result: Pick<ScoreResult, "stage">,
  pqlReached = false,
): Stage {
  let stage: Stage = current ?? "IQL";
  const candidates: Stage[] = [result.stage, ...(pqlReached ? (["PQL"] as const) : [])];
  for (const candidate of candidates) {
    if (STAGE_RANK[candidate] > STAGE_RANK[stage]) stage = candidate;
  }
  return stage;
}

const MINUTE_MS = 60_000;
/** Substrings of a job title that mean authority; short ones that hide in other words ("coo" in
 * "coordinator", "cto" in "doctor") are left out on purpose. */
const DECISION_MAKERS = [
  "chief",
  "ceo",
  "cfo",
  "cmo",
  "vp",
  "vice president",
  "head of",
  "director",
  "founder",
  "owner",
];

/**
 * The first rule set, for a B2B site before it has outcomes to calibrate on: intent from the form,
 * fit from the email, company and BANT answers, engagement from time, pages, visits, key pages and
 * content. Rules are in the order a salesperson reads the reasons.
 */
export const DEFAULT_RULES: Rule[] = [
  // Intent: one form per submission, so these never add up.
  {
    id: "requested-demo",
    label: "Requested a demo",
    points: 45,
    when: [{ signal: "form.intent", op: "eq", value: "demo" }],
  },
  {
    id: "asked-pricing",
    label: "Asked for pricing",
    points: 40,
    when: [{ signal: "form.intent", op: "eq", value: "pricing" }],
  },
  {
    id: "asked-for-contact",
    label: "Asked to be contacted",
    points: 40,
    when: [{ signal: "form.intent", op: "eq", value: "contact" }],
  },
  {
    id: "started-trial",
    label: "Signed up for a trial",
    points: 30,
    when: [{ signal: "form.intent", op: "eq", value: "trial" }],
  },
  {
    id: "webinar-sign-up",
    label: "Registered for a webinar",
    points: 20,
    when: [{ signal: "form.intent", op: "eq", value: "webinar" }],
  },
  {
    id: "content-download",
    label: "Downloaded content",
    points: 15,
    when: [{ signal: "form.intent", op: "eq", value: "download" }],
  },
  {
    id: "newsletter",
    label: "Subscribed to the newsletter",
    points: 10,
    when: [{ signal: "form.intent", op: "eq", value: "newsletter" }],
  },
  // Fit: who they are.
  {
    id: "company-email",
    label: "Uses a company email",
    points: 15,
    when: [{ signal: "email.domainType", op: "eq", value: "company" }],
  },
  {
    id: "named-company",
    label: "Named their company",
    points: 5,
    when: [{ signal: "fields.company", op: "exists" }],
  },
  {
    id: "decision-maker",
    label: "Decision maker",
    points: 15,
    group: "authority",
    when: [{ signal: "fields.role", op: "contains", value: DECISION_MAKERS }],
  },
  {
    id: "decision-maker-title",
    label: "Decision maker",
    points: 15,
    group: "authority",
    when: [{ signal: "fields.title", op: "contains", value: DECISION_MAKERS }],
  },
  {
    id: "company-size",
    label: "Company of 50+ people",
    points: 10,
    when: [{ signal: "fields.companySize", op: "gte", value: 50 }],
  },
  // Profile completeness: a lead who answers the role question is more serious than one who skips it.
  {
    id: "told-role",
    label: "Told us their role",
    points: 10,
    when: [{ signal: "fields.role", op: "exists" }],
  },
  {
    id: "has-budget",
    label: "Shared a budget",
    points: 5,
    when: [{ signal: "fields.budget", op: "exists" }],
  },
  {
    id: "buying-soon",
    label: "Buying within a quarter",
    points: 10,
    when: [
      { signal: "fields.timeline", op: "contains", value: ["now", "asap", "month", "quarter", "0-3", "1-3"] },
    ],
  },
  {
    id: "student",
    label: "Student",
    points: -10,
    when: [{ signal: "fields.role", op: "contains", value: ["student", "intern"] }],
  },
  {
    id: "email-opt-out",
    label: "Opted out of email",
    points: -10,
    when: [{ signal: "consent.email", op: "eq", value: false }],
  },
  {
    id: "email-bounced",
    label: "Email bounced",
    points: -15,
    component: "fit",
    when: [{ signal: "events.email_bounced", op: "gte", value: 1 }],
  },
  {
    id: "unsubscribed",
    label: "Unsubscribed",
    points: -10,
    component: "fit",
    when: [{ signal: "events.unsubscribed", op: "gte", value: 1 }],
  },
  // Engagement: what they did.
  {
    id: "pricing-page",
    label: "Visited pricing",
    points: 4,
    each: "keyPages.pricing",
    cap: 12,
    when: [{ signal: "keyPages.pricing", op: "gte", value: 1 }],
  },
  {
    id: "downloads",
    label: "Downloaded content",
    points: 5,
    each: "events.download",
    cap: 10,
    when: [{ signal: "events.download", op: "gte", value: 1 }],
  },
  {
    id: "attended-webinar",
    label: "Attended a webinar",
    points: 10,
    when: [{ signal: "events.webinar", op: "gte", value: 1 }],
  },
  {
    id: "email-click",
    label: "Clicked an email",
    points: 5,
    when: [{ signal: "events.email_click", op: "gte", value: 1 }],
  },
  // Active time is attention (idle time does not count), the surest web signal: it rises steeply, and
  // the top tier outweighs visits and pages together, which also count bounces and forgotten tabs.
  // Filling in the form takes a minute or so of activity itself, so a first minute says little.
  {
    id: "active-2-minutes",
    label: "Active over 2 minutes",
    points: 3,
    group: "time",
    when: [{ signal: "engagement.activeTimeMs", op: "between", value: [2 * MINUTE_MS, 5 * MINUTE_MS] }],
  },
  {
    id: "active-5-minutes",
    label: "Active over 5 minutes",
    points: 8,
    group: "time",
    when: [{ signal: "engagement.activeTimeMs", op: "between", value: [5 * MINUTE_MS, 10 * MINUTE_MS] }],
  },
  {
    id: "active-10-minutes",
    label: "Active over 10 minutes",
    points: 30,
    group: "time",
    when: [{ signal: "engagement.activeTimeMs", op: "gte", value: 10 * MINUTE_MS }],
  },
  {
    id: "read-most",
    label: "Read most of the page",
    points: 5,
    when: [{ signal: "engagement.maxScrollPct", op: "gte", value: 75 }],
  },
  {
    id: "pages",
    label: "Viewed 3+ pages",
    points: 5,
    when: [{ signal: "engagement.pageViews", op: "gte", value: 3 }],
  },
  {
    id: "returning",
    label: "Returning visitor",
    points: 5,
    group: "visits",
    when: [{ signal: "engagement.visits", op: "between", value: [2, 5] }],
  },
  {
    id: "frequent",
    label: "Visited 5+ times",
    points: 10,
    group: "visits",
    when: [{ signal: "engagement.visits", op: "gte", value: 5 }],
  },
  {
    id: "referred",
    label: "Referred by a customer or partner",
    points: 20,
    when: [{ signal: "channel", op: "in", value: ["referral", "affiliate"] }],
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
  // Engagement has room for sustained attention (30) and the visits, pages and content around it.
  weights: { fit: 40, engagement: 60, intent: 45 },
  caps: { authority: 15, time: 30, visits: 10 },
  halfLifeDays: 30,
  hotIntents: [...DEFAULT_HOT_INTENTS],
  warmIntents: [...DEFAULT_WARM_INTENTS],
  warmEvents: [...DEFAULT_WARM_EVENTS],
  rules: DEFAULT_RULES,
};

/** The parts of a lead its score is computed from. */
export type ScoredLead = Pick<
  Lead,
  "email" | "form" | "fields" | "engagement" | "firstTouch" | "lastTouch" | "updatedAt" | "lastConversionAt"
>;

/**
 * What the scoring engine sees of a lead (stored, or about to be) and its events, scored at `now`:
 * the one mapping the edge (ingest, every re-score, calibration) and the console's preview share.
 */
export function scoringInputFor(
  site: { forms: readonly { id: string; intent: FormIntent }[] },
  lead: ScoredLead,
  events: readonly { type: string; at: string }[],
  now: string,
): ScoringInput {
  const domain = lead.email.slice(lead.email.lastIndexOf("@") + 1);
  const latest = events.at(-1);
  return {
    form: { id: lead.form, intent: site.forms.find((f) => f.id === lead.form)?.intent ?? "other" },
    fields: lead.fields,
    email: { domain, domainType: emailDomainType(domain) },
    engagement: lead.engagement,
    firstTouch: lead.firstTouch,
    lastTouch: lead.lastTouch,
    ...(lead.lastTouch.channel ? { channel: lead.lastTouch.channel } : {}),
    ...(lead.engagement.keyPages ? { keyPages: lead.engagement.keyPages } : {}),
    events: events.map((e) => ({ type: e.type, at: e.at })),
    lastActivity:
      latest && latest.at > lead.updatedAt
        ? { type: latest.type, at: latest.at }
        : { type: "form_submit", at: lead.lastConversionAt ?? lead.updatedAt },
    now,
  };
}
