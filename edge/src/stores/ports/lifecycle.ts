/**
 * A lead's life after capture: guarded read-modify-writes (re-scoring, stage changes, outcomes and
 * the deliveries they call for), its events and stage history, outcomes for calibration, and the
 * leads the cron must re-score.
 */
import type {
  LeadEventRecord,
  LeadUpdate,
  Outcome,
  OutcomeRow,
  StageChange,
} from "../../../../shared/api/leads.ts";
import type { Lead } from "../../../../shared/lead.ts";

// Events, stage changes, outcomes and the update itself are admin API shapes (shared/api/leads.ts).
export type {
  LeadEventRecord,
  LeadUpdate,
  Outcome,
  OutcomeRow,
  StageChange,
} from "../../../../shared/api/leads.ts";

export interface LifecycleStore {
  /** The lead with its revision, for a guarded update. */
  getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null>;
  /** Applies the update if the lead is still at `rev`; false when someone else wrote it first. */
  updateLead(update: LeadUpdate): Promise<boolean>;
  listLeadEvents(leadId: string): Promise<LeadEventRecord[]>;
  listStageHistory(leadId: string): Promise<StageChange[]>;
  /** Ids of a site's leads last scored with another scoring config than `version`. */
  leadsToRescore(site: string, version: string, limit: number): Promise<string[]>;
  /**
   * A page of the site's leads that have an outcome, with it and their events, for calibration;
   * in lead id order after `after`.
   */
  listOutcomes(site: string, limit: number, after?: string): Promise<OutcomeRow[]>;
  /** The outcome recorded for a lead (the latest), or null. */
  getOutcome(leadId: string): Promise<Outcome | null>;
}

/** What a guarded revision of one lead uses: read it with its events, write it back. */
export type LeadRevisions = Pick<LifecycleStore, "getLeadForUpdate" | "listLeadEvents" | "updateLead">;
