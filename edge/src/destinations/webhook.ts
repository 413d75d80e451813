/**
 * Webhook destination, signed per Standard Webhooks: `webhook-id` (the outbox id, the same on every
 * attempt and replay), `webhook-timestamp` (seconds, per attempt) and `webhook-signature` (`v1,` +
 * base64 of HMAC-SHA256 over `id.timestamp.body`, keyed with the base64 part of the `whsec_` secret).
 * During a secret rotation the header carries one signature per secret, space separated, so a
 * receiver holding either the old or the new secret verifies.
 */
import type { Destination } from "../../../shared/destinations.ts";
import { request, USER_AGENT } from "./http.ts";
import type { DestinationAdapter, OutgoingEvent, SendContext, SendResult } from "./types.ts";

type WebhookDestination = Extract<Destination, { type: "webhook" }>;

const encoder = new TextEncoder();

function base64ToBytes(value: string): Uint8Array {
  const binary = atob(value);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function bytesToBase64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

export async function sign(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    base64ToBytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
  return `v1,${bytesToBase64(mac)}`;
}

/** The secrets of a destination: several (new first) during a rotation. */
export function secretsOf(secret: string): string[] {
  return secret.split(/[\s,]+/).filter(Boolean);
}

/** The `webhook-signature` header: one `v1,…` per secret, space separated. */
export async function signatureHeader(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  return (await Promise.all(secrets.map((s) => sign(s, id, timestamp, body)))).join(" ");
}

/** Headers a destination's custom headers may not replace. */
const RESERVED = new Set([
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "host",
  "content-length",
]);

export const webhook: DestinationAdapter<WebhookDestination> = {
  async send(destination, event: OutgoingEvent, context: SendContext): Promise<SendResult> {
    const timestamp = Math.floor(context.now / 1000);
    const custom = Object.fromEntries(
      Object.entries(destination.headers ?? {}).filter(([name]) => !RESERVED.has(name.toLowerCase())),
    );
    const { result } = await request(
      destination.url,
      {
        method: "POST",
        headers: {
          ...custom,
          "content-type": "application/json",
          "user-agent": USER_AGENT,
          "webhook-id": event.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signatureHeader(
            secretsOf(destination.secret),
            event.id,
            timestamp,
            event.body,
          ),
        },
        body: event.body,
        timeoutMs: destination.timeoutMs,
      },
      context,
    );
    return result;
  },
};
