/**
 * The Upstash Redis adapter of the LeadStore port, for users who run on Upstash: the same behaviour as
 * the D1 adapter (one contract suite checks both, tests/contract). A submission is one Lua script
 * (stores/upstash-scripts.ts, key layout there): idempotency record, the dedupe claim (SET NX), the
 * lead created or merged (RFC 7396), its history and its outbox rows, and the answer, in one atomic
 * step, one command, one round trip; the per-client limit is counted just before it, by
 * @upstash/ratelimit (stores/upstash-ratelimit.ts): one more command and round trip.
 *
 * A reply lost on the way back (the client retries the same request) is recognised as our own write:
 * every call carries a fresh attempt token, stored with the answer, so the retry gets `fresh: true` and
 * its delivery ids rather than being mistaken for a replayed submission.
 */
import type { Lead, SubmissionRecord, SubmitAnswer } from "../../../shared/lead.ts";
import { ApiError } from "../errors.ts";
import { decodeCursor, encodeCursor, isSortAndKeys } from "./cursor.ts";
import { ENQUEUE_LEASE_MS } from "./d1.ts";
import {
  byTouch,
  type ErasureReceipt,
  type EventCount,
  type IngestCommand,
  type IngestResult,
  type LeadEventRecord,
  type LeadPage,
  type LeadStore,
  type LeadUpdate,
  type ListLeadsOptions,
  type Outcome,
  type OutcomeRow,
  type PersonExport,
  RateLimitedError,
  type SiteMetrics,
  type StageChange,
  writtenDeliveries,
} from "./port.ts";
import { limitRate, refundRate } from "./upstash-ratelimit.ts";
import { type RedisCommands, runScript, type ScriptReply } from "./upstash-rest.ts";
import {
  ERASE_PERSON,
  EXPORT_PERSON,
  INGEST,
  LIST_LEADS,
  LIST_OUTCOMES,
  METRICS,
  TO_RESCORE,
  UPDATE,
} from "./upstash-scripts.ts";

/**
 * The commands this adapter uses, and nothing else (scripts do the multi-key work): met by the slim
 * client the Worker uses (stores/upstash-rest.ts) and by @upstash/redis's Redis alike.
 */
export type Redis = RedisCommands;

/** How long a submission id's answer is kept for replay: longer than the widget's 30-day outbox. */
export const IDEMPOTENCY_TTL_SECONDS = 35 * 86_400;

type Reply = ScriptReply;

/** The longest range metrics reads (two hashes per day, in one script). */
const MAX_METRICS_DAYS = 3 * 366;

/** A score as a fixed-width, lex-ordered text (scores are 0–100): the by-score index's prefix. */
export function scoreKey(score: number): string {
  return score.toFixed(4).padStart(14, "0");
}

const byAt = <T extends { at: string }>(a: T, b: T) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

const parseList = <T>(values: unknown): T[] =>
  (values as (string | T)[]).map((v) => (typeof v === "string" ? (JSON.parse(v) as T) : v));

export class UpstashLeadStore implements LeadStore {
  readonly #redis: Redis;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: Redis) {
    this.#redis = redis;
  }

  #run(script: string, keys: string[], args: (string | number)[]): Promise<Reply> {
    return runScript(this.#redis, script, keys, args);
  }

  async ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, rateWindow } = command;
    if (rateWindow) {
      const verdict = await limitRate(this.#redis, site, rateWindow.key, rateWindow);
      if (!verdict.ok) {
        // A retried submission that was stored before gets its answer, not a 429.
        const replay = await this.#answered(site, submissionId);
        if (replay) return replay;
        throw new RateLimitedError(verdict.retryAfter);
      }
    }
    const result = await this.#ingest(command);
    // A replayed submission id never counts against the limit: give its token back.
    if (rateWindow && !result.fresh) await refundRate(this.#redis, site, rateWindow.key, rateWindow);
    return result;
  }

  async #answered(site: string, submissionId: string): Promise<IngestResult | null> {
    const seen = await this.#redis.get(`lc:${site}:idem:${submissionId}`);
    if (typeof seen !== "string") return null;
    const answer = JSON.parse(seen.slice(seen.indexOf("|") + 1)) as SubmitAnswer;
    return { answer, fresh: false, deliveryIds: [] };
  }

  async #ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, lead, now } = command;
    const nowMs = Date.parse(now);
    const token = crypto.randomUUID();
    const scorePatch = {
      score: lead.score,
      temperature: lead.temperature,
      stage: lead.stage,
      reasons: lead.reasons,
      ...(lead.components ? { components: lead.components } : {}),
    };
    const keys = [
      `lc:${site}:idem:${submissionId}`,
      `lc:${site}:dk:${command.dedupeKey}`,
      `lc:lead:${lead.id}`,
      `lc:${site}:leads`,
      `lc:${site}:m:${now.slice(0, 10)}`,
    ];
    const args: (string | number)[] = [
      token,
      site,
      submissionId,
      now,
      nowMs,
      command.dedupeKey,
      lead.id,
      JSON.stringify(lead),
      JSON.stringify(command.mergePatch),
      JSON.stringify(scorePatch),
      lead.score,
      lead.temperature,
      lead.stage,
      command.dedupeWindowDays,
      JSON.stringify(command.record),
      command.scoringVersion,
      lead.createdAt,
      lead.form,
      // The first touch's channel, as dashboards count and filter leads ("" when none: 'other' in metrics).
      lead.firstTouch.channel ?? "",
      new Date(nowMs + ENQUEUE_LEASE_MS).toISOString(),
      IDEMPOTENCY_TTL_SECONDS,
      JSON.stringify(command.fillPatch),
      lead.email,
      scoreKey(lead.score),
      // The first touch's campaign, as dashboards count cost per lead ("" when none).
      lead.firstTouch.utm_campaign ?? "",
      // The third of each triple: the event the row is for ("" for either).
      ...command.deliveries.flatMap((d) => [d.id, d.destination, d.when ?? ""]),
    ];
    const [status, answer] = (await this.#run(INGEST, keys, args)) as [string, string];
    const fresh = status !== "replay";
    const parsed = JSON.parse(answer) as SubmitAnswer;
    return { answer: parsed, fresh, deliveryIds: fresh ? writtenDeliveries(command.deliveries, parsed) : [] };
  }

  async recordSpam(entry: {
    site: string;
    form: string;
    submissionId: string;
    reason: string;
    now: string;
  }): Promise<void> {
    const { site, ...rest } = entry;
    await Promise.all([
      this.#redis.rpush(`lc:${site}:spam`, JSON.stringify(rest)),
      // By the reason's kind ("honeypot" of "honeypot:website"), like the D1 adapter's metrics.
      this.#redis.hincrby(`lc:${site}:m:${entry.now.slice(0, 10)}`, `spam:${entry.reason.split(":")[0]}`, 1),
    ]);
  }

  async countEvents(site: string, counts: EventCount[]): Promise<void> {
    // Auto-pipelined: one round trip whatever the number of counters. Fields: "<form>|<type>", and
    // "@t|<channel>|<campaign>|<type>" by the visitor's touch ("@" is not allowed in form ids).
    await Promise.all(
      counts.flatMap((c) => [
        this.#redis.hincrby(`lc:${site}:stats:${c.day}`, `${c.form}|${c.type}`, c.count),
        ...(c.channel
          ? [
              this.#redis.hincrby(
                `lc:${site}:stats:${c.day}`,
                `@t|${c.channel}|${c.campaign ?? ""}|${c.type}`,
                c.count,
              ),
            ]
          : []),
      ]),
    );
  }

  async getLead(id: string): Promise<Lead | null> {
    const doc = (await this.#redis.hget(`lc:lead:${id}`, "doc")) as string | null;
    return doc ? (JSON.parse(doc) as Lead) : null;
  }

  async getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null> {
    // Without automatic deserialization HMGET answers the raw array of values.
    const [doc, rev] = (await this.#redis.hmget(`lc:lead:${id}`, "doc", "rev")) as unknown as (
      | string
      | null
    )[];
    if (!doc) return null;
    return { lead: JSON.parse(doc) as Lead, rev: Number(rev) };
  }

  async updateLead(update: LeadUpdate): Promise<boolean> {
    const { lead, rev } = update;
    const events = (update.events ?? []).map((e) =>
      JSON.stringify({ type: e.type, at: e.at, ...(e.props ? { props: e.props } : {}) }),
    );
    const outcome = update.outcome;
    const written = await this.#run(
      UPDATE,
      [`lc:lead:${lead.id}`],
      [
        rev,
        lead.id,
        JSON.stringify(lead),
        lead.score,
        lead.temperature,
        lead.stage,
        update.scoringVersion ?? "",
        events.length,
        update.stageChange ? JSON.stringify(update.stageChange) : "",
        outcome
          ? JSON.stringify({
              outcome: outcome.outcome,
              at: outcome.at,
              ...(outcome.value !== undefined ? { value: outcome.value } : {}),
            })
          : "",
        lead.updatedAt,
        Date.parse(lead.updatedAt),
        new Date(Date.parse(lead.updatedAt) + ENQUEUE_LEASE_MS).toISOString(),
        scoreKey(lead.score),
        ...events,
        ...(update.deliveries ?? []).flatMap((d) => [d.id, d.destination, d.eventType]),
      ],
    );
    return written === 1;
  }

  async listOutcomes(site: string, limit: number, after?: string): Promise<OutcomeRow[]> {
    const rows = (await this.#run(
      LIST_OUTCOMES,
      [`lc:${site}:outcomes`],
      [after ? `(${after}` : "-", limit],
    )) as [string, string, string, string[]][];
    return rows
      .filter(([, doc, outcome]) => doc && outcome)
      .map(([, doc, outcome, events]) => {
        const { outcome: kind, at } = JSON.parse(outcome) as { outcome: OutcomeRow["outcome"]; at: string };
        return {
          lead: JSON.parse(doc) as Lead,
          outcome: kind,
          at,
          events: parseList<LeadEventRecord>(events).sort(byAt),
        };
      });
  }

  async getOutcome(leadId: string): Promise<Outcome | null> {
    const raw = await this.#redis.get(`lc:lead:${leadId}:outcome`);
    return typeof raw === "string" ? { leadId, ...(JSON.parse(raw) as Omit<Outcome, "leadId">) } : null;
  }

  async listLeadEvents(leadId: string): Promise<LeadEventRecord[]> {
    return parseList<LeadEventRecord>(await this.#redis.lrange(`lc:lead:${leadId}:events`, 0, -1)).sort(byAt);
  }

  async listStageHistory(leadId: string): Promise<StageChange[]> {
    return parseList<StageChange>(await this.#redis.lrange(`lc:lead:${leadId}:stages`, 0, -1)).sort(byAt);
  }

  async leadsToRescore(site: string, version: string, limit: number): Promise<string[]> {
    return (await this.#run(TO_RESCORE, [`lc:${site}:svs`], [site, version, limit])) as string[];
  }

  async listSubmissions(leadId: string): Promise<SubmissionRecord[]> {
    return parseList<SubmissionRecord>(await this.#redis.lrange(`lc:lead:${leadId}:subs`, 0, -1)).sort(
      (a, b) =>
        byAt(a, b) || (a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : 0),
    );
  }

  async listLeads(site: string, options: ListLeadsOptions): Promise<LeadPage> {
    const { limit, filter = {}, sort = "-created" } = options;
    const byScore = sort === "-score" || sort === "score";
    const descending = sort.startsWith("-");
    let start = descending ? "+" : "-";
    if (options.cursor) {
      const cursor = decodeCursor(options.cursor, isSortAndKeys);
      if (cursor.length !== (byScore ? 4 : 3) || cursor[0] !== sort) {
        throw new ApiError("invalid_request", "The cursor belongs to another sort order.", {
          fields: { cursor: "Invalid cursor." },
        });
      }
      const [, ...keys] = cursor;
      start = `(${(byScore ? [scoreKey(Number(keys[0])), ...keys.slice(1)] : keys).join(" ")}`;
    }
    const reply = (await this.#run(
      LIST_LEADS,
      [byScore ? `lc:${site}:byscore` : `lc:${site}:leads`],
      [descending ? "desc" : "asc", start, limit + 1, options.withTotal ? "1" : "", JSON.stringify(filter)],
    )) as (string | number)[];
    const total = Number(reply.pop());
    const rows: { member: string; doc: string }[] = [];
    for (let i = 0; i < reply.length; i += 2)
      rows.push({ member: String(reply[i]), doc: String(reply[i + 1]) });
    const page = rows.slice(0, limit).map((r) => ({ ...r, lead: JSON.parse(r.doc) as Lead }));
    const last = page.at(-1);
    const position = last
      ? byScore
        ? [sort, last.lead.score, last.lead.createdAt, last.lead.id]
        : [sort, last.lead.createdAt, last.lead.id]
      : [];
    return {
      leads: page.map((r) => r.lead),
      nextCursor: rows.length > limit && last ? encodeCursor(position) : null,
      ...(options.withTotal ? { total } : {}),
    };
  }

  async pruneRateWindows(_before: number): Promise<void> {
    // Nothing to do: rate-limit windows expire on their own (TTL of a few windows).
  }

  /**
   * A site's numbers over the UTC days [from, to) (YYYY-MM-DD), from the per-day counters the writes
   * keep: one script reading two hashes per day, never a scan of the leads.
   */
  async metrics(site: string, from: string, to: string): Promise<SiteMetrics> {
    const days: string[] = [];
    const last = Date.parse(to.slice(0, 10));
    for (let t = Date.parse(from.slice(0, 10)); t < last && days.length < MAX_METRICS_DAYS; t += 86_400_000)
      days.push(new Date(t).toISOString().slice(0, 10));
    const reply = (await this.#run(
      METRICS,
      days.flatMap((day) => [`lc:${site}:m:${day}`, `lc:${site}:stats:${day}`]),
      [],
    )) as string[][];
    const sum = (into: Record<string, number>, key: string, n: number) => {
      if (n) into[key] = (into[key] ?? 0) + n;
    };
    const leadsByDay: { day: string; leads: number }[] = [];
    const byTemperature: Record<string, number> = {};
    const byStage: Record<string, number> = {};
    const channels: Record<string, number> = {};
    const accepted: Record<string, number> = {};
    const campaigns: Record<string, number> = {};
    const touches: { channel: string; campaign: string; impressions: number }[] = [];
    const campaignsAccepted: Record<string, number> = {};
    const leadsPerForm: Record<string, number> = {};
    const impressions: Record<string, number> = {};
    const submits: Record<string, number> = {};
    const spam: Record<string, number> = {};
    days.forEach((day, d) => {
      const counters = reply[2 * d] ?? [];
      for (let i = 0; i < counters.length; i += 2) {
        const field = counters[i]!;
        const n = Number(counters[i + 1]);
        const colon = field.indexOf(":");
        const [kind, name] = colon < 0 ? [field, ""] : [field.slice(0, colon), field.slice(colon + 1)];
        if (field === "leads" && n > 0) leadsByDay.push({ day, leads: n });
        else if (kind === "t") sum(byTemperature, name, n);
        else if (kind === "s") sum(byStage, name, n);
        else if (kind === "c") sum(channels, name, n);
        else if (kind === "a") sum(accepted, name, n);
        else if (kind === "p") sum(campaigns, name, n);
        else if (kind === "pa") sum(campaignsAccepted, name, n);
        else if (kind === "f") sum(leadsPerForm, name, n);
        else if (kind === "spam") sum(spam, name, n);
      }
      const stats = reply[2 * d + 1] ?? [];
      for (let i = 0; i < stats.length; i += 2) {
        if (stats[i]!.startsWith("@t|")) {
          // Channel names have no "|"; a campaign may: it is what lies between the channel and the type.
          const field = stats[i]!.slice(3);
          const channel = field.slice(0, field.indexOf("|"));
          const type = field.slice(field.lastIndexOf("|") + 1);
          const campaign = field.slice(channel.length + 1, field.length - type.length - 1);
          if (type === "impression") touches.push({ channel, campaign, impressions: Number(stats[i + 1]) });
          continue;
        }
        const [form = "", type] = stats[i]!.split("|");
        if (type === "impression") sum(impressions, form, Number(stats[i + 1]));
        if (type === "submit") sum(submits, form, Number(stats[i + 1]));
      }
    });
    const forms = [
      ...new Set([...Object.keys(impressions), ...Object.keys(submits), ...Object.keys(leadsPerForm)]),
    ];
    return {
      from,
      to,
      leads: leadsByDay.reduce((total, d) => total + d.leads, 0),
      leadsByDay,
      byTemperature,
      byStage,
      ...byTouch(
        Object.entries(channels).map(([channel, leads]) => ({
          channel,
          leads,
          accepted: accepted[channel] ?? 0,
        })),
        Object.entries(campaigns).map(([key, leads]) => {
          const bar = key.indexOf("|");
          return {
            channel: key.slice(0, bar),
            campaign: key.slice(bar + 1),
            leads,
            accepted: campaignsAccepted[key] ?? 0,
          };
        }),
        touches,
      ),
      byForm: forms.map((form) => ({
        form,
        impressions: impressions[form] ?? 0,
        submits: submits[form] ?? 0,
        leads: leadsPerForm[form] ?? 0,
      })),
      spam: { total: Object.values(spam).reduce((a, b) => a + b, 0), byReason: spam },
    };
  }

  async exportPerson(site: string, dedupeKey: string): Promise<PersonExport | null> {
    const reply = (await this.#run(EXPORT_PERSON, [`lc:${site}:dk:${dedupeKey}`], [])) as
      | [string, string[], string[], string[], string, (string | null)[][]]
      | null
      | false;
    if (!reply) return null;
    const [doc, subs, events, stages, outcome, rows] = reply;
    const lead = JSON.parse(doc) as Lead;
    const found = outcome ? (JSON.parse(outcome) as Omit<Outcome, "leadId">) : null;
    return {
      lead,
      submissions: parseList<SubmissionRecord>(subs).sort(byAt),
      events: parseList<LeadEventRecord>(events).sort(byAt),
      stages: parseList<StageChange>(stages).sort(byAt),
      outcome: found ? { leadId: lead.id, ...found } : null,
      deliveries: rows
        .map(([id, destination, eventType, status, createdAt, payload]) => ({
          id: id ?? "",
          destination: destination ?? "",
          eventType: eventType ?? "",
          status: status ?? "",
          createdAt: createdAt ?? "",
          ...(status === "pending" && payload ? { payload: JSON.parse(payload) as unknown } : {}),
        }))
        .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1)),
    };
  }

  async erasePerson(
    site: string,
    dedupeKey: string,
    erasure: { id: string; at: string },
  ): Promise<ErasureReceipt | null> {
    const removed = await this.#run(
      ERASE_PERSON,
      [`lc:${site}:dk:${dedupeKey}`, `lc:${site}:leads`, `lc:${site}:erasures`],
      [site, erasure.id, erasure.at],
    );
    if (!removed) return null;
    return {
      id: erasure.id,
      site,
      at: erasure.at,
      removed: JSON.parse(removed as string) as ErasureReceipt["removed"],
    };
  }
}
