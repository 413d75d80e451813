/** Reading leads: one lead, the merged submissions of one, a site's leads filtered and paged. */
import type { LeadPage, ListLeadsOptions } from "../../../../shared/api/leads.ts";
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";

// The shapes of the list are the admin API's (one schema each in shared/api); re-exported for the edge.
export type { LeadFilter, LeadPage, LeadSort, ListLeadsOptions } from "../../../../shared/api/leads.ts";

export interface LeadReader {
  getLead(id: string): Promise<Lead | null>;
  /** The submissions merged into a lead, oldest first. */
  listSubmissions(leadId: string): Promise<SubmissionRecord[]>;
  /** Throws InvalidCursorError (stores/errors.ts) for a cursor it did not make for this sort. */
  listLeads(site: string, options: ListLeadsOptions): Promise<LeadPage>;
}
