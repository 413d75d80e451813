/**
 * Time-sortable ids (ULID layout: 48-bit millisecond time + 80 random bits, Crockford base32), with
 * a prefix saying what they name: `lead_…`, `msg_…` (a webhook-id).
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function ulid(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random = "";
  for (let i = 0; i < 16; i++) random += ALPHABET[randomByte() % 32];
  return time + random;
}

// Random bytes drawn 4 KB at a time: one call to the CSPRNG per 256 ids instead of one per id.
const pool = new Uint8Array(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]!;
}

export const leadId = (now?: number) => `lead_${ulid(now)}`;
export const messageId = (now?: number) => `msg_${ulid(now)}`;
