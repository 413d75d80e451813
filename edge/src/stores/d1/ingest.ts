/**
 * Ingest on D1: a new or repeat submission is one D1 batch (one round trip, one transaction): the
 * idempotency row, the rate-limit count, the lead upsert and the outbox rows, so an accepted lead is
 * never half-written. Dedupe is atomic through UNIQUE(site, dedupe_key).
 */
import type { SubmitAnswer } from "../../../../shared/lead.ts";
import { RateLimitedError } from "../errors.ts";
import { ENQUEUE_LEASE_MS } from "../ports/delivery.ts";
import {
  type IngestCommand,
  type IngestResult,
  type IngestStore,
  type SpamEntry,
  scorePatchOf,
} from "../ports/ingest.ts";
import { type OutboxRow, type StateRow, toDelivery, toState } from "./delivery.ts";

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

/** Seconds until the window a refused submission counted against is over. */
function retryAfter({ rateWindow, now }: IngestCommand): number | undefined {
  if (!rateWindow) return undefined;
  return Math.max(1, Math.ceil(rateWindow.windowStart + rateWindow.windowSeconds - Date.parse(now) / 1000));
}

export class D1Ingest implements IngestStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, dedupeKey, lead, now } = command;
    const db = this.#db;
    const leaseUntil = new Date(Date.parse(now) + ENQUEUE_LEASE_MS).toISOString();
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
          JSON.stringify(scorePatchOf(lead)),
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
        throw new RateLimitedError(retryAfter(command));
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

  async recordSpam(entry: SpamEntry): Promise<void> {
    await this.#db
      .prepare("INSERT INTO spam (site, form, submission_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(entry.site, entry.form, entry.submissionId, entry.reason, entry.now)
      .run();
  }
}
