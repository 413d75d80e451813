/** Reading leads on D1: one lead, its merged submissions, a site's leads filtered and paged. */
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";
import { decodeCursor, encodeCursor, isSortAndKeys } from "../cursor.ts";
import { InvalidCursorError } from "../errors.ts";
import type { LeadPage, LeadReader, ListLeadsOptions } from "../ports/leads.ts";

export class D1Leads implements LeadReader {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async getLead(id: string): Promise<Lead | null> {
    const row = await this.#db
      .prepare("SELECT doc FROM leads WHERE id = ?1")
      .bind(id)
      .first<{ doc: string }>();
    return row ? (JSON.parse(row.doc) as Lead) : null;
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
        throw new InvalidCursorError("other-sort");
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
}
