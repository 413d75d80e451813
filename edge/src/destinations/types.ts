/**
 * The one interface every destination implements: take an event about a lead, make the request(s)
 * its API documents, and say what came of it. Retries, backoff, dead letters, pausing and the
 * attempt log are the delivery loop's job (delivery.ts), the same for every destination.
 */
import type { Destination } from "../../../shared/destinations.ts";
import type { Lead } from "../../../shared/lead.ts";

/** What is delivered: one outbox row's event. */
export interface OutgoingEvent {
  /** The outbox id: the `webhook-id`, identical on every attempt and replay. */
  id: string;
  /** `lead.test` for "send a test event" from the admin API. */
  type: string;
  timestamp: string;
  lead: Lead;
  /** The stored JSON payload `{ type, timestamp, data }`, byte for byte what webhooks sign and send. */
  body: string;
}

export interface SendContext {
  now: number;
  /** Allow http: and private, loopback and link-local hosts (development and tests only). */
  allowPrivate: boolean;
  /** Allow http://127.0.0.1 and localhost only (the stopgap while ALLOW_PRIVATE_DESTINATIONS is unset). */
  allowLoopback: boolean;
}

export interface SendResult {
  ok: boolean;
  /** HTTP status of the (last) request; null when none answered (timeout, reset, refused, blocked). */
  status: number | null;
  error: string | null;
  /** Seconds the receiver asked us to wait (Retry-After on 429/503), if any. */
  retryAfter: number | null;
  /** The receiver said the endpoint is gone for good (410): the destination is paused. */
  gone: boolean;
  /** The start of the answer's body, for the attempt log. */
  excerpt: string | null;
}

export interface DestinationAdapter<D extends Destination = Destination> {
  send(destination: D, event: OutgoingEvent, context: SendContext): Promise<SendResult>;
}
