/**
 * The D1 adapter of the LeadStore port: the embedded default. A new or repeat submission is one
 * D1 batch (one round trip, one transaction): the idempotency row, the lead upsert and the outbox
 * rows, so an accepted lead is never half-written. Dedupe is atomic through UNIQUE(site, dedupe_key).
 */
import type { Lead, Stage, SubmissionRecord, SubmitAnswer } from "../../../shared/lead.ts";
import { ApiError } from "../errors.ts";
import { decodeCursor, encodeCursor, isSortAndKeys } from "./cursor.ts";
import { type OutboxRow, type StateRow, toDelivery, toState } from "./d1-delivery.ts";
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
  MAX_CAMPAIGNS,
  type Outcome,
  type OutcomeRow,
  type PersonExport,
  RateLimitedError,
  type SiteMetrics,
  type StageChange,
} from "./port.ts";

/** Lease given to a freshly written outbox row: the queue message sent right after should land by then. */
export const ENQUEUE_LEASE_MS = 2 * 60_000;

const UPSERT_LEAD = `
INSERT INTO leads (id, site, dedupe_key, first_submission_id, form, email, score, temperature, stage,
                   submission_count, created_at, updated_at, doc, scoring_version)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10, ?11, ?15)
ON CONFLICT (site, dedupe_key) DO UPDATE SET
  -- Every right-hand side sees the row as it was: a repeat keeps the higher-scored result whole.
  submission_count = submission_count + 1,
  updated_at = excluded.updated_at,
  rev = rev + 1,
  -- Stale until the merged lead is re-scored (right after the answer, or by the cron's sweep).
  scoring_version = NULL,
  score = MAX(score, excluded.score),
  temperature = CASE WHEN excluded.score > score THEN excluded.temperature ELSE temperature END,
  stage = CASE WHEN excluded.score > score THEN excluded.stage ELSE stage END,
  doc = json_set(
    -- ?16 only fills gaps (the existing doc is applied over it); ?12 then overrides.
    CASE WHEN excluded.score > score THEN json_patch(json_patch(json_patch(?16, doc), ?12), ?13)
         ELSE json_patch(json_patch(?16, doc), ?12) END,
    '$.submissionCount', submission_count + 1,
    -- Past the site's dedupe window (?14 days) since the last conversion, this is a new one.
    '$.conversions', COALESCE(json_extract(doc, '$.conversions'), 1)
      + (julianday(?10) - julianday(COALESCE(json_extract(doc, '$.lastConversionAt'), created_at)) > ?14),
    '$.lastConversionAt', CASE
      WHEN julianday(?10) - julianday(COALESCE(json_extract(doc, '$.lastConversionAt'), created_at)) > ?14 THEN ?10
      ELSE COALESCE(json_extract(doc, '$.lastConversionAt'), created_at) END)`;

// The CHECK (count <= max) on rate_limits fails this statement when the window is full.
const COUNT_RATE = `
INSERT INTO rate_limits (key, window_start, count, max)
VALUES (?1, ?2, 1, ?3 - COALESCE((SELECT CAST(count * ?4 AS INTEGER) FROM rate_limits WHERE key = ?1 AND window_start = ?5), 0))
ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1, max = excluded.max`;

const EVENT_TYPE = `CASE WHEN first_submission_id = ?3 THEN 'lead.created' ELSE 'lead.merged' END`;

const INSERT_OUTBOX = `
INSERT INTO outbox (id, site, lead_id, destination, event_type, payload, next_attempt_at, leased_until, created_at)
SELECT ?1, site, id, ?2, ${EVENT_TYPE},
       json_object('type', ${EVENT_TYPE}, 'timestamp', ?4, 'data', json(doc)),
       ?4, ?5, ?4
FROM leads WHERE site = ?6 AND dedupe_key = ?7 AND (?8 IS NULL OR ${EVENT_TYPE} = ?8)
RETURNING *`;

/** The state of the destinations a submission wrote rows for, read in the same batch. */
const DESTINATION_STATES = `
SELECT * FROM destination_state WHERE site = ?1 AND destination IN (SELECT value FROM json_each(?2))`;

const RECORD_ANSWER = `
UPDATE submissions SET
  lead_id = l.id,
  answer = json_object('leadId', l.id,
                       'duplicate', json(CASE WHEN l.first_submission_id = ?3 THEN 'false' ELSE 'true' END),
                       'score', l.score, 'temperature', l.temperature, 'stage', l.stage)
FROM (SELECT id, first_submission_id, score, temperature, stage FROM leads WHERE site = ?1 AND dedupe_key = ?2) AS l
WHERE submissions.site = ?1 AND submissions.submission_id = ?3
RETURNING submissions.answer AS answer`;

function isUniqueViolation(error: unknown, table: string): boolean {
  return error instanceof Error && error.message.includes(`UNIQUE constraint failed: ${table}.`);
}

/** A lead_events row as the port answers it. */
const eventRecord = (r: { type: string; at: string; props: string | null }): LeadEventRecord => ({
  type: r.type,
  at: r.at,
  ...(r.props ? { props: JSON.parse(r.props) as Record<string, unknown> } : {}),
});

export class D1LeadStore implements LeadStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, dedupeKey, lead, now } = command;
    const db = this.#db;
    const leaseUntil = new Date(Date.parse(now) + ENQUEUE_LEASE_MS).toISOString();
    const scorePatch = {
      score: lead.score,
      temperature: lead.temperature,
      stage: lead.stage,
      reasons: lead.reasons,
      ...(lead.components ? { components: lead.components } : {}),
    };
    const statements = [
      // First: a retried submission id fails here and rolls the whole batch back.
      db
        .prepare(
          "INSERT INTO submissions (site, submission_id, created_at, form, doc) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(site, submissionId, now, command.record.form, JSON.stringify(command.record)),
      // Second: the rate limit, so a retried submission id (refused above) never counts against it.
      ...(command.rateWindow
        ? [
            db
              .prepare(COUNT_RATE)
              .bind(
                command.rateWindow.key,
                command.rateWindow.windowStart,
                command.rateWindow.limit,
                command.rateWindow.previousWeight,
                command.rateWindow.previousWindowStart,
              ),
          ]
        : []),
      db
        .prepare(UPSERT_LEAD)
        .bind(
          lead.id,
          site,
          dedupeKey,
          submissionId,
          lead.form,
          lead.email,
          lead.score,
          lead.temperature,
          lead.stage,
          now,
          JSON.stringify(lead),
          JSON.stringify(command.mergePatch),
          JSON.stringify(scorePatch),
          command.dedupeWindowDays,
          command.scoringVersion,
          JSON.stringify(command.fillPatch),
        ),
      ...command.deliveries.map((d) =>
        db
          .prepare(INSERT_OUTBOX)
          .bind(d.id, d.destination, submissionId, now, leaseUntil, site, dedupeKey, d.when ?? null),
      ),
      ...(command.deliveries.length
        ? [
            db
              .prepare(DESTINATION_STATES)
              .bind(site, JSON.stringify([...new Set(command.deliveries.map((d) => d.destination))])),
          ]
        : []),
      db.prepare(RECORD_ANSWER).bind(site, dedupeKey, submissionId),
    ];
    try {
      const results = await db.batch<unknown>(statements);
      const answer = (results.at(-1)?.results[0] as { answer?: string } | undefined)?.answer;
      if (!answer) throw new Error("ingest batch returned no answer");
      const parsed = JSON.parse(answer) as SubmitAnswer;
      // The rows as written (RETURNING) and their destinations' states: the first attempt needs no read.
      const n = command.deliveries.length;
      const written = n ? results.slice(-2 - n, -2).flatMap((r) => r.results as OutboxRow[]) : [];
      const states = n ? (results.at(-2)?.results as (StateRow & { destination: string })[]) : [];
      const attempts = written.map((row) => ({
        row: toDelivery(row),
        state: toState(states.find((state) => state.destination === row.destination) ?? null),
      }));
      // The rows RETURNING reports are the rows written: one source of truth for both.
      return { answer: parsed, fresh: true, deliveryIds: written.map((row) => row.id), attempts };
    } catch (error) {
      if (error instanceof Error && error.message.includes("CHECK constraint failed"))
        throw new RateLimitedError();
      if (!isUniqueViolation(error, "submissions")) throw error;
      // The same submission id was accepted before (a retry, a double click): answer as the first time.
      const row = await db
        .prepare("SELECT answer FROM submissions WHERE site = ?1 AND submission_id = ?2")
        .bind(site, submissionId)
        .first<{ answer: string | null }>();
      if (!row?.answer) throw error;
      return { answer: JSON.parse(row.answer) as SubmitAnswer, fresh: false, deliveryIds: [] };
    }
  }

  async recordSpam(entry: {
    site: string;
    form: string;
    submissionId: string;
    reason: string;
    now: string;
  }): Promise<void> {
    await this.#db
      .prepare("INSERT INTO spam (site, form, submission_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(entry.site, entry.form, entry.submissionId, entry.reason, entry.now)
      .run();
  }

  async countEvents(site: string, counts: EventCount[]): Promise<void> {
    const upsert = this.#db.prepare(
      `INSERT INTO form_stats (site, form, day, type, count) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (site, form, day, type) DO UPDATE SET count = count + excluded.count`,
    );
    const byTouch = this.#db.prepare(
      `INSERT INTO touch_stats (site, day, channel, campaign, type, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (site, day, channel, campaign, type) DO UPDATE SET count = count + excluded.count`,
    );
    await this.#db.batch(
      counts.flatMap((c) => [
        upsert.bind(site, c.form, c.day, c.type, c.count),
        ...(c.channel ? [byTouch.bind(site, c.day, c.channel, c.campaign ?? "", c.type, c.count)] : []),
      ]),
    );
  }

  async getLead(id: string): Promise<Lead | null> {
    const row = await this.#db
      .prepare("SELECT doc FROM leads WHERE id = ?1")
      .bind(id)
      .first<{ doc: string }>();
    return row ? (JSON.parse(row.doc) as Lead) : null;
  }

  async listLeads(site: string, options: ListLeadsOptions): Promise<LeadPage> {
    const { limit, filter = {}, sort = "-created" } = options;
    const where: string[] = ["site = ?"];
    const params: (string | number)[] = [site];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      add(
        `(email LIKE ? ESCAPE '\\' OR lower(json_extract(doc, '$.fields.name')) LIKE ? ESCAPE '\\'
          OR lower(json_extract(doc, '$.fields.company')) LIKE ? ESCAPE '\\')`,
        like,
        like,
        like,
      );
    }
    if (filter.temperatures?.length)
      add(`temperature IN (${filter.temperatures.map(() => "?").join(", ")})`, ...filter.temperatures);
    if (filter.stages?.length) add(`stage IN (${filter.stages.map(() => "?").join(", ")})`, ...filter.stages);
    if (filter.form) add("form = ?", filter.form);
    if (filter.channel) add("json_extract(doc, '$.firstTouch.channel') = ?", filter.channel);
    if (filter.from) add("created_at >= ?", filter.from);
    if (filter.to) add("created_at < ?", filter.to);
    if (filter.minScore !== undefined) add("score >= ?", filter.minScore);
    if (filter.maxScore !== undefined) add("score <= ?", filter.maxScore);

    const byScore = sort === "-score" || sort === "score";
    const descending = sort.startsWith("-");
    const keys = byScore ? ["score", "created_at", "id"] : ["created_at", "id"];
    const filterWhere = where.join(" AND ");
    const filterParams = [...params];
    if (options.cursor) {
      const cursor = decodeCursor(options.cursor, isSortAndKeys);
      if (cursor.length !== keys.length + 1 || cursor[0] !== sort) {
        throw new ApiError("invalid_request", "The cursor belongs to another sort order.", {
          fields: { cursor: "Invalid cursor." },
        });
      }
      add(
        `(${keys.join(", ")}) ${descending ? "<" : ">"} (${keys.map(() => "?").join(", ")})`,
        ...(cursor.slice(1) as (string | number)[]),
      );
    }
    const order = keys.map((k) => `${k} ${descending ? "DESC" : "ASC"}`).join(", ");
    const rows = this.#db
      .prepare(
        `SELECT id, created_at, score, doc FROM leads WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
      )
      .bind(...params, limit + 1);
    const count = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM leads WHERE ${filterWhere}`)
      .bind(...filterParams);
    const [list, counted] = options.withTotal
      ? await this.#db.batch<{ id: string; created_at: string; score: number; doc: string; n: number }>([
          rows,
          count,
        ])
      : [
          await rows.all<{ id: string; created_at: string; score: number; doc: string; n: number }>(),
          undefined,
        ];
    const results = list?.results ?? [];
    const page = results.slice(0, limit);
    const last = page.at(-1);
    const position = last
      ? byScore
        ? [sort, last.score, last.created_at, last.id]
        : [sort, last.created_at, last.id]
      : [];
    return {
      leads: page.map((row) => JSON.parse(row.doc) as Lead),
      nextCursor: results.length > limit && last ? encodeCursor(position) : null,
      ...(counted ? { total: counted.results[0]?.n ?? 0 } : {}),
    };
  }

  async getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null> {
    const row = await this.#db
      .prepare("SELECT doc, rev FROM leads WHERE id = ?1")
      .bind(id)
      .first<{ doc: string; rev: number }>();
    return row ? { lead: JSON.parse(row.doc) as Lead, rev: row.rev } : null;
  }

  async updateLead(update: LeadUpdate): Promise<boolean> {
    const db = this.#db;
    const { lead, rev } = update;
    // Everything but the update itself is guarded by the revision read, so a lost race writes nothing.
    const guard = "EXISTS (SELECT 1 FROM leads WHERE id = ?1 AND rev = ?2)";
    const statements: D1PreparedStatement[] = [];
    for (const event of update.events ?? []) {
      statements.push(
        db
          .prepare(
            `INSERT INTO lead_events (site, lead_id, type, at, props, created_at) SELECT ?3, ?1, ?4, ?5, ?6, ?7 WHERE ${guard}`,
          )
          .bind(
            lead.id,
            rev,
            lead.site,
            event.type,
            event.at,
            event.props ? JSON.stringify(event.props) : null,
            lead.updatedAt,
          ),
      );
    }
    if (update.stageChange) {
      const change = update.stageChange;
      statements.push(
        db
          .prepare(
            `INSERT INTO stage_history (site, lead_id, from_stage, to_stage, cause, at) SELECT ?3, ?1, ?4, ?5, ?6, ?7 WHERE ${guard}`,
          )
          .bind(lead.id, rev, lead.site, change.from, change.to, change.cause, change.at),
      );
    }
    if (update.outcome) {
      const o = update.outcome;
      statements.push(
        db
          .prepare(
            `INSERT INTO outcomes (lead_id, site, outcome, at, value, recorded_at) SELECT ?1, ?3, ?4, ?5, ?6, ?7 WHERE ${guard}
             ON CONFLICT (lead_id) DO UPDATE SET outcome = excluded.outcome, at = excluded.at, value = excluded.value,
               recorded_at = excluded.recorded_at`,
          )
          .bind(lead.id, rev, lead.site, o.outcome, o.at, o.value ?? null, lead.updatedAt),
      );
    }
    // Outbox rows carry the lead as written here, and are guarded like the rest by the revision read
    // (not by rev + 1 after the update, which another writer's single write would also satisfy).
    const doc = JSON.stringify(lead);
    for (const d of update.deliveries ?? []) {
      statements.push(
        db
          .prepare(
            `INSERT INTO outbox (id, site, lead_id, destination, event_type, payload, next_attempt_at, leased_until, created_at)
             SELECT ?3, site, id, ?4, ?5, json_object('type', ?5, 'timestamp', ?6, 'data', json(?8)), ?6, ?7, ?6
             FROM leads WHERE id = ?1 AND rev = ?2`,
          )
          .bind(
            lead.id,
            rev,
            d.id,
            d.destination,
            d.eventType,
            lead.updatedAt,
            new Date(Date.parse(lead.updatedAt) + ENQUEUE_LEASE_MS).toISOString(),
            doc,
          ),
      );
    }
    const updateIndex = statements.length;
    statements.push(
      db
        .prepare(
          `UPDATE leads SET doc = ?3, score = ?4, temperature = ?5, stage = ?6, updated_at = ?7,
             scoring_version = COALESCE(?8, scoring_version), rev = rev + 1
           WHERE id = ?1 AND rev = ?2`,
        )
        .bind(
          lead.id,
          rev,
          doc,
          lead.score,
          lead.temperature,
          lead.stage,
          lead.updatedAt,
          update.scoringVersion ?? null,
        ),
    );
    const results = await db.batch(statements);
    return (results[updateIndex]?.meta.changes ?? 0) === 1;
  }

  async listOutcomes(site: string, limit: number, after = ""): Promise<OutcomeRow[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT o.lead_id, o.outcome, o.at, l.doc FROM outcomes o JOIN leads l ON l.id = o.lead_id
         WHERE o.site = ?1 AND o.lead_id > ?2 ORDER BY o.lead_id LIMIT ?3`,
      )
      .bind(site, after, limit)
      .all<{ lead_id: string; outcome: OutcomeRow["outcome"]; at: string; doc: string }>();
    if (!results.length) return [];
    const { results: events } = await this.#db
      .prepare(
        `SELECT lead_id, type, at, props FROM lead_events
         WHERE lead_id IN (SELECT value FROM json_each(?1)) ORDER BY at, id`,
      )
      .bind(JSON.stringify(results.map((r) => r.lead_id)))
      .all<{ lead_id: string; type: string; at: string; props: string | null }>();
    const byLead = new Map<string, LeadEventRecord[]>();
    for (const e of events) {
      const list = byLead.get(e.lead_id) ?? [];
      list.push(eventRecord(e));
      byLead.set(e.lead_id, list);
    }
    return results.map((r) => ({
      lead: JSON.parse(r.doc) as Lead,
      outcome: r.outcome,
      at: r.at,
      events: byLead.get(r.lead_id) ?? [],
    }));
  }

  async getOutcome(leadId: string): Promise<Outcome | null> {
    const row = await this.#db
      .prepare("SELECT outcome, at, value FROM outcomes WHERE lead_id = ?1")
      .bind(leadId)
      .first<{ outcome: Outcome["outcome"]; at: string; value: number | null }>();
    return row
      ? { leadId, outcome: row.outcome, at: row.at, ...(row.value !== null ? { value: row.value } : {}) }
      : null;
  }

  async listLeadEvents(leadId: string): Promise<LeadEventRecord[]> {
    const { results } = await this.#db
      .prepare("SELECT type, at, props FROM lead_events WHERE lead_id = ?1 ORDER BY at, id")
      .bind(leadId)
      .all<{ type: string; at: string; props: string | null }>();
    return results.map(eventRecord);
  }

  async listStageHistory(leadId: string): Promise<StageChange[]> {
    const { results } = await this.#db
      .prepare("SELECT from_stage, to_stage, cause, at FROM stage_history WHERE lead_id = ?1 ORDER BY at, id")
      .bind(leadId)
      .all<{ from_stage: Stage; to_stage: Stage; cause: string; at: string }>();
    return results.map((r) => ({ from: r.from_stage, to: r.to_stage, cause: r.cause, at: r.at }));
  }

  async metrics(site: string, from: string, to: string): Promise<SiteMetrics> {
    const db = this.#db;
    const range = "site = ?1 AND created_at >= ?2 AND created_at < ?3";
    const [byDay, byTemperature, byStage, byChannel, byForm, stats, spam, byCampaign, touches] =
      await db.batch([
        db
          .prepare(
            `SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY day ORDER BY day`,
          )
          .bind(site, from, to),
        db
          .prepare(`SELECT temperature AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY temperature`)
          .bind(site, from, to),
        db
          .prepare(`SELECT stage AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY stage`)
          .bind(site, from, to),
        db
          .prepare(
            `SELECT COALESCE(json_extract(doc, '$.firstTouch.channel'), 'other') AS k, COUNT(*) AS n,
                  SUM(stage IN ('SQL', 'customer')) AS accepted
           FROM leads WHERE ${range} GROUP BY k ORDER BY n DESC`,
          )
          .bind(site, from, to),
        db
          .prepare(`SELECT form AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY form`)
          .bind(site, from, to),
        db
          .prepare(
            `SELECT form AS k, SUM(CASE WHEN type = 'impression' THEN count ELSE 0 END) AS impressions,
                  SUM(CASE WHEN type = 'submit' THEN count ELSE 0 END) AS submits
           FROM form_stats WHERE site = ?1 AND day >= substr(?2, 1, 10) AND day < substr(?3, 1, 10) GROUP BY form`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END AS k,
                  COUNT(*) AS n FROM spam WHERE ${range} GROUP BY k`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT COALESCE(NULLIF(json_extract(doc, '$.firstTouch.channel'), ''), 'other') AS channel,
                  json_extract(doc, '$.firstTouch.utm_campaign') AS campaign, COUNT(*) AS n,
                  SUM(stage IN ('SQL', 'customer')) AS accepted
           FROM leads WHERE ${range} AND COALESCE(json_extract(doc, '$.firstTouch.utm_campaign'), '') != ''
           GROUP BY channel, campaign ORDER BY n DESC, campaign LIMIT ${MAX_CAMPAIGNS}`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT channel, campaign, SUM(count) AS n FROM touch_stats
           WHERE site = ?1 AND day >= substr(?2, 1, 10) AND day < substr(?3, 1, 10) AND type = 'impression'
           GROUP BY channel, campaign`,
          )
          .bind(site, from, to),
      ]);
    type Row = { k: string; n: number };
    const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
    const counts = (r: D1Result | undefined) => Object.fromEntries(rows<Row>(r).map((x) => [x.k, x.n]));
    const leadsPerForm = counts(byForm);
    const forms = new Map<string, { form: string; impressions: number; submits: number; leads: number }>();
    for (const x of rows<{ k: string; impressions: number; submits: number }>(stats)) {
      forms.set(x.k, {
        form: x.k,
        impressions: x.impressions,
        submits: x.submits,
        leads: leadsPerForm[x.k] ?? 0,
      });
    }
    for (const [form, n] of Object.entries(leadsPerForm))
      if (!forms.has(form)) forms.set(form, { form, impressions: 0, submits: 0, leads: n });
    const days = rows<{ day: string; n: number }>(byDay).map((x) => ({ day: x.day, leads: x.n }));
    const spamByReason = counts(spam);
    return {
      from,
      to,
      leads: days.reduce((sum, d) => sum + d.leads, 0),
      leadsByDay: days,
      byTemperature: counts(byTemperature),
      byStage: counts(byStage),
      ...byTouch(
        rows<Row & { accepted: number }>(byChannel).map((x) => ({
          channel: x.k,
          leads: x.n,
          accepted: x.accepted,
        })),
        rows<{ channel: string; campaign: string; n: number; accepted: number }>(byCampaign).map((x) => ({
          channel: x.channel,
          campaign: String(x.campaign),
          leads: x.n,
          accepted: x.accepted,
        })),
        rows<{ channel: string; campaign: string; n: number }>(touches).map((x) => ({
          channel: x.channel,
          campaign: x.campaign,
          impressions: x.n,
        })),
      ),
      byForm: [...forms.values()],
      spam: { total: Object.values(spamByReason).reduce((a, b) => a + b, 0), byReason: spamByReason },
    };
  }

  async exportPerson(site: string, dedupeKey: string): Promise<PersonExport | null> {
    const row = await this.#db
      .prepare("SELECT id, doc FROM leads WHERE site = ?1 AND dedupe_key = ?2")
      .bind(site, dedupeKey)
      .first<{ id: string; doc: string }>();
    if (!row) return null;
    const id = row.id;
    const [submissions, events, stages, outcome, outbox] = await Promise.all([
      this.listSubmissions(id),
      this.listLeadEvents(id),
      this.listStageHistory(id),
      this.#db
        .prepare("SELECT outcome, at, value FROM outcomes WHERE lead_id = ?1")
        .bind(id)
        .first<{ outcome: Outcome["outcome"]; at: string; value: number | null }>(),
      this.#db
        .prepare(
          "SELECT id, destination, event_type, status, created_at, payload FROM outbox WHERE lead_id = ?1 ORDER BY created_at, id",
        )
        .bind(id)
        .all<{
          id: string;
          destination: string;
          event_type: string;
          status: string;
          created_at: string;
          payload: string;
        }>(),
    ]);
    return {
      lead: JSON.parse(row.doc) as Lead,
      submissions,
      events,
      stages,
      outcome: outcome
        ? {
            leadId: id,
            outcome: outcome.outcome,
            at: outcome.at,
            ...(outcome.value !== null ? { value: outcome.value } : {}),
          }
        : null,
      deliveries: outbox.results.map((d) => ({
        id: d.id,
        destination: d.destination,
        eventType: d.event_type,
        status: d.status,
        createdAt: d.created_at,
        ...(d.status === "pending" ? { payload: JSON.parse(d.payload) as unknown } : {}),
      })),
    };
  }

  async erasePerson(
    site: string,
    dedupeKey: string,
    erasure: { id: string; at: string },
  ): Promise<ErasureReceipt | null> {
    const db = this.#db;
    const lead = "(SELECT id FROM leads WHERE site = ?1 AND dedupe_key = ?2)";
    // Counted, then deleted, then recorded: one batch, so an erasure is never half done.
    const results = await db.batch([
      db
        .prepare(
          `SELECT
             (SELECT COUNT(*) FROM leads WHERE site = ?1 AND dedupe_key = ?2) AS leads,
             (SELECT COUNT(*) FROM submissions WHERE lead_id IN ${lead}) AS submissions,
             (SELECT COUNT(*) FROM lead_events WHERE lead_id IN ${lead}) AS events,
             (SELECT COUNT(*) FROM stage_history WHERE lead_id IN ${lead}) AS stages,
             (SELECT COUNT(*) FROM outcomes WHERE lead_id IN ${lead}) AS outcomes,
             (SELECT COUNT(*) FROM outbox WHERE lead_id IN ${lead}) AS deliveries`,
        )
        .bind(site, dedupeKey),
      db
        .prepare(
          `INSERT INTO erasures (id, site, at, removed)
           SELECT ?3, ?1, ?4, json_object(
             'leads', COUNT(*),
             'submissions', (SELECT COUNT(*) FROM submissions WHERE lead_id IN ${lead}),
             'events', (SELECT COUNT(*) FROM lead_events WHERE lead_id IN ${lead}),
             'stages', (SELECT COUNT(*) FROM stage_history WHERE lead_id IN ${lead}),
             'outcomes', (SELECT COUNT(*) FROM outcomes WHERE lead_id IN ${lead}),
             'deliveries', (SELECT COUNT(*) FROM outbox WHERE lead_id IN ${lead}))
           FROM leads WHERE site = ?1 AND dedupe_key = ?2 HAVING COUNT(*) > 0`,
        )
        .bind(site, dedupeKey, erasure.id, erasure.at),
      db.prepare(`DELETE FROM submissions WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM lead_events WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM stage_history WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM outcomes WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM outbox WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare("DELETE FROM leads WHERE site = ?1 AND dedupe_key = ?2").bind(site, dedupeKey),
    ]);
    const removed = results[0]?.results[0] as ErasureReceipt["removed"] | undefined;
    if (!removed || removed.leads === 0) return null;
    return { id: erasure.id, site, at: erasure.at, removed };
  }

  async leadsToRescore(site: string, version: string, limit: number): Promise<string[]> {
    const { results } = await this.#db
      .prepare(
        "SELECT id FROM leads WHERE site = ?1 AND (scoring_version IS NULL OR scoring_version != ?2) LIMIT ?3",
      )
      .bind(site, version, limit)
      .all<{ id: string }>();
    return results.map((r) => r.id);
  }

  async listSubmissions(leadId: string): Promise<SubmissionRecord[]> {
    const { results } = await this.#db
      .prepare(
        "SELECT doc FROM submissions WHERE lead_id = ?1 AND doc IS NOT NULL ORDER BY created_at, submission_id",
      )
      .bind(leadId)
      .all<{ doc: string }>();
    return results.map((row) => JSON.parse(row.doc) as SubmissionRecord);
  }

  async pruneRateWindows(before: number): Promise<void> {
    await this.#db.prepare("DELETE FROM rate_limits WHERE window_start < ?1").bind(before).run();
  }
}
