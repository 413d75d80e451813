/**
 * Secrets in a site config are write-only. The read API answers each one masked, as `••••` and its
 * last four characters (`••••f3a9`); a save that sends the mask back unchanged keeps the stored
 * secret, a save with a new value replaces it, and a `${NAME}` reference is no secret (it names a
 * Worker secret) so it is stored and shown as it is. At rest the edge stores them sealed
 * (`enc:v1:…`, edge/src/secrets.ts).
 *
 * Why a string mask rather than an object: every config editor (the console's text inputs, a script
 * doing GET → edit → PUT, History's diff) keeps working on plain strings, and it cannot be mistaken
 * for a real secret: it starts with U+2022 bullets, which no token, `whsec_` secret or URL contains,
 * and the edge refuses a mask it did not hand out.
 *
 * Zod-free and runtime-free: the edge and the console share it.
 */

/** What every mask starts with. */
export const MASK = "••••";
/** What every sealed (encrypted) value starts with. */
export const SEALED = "enc:";
/** Secrets shorter than this are masked without their last characters (they would give too much away). */
const HINT_MIN_LENGTH = 12;

const REFERENCE = /\$\{[A-Z][A-Z0-9_]*\}/;

/** Names a Worker variable (`${NAME}`): not a secret, stored and shown as written. */
export const isReference = (value: string) => REFERENCE.test(value);
export const isMasked = (value: string) => value.startsWith(MASK);
export const isSealed = (value: string) => value.startsWith(SEALED);

/** The mask of a secret; undefined (a value that cannot be read back) masks as `••••` alone. */
export function maskOf(plain: string | undefined): string {
  return MASK + (plain && plain.length >= HINT_MIN_LENGTH ? plain.slice(-4) : "");
}

/**
 * The secret fields of each destination type. `headers`: every header value (an API key the
 * receiver expects, an Authorization header). A Slack incoming webhook URL is a secret by nature:
 * whoever holds it posts to the channel.
 */
export const DESTINATION_SECRETS: Readonly<Record<string, readonly string[]>> = {
  webhook: ["secret", "headers"],
  slack: ["url"],
  hubspot: ["token"],
  salesforce: ["token", "refreshToken", "clientSecret"],
  pipedrive: ["token"],
};

/**
 * Where a destination sends its requests. A kept (masked) secret is not sent to a new address: when
 * one of these changes, its secrets must be typed again — except the webhook signing secret, which
 * only signs and never leaves the edge.
 */
export const ADDRESS_FIELDS = ["type", "url", "baseUrl", "instanceUrl", "loginUrl"] as const;
export const SIGNING_ONLY = "secret";

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null;

/** One secret in a config: where it is, and the object and key that hold it (to replace it). */
export interface SecretSlot {
  /** The path as validation errors name it, e.g. `destinations.2.token`. */
  path: string;
  /** Stable across saves (ids, not positions), e.g. `crm token`. */
  key: string;
  holder: Obj;
  field: string;
  /** The destination holding it, if it is a destination's. */
  destination?: Obj;
}

/** Every secret (a non-empty string) in a config-shaped value, in order. */
export function secretSlots(config: unknown): SecretSlot[] {
  const out: SecretSlot[] = [];
  const add = (path: string, key: string, holder: unknown, field: string, destination?: Obj) => {
    if (isObj(holder) && typeof holder[field] === "string" && holder[field] !== "")
      out.push({ path, key, holder, field, destination });
  };
  const list = (name: string): unknown[] =>
    isObj(config) && Array.isArray(config[name]) ? (config[name] as unknown[]) : [];
  list("destinations").forEach((d, i) => {
    if (!isObj(d)) return;
    for (const field of DESTINATION_SECRETS[String(d.type)] ?? []) {
      const headers = d[field];
      if (field !== "headers") add(`destinations.${i}.${field}`, `${d.id} ${field}`, d, field, d);
      else if (isObj(headers))
        for (const name of Object.keys(headers))
          add(`destinations.${i}.headers.${name}`, `${d.id} headers ${name}`, headers, name, d);
    }
  });
  list("forms").forEach((f, i) => {
    if (isObj(f)) add(`forms.${i}.bot.turnstileSecret`, `form ${f.id}`, f.bot, "turnstileSecret");
  });
  return out;
}

/** Whether a destination sends to a different place (or is of another type) than before. */
export function addressChanged(before: Obj, after: Obj): boolean {
  return ADDRESS_FIELDS.some((field) => before[field] !== after[field]);
}
