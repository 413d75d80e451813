/**
 * Secrets at rest: AES-256-GCM through WebCrypto, under the key in the LEADCAP_SECRETS_KEY Worker
 * secret (32 random bytes in base64: `openssl rand -base64 32`). A sealed value is
 * `enc:v1:<key id>:<base64url of IV ‖ ciphertext ‖ tag>`: v1 is this scheme (a random 96-bit IV per
 * value; the site id as additional data, so a sealed value opens for its own site only), the key id
 * is the start of the key's SHA-256. A rotation lists the new key first and the old one after it
 * (`"<new> <old>"`): new values are sealed with the first, old ones still open with theirs.
 *
 * Without a key, raw secrets are refused (400: set the key, or name a `${VARIABLE}`). In development
 * and tests a key derived from LEADCAP_SECRET stands in, so `npm start` works on any clone. Secrets
 * are opened only where they are used: a destination being called, a Turnstile check.
 */
import {
  addressChanged,
  isMasked,
  isReference,
  isSealed,
  maskOf,
  type SecretSlot,
  SIGNING_ONLY,
  secretSlots,
} from "../../shared/secrets.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";

const SCHEME = "enc:v1:";
const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const sha256 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

interface Key {
  id: string;
  key: CryptoKey;
}
// Imported keys, by the variable's text: importing is a pure function of it.
const imported = new Map<string, Promise<Key[]>>();

/** The keys, the sealing one first; none when none is configured (outside development). */
function keys(env: Env): Promise<Key[]> {
  const listed = typeof env.LEADCAP_SECRETS_KEY === "string" ? env.LEADCAP_SECRETS_KEY.trim() : "";
  const dev = /^(development|test)$/.test(String(env.ENVIRONMENT)) && env.LEADCAP_SECRET;
  const text = listed || (dev ? `dev ${dev}` : "");
  let found = imported.get(text);
  if (!found) {
    found = Promise.all(
      (listed ? listed.split(/[\s,]+/) : dev ? [""] : []).map(async (entry) => {
        const raw = listed ? unb64(entry) : await sha256(encoder.encode(`leadcap secrets\n${dev}`));
        if (raw.length !== 32) throw new Error("LEADCAP_SECRETS_KEY: each key is 32 bytes in base64");
        const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
        return { id: b64url(await sha256(raw)).slice(0, 8), key };
      }),
    );
    imported.set(text, found);
  }
  return found;
}

/** Seals a secret for a site; undefined when no key is configured. */
export async function seal(plain: string, site: string, env: Env): Promise<string | undefined> {
  const [key] = await keys(env);
  if (!key) return undefined;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(site) },
    key.key,
    encoder.encode(plain),
  );
  return `${SCHEME}${key.id}:${b64url(new Uint8Array([...iv, ...new Uint8Array(data)]))}`;
}

/** A value as it is used: a sealed one opened (throws when no key opens it), others as they are. */
export async function open(value: string, site: string, env: Env): Promise<string> {
  if (!isSealed(value)) return value;
  const [id, data = ""] = value.slice(SCHEME.length).split(":");
  const key = (await keys(env)).find((k) => k.id === id);
  if (!key) throw new Error(`its secret was sealed with key ${id}, which LEADCAP_SECRETS_KEY does not hold`);
  const bytes = unb64(data);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: encoder.encode(site) },
    key.key,
    bytes.slice(12),
  );
  return new TextDecoder().decode(plain);
}

/**
 * A copy of a config (or of one destination) with each secret that is not a `${NAME}` reference
 * replaced by what `fix` makes of it. A string `fix` throws is that secret's field error: all of them
 * are answered together as one 400.
 */
async function rewrite<T>(
  value: T,
  fix: (secret: string, slot: SecretSlot) => Promise<string>,
  root = (v: unknown): unknown => v,
): Promise<T> {
  const copy = structuredClone(value);
  const fields: Record<string, string> = {};
  for (const slot of secretSlots(root(copy))) {
    const secret = slot.holder[slot.field] as string;
    if (isReference(secret)) continue;
    try {
      slot.holder[slot.field] = await fix(secret, slot);
    } catch (error) {
      if (typeof error !== "string") throw error;
      fields[slot.path] = error;
    }
  }
  if (Object.keys(fields).length)
    throw new ApiError("validation_failed", "Some secrets need attention.", { fields });
  return copy;
}
const siteOf = (config: unknown) => String((config as { id?: unknown }).id);

/** A destination about to be called, its secrets opened: here, and nowhere else. */
export const opened = <T extends object>(destination: T, site: string, env: Env) =>
  rewrite(
    destination,
    (secret) => open(secret, site, env),
    (d) => ({ destinations: [d] }),
  );

/** A config as the read API answers it: every secret masked, `${NAME}` references as written. */
export const masked = <T>(config: T, env: Env) =>
  rewrite(config, async (secret) => maskOf(await open(secret, siteOf(config), env).catch(() => undefined)));

/**
 * A config a client sent: a mask sent back unchanged keeps the secret of `previous` (the version the
 * edit was based on) at the same place, unless the destination's address changed (a saved secret is
 * not sent to a new address; the webhook signing secret never leaves the edge, so it may stay); a new
 * value replaces it. A sealed value is never taken from a client: it could name another's secret.
 */
export async function fromClient<T>(config: T, previous: unknown, env: Env): Promise<T> {
  const site = siteOf(config);
  const before = new Map(secretSlots(previous).map((slot) => [slot.key, slot]));
  const kept: [SecretSlot, SecretSlot][] = [];
  const out = await rewrite(config, async (secret, slot) => {
    if (isSealed(secret)) throw "Type the secret, or name a Worker secret as ${NAME}.";
    if (!isMasked(secret)) return secret;
    const old = before.get(slot.key);
    const stored = old?.holder[old.field] as string | undefined;
    if (
      !old ||
      !stored ||
      isReference(stored) ||
      maskOf(await open(stored, site, env).catch(() => undefined)) !== secret
    )
      throw "A masked value with no saved secret behind it: type the secret.";
    kept.push([slot, old]);
    return stored;
  });
  // Compared once every kept secret is back in place (a Slack URL is both address and secret); the
  // slots point into the copy answered.
  const fields: Record<string, string> = {};
  for (const [slot, old] of kept) {
    const signing = slot.holder === slot.destination && slot.field === SIGNING_ONLY;
    if (!signing && slot.destination && old.destination && addressChanged(old.destination, slot.destination))
      fields[slot.path] = "The destination's address changed: type the secret again.";
  }
  if (Object.keys(fields).length)
    throw new ApiError("validation_failed", "Some secrets need attention.", { fields });
  return out;
}

/**
 * Every secret sealed with the current key, as stored; 400 when there is no key to seal with. A value
 * sealed with an older key (a rotation) is sealed again with the new one, so after a rotation every
 * save moves the config onto the new key, and the old key can go once the sites have been saved.
 */
export const sealed = <T>(config: T, env: Env) =>
  rewrite(config, async (secret) => {
    const site = siteOf(config);
    const [key] = await keys(env);
    if (isSealed(secret)) {
      if (!key || secret.startsWith(`${SCHEME}${key.id}:`)) return secret;
      const plain = await open(secret, site, env).catch(() => undefined);
      if (plain === undefined) return secret;
      secret = plain;
    }
    return (
      (await seal(secret, site, env)) ??
      Promise.reject(
        "Secrets are stored encrypted: set the LEADCAP_SECRETS_KEY Worker secret, or name a Worker secret as ${NAME}.",
      )
    );
  });
