/** A data subject's rights: everything stored about a person, exported or erased. */
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";
import type { LeadEventRecord, Outcome, StageChange } from "./lifecycle.ts";

/** Everything stored about one person (one lead per site), for a data subject's access request. */
export interface PersonExport {
  lead: Lead;
  submissions: SubmissionRecord[];
  events: LeadEventRecord[];
  stages: StageChange[];
  outcome: Outcome | null;
  /** Outbox rows for the lead: where it was sent, when, and the payload of those not yet delivered. */
  deliveries: {
    id: string;
    destination: string;
    eventType: string;
    status: string;
    createdAt: string;
    payload?: unknown;
  }[];
}

/** What an erasure removed, recorded (without the address) and returned. */
export interface ErasureReceipt {
  id: string;
  site: string;
  at: string;
  removed: {
    leads: number;
    submissions: number;
    events: number;
    stages: number;
    outcomes: number;
    deliveries: number;
  };
}

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
