/**
 * The DeliveryStore port: the outbox as the delivery side sees it (rows are written with the lead,
 * by LeadStore.ingest and LeadStore.updateLead, in the same atomic write). D1 adapter:
 * stores/d1-delivery.ts.
 */
import type { LeadEventType } from "../../../shared/lead.ts";

export interface Delivery {
  id: string;
  site: string;
  leadId: string;
  destination: string;
  eventType: LeadEventType;
  payload: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  at: string;
  /** Next attempt time if it failed and retries remain; null dead-letters the row. */
  nextAttemptAt: string | null;
  /** Until when a queue message for the retry is believed in flight (null: the sweep will pick it up). */
  leasedUntil: string | null;
}

export interface DeliveryStore {
  getDelivery(id: string): Promise<Delivery | null>;
  recordAttempt(id: string, outcome: AttemptOutcome): Promise<void>;
  /** Pending rows due now whose lease ran out; leases them until `leaseUntil`. */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<string[]>;
}
