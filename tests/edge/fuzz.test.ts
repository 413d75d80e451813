/**
 * Property test: ≥ 10,000 generated malformed, oversized, wrongly encoded and chunked bodies at
 * POST /v1/leads. Every answer is a well-formed 4xx error; none is a 5xx; nothing is written.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS, isErrorBody } from "../../shared/errors.ts";
import { ALLOWED_ORIGIN, EDGE, randomIp, submission } from "./helpers.ts";

const encoder = new TextEncoder();

/** Every way to spoil a valid submission so that it must be refused. */
const spoilers: [string, (body: Record<string, unknown>) => void][] = [
  ["no email", (b) => delete (b.fields as Record<string, unknown>).email],
  ["bad email", (b) => ((b.fields as Record<string, unknown>).email = "not an email")],
  ["email as number", (b) => ((b.fields as Record<string, unknown>).email = 42)],
  ["unknown field", (b) => ((b.fields as Record<string, unknown>).card = "4111")],
  ["no consent", (b) => ((b.fields as Record<string, unknown>).consent = false)],
  ["consent as text", (b) => ((b.fields as Record<string, unknown>).consent = "yes")],
  ["short submission id", (b) => (b.submissionId = "x")],
  ["fields not an object", (b) => (b.fields = ["a"])],
  ["no attribution", (b) => delete b.attribution],
  ["scroll over 100", (b) => (b.engagement = { activeTimeMs: 1, maxScrollPct: 1000 })],
  ["negative time", (b) => (b.engagement = { activeTimeMs: -1, maxScrollPct: 1 })],
  [
    "bad touch time",
    (b) => {
      const touch = (b.attribution as { lastTouch?: { at: string } } | undefined)?.lastTouch;
      if (touch) touch.at = "soon";
      else b.attribution = { lastTouch: { at: "soon" } };
    },
  ],
  ["unknown site", (b) => (b.site = "no-such-site")],
  ["unknown form", (b) => (b.form = "no-such-form")],
  ["site not a string", (b) => (b.site = { $ne: null })],
  ["huge name", (b) => ((b.fields as Record<string, unknown>).name = "x".repeat(600))],
];

type Case = { label: string; body: BodyInit; contentType: string; chunked?: boolean };

const anyJson = fc
  .jsonValue({ maxDepth: 4 })
  .map(
    (value): Case => ({ label: "random JSON", body: JSON.stringify(value), contentType: "application/json" }),
  );
const spoiled = fc
  .tuple(
    fc.subarray(spoilers, { minLength: 1, maxLength: 3 }),
    fc.constantFrom("application/json", "text/plain;charset=UTF-8"),
  )
  .map(([chosen, contentType]): Case => {
    const body = structuredClone(submission()) as unknown as Record<string, unknown>;
    for (const [, spoil] of chosen) spoil(body);
    return { label: chosen.map(([name]) => name).join(" + "), body: JSON.stringify(body), contentType };
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
