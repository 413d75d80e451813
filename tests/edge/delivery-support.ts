/**
 * Support for the delivery tests inside workerd: a site of their own (given to the code under test
 * through an env with LEADCAP_SITES, as a deployment would), a queue that records what was sent
 * (the tests drive deliverOne themselves), outbox rows written the way the store writes them, and
 * the loopback receiver's control API.
 */
import { env } from "cloudflare:test";
import { inject } from "vitest";
import type { ReceivedDelivery } from "../../demo-site/dev/receiver.ts";
import { deliverOne, testLead } from "../../edge/src/delivery.ts";
import type { Env } from "../../edge/src/env.ts";
import { messageId } from "../../edge/src/ids.ts";
import type { DeliveryStore } from "../../edge/src/stores/ports/delivery.ts";
import type { SiteConfigInput } from "../../shared/config.ts";
import type { Lead, LeadEventType } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { unique } from "./helpers.ts";
import { strictSite } from "./strict-site.ts";

export const receiverUrl = () => inject("receiverUrl");
export const receiverSecret = () => inject("receiverSecret");

export interface RecordingQueue {
  sent: string[];
  send(body: { outboxId: string }): Promise<void>;
  sendBatch(messages: { body: { outboxId: string } }[]): Promise<void>;
}

export function recordingQueue(): RecordingQueue {
  const sent: string[] = [];
  return {
    sent,
    async send(body) {
      sent.push(body.outboxId);
    },
    async sendBatch(messages) {
      sent.push(...messages.map((m) => m.body.outboxId));
    },
  };
}

/** An env for the code under test: the real D1, a recording queue, extra sites and variables. */
export function testEnv(
  sites: SiteConfigInput[],
  vars: Record<string, string> = {},
): Env & { DELIVERY: RecordingQueue } {
  return {
    ...env,
    LEADCAP_SITES: JSON.stringify([strictSite, ...sites]),
    ALLOW_PRIVATE_DESTINATIONS: "true",
    RETRY_SCHEDULE: "1,2,3",
    // The tests drive each attempt themselves.
    DELIVERY_FAST_PATH: "false",
    ...vars,
    DELIVERY: recordingQueue(),
  } as unknown as Env & { DELIVERY: RecordingQueue };
}

/** The demo site under another id, with these destinations and routing. */
export function siteWith(
  id: string,
  destinations: SiteConfigInput["destinations"],
  routing?: SiteConfigInput["routing"],
): SiteConfigInput {
  return { ...demoSite, id, destinations, ...(routing ? { routing } : {}) };
}

/** A unique receiver endpoint (POST /webhooks/:name), so tests never see each other's deliveries. */
export function endpoint(prefix = "d"): { name: string; url: string } {
  const name = unique(prefix);
  return { name, url: `${receiverUrl()}/webhooks/${name}` };
}

export function leadFor(site: string, overrides: Partial<Lead> = {}): Lead {
  const id = unique("lead_");
  return { ...testLead(site, Date.now()), id, email: `${id.toLowerCase()}@example.com`, ...overrides };
}

/** Writes an outbox row the way the ingest batch does (payload `{ type, timestamp, data }`). */
export async function outboxRow(
  site: string,
  destination: string,
  lead: Lead,
  type: LeadEventType = "lead.created",
): Promise<string> {
  const id = messageId();
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO outbox (id, site, lead_id, destination, event_type, payload, next_attempt_at, leased_until, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?7)`,
  )
    .bind(id, site, lead.id, destination, type, JSON.stringify({ type, timestamp: now, data: lead }), now)
    .run();
  return id;
}

export async function row(id: string) {
  return env.DB.prepare(
    "SELECT status, attempts, last_status, last_error, next_attempt_at, dead_at, replays FROM outbox WHERE id = ?1",
  )
    .bind(id)
    .first<{
      status: string;
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      next_attempt_at: string;
      dead_at: string | null;
      replays: number;
    }>();
}

export async function control(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${receiverUrl()}/control`, { method: "POST", body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`receiver control answered ${res.status}`);
}

export async function received(name: string): Promise<ReceivedDelivery[]> {
  return (await (await fetch(`${receiverUrl()}/deliveries?name=${name}`)).json()) as ReceivedDelivery[];
}

/**
 * deliverOne as if the row's next attempt time had come: the retry delays pass instantly, so a test
 * walks a row through its whole schedule (the receiver still checks each real-time signature).
 */
export async function deliverDue(store: DeliveryStore, e: Env, id: string) {
  await env.DB.prepare(
    "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1 AND status = 'pending' AND next_attempt_at < '9999'",
  )
    .bind(id, new Date().toISOString())
    .run();
  return deliverOne(store, e, id);
}
