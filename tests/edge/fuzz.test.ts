/**
 * Property tests at POST /v1/leads:
 * - ≥ 10,000 generated malformed, oversized, wrongly encoded and chunked bodies, and bodies whose
 *   answers are spoiled (whatever garbage the signals around them carry). Every answer is a
 *   well-formed 4xx error; none is a 5xx; nothing is written.
 * - valid answers with any garbage in the signals around them (attribution, engagement, page, Turnstile
 *   token, submission id, extra keys): the lead is kept exactly once, and a resend is a replay.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS, isErrorBody } from "../../shared/errors.ts";
import type { SubmitAnswer } from "../../shared/lead.ts";
import { ALLOWED_ORIGIN, EDGE, randomIp, submission, unique } from "./helpers.ts";

const encoder = new TextEncoder();

/** Sets (or, with undefined, removes) one answer, where the answers are still an object. */
function answer(body: Record<string, unknown>, name: string, value?: unknown): void {
  const fields = body.fields;
  if (typeof fields !== "object" || fields === null) return;
  if (value === undefined) delete (fields as Record<string, unknown>)[name];
  else (fields as Record<string, unknown>)[name] = value;
}

/** Every way to spoil a valid submission so that it must be refused: the answers, the site, the form. */
const spoilers: [string, (body: Record<string, unknown>) => void][] = [
  ["no email", (b) => answer(b, "email")],
  ["bad email", (b) => answer(b, "email", "not an email")],
  ["email as number", (b) => answer(b, "email", 42)],
  ["unknown field", (b) => answer(b, "card", "4111")],
  ["no consent", (b) => answer(b, "consent", false)],
  ["consent as text", (b) => answer(b, "consent", "yes")],
  ["fields not an object", (b) => (b.fields = ["a"])],
  ["no fields", (b) => delete b.fields],
  ["fields as JSON text", (b) => (b.fields = JSON.stringify(b.fields))],
  ["unknown site", (b) => (b.site = "no-such-site")],
  ["unknown form", (b) => (b.form = "no-such-form")],
  ["site not a string", (b) => (b.site = { $ne: null })],
  ["huge name", (b) => answer(b, "name", "x".repeat(600))],
];

/**
 * What broken host pages put in the signals: anything JSON can carry, and the typed garbage seen in
 * the wild (Prototype.js lists written as text, numbers as strings, times that are not times, text far
 * over its limit).
 */
const signalJunk = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5 }),
  fc.constantFrom(
    "BROKEN-ARRAY",
    '["pricing","docs"]',
    '{"gclid":"abc"}',
    "company, phone",
    "[not json",
    "",
    "75000",
    "-5",
    "1e400",
    "soon",
    "null",
    "[object Object]",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ minLength: 2001, maxLength: 3000 }),
);

/** The signals (and parts of them) garbage is put in. */
const SIGNAL_PATHS = [
  "attribution",
  "attribution.firstTouch",
  "attribution.lastTouch",
  "attribution.firstTouch.at",
  "attribution.lastTouch.at",
  "attribution.lastTouch.landingPage",
  "attribution.firstTouch.clickIds",
  "attribution.lastTouch.clickIds",
  "attribution.lastTouch.utm_source",
  "attribution.lastTouch.referrer",
  "engagement",
  "engagement.activeTimeMs",
  "engagement.maxScrollPct",
  "engagement.pageViews",
  "engagement.formTimeMs",
  "engagement.keyPages",
  "engagement.abandonedFields",
  "page",
  "page.url",
  "page.title",
  "page.language",
  "turnstileToken",
  "submissionId",
];
const signalGarbage = fc.array(fc.tuple(fc.constantFrom(...SIGNAL_PATHS), signalJunk), {
  minLength: 1,
  maxLength: 5,
});
/** Extra top-level keys a page's script may add (never the ones that name the site, form or answers). */
const extraKeys = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("constructor", "toString", "hasOwnProperty", "notes", "channel", "lead", "toJSON"),
  ),
  signalJunk,
  { maxKeys: 3 },
);
const ENVELOPE = new Set(["site", "form", "fields", "__proto__"]);

/** Puts each value at its dotted path, where the path still leads somewhere. */
function applyGarbage(body: Record<string, unknown>, changes: [string, unknown][]): void {
  for (const [path, value] of changes) {
    const keys = path.split(".");
    let target: unknown = body;
    for (const key of keys.slice(0, -1))
      target =
        typeof target === "object" && target !== null ? (target as Record<string, unknown>)[key] : undefined;
    if (typeof target === "object" && target !== null)
      (target as Record<string, unknown>)[keys.at(-1)!] = value;
  }
}

type Case = { label: string; body: BodyInit; contentType: string; chunked?: boolean };

const anyJson = fc
  .jsonValue({ maxDepth: 4 })
  .map(
    (value): Case => ({ label: "random JSON", body: JSON.stringify(value), contentType: "application/json" }),
  );
// Spoiled answers are refused whatever the signals around them carry: garbage never masks a refusal.
const spoiled = fc
  .tuple(
    fc.subarray(spoilers, { minLength: 1, maxLength: 3 }),
    fc.constantFrom("application/json", "text/plain;charset=UTF-8"),
    fc.option(signalGarbage, { freq: 2 }),
  )
  .map(([chosen, contentType, changes]): Case => {
    const body = structuredClone(submission()) as unknown as Record<string, unknown>;
    if (changes) applyGarbage(body, changes);
    for (const [, spoil] of chosen) spoil(body);
    const label = chosen.map(([name]) => name).join(" + ") + (changes ? " + signal garbage" : "");
    return { label, body: JSON.stringify(body), contentType };
  });
const truncated = fc.integer({ min: 1, max: 400 }).map(
  (cut): Case => ({
    label: "truncated JSON",
    body: JSON.stringify(submission()).slice(0, cut),
    contentType: "application/json",
  }),
);
const garbage = fc
  .uint8Array({ minLength: 0, maxLength: 300 })
  .map((bytes): Case => ({ label: "random bytes", body: bytes, contentType: "text/plain" }));
const badUtf8 = fc.integer({ min: 0, max: 200 }).map((at): Case => {
  const bytes = encoder.encode(JSON.stringify(submission()));
  const spoiledBytes = new Uint8Array([...bytes.slice(0, at), 0xc3, 0x28, ...bytes.slice(at)]);
  return { label: "invalid UTF-8", body: spoiledBytes, contentType: "application/json" };
});
const oversized = fc.integer({ min: 32 * 1024 + 1, max: 200 * 1024 }).map(
  (size): Case => ({
    label: "oversized",
    body: JSON.stringify({ ...submission(), padding: "x".repeat(size) }),
    contentType: "application/json",
  }),
);
const chunkedOversized = fc.integer({ min: 33, max: 80 }).map(
  (kib): Case => ({
    label: "chunked oversized",
    body: `{"padding":"${"y".repeat(kib * 1024)}"}`,
    contentType: "application/json",
    chunked: true,
  }),
);
// (No header at all is not a case: fetch labels a string body text/plain itself.)
const wrongType = fc
  .constantFrom("application/xml", "multipart/form-data; boundary=x", "image/png", "application/jsonx")
  .map(
    (contentType): Case => ({
      label: `content type ${contentType}`,
      body: JSON.stringify(submission()),
      contentType,
    }),
  );

/** A body sent as a stream: no Content-Length, so only counting the bytes read can stop it. */
function streamed(body: string): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(body);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 4096));
      offset += 4096;
    },
  });
}

async function rowCounts(): Promise<number[]> {
  const tables = ["leads", "submissions", "outbox", "spam"];
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  return results.map((r) => (r.results[0] as { n: number }).n);
}

describe("POST /v1/leads under malformed input", () => {
  it("answers every one of 10,000 bad bodies with a well-formed 4xx and writes nothing", {
    timeout: 240_000,
  }, async () => {
    const before = await rowCounts();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: spoiled, weight: 6 },
          { arbitrary: anyJson, weight: 2 },
          { arbitrary: truncated, weight: 2 },
          { arbitrary: garbage, weight: 1 },
          { arbitrary: badUtf8, weight: 1 },
          { arbitrary: oversized, weight: 1 },
          { arbitrary: chunkedOversized, weight: 1 },
          { arbitrary: wrongType, weight: 1 },
        ),
        async (c) => {
          const headers: Record<string, string> = { origin: ALLOWED_ORIGIN, "cf-connecting-ip": randomIp() };
          if (c.contentType) headers["content-type"] = c.contentType;
          const body = c.chunked && typeof c.body === "string" ? streamed(c.body) : c.body;
          const res = await exports.default.fetch(
            new Request(`${EDGE}/v1/leads`, {
              method: "POST",
              headers,
              body,
              ...(c.chunked ? { duplex: "half" } : {}),
            } as RequestInit),
          );
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${c.label}: ${text}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${c.label}: ${text}`).toBeLessThan(500);
          const parsed: unknown = JSON.parse(text);
          expect(isErrorBody(parsed), c.label).toBe(true);
          if (isErrorBody(parsed)) {
            expect(ERROR_STATUS[parsed.error.code], c.label).toBe(res.status);
            expect(parsed.error.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 10_000, seed: 20261122 },
    );
    expect(await rowCounts()).toEqual(before);
    // The generators reach every refusal the endpoint has for a body.
    for (const status of [400, 404, 413, 415, 422])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });
});

describe("POST /v1/leads with garbage in the signals around valid answers", () => {
  const post = (body: string, ip: string) =>
    exports.default.fetch(
      new Request(`${EDGE}/v1/leads`, {
        method: "POST",
        headers: { origin: ALLOWED_ORIGIN, "cf-connecting-ip": ip, "content-type": "application/json" },
        body,
      }),
    );
  /** Any answers the demo contact form takes. */
  const answers = fc.record(
    {
      name: fc
        .string({ minLength: 1, maxLength: 100, unit: "grapheme" })
        .filter((name) => name.normalize("NFC").trim() !== ""),
      company: fc.string({ maxLength: 100, unit: "grapheme" }),
      website: fc.constant(""),
    },
    { requiredKeys: ["name"] },
  );

  it("keeps the lead exactly once: 201, and the same body again is a replay of that answer", {
    timeout: 240_000,
  }, async () => {
    let withNotes = 0;
    await fc.assert(
      fc.asyncProperty(answers, signalGarbage, extraKeys, async (given, changes, extras) => {
        const email = `${unique("fuzz")}@analytical.example`;
        const body = submission({ fields: { email, consent: true, ...given } }) as unknown as Record<
          string,
          unknown
        >;
        applyGarbage(body, changes);
        for (const [key, value] of Object.entries(extras)) if (!ENVELOPE.has(key)) body[key] = value;
        // An id that happens to be well-formed must still be this case's own.
        if (typeof body.submissionId === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(body.submissionId))
          body.submissionId = unique("sub_");
        const text = JSON.stringify(body);
        fc.pre(text.length < 30_000);
        const ip = randomIp();

        const first = await post(text, ip);
        const firstText = await first.text();
        expect(first.status, firstText).toBe(201);
        const answer = JSON.parse(firstText) as SubmitAnswer;
        expect(answer.duplicate).toBe(false);
        if (answer.notes?.length) withNotes++;
        const again = await post(text, ip);
        expect(again.headers.get("idempotent-replayed")).toBe("true");
        expect(await again.json()).toEqual(answer);
        const leads = await env.DB.prepare("SELECT id FROM leads WHERE email = ?")
          .bind(email)
          .all<{ id: string }>();
        expect(leads.results).toEqual([{ id: answer.leadId }]);
      }),
      { numRuns: 400, seed: 20261207 },
    );
    // The garbage reaches the repairs (rather than, say, landing where it changes nothing).
    expect(withNotes).toBeGreaterThan(200);
  });
});
