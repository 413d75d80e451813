/**
 * Webhook destination, signed per Standard Webhooks: `webhook-id` (the outbox id, the same on every
 * attempt), `webhook-timestamp` (seconds, per attempt) and `webhook-signature` (`v1,` + base64 of
 * HMAC-SHA256 over `id.timestamp.body`, keyed with the base64 part of the `whsec_` secret).
 */

/** How long one attempt may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const USER_AGENT = "Leadcap-Webhooks/0.1 (+https://github.com/leadcap)";

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

export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** Seconds the receiver asked us to wait (Retry-After on 429/503), if any. */
  retryAfter: number | null;
}

export async function sendWebhook(
  target: { url: string; secret: string },
  message: { id: string; body: string },
  now = Date.now(),
): Promise<SendResult> {
  const timestamp = Math.floor(now / 1000);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await sign(target.secret, message.id, timestamp, message.body),
      },
      body: message.body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    const excerpt = response.ok ? null : (await response.text()).slice(0, 200);
    const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
    return {
      ok: response.ok,
      status: response.status,
      error: response.ok ? null : `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ""}`,
      retryAfter: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      retryAfter: null,
    };
  }
}
