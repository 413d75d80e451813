/**
 * Identity: who a submission belongs to. The dedupe key is an HMAC of the normalized email with a
 * per-site key derived from LEADCAP_SECRET, so the store never keys anything on a raw address.
 */
import type { SiteConfig } from "../../../shared/config.ts";
import { ApiError } from "../errors.ts";
import { canonicalEmail } from "./contact.ts";

/** Lower-case and trimmed. Provider rules (Gmail dots, +tags) come with the dedupe issue's config. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}

const encoder = new TextEncoder();
// Derived keys are a pure function of (secret, site): caching them is memoization, not state.
const siteKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function hmac(key: CryptoKey, data: string): Promise<ArrayBuffer> {
  return crypto.subtle.sign("HMAC", key, encoder.encode(data));
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function hex(buffer: ArrayBuffer): string {
  let out = "";
  for (const b of new Uint8Array(buffer)) out += HEX[b];
  return out;
}

function siteKey(secret: string, site: string): Promise<CryptoKey> {
  const cacheKey = `${site}\u0000${secret}`;
  let key = siteKeys.get(cacheKey);
  if (!key) {
    key = hmacKey(encoder.encode(secret)).then(async (master) =>
      hmacKey(await hmac(master, `leadcap/site/${site}`)),
    );
    siteKeys.set(cacheKey, key);
  }
  return key;
}

export async function dedupeKey(
  secret: string | undefined,
  site: string,
  normalizedEmail: string,
): Promise<string> {
  if (!secret) throw new ApiError("unavailable", "The edge is not configured (LEADCAP_SECRET is missing).");
  return hex(await hmac(await siteKey(secret, site), normalizedEmail));
}

/** Who a submission is, as the store knows it: keyed, never raw. */
export interface Identity {
  /** The person: the HMAC of their canonical email (contact.ts canonicalEmail, by the site's rules). */
  dedupeKey: string;
  /** The device, when the site's rate limit counts it (guard.ts rateLimitedClient): never a raw IP. */
  rateKey?: string | undefined;
}

/** The identify step of the ingest pipeline: the person's key and, when counted, the device's. */
export async function identify(
  secret: string | undefined,
  site: SiteConfig,
  email: string,
  client: string | undefined,
): Promise<Identity> {
  const person = await dedupeKey(secret, site.id, canonicalEmail(normalizeEmail(email), site.identity));
  if (client === undefined) return { dedupeKey: person };
  return { dedupeKey: person, rateKey: await dedupeKey(secret, site.id, `client:${client}`) };
}
