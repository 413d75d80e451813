/**
 * The DeliveryStore port: the outbox as the delivery side sees it (rows are written with the lead,
 * by IngestStore.ingest and LifecycleStore.updateLead, in the same atomic write), the attempt log,
 * the per-destination state, dead letters and replay. Adapters: d1/delivery.ts, upstash/delivery.ts.
 */
import type {
  Attempt,
  Delivery,
  DeliveryPage,
  DeliveryStatus,
  DestinationState,
} from "../../../../shared/api/deliveries.ts";

// Rows, attempts, pages and a destination's state are admin API shapes (shared/api/deliveries.ts).
export type {
  Attempt,
  Delivery,
  DeliveryPage,
  DeliveryStatus,
  DestinationState,
} from "../../../../shared/api/deliveries.ts";

/** Lease given to a freshly written outbox row: the queue message sent right after should land by then. */
export const ENQUEUE_LEASE_MS = 2 * 60_000;

/**
 * next_attempt_at of a row held for a paused destination: later than any real time, so neither the
 * sweep nor the due index ever picks it, and resuming sets it back to now.
 */
export const HELD_UNTIL = "9999-12-31T23:59:59.999Z";

/** What one attempt came to. */
export type AttemptKind = Attempt["outcome"];

export interface AttemptOutcome {
  kind: AttemptKind;
  status: number | null;
  error: string | null;
  at: string;
  latencyMs: number;
  /** The start of the receiver's answer, for the attempt log. */
  excerpt: string | null;
  /** Next attempt time for a retry. */
  nextAttemptAt: string | null;
  /** Until when a queue message for the retry is believed in flight (null: the sweep will pick it up). */
  leasedUntil: string | null;
}

/** What an attempt changes in its destination's state. */
export interface DestinationUpdate {
  ok: boolean;
  at: string;
  /** Pause the destination with this reason (a 410 Gone, failing for days). */
  pause?: string;
}

export interface DeliveryFilter {
  site: string;
  status?: DeliveryStatus | undefined;
  destination?: string | undefined;
  leadId?: string | undefined;
  /** Created at or after. */
  since?: string | undefined;
  /** Created before. */
  until?: string | undefined;
}

/** A row with its destination's state: what an attempt starts from. */
export interface AttemptContext {
  row: Delivery;
  state: DestinationState;
}

export interface DeliveryStore {
  getDelivery(id: string): Promise<Delivery | null>;
  /** What an attempt reads first (one query on D1). */
  getAttempt(id: string): Promise<AttemptContext | null>;
  /** Records an attempt: the row, the attempt log and the destination state, in one write. */
  recordAttempt(row: Delivery, outcome: AttemptOutcome, destination: DestinationUpdate): Promise<void>;
  /**
   * Pending rows due now whose lease ran out; leases them until `leaseUntil`. With `staleBefore`,
   * a row never attempted and due since before then counts as lost whatever its lease says (the
   * lease written with it at ingest is a fixed 2 minutes; this lets a compressed lease apply).
   */
  claimDue(now: string, leaseUntil: string, limit: number, staleBefore?: string): Promise<string[]>;
  listDeliveries(
    filter: DeliveryFilter,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<DeliveryPage>;
  listAttempts(id: string): Promise<Attempt[]>;
  /** Makes dead (or delivered) rows pending again, due now and leased; returns their ids. */
  replay(
    filter: DeliveryFilter & { ids?: string[] },
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<string[]>;
  getDestinationState(site: string, destination: string): Promise<DestinationState>;
  pauseDestination(site: string, destination: string, reason: string, at: string): Promise<void>;
  /** Unpauses and releases the held rows (due now, leased); returns their ids. */
  resumeDestination(site: string, destination: string, now: string, leaseUntil: string): Promise<string[]>;
  /** Pending / dead counts per destination of a site. */
  countByDestination(
    site: string,
  ): Promise<Record<string, { pending: number; dead: number; delivered: number }>>;
}

/** What one delivery attempt uses: read the row with its destination's state, record the outcome. */
export type DeliveryAttempts = Pick<DeliveryStore, "getAttempt" | "recordAttempt">;
