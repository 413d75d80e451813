/**
 * The scoring a new site starts with: the engine's fallbacks for settings a config leaves out, and
 * the first rule set, for a B2B site before it has outcomes to calibrate on. Data only.
 */
import type { Component, Rule, ScoringConfigInput } from "./scoring-schema.ts";

export const DEFAULT_HOT_INTENTS: readonly string[] = ["demo", "pricing", "contact"];
export const DEFAULT_WARM_INTENTS: readonly string[] = ["webinar", "download", "newsletter", "trial"];
export const DEFAULT_WARM_EVENTS: readonly string[] = ["download", "webinar"];
export const DEFAULT_WEIGHTS: Readonly<Record<Component, number>> = {
  fit: 100,
  engagement: 100,
  intent: 100,
};

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
