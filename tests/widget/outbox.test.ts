import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LeadSubmission } from "../../shared/lead.ts";
import { createOutbox, MAX_DELAY_MS, OUTBOX_KEY, retryDelay } from "../../widget/src/outbox.ts";
import { created, ENDPOINT, fakeFetch, json, memory, networkDown } from "./support.ts";

const submission = (id = "sub_12345678"): LeadSubmission => {
  const touch = { landingPage: "https://site.test/", at: "2026-11-20T10:00:00.000Z" };
  return {
    site: "demo",
    form: "contact",
    submissionId: id,
    fields: { email: "ada@example.com" },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    page: { url: "https://site.test/" },
  };
};

const unavailable = () =>
  new Response("{}", { status: 503, headers: { "Retry-After": "30", "Content-Type": "application/json" } });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("retryDelay", () => {
  it("doubles from about a second, with jitter in [d/2, d], capped at five minutes", () => {
    expect(retryDelay(0, undefined, () => 0)).toBe(500);
    expect(retryDelay(0, undefined, () => 1)).toBe(1000);
    expect(retryDelay(3, undefined, () => 1)).toBe(8000);
    expect(retryDelay(40, undefined, () => 1)).toBe(MAX_DELAY_MS);
  });

  it("never retries sooner than Retry-After", () => {
    expect(retryDelay(0, 30, () => 0)).toBe(30_000);
  });
});

describe("outbox", () => {
  it("persists the submission before the first byte is sent, and forgets it after a 2xx", async () => {
    const area = memory();
    let storedDuringSend: string | undefined;
    const outbox = createOutbox({
      area,
      fetch: async () => {
        storedDuringSend = area.data.get(OUTBOX_KEY);
        return created();
      },
    });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome.kind).toBe("sent");
    expect(storedDuringSend).toContain("sub_12345678");
    expect(JSON.parse(area.data.get(OUTBOX_KEY)!)).toEqual([]);
    outbox.stop();
  });

  it("retries 503s with backoff honouring Retry-After, with the same submission id, until stored", async () => {
    const network = fakeFetch(unavailable, networkDown, created);
    const outbox = createOutbox({ area: memory(), fetch: network.fetch, random: () => 0 });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome.kind).toBe("queued");
    expect(outbox.pending()).toBe(1);

    await vi.advanceTimersByTimeAsync(29_000); // Retry-After: 30
    expect(network.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(network.requests).toHaveLength(2); // network error: next after ~1 s
    await vi.advanceTimersByTimeAsync(1_000);
    expect(network.requests).toHaveLength(3);
    if (outcome.kind === "queued") await expect(outcome.sent).resolves.toBe(true);
    expect(outbox.pending()).toBe(0);
    const ids = network.requests.map((r) => (r.body as LeadSubmission).submissionId);
    expect(new Set(ids)).toEqual(new Set(["sub_12345678"]));
    outbox.stop();
  });

  it("never resends after a 4xx", async () => {
    const network = fakeFetch(
      json(400, { error: { code: "validation_failed", message: "x", fields: { email: "bad" } } }),
    );
    const outbox = createOutbox({ area: memory(), fetch: network.fetch });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome).toEqual({
      kind: "invalid",
      fields: { email: "bad" },
      code: "validation_failed",
      message: "x",
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(network.requests).toHaveLength(1);
    expect(outbox.pending()).toBe(0);
  });

  it("resends what a closed tab left behind on the next page load, exactly once per id", async () => {
    const area = memory();
    const first = createOutbox({ area, fetch: fakeFetch(networkDown).fetch });
    await first.submit(ENDPOINT, submission("closed_tab_1"));
    first.stop(); // The tab closes before any retry.
    expect(area.data.get(OUTBOX_KEY)).toContain("closed_tab_1");

    const network = fakeFetch(created);
    const next = createOutbox({ area, fetch: network.fetch, now: () => Date.now() + 60_000 });
    await next.flush();
    expect(network.requests.map((r) => (r.body as LeadSubmission).submissionId)).toEqual(["closed_tab_1"]);
    expect(next.pending()).toBe(0);
    await next.flush();
    expect(network.requests).toHaveLength(1);
    next.stop();
  });

  it("on load, schedules an entry whose retry the previous page had planned but not made", async () => {
    const area = memory();
    const body = JSON.stringify({ submissionId: "not_due_yet" });
    area.data.set(
      OUTBOX_KEY,
      JSON.stringify([
        {
          id: "not_due_yet",
          endpoint: ENDPOINT,
          body,
          tries: 1,
          next: Date.now() + 800,
          created: Date.now(),
        },
      ]),
    );
    const network = fakeFetch(created);
    const outbox = createOutbox({ area, fetch: network.fetch });
    await outbox.flush();
    expect(network.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(800);
    expect(network.requests).toHaveLength(1);
    outbox.stop();
  });

  it("sends one request when the same submission is handed over twice (a double click)", async () => {
    let answer!: (r: Response) => void;
    const network = fakeFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const outbox = createOutbox({ area: memory(), fetch: network.fetch });
    const a = outbox.submit(ENDPOINT, submission());
    const b = outbox.submit(ENDPOINT, submission());
    await vi.advanceTimersByTimeAsync(0);
    answer(created());
    expect((await a).kind).toBe("sent");
    expect((await b).kind).toBe("sent");
    expect(network.requests).toHaveLength(1);
    outbox.stop();
  });

  it("keeps working in memory when storage throws", async () => {
    const broken = {
      getItem(): string | null {
        throw new Error("blocked");
      },
      setItem() {
        throw new Error("blocked");
      },
    };
    const network = fakeFetch(networkDown, created);
    const outbox = createOutbox({ area: broken, fetch: network.fetch, random: () => 0 });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome.kind).toBe("queued");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(network.requests).toHaveLength(2);
    outbox.stop();
  });

  it("keeps retrying from memory when storage is full: an older list in storage never hides the new entry", async () => {
    // Another script's data fills the quota: reads work, every write throws.
    const stale = JSON.stringify([]);
    const full = {
      getItem: () => stale,
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
    };
    const network = fakeFetch(networkDown, created);
    const outbox = createOutbox({ area: full, fetch: network.fetch, random: () => 1 });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome.kind).toBe("queued");
    expect(outbox.pending()).toBe(1);
    await vi.advanceTimersByTimeAsync(1500);
    expect(network.requests).toHaveLength(2);
    expect(outcome.kind === "queued" && (await outcome.sent)).toBe(true);
    expect(outbox.pending()).toBe(0);
    outbox.stop();
  });

  it("settles even when the page's fetch never answers and ignores the abort signal, and retries", async () => {
    const network = fakeFetch(() => new Promise<Response>(() => {}), created);
    const outbox = createOutbox({ area: memory(), fetch: network.fetch, random: () => 1 });
    const submitted = outbox.submit(ENDPOINT, submission());
    await vi.advanceTimersByTimeAsync(30_000);
    const outcome = await submitted;
    expect(outcome.kind).toBe("queued");
    await vi.advanceTimersByTimeAsync(1500);
    expect(outcome.kind === "queued" && (await outcome.sent)).toBe(true);
    expect(network.requests).toHaveLength(2);
    outbox.stop();
  });

  it("says a lead is held, not offline, when the edge answered that it cannot take it yet", async () => {
    const refused = json(403, {
      error: { code: "origin_not_allowed", message: "This origin may not post for this site." },
    });
    const network = fakeFetch(refused, created);
    const outbox = createOutbox({ area: memory(), fetch: network.fetch, random: () => 1 });
    const outcome = await outbox.submit(ENDPOINT, submission());
    expect(outcome).toMatchObject({ kind: "queued", held: true });
    await vi.advanceTimersByTimeAsync(1500);
    expect(outcome.kind === "queued" && (await outcome.sent)).toBe(true);
    outbox.stop();
  });
});
