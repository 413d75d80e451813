/**
 * The LeadStore port: everything the edge needs from the built-in CRM store. D1 is the embedded
 * default (stores/d1.ts); the Upstash Redis adapter implements the same port.
 */
import type { Lead, LeadEventType, Stage, SubmissionRecord, SubmitAnswer } from "../../../shared/lead.ts";
import type { AttemptContext } from "./delivery-port.ts";

/** Thrown by `ingest` when the client's rate-limit window is full: nothing was written. */
export class RateLimitedError extends Error {
  /** Seconds until the client may try again, when the limiter knows better than the window. */
  readonly retryAfter: number | undefined;
  constructor(retryAfter?: number) {
    super("rate limited");
    this.name = "RateLimitedError";
    this.retryAfter = retryAfter;
  }
}

/**
 * The rate-limit window a submission counts against: D1 counts it inside the ingest transaction,
 * Upstash through @upstash/ratelimit just before it (stores/upstash-ratelimit.ts). Either way a
 * replayed submission id never counts and a refused one writes nothing.
 */
export interface RateWindow {
  /** Opaque per (site, client) key; never a raw IP address. */
  key: string;
  /** Start of the current window, epoch seconds. */
  windowStart: number;
  /** Start of the previous window (sliding windows weigh its count). */
  previousWindowStart: number;
  /** Weight of the previous window's count: 0 for a fixed window. */
  previousWeight: number;
  limit: number;
  /** The site's rule, for limiters that keep their own windows. */
  windowSeconds: number;
  algorithm: "sliding" | "fixed";
}

export interface IngestCommand {
  site: string;
  submissionId: string;
  dedupeKey: string;
  /** The complete lead as it would be stored if this email is new to the site. */
  lead: Lead;
  /**
   * What a repeat submission changes on an existing lead (RFC 7396 merge patch of the lead doc):
   * newest non-empty field values, latest touch, engagement, page, updatedAt. First touch, id and
   * createdAt are never in it.
   */
  mergePatch: Partial<Lead>;
  /** Values that only fill what the lead does not have yet (fields whose merge policy is `first`). */
  fillPatch: Partial<Lead>;
  /** What this submission carried, kept as the lead's history. */
  record: SubmissionRecord;
  /** The scoring config the lead was scored with (see lifecycle.scoringVersion). */
  scoringVersion: string;
  /** A repeat later than this many days after the last conversion counts as a new conversion. */
  dedupeWindowDays: number;
  /** Counted only if the submission id is new; over the limit, nothing is written. */
  rateWindow?: RateWindow | undefined;
  /**
   * One outbox row per destination; ids are the webhook-ids. A row with `when` is written only if the
   * submission turns out to be that event (routes can tell a new lead from a repeat, which only the
   * atomic write decides).
   */
  deliveries: SubmissionDelivery[];
  now: string;
}

export interface SubmissionDelivery {
  id: string;
  destination: string;
  when?: "lead.created" | "lead.merged" | undefined;
}

/** The rows an ingest wrote, from its answer: those for any event, and those for the one it was. */
export function writtenDeliveries(deliveries: SubmissionDelivery[], answer: SubmitAnswer): string[] {
  const event = answer.duplicate ? "lead.merged" : "lead.created";
  return deliveries.filter((d) => !d.when || d.when === event).map((d) => d.id);
}

export interface IngestResult {
  answer: SubmitAnswer;
  /** False when the submission id had been seen: `answer` is the first answer, nothing was written. */
  fresh: boolean;
  /** Outbox rows written by this call (empty for a replayed submission id). */
  deliveryIds: string[];
  /**
   * Those rows as written, with their destination's state, when the store read them in the same
   * write (D1): the first attempt starts from them instead of reading them back.
   */
  attempts?: AttemptContext[];
}

/** Filters of the leads list (all optional, combined with AND). */
export interface LeadFilter {
  /** Contained in the email, name or company (case-insensitive). */
  q?: string | undefined;
  temperatures?: readonly string[] | undefined;
  stages?: readonly string[] | undefined;
  form?: string | undefined;
  /** First-touch channel. */
  channel?: string | undefined;
  /** Created on or after this day, and before `to` (YYYY-MM-DD, UTC). */
  from?: string | undefined;
  to?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
}

export type LeadSort = "-created" | "created" | "-score" | "score";

export interface ListLeadsOptions {
  limit: number;
  cursor?: string | undefined;
  filter?: LeadFilter | undefined;
  /** @default "-created" */
  sort?: LeadSort | undefined;
  /** Also count every lead the filter matches (costs a scan of them). */
  withTotal?: boolean | undefined;
}

export interface LeadPage {
  leads: Lead[];
  nextCursor: string | null;
  /** With `withTotal`: how many leads the filter matches. */
  total?: number;
}

/** An event about a lead after capture: product usage (PQL), email engagement, … */
export interface LeadEventRecord {
  type: string;
  at: string;
  props?: Record<string, unknown> | undefined;
}

export interface StageChange {
  from: Stage;
  to: Stage;
  /** Why: "score", "pql", "outcome", or a person's reason from the console/CRM. */
  cause: string;
  at: string;
}

export interface Outcome {
  leadId: string;
  outcome: "converted" | "lost";
  at: string;
  value?: number | undefined;
}

/**
 * A read-modify-write of one lead, applied only if the lead's `rev` is still the one read (else
 * nothing is written and the caller re-reads and tries again).
 */
export interface LeadUpdate {
  lead: Lead;
  rev: number;
  scoringVersion?: string | undefined;
  events?: LeadEventRecord[] | undefined;
  stageChange?: StageChange | undefined;
  outcome?: Outcome | undefined;
  /** Outbox rows for this change, written with it; ids are the webhook-ids. */
  deliveries?: { id: string; destination: string; eventType: LeadEventType }[] | undefined;
}

/** Everything stored about one person (one lead per site), for a data subject's access request. */
export interface PersonExport {
  lead: Lead;
  submissions: SubmissionRecord[];
  events: LeadEventRecord[];
  stages: StageChange[];
  outcome: Outcome | null;
  /** Outbox rows for the lead: where it was sent, when, and the payload of those not yet delivered. */
  deliveries: {
    id: string;
    destination: string;
    eventType: string;
    status: string;
    createdAt: string;
    payload?: unknown;
  }[];
}

/** What an erasure removed, recorded (without the address) and returned. */
export interface ErasureReceipt {
  id: string;
  site: string;
  at: string;
  removed: {
    leads: number;
    submissions: number;
    events: number;
    stages: number;
    outcomes: number;
    deliveries: number;
  };
}

/** A site's numbers over a date range (days are UTC, `to` exclusive). */
/** Widget events of one form, day and type; with the visitor's channel and campaign when known. */
export interface EventCount {
  form: string;
  day: string;
  type: string;
  count: number;
  /** The visitor's channel, from the latest touch the widget sent (older widgets send none). */
  channel?: string | undefined;
  /** Its utm_campaign, "" for none. */
  campaign?: string | undefined;
}

/** The most campaigns metrics list. */
export const MAX_CAMPAIGNS = 200;

export interface SiteMetrics {
  from: string;
  to: string;
  leads: number;
  leadsByDay: { day: string; leads: number }[];
  byTemperature: Record<string, number>;
  byStage: Record<string, number>;
  /**
   * By first-touch channel: leads, and those sales accepted (SQL or customer); and the widget's form
   * impressions to visitors from that channel (their latest touch), for visitor → lead conversion.
   */
  byChannel: { channel: string; leads: number; accepted: number; impressions: number }[];
  /**
   * By first-touch channel and campaign (utm_campaign; visits without one are not listed): leads,
   * those sales accepted, and form impressions, the most leads first, at most MAX_CAMPAIGNS. For cost
   * per lead and conversion by campaign.
   */
  byCampaign: { channel: string; campaign: string; leads: number; accepted: number; impressions: number }[];
  /** By form: impressions and submits from the widget's events, leads created. */
  byForm: { form: string; impressions: number; submits: number; leads: number }[];
  spam: { total: number; byReason: Record<string, number> };
}

export interface LeadStore {
  /** Stores a submission atomically: idempotency record, lead (new or merged) and outbox rows, or nothing. */
  ingest(command: IngestCommand): Promise<IngestResult>;
  recordSpam(entry: {
    site: string;
    form: string;
    submissionId: string;
    reason: string;
    now: string;
  }): Promise<void>;
  /** Adds to the daily widget event counters (one call per events request). */
  countEvents(site: string, counts: EventCount[]): Promise<void>;
  getLead(id: string): Promise<Lead | null>;
  /** The lead with its revision, for a guarded update. */
  getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null>;
  /** Applies the update if the lead is still at `rev`; false when someone else wrote it first. */
  updateLead(update: LeadUpdate): Promise<boolean>;
  listLeadEvents(leadId: string): Promise<LeadEventRecord[]>;
  listStageHistory(leadId: string): Promise<StageChange[]>;
  /** Aggregates for dashboards over [from, to) (ISO dates). */
  metrics(site: string, from: string, to: string): Promise<SiteMetrics>;
  /** Everything stored about the person with this dedupe key on this site, or null. */
  exportPerson(site: string, dedupeKey: string): Promise<PersonExport | null>;
  /**
   * Erases everything stored about the person with this dedupe key on this site (lead, submissions,
   * events, stages, outcome, outbox rows delivered or not) in one atomic write, and records the
   * erasure without the address. Null when there was nothing to erase.
   */
  erasePerson(
    site: string,
    dedupeKey: string,
    erasure: { id: string; at: string },
  ): Promise<ErasureReceipt | null>;
  /** Ids of a site's leads last scored with another scoring config than `version`. */
  leadsToRescore(site: string, version: string, limit: number): Promise<string[]>;
  /** The submissions merged into a lead, oldest first. */
  listSubmissions(leadId: string): Promise<SubmissionRecord[]>;
  listLeads(site: string, options: ListLeadsOptions): Promise<LeadPage>;
  /** Deletes rate-limit windows that started before `before` (epoch seconds). */
  pruneRateWindows(before: number): Promise<void>;
  /**
   * A page of the site's leads that have an outcome, with it and their events, for calibration;
   * in lead id order after `after`.
   */
  listOutcomes(site: string, limit: number, after?: string): Promise<OutcomeRow[]>;
  /** The outcome recorded for a lead (the latest), or null. */
  getOutcome(leadId: string): Promise<Outcome | null>;
}

export interface OutcomeRow {
  lead: Lead;
  outcome: "converted" | "lost";
  /** When the outcome happened (the CRM's time). */
  at: string;
  events: LeadEventRecord[];
}

type ChannelLeads = Omit<SiteMetrics["byChannel"][number], "impressions">;
type CampaignLeads = Omit<SiteMetrics["byCampaign"][number], "impressions">;

/**
 * Joins leads per channel and campaign with the widget's impressions per channel and campaign (either
 * may have rows the other lacks), most leads first; both adapters answer through it.
 */
export function byTouch(
  channels: ChannelLeads[],
  campaigns: CampaignLeads[],
  impressions: { channel: string; campaign: string; impressions: number }[],
): Pick<SiteMetrics, "byChannel" | "byCampaign"> {
  const perChannel = new Map<string, number>();
  const perCampaign = new Map<string, number>();
  for (const row of impressions) {
    perChannel.set(row.channel, (perChannel.get(row.channel) ?? 0) + row.impressions);
    if (row.campaign) {
      const key = `${row.channel}|${row.campaign}`;
      perCampaign.set(key, (perCampaign.get(key) ?? 0) + row.impressions);
    }
  }
  const byChannel = channels.map((c) => ({ ...c, impressions: perChannel.get(c.channel) ?? 0 }));
  for (const [channel, n] of perChannel)
    if (n > 0 && !channels.some((c) => c.channel === channel))
      byChannel.push({ channel, leads: 0, accepted: 0, impressions: n });
  const byCampaign = campaigns.map((c) => ({
    ...c,
    impressions: perCampaign.get(`${c.channel}|${c.campaign}`) ?? 0,
  }));
  for (const [key, n] of perCampaign) {
    const bar = key.indexOf("|");
    const [channel, campaign] = [key.slice(0, bar), key.slice(bar + 1)];
    if (n > 0 && !campaigns.some((c) => c.channel === channel && c.campaign === campaign))
      byCampaign.push({ channel, campaign, leads: 0, accepted: 0, impressions: n });
  }
  const order = (a: { leads: number; impressions: number }, b: { leads: number; impressions: number }) =>
    b.leads - a.leads || b.impressions - a.impressions;
  return {
    byChannel: byChannel.sort((a, b) => order(a, b) || (a.channel < b.channel ? -1 : 1)),
    byCampaign: byCampaign
      .sort((a, b) => order(a, b) || (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0))
      .slice(0, MAX_CAMPAIGNS),
  };
}
