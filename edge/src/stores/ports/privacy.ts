/** A data subject's rights: everything stored about a person, exported or erased. */
import type { ErasureReceipt, PersonExport } from "../../../../shared/api/people.ts";

// The export and the receipt are what the admin API answers (shared/api/people.ts).
export type { ErasureReceipt, PersonExport } from "../../../../shared/api/people.ts";

export interface PrivacyStore {
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
}
