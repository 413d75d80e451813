/**
 * The AuditStore port: who did what, when, in the same store as the leads. Entries are only appended;
 * ids are ULIDs, so their order is the order of time and a page's cursor is the last id it held.
 */
import type { AuditEntry } from "../../../../shared/api/people-access.ts";

export type { AuditEntry } from "../../../../shared/api/people-access.ts";

export interface AuditStore {
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** A site's entries and those for every site (`*`), newest first, ids below `before`, at most `limit`. */
  listAudit(site: string, limit: number, before?: string): Promise<AuditEntry[]>;
}
