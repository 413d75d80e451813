/**
 * The AuditStore port on Upstash Redis. Keys:
 *   lc:audit:<site>   sorted set  "<id>|<entry JSON>", all scored 0: ordered by id, a ULID (by time)
 * A page reads the site's set and the one for every site (`*`) below the cursor, merged in order.
 */
import type { AuditEntry, AuditStore } from "../ports/audit.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { APPEND_AUDIT } from "./scripts/append-audit.ts";
import { LIST_AUDIT } from "./scripts/list-audit.ts";

const key = (site: string) => `lc:audit:${site}`;

export class UpstashAuditStore implements AuditStore {
  readonly #redis: Pick<RedisCommands, "evalsha" | "eval">;

  constructor(redis: Pick<RedisCommands, "evalsha" | "eval">) {
    this.#redis = redis;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await runScript(
      this.#redis,
      APPEND_AUDIT,
      entries.map((e) => key(e.site)),
      entries.map((e) => `${e.id}|${JSON.stringify(e)}`),
    );
  }

  async listAudit(site: string, limit: number, before?: string): Promise<AuditEntry[]> {
    const keys = site === "*" ? [key("*")] : [key(site), key("*")];
    const rows = (await runScript(this.#redis, LIST_AUDIT, keys, [
      before ? `(${before}` : "+",
      limit,
    ])) as string[];
    return rows
      .map((row) => JSON.parse(row.slice(row.indexOf("|") + 1)) as AuditEntry)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, limit);
  }
}
