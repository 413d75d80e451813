/**
 * What the scoring engine sees: the scoring input (the signals a rule may name) and the one mapping
 * from a lead (stored, or about to be) and its events to it, shared by the edge (ingest, every
 * re-score, calibration) and the console's preview.
 */
import type { FormIntent } from "./config.ts";
import type { FieldValue, Lead } from "./lead.ts";
import { readPath } from "./rules.ts";
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

/**
 * The value of a signal: a dotted path into the input. `events` and `events.<type>` are counts: rules
 * ask "downloaded twice", not "event #2 is a download". Works on any object shaped like the input
 * (routing's input adds temperature, stage and score).
 */
export function signalOf(input: Partial<ScoringInput>, path: string): unknown {
  const keys = path.split(".");
  if (keys[0] === "events" && keys.length <= 2) {
    const events = Array.isArray(input.events) ? input.events : [];
    return keys.length === 1 ? events.length : events.filter((e) => e.type === keys[1]).length;
  }
  return readPath(input, path);
}

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
