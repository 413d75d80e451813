/**
 * The public X Education lead-scoring data set (tests/data) as Leadcap sees it: a CSV parser, the
 * mapping of its columns to scoring signals, and the candidate rules calibration fits points to.
 *
 * Only columns a capture system observes or asks for are read (see the data README). `Tags`,
 * `Lead Quality`, `Lead Profile` and `Asymmetrique *` were filled in by sales after contact and leak
 * the outcome: they are never read.
 */
import type { FormIntent } from "../../shared/config.ts";
import type { ScoringInput } from "../../shared/scoring.ts";
import type { Rule } from "../../shared/scoring-schema.ts";

/**
 * RFC 4180 CSV: fields may be quoted, quotes inside are doubled, quoted fields may hold commas and
 * line breaks; CRLF or LF line ends; a BOM is ignored. Returns the rows, empty lines skipped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = "";
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") endRow();
    else if (c === "\r") {
      if (text[i + 1] === "\n") i++;
      endRow();
    } else field += c;
  }
  if (quoted) throw new Error("CSV: a quoted field is not closed");
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/** The rows as records keyed by the header line. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, j) => [name, row[j] ?? ""])));
}

export interface Lead {
  input: ScoringInput;
  converted: boolean;
}

/** How the lead entered → the capture form and its intent. */
const ORIGIN_INTENT: Record<string, FormIntent> = {
  // A course landing page's form. The data set does not say what it offered, and it is not a content
  // download form: only 56% of its leads ticked its one content offer (the free e-book, read apart as
  // a field below), and leads from other origins ticked it too. Unknown intent, so no intent points.
  "Landing Page Submission": "other",
  // Ad lead forms and the sales team's quick-add form: the person asked to be contacted.
  "Lead Add Form": "contact",
  "Quick Add Form": "contact",
  // Leads pushed by other systems (chat, partners) or imported: no stated intent.
  API: "other",
  "Lead Import": "other",
};

/** Lead Source → Leadcap channel. "Google" is listed apart from "Organic Search": Google Ads. */
const SOURCE_CHANNEL: Record<string, string> = {
  Google: "paid_search",
  google: "paid_search",
  bing: "paid_search",
  "Pay per Click Ads": "paid_search",
  "Organic Search": "organic_search",
  "Direct Traffic": "direct",
  "Olark Chat": "chat",
  "Live Chat": "chat",
  // A person (customer, alumnus) referred them.
  Reference: "referral",
  // Links from other websites: kept apart from person-to-person referrals.
  "Referral Sites": "referral_site",
  // X Education's partner website.
  "Welingak Website": "affiliate",
  Facebook: "organic_social",
  "Social Media": "organic_social",
  youtubechannel: "video",
  NC_EDM: "email",
  blog: "content",
  welearnblog_Home: "content",
  WeLearn: "content",
  Press_Release: "content",
  Click2call: "phone",
};

/** Last Activity → engagement event type. */
const ACTIVITY_EVENT: Record<string, string> = {
  "Email Opened": "email_open",
  "Email Link Clicked": "email_click",
  "Email Bounced": "email_bounced",
  "Email Marked Spam": "email_spam",
  "Email Received": "email_received",
  Unsubscribed: "unsubscribed",
  "Resubscribed to emails": "resubscribed",
  "View in browser link Clicked": "email_view_online",
  "Form Submitted on Website": "form_submit",
  "Page Visited on Website": "page_view",
  "Olark Chat Conversation": "chat",
  "SMS Sent": "sms_sent",
  "Had a Phone Conversation": "call",
  "Approached upfront": "approached",
  "Converted to Lead": "converted_to_lead",
  Unreachable: "unreachable",
  "Visited Booth in Tradeshow": "event_booth",
};

const slug = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

/** "Select" is the form's unanswered placeholder. */
const answer = (value: string | undefined) => (value && value !== "Select" ? value.trim() : undefined);

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const TOUCH = { landingPage: "https://x-education.example/", at: "2019-01-01T00:00:00.000Z" };

/** One CSV record → what Leadcap would have scored at capture time, and its outcome. */
export function toLead(record: Record<string, string>): Lead {
  const origin = record["Lead Origin"] ?? "";
  const source = answer(record["Lead Source"]);
  const occupation = answer(record["What is your current occupation"]);
  const activity = answer(record["Last Activity"]);
  const visits = number(record.TotalVisits);
  const pages = number(record["Page Views Per Visit"]);
  const seconds = number(record["Total Time Spent on Website"]) ?? 0;
  const freeCopy = record["A free copy of Mastering The Interview"] === "Yes";
  const event = activity ? { type: ACTIVITY_EVENT[activity] ?? slug(activity) } : undefined;
  const input: ScoringInput = {
    form: { id: slug(origin) || "unknown", intent: ORIGIN_INTENT[origin] ?? "other" },
    // "What is your current occupation" is the form's role question; the free e-book is a box ticked
    // on the form, kept as the field it was (no default rule scores it).
    fields: { ...(occupation ? { role: occupation } : {}), ...(freeCopy ? { freeCopy: true } : {}) },
    // The data set has no email addresses; X Education sells to individuals, who use free mail.
    email: { domain: "", domainType: "free" },
    engagement: {
      activeTimeMs: Math.round(seconds * 1000),
      maxScrollPct: 0,
      ...(visits !== undefined ? { visits } : {}),
      ...(pages !== undefined ? { pageViews: pages } : {}),
      // Pages across all visits, which the widget also reports.
      ...(visits !== undefined && pages !== undefined ? { totalPageViews: Math.round(visits * pages) } : {}),
    },
    firstTouch: TOUCH,
    lastTouch: TOUCH,
    ...(source ? { channel: SOURCE_CHANNEL[source] ?? slug(source) } : {}),
    ...(event ? { lastActivity: event, events: [event] } : {}),
    consent: { email: record["Do Not Email"] !== "Yes", call: record["Do Not Call"] !== "Yes" },
  };
  return { input, converted: record.Converted === "1" };
}

export function readLeads(csv: string): Lead[] {
  return parseCsvRecords(csv).map(toLead);
}

// ── Candidate rules ─────────────────────────────────────────────────────────────────────────────
// One group per signal, each group covering every lead exactly once ("one of these bins"), so the
// calibration can shift every group to start at 0 points. Categories seen fewer than MIN_LEADS
// times in the calibration data share an "other" rule: too few to fit points of their own.

const MIN_LEADS = 30;

function frequent(values: (string | undefined)[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= MIN_LEADS).map(([v]) => v);
}

const human = (value: string) => value.replace(/_/g, " ");

function categories(
  group: string,
  signal: string,
  values: (string | undefined)[],
  label: (value: string) => string,
  otherLabel: string,
): Rule[] {
  const seen = frequent(values);
  const rules: Rule[] = seen.map((value) => ({
    id: `${group}-${slug(value).replace(/_/g, "-")}`.slice(0, 63),
    label: label(value),
    points: 0,
    group,
    when: [{ signal, op: "eq", value }],
  }));
  rules.push({
    id: `${group}-other`,
    label: otherLabel,
    points: 0,
    group,
    when: [{ signal, op: "notIn", value: seen }],
  });
  return rules;
}

function bins(
  group: string,
  signal: string,
  edges: number[],
  label: (min: number, max: number | undefined) => string,
  missingLabel?: string,
): Rule[] {
  const rules: Rule[] = [];
  if (missingLabel) {
    rules.push({
      id: `${group}-unknown`,
      label: missingLabel,
      points: 0,
      group,
      when: [{ signal, op: "exists", value: false }],
    });
  }
  edges.forEach((min, k) => {
    const max = edges[k + 1];
    rules.push({
      id: `${group}-${k}`,
      label: label(min, max),
      points: 0,
      group,
      when: [
        max === undefined ? { signal, op: "gte", value: min } : { signal, op: "between", value: [min, max] },
      ],
    });
  });
  return rules;
}

const minutes = (ms: number) => {
  const m = ms / 60_000;
  return Number.isInteger(m) ? `${m}` : m.toFixed(1);
};

const S = 1000;
/** Seconds on site: fine bins where conversion changes fastest (the first minutes, 10–30 minutes). */
const TIME_EDGES = [0, 1, 60, 180, 300, 450, 600, 750, 900, 1050, 1200, 1350, 1500, 1800].map((s) => s * S);
const VISIT_EDGES = [0, 1, 2, 3, 4, 5, 6, 8, 11];
const PAGE_EDGES = [0, 1, 2, 3, 4, 5, 7];

/**
 * The candidate rules, with 0 points, for the leads they will be calibrated on. They are ordinary
 * Leadcap rules (form, channel, field, event, consent and range conditions), readable by a marketer.
 */
export function candidateRules(leads: readonly Lead[]): Rule[] {
  const inputs = leads.map((l) => l.input);
  return [
    ...categories(
      "form",
      "form.id",
      inputs.map((i) => i.form.id),
      (v) => `Came in through ${human(v)}`,
      "Came through another form",
    ),
    ...categories(
      "channel",
      "channel",
      inputs.map((i) => i.channel),
      (v) => `Came from ${human(v)}`,
      "Came from another channel",
    ),
    ...categories(
      "occupation",
      "fields.role",
      inputs.map((i) => i.fields.role as string | undefined),
      (v) => v,
      "Other or no occupation given",
    ),
    ...categories(
      "activity",
      "lastActivity.type",
      inputs.map((i) => i.lastActivity?.type),
      (v) => `Last activity: ${human(v)}`,
      "Last activity: other",
    ),
    {
      id: "email-ok",
      label: "Accepts email",
      points: 0,
      group: "email-consent",
      when: [{ signal: "consent.email", op: "eq", value: true }],
    },
    {
      id: "email-opt-out",
      label: "Opted out of email",
      points: 0,
      group: "email-consent",
      when: [{ signal: "consent.email", op: "neq", value: true }],
    },
    ...bins("time", "engagement.activeTimeMs", TIME_EDGES, (min, max) =>
      min === 0
        ? "No time on site"
        : max === undefined
          ? `${minutes(min)}+ min on site`
          : min < 60 * S
            ? "Under a minute on site"
            : `${minutes(min)}–${minutes(max)} min on site`,
    ),
    ...bins(
      "visits",
      "engagement.visits",
      VISIT_EDGES,
      (min, max) =>
        max === undefined
          ? `${min}+ visits`
          : max - min === 1
            ? `${min} visit${min === 1 ? "" : "s"}`
            : `${min}–${max - 1} visits`,
      "Visits unknown",
    ),
    ...bins(
      "pages",
      "engagement.pageViews",
      PAGE_EDGES,
      (min, max) => (max === undefined ? `${min}+ pages per visit` : `${min}–${max} pages per visit`),
      "Pages per visit unknown",
    ),
  ];
}
