/**
 * A lead's life after capture: guarded read-modify-writes (re-scoring, stage changes, outcomes and
 * the deliveries they call for), its events and stage history, outcomes for calibration, and the
 * leads the cron must re-score.
 */
import type { Lead, LeadEventType, Stage } from "../../../../shared/lead.ts";

/** An event about a lead after capture: product usage (PQL), email engagement, … */
export interface LeadEventRecord {
  type: string;
  at: string;
  props?: Record<string, unknown> | undefined;
}

export interface StageChange {
  from: Stage;
  to: Stage;
  /** Why: "score", "pql", "outcome", or a person's reason from the console/CRM. */
  cause: string;
  at: string;
}

export interface Outcome {
  leadId: string;
  outcome: "converted" | "lost";
  at: string;
  value?: number | undefined;
}

/**
 * A read-modify-write of one lead, applied only if the lead's `rev` is still the one read (else
 * nothing is written and the caller re-reads and tries again).
 */
export interface LeadUpdate {
  lead: Lead;
  rev: number;
  scoringVersion?: string | undefined;
  events?: LeadEventRecord[] | undefined;
  stageChange?: StageChange | undefined;
  outcome?: Outcome | undefined;
  /** Outbox rows for this change, written with it; ids are the webhook-ids. */
  deliveries?: { id: string; destination: string; eventType: LeadEventType }[] | undefined;
}

export interface OutcomeRow {
  lead: Lead;
  outcome: "converted" | "lost";
  /** When the outcome happened (the CRM's time). */
  at: string;
  events: LeadEventRecord[];
}

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
