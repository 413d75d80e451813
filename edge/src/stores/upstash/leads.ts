/** Reading leads on Upstash Redis: one lead, its merged submissions, a site's leads filtered and paged. */
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";
import { decodeCursor, encodeCursor, isSortAndKeys } from "../cursor.ts";
import { InvalidCursorError } from "../errors.ts";
import type { LeadPage, LeadReader, ListLeadsOptions } from "../ports/leads.ts";
import { byAt, parseList, scoreKey } from "./layout.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { LIST_LEADS } from "./scripts/list-leads.ts";

export class UpstashLeads implements LeadReader {
  readonly #redis: RedisCommands;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async getLead(id: string): Promise<Lead | null> {
    const doc = (await this.#redis.hget(`lc:lead:${id}`, "doc")) as string | null;
    return doc ? (JSON.parse(doc) as Lead) : null;
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
        throw new InvalidCursorError("other-sort");
      }
      const [, ...keys] = cursor;
      start = `(${(byScore ? [scoreKey(Number(keys[0])), ...keys.slice(1)] : keys).join(" ")}`;
    }
    const reply = (await runScript(
      this.#redis,
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
}
