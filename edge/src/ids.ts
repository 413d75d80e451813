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
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let random = "";
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return time + random;
}

export const leadId = (now?: number) => `lead_${ulid(now)}`;
export const messageId = (now?: number) => `msg_${ulid(now)}`;
