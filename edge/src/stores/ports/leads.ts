/** Reading leads: one lead, the merged submissions of one, a site's leads filtered and paged. */
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";

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

export interface LeadReader {
  getLead(id: string): Promise<Lead | null>;
  /** The submissions merged into a lead, oldest first. */
  listSubmissions(leadId: string): Promise<SubmissionRecord[]>;
  /** Throws InvalidCursorError (stores/errors.ts) for a cursor it did not make for this sort. */
  listLeads(site: string, options: ListLeadsOptions): Promise<LeadPage>;
}
