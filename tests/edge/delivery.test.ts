/**
 * Delivery inside workerd against the loopback receiver, told to fail in every way the issue names:
 * 500s, hangs past the timeout, connection resets, 429/503 with Retry-After, 410 Gone. Every attempt
 * is logged; the same webhook-id on every attempt and replay; dead letters replayable one by one or
 * "everything failed since T"; paused destinations hold their deliveries; signatures verify with the
 * standardwebhooks package, including the spec's known-answer vector and timestamp tolerance.
 */
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { app } from "../../edge/src/app.ts";
import { deliverOne, sweepOutbox } from "../../edge/src/delivery.ts";
import { assertAllowedUrl, parseRetryAfter } from "../../edge/src/destinations/http.ts";
import { sign, signatureHeader } from "../../edge/src/destinations/webhook.ts";
import { D1DeliveryStore } from "../../edge/src/stores/d1/delivery.ts";
import type { LeadEvent } from "../../shared/lead.ts";
import {
  control,
  deliverDue,
  endpoint,
  leadFor,
  outboxRow,
  received,
  receiverSecret,
  row,
  siteWith,
  testEnv,
} from "./delivery-support.ts";
import { unique } from "./helpers.ts";

const store = new D1DeliveryStore(env.DB);
const NEW_SECRET = "whsec_bmV3LXNlY3JldC1mb3ItbGVhZGNhcC1yb3RhdGlvbg==";

/** A site with one webhook to a fresh receiver endpoint, and its env. */
function setup(
  options: {
    timeoutMs?: number;
    secret?: string;
    headers?: Record<string, string>;
    pauseAfterHours?: number;
  } = {},
  vars: Record<string, string> = {},
) {
  const site = unique("s").toLowerCase();
  const target = endpoint();
  const e = testEnv(
    [
      siteWith(site, [
        {
          id: "hook",
          type: "webhook",
          url: target.url,
          secret: options.secret ?? receiverSecret(),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
          ...(options.pauseAfterHours !== undefined ? { pauseAfterHours: options.pauseAfterHours } : {}),
        },
      ]),
    ],
    vars,
  );
  return {
    site,
    target,
    env: e,
    newRow: (type?: LeadEvent["type"]) => outboxRow(site, "hook", leadFor(site), type),
  };
}

function admin(e: object, method: string, path: string, body?: unknown) {
  return app.fetch(
    new Request(`https://edge.test/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    e,
    { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
  );
}

describe("Standard Webhooks signatures", () => {
  it("matches the spec's known-answer vector", async () => {
    // From the Standard Webhooks spec and its reference libraries' tests.
    const signature = await sign(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs with every secret during a rotation, so either secret verifies", async () => {
    const body = JSON.stringify({ type: "lead.created", data: { id: "x" } });
    const ts = Math.floor(Date.now() / 1000);
    const header = await signatureHeader([NEW_SECRET, receiverSecret()], "msg_rotation", ts, body);
    expect(header.split(" ")).toHaveLength(2);
    const headers = {
      "webhook-id": "msg_rotation",
      "webhook-timestamp": String(ts),
      "webhook-signature": header,
    };
    expect(new Webhook(NEW_SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(receiverSecret()).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() =>
      new Webhook("whsec_b3RoZXItc2VjcmV0LW5vdC11c2VkLWFueXdoZXJl").verify(body, headers),
    ).toThrow();
  });

  it("holds at the library's timestamp tolerance (5 minutes either way), and a changed body fails", async () => {
    const body = '{"a":1}';
    const verifyAt = async (offsetS: number, payload = body) => {
      const ts = Math.floor(Date.now() / 1000) + offsetS;
      const headers = {
        "webhook-id": "msg_tolerance",
        "webhook-timestamp": String(ts),
        "webhook-signature": await sign(receiverSecret(), "msg_tolerance", ts, body),
      };
      try {
        new Webhook(receiverSecret()).verify(payload, headers);
        return true;
      } catch {
        return false;
      }
    };
    expect(await verifyAt(0)).toBe(true);
    expect(await verifyAt(-290)).toBe(true);
    expect(await verifyAt(290)).toBe(true);
    expect(await verifyAt(-310)).toBe(false);
    expect(await verifyAt(310)).toBe(false);
    expect(await verifyAt(0, '{"a":2}')).toBe(false);
  });
});

describe("the address guard", () => {
  const strict = { allowPrivate: false, allowLoopback: false };
  it.each([
    "http://hooks.example.com/x",
    "https://127.0.0.1/x",
    "https://localhost/x",
    "https://10.1.2.3/x",
    "https://172.20.0.1/x",
    "https://192.168.1.1/x",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/x",
    "https://0.0.0.0/x",
    "https://2130706433/x",
    "https://0x7f.1/x",
    "https://[::1]/x",
    "https://[fd00::1]/x",
    "https://[fe80::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://metadata.google.internal/x",
    "https://printer.local/x",
    "https://intranet/x",
    "https://user:pass@hooks.example.com/x",
    "ftp://hooks.example.com/x",
  ])("refuses %s in production", (url) => {
    expect(() => assertAllowedUrl(url, strict)).toThrow();
  });

  it("allows public https hosts; loopback http only when allowed; anything http(s) with the dev flag", () => {
    expect(assertAllowedUrl("https://hooks.example.com/x", strict).hostname).toBe("hooks.example.com");
    expect(assertAllowedUrl("https://8.8.8.8/x", strict).hostname).toBe("8.8.8.8");
    expect(() => assertAllowedUrl("http://127.0.0.1:8790/x", strict)).toThrow();
    expect(
      assertAllowedUrl("http://127.0.0.1:8790/x", { allowPrivate: false, allowLoopback: true }).port,
    ).toBe("8790");
    expect(() =>
      assertAllowedUrl("http://10.0.0.1/x", { allowPrivate: false, allowLoopback: true }),
    ).toThrow();
    expect(assertAllowedUrl("http://10.0.0.1/x", { allowPrivate: true, allowLoopback: false }).hostname).toBe(
      "10.0.0.1",
    );
  });

  it("never sends to a refused address: the attempt fails with the reason and the receiver sees nothing", async () => {
    const t = setup({}, { ALLOW_PRIVATE_DESTINATIONS: "false", ENVIRONMENT: "production" });
    const id = await t.newRow();
    const result = await deliverDue(store, t.env, id);
    expect(result.outcome).toBe("retry");
    expect((await row(id))?.last_error).toMatch(/only https/);
    expect(await received(t.target.name)).toHaveLength(0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("delivery attempts", () => {
  it("delivers signed, with custom headers, logs the attempt, and sends the same webhook-id on every retry", async () => {
    const t = setup(
      { headers: { "x-api-key": "${HOOK_KEY}", "webhook-id": "not-allowed" } },
      { HOOK_KEY: "k-123" },
    );
    const id = await t.newRow();
    await control({ name: t.target.name, failNext: 1, status: 500 });
    const first = await deliverDue(store, t.env, id);
    expect(first.outcome).toBe("retry");
    // Schedule 1,2,3 s with ±10 % jitter.
    expect(first.delay).toBeGreaterThanOrEqual(0.9);
    expect(first.delay).toBeLessThanOrEqual(1.1);
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, last_status: 500 });
    expect((await deliverDue(store, t.env, id)).outcome).toBe("delivered");
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 2, last_status: 204 });

    const got = await received(t.target.name);
    expect(got.map((d) => [d.id, d.answered])).toEqual([
      [id, 500],
      [id, 204],
    ]);
    expect(got.every((d) => d.verified)).toBe(true);
    expect(got[1]!.headers["x-api-key"]).toBe("k-123");
    expect(got[1]!.headers["user-agent"]).toMatch(/^Leadcap-Webhooks/);
    const event = JSON.parse(got[1]!.body) as LeadEvent;
    expect(event.type).toBe("lead.created");
    expect(event.data).toMatchObject({ score: 90, temperature: "hot", stage: "MQL" });
    expect(event.data.reasons.length).toBeGreaterThan(0);
    expect(event.data.firstTouch.utm_source).toBe("leadcap");

    const attempts = await store.listAttempts(id);
    expect(attempts.map((a) => [a.outcome, a.status, a.ok])).toEqual([
      ["retry", 500, false],
      ["delivered", 204, true],
    ]);
    expect(attempts[0]!.nextAttemptAt).not.toBeNull();
    expect(attempts.every((a) => a.latencyMs >= 0)).toBe(true);
  });

  it("waits as long as a 429's or 503's Retry-After asks, when longer than the schedule", async () => {
    const t = setup();
    const id = await t.newRow();
    await control({ name: t.target.name, mode: "status", status: 429, retryAfter: 7, count: 1 });
    const first = await deliverDue(store, t.env, id);
    expect(first).toMatchObject({ outcome: "retry", delay: 7 });
    // A message early for its row (a duplicate) sends nothing: it waits out the rest of the delay.
    const early = await deliverOne(store, t.env, id);
    expect(early.outcome).toBe("retry");
    expect(early.delay).toBeGreaterThan(5);
    expect(await received(t.target.name)).toHaveLength(1);
    await control({ name: t.target.name, mode: "status", status: 503, retryAfter: 9, count: 1 });
    expect(await deliverDue(store, t.env, id)).toMatchObject({ outcome: "retry", delay: 9 });
    expect((await store.listAttempts(id)).map((a) => a.status)).toEqual([429, 503]);
  });

  it("gives up on a receiver that hangs past the timeout, and on a connection reset", async () => {
    const t = setup({ timeoutMs: 400 });
    const id = await t.newRow();
    await control({ name: t.target.name, mode: "hang", count: 1 });
    const started = Date.now();
    expect((await deliverDue(store, t.env, id)).outcome).toBe("retry");
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await row(id))?.last_error).toMatch(/timed out after 400 ms/);
    await control({ name: t.target.name, mode: "reset", count: 1 });
    expect((await deliverDue(store, t.env, id)).outcome).toBe("retry");
    expect((await row(id))?.last_status).toBeNull();
    expect((await row(id))?.last_error).toBeTruthy();
    expect((await deliverDue(store, t.env, id)).outcome).toBe("delivered");
    const answered = (await received(t.target.name)).map((d) => d.answered);
    expect(answered).toEqual([-1, 0, 204]);
  });

  it("dead-letters after the last scheduled retry; replay (one, or everything since T) keeps the webhook-id", async () => {
    const t = setup();
    const since = new Date(Date.now() - 1000).toISOString();
    const ids = [await t.newRow(), await t.newRow()];
    await control({ name: t.target.name, mode: "status", status: 500 });
    for (const id of ids) {
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) outcomes.push((await deliverDue(store, t.env, id)).outcome);
      expect(outcomes).toEqual(["retry", "retry", "retry", "dead"]);
      expect(await row(id)).toMatchObject({ status: "dead", attempts: 4 });
      expect((await row(id))?.dead_at).toBeTruthy();
    }
    const dead = await admin(t.env, "GET", `/deliveries?site=${t.site}&status=dead`);
    expect(
      ((await dead.json()) as { deliveries: { id: string }[] }).deliveries.map((d) => d.id).sort(),
    ).toEqual([...ids].sort());
    await control({ name: t.target.name, clear: true });

    // One.
    const one = await admin(t.env, "POST", `/deliveries/${ids[0]}/replay`);
    expect(await one.json()).toMatchObject({ replayed: 1 });
    expect(t.env.DELIVERY.sent).toContain(ids[0]);
    expect(await row(ids[0]!)).toMatchObject({ status: "pending", attempts: 0, replays: 1 });
    expect((await deliverDue(store, t.env, ids[0]!)).outcome).toBe("delivered");

    // Everything failed since T.
    const bulk = await admin(t.env, "POST", "/deliveries/replay", { site: t.site, since });
    expect(await bulk.json()).toEqual({ replayed: 1, more: false });
    expect((await deliverDue(store, t.env, ids[1]!)).outcome).toBe("delivered");

    const got = await received(t.target.name);
    for (const id of ids) {
      // Four failures, then the replay: one id throughout, so the receiver can dedupe.
      expect(got.filter((d) => d.id === id).map((d) => d.answered)).toEqual([500, 500, 500, 500, 204]);
    }
    const detail = (await (await admin(t.env, "GET", `/deliveries/${ids[0]}`)).json()) as {
      status: string;
      replays: number;
      attempts: { outcome: string }[];
      payload: LeadEvent;
    };
    expect(detail.status).toBe("delivered");
    expect(detail.replays).toBe(1);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(["retry", "retry", "retry", "dead", "delivered"]);
    expect(detail.payload.type).toBe("lead.created");
  });

  it("a 410 Gone pauses the destination with the reason; its deliveries wait; resume sends them all", async () => {
    const t = setup();
    const first = await t.newRow();
    await control({ name: t.target.name, mode: "status", status: 410, count: 1 });
    expect((await deliverDue(store, t.env, first)).outcome).toBe("held");
    const state = (await (await admin(t.env, "GET", `/destinations/hook?site=${t.site}`)).json()) as {
      paused: boolean;
      pausedReason: string;
      deliveries: { pending: number };
    };
    expect(state.paused).toBe(true);
    expect(state.pausedReason).toMatch(/410 Gone/);
    expect(state.deliveries.pending).toBe(1);

    const second = await t.newRow("lead.stage_changed");
    expect((await deliverDue(store, t.env, second)).outcome).toBe("held");
    // Held rows are never due: the sweep leaves them alone.
    await sweepOutbox(t.env);
    expect(t.env.DELIVERY.sent).not.toContain(second);
    expect(await received(t.target.name)).toHaveLength(1);

    const resumed = await admin(t.env, "POST", `/destinations/hook/resume?site=${t.site}`);
    expect(await resumed.json()).toMatchObject({ released: 2 });
    expect(t.env.DELIVERY.sent).toEqual(expect.arrayContaining([first, second]));
    for (const id of [first, second]) expect((await deliverDue(store, t.env, id)).outcome).toBe("delivered");
    expect((await received(t.target.name)).map((d) => [d.id, d.answered])).toEqual([
      [first, 410],
      [first, 204],
      [second, 204],
    ]);
  });

  it("the sweep re-enqueues a row whose first attempt never came, once the lease has run out", async () => {
    const t = setup({}, { DELIVERY_LEASE_SECONDS: "5" });
    const id = await t.newRow();
    // As the ingest batch writes it: due now, leased for two minutes (a queue message is on its way).
    const tenSecondsAgo = new Date(Date.now() - 10_000).toISOString();
    await env.DB.prepare("UPDATE outbox SET next_attempt_at = ?2, leased_until = ?3 WHERE id = ?1")
      .bind(id, tenSecondsAgo, new Date(Date.now() + 110_000).toISOString())
      .run();
    const slow = testEnv([], {});
    await sweepOutbox(slow);
    expect(slow.DELIVERY.sent).not.toContain(id);
    await sweepOutbox(t.env);
    expect(t.env.DELIVERY.sent).toContain(id);
  });

  it("pauses and resumes from the admin API, and pauses a destination that has failed for days", async () => {
    const t = setup({ pauseAfterHours: 48 });
    const id = await t.newRow();
    const paused = await admin(t.env, "POST", `/destinations/hook/pause?site=${t.site}`, {
      reason: "CRM migration",
    });
    expect(await paused.json()).toMatchObject({ paused: true, pausedReason: "CRM migration" });
    expect((await deliverDue(store, t.env, id)).outcome).toBe("held");
    expect(await received(t.target.name)).toHaveLength(0);
    expect(
      await (await admin(t.env, "POST", `/destinations/hook/resume?site=${t.site}`)).json(),
    ).toMatchObject({
      released: 1,
    });

    await control({ name: t.target.name, mode: "status", status: 502 });
    expect((await deliverDue(store, t.env, id)).outcome).toBe("retry");
    // As if that first failure was two days ago: still failing now, so paused with the reason.
    await env.DB.prepare("UPDATE destination_state SET failing_since = ?1 WHERE site = ?2")
      .bind(new Date(Date.now() - 49 * 3_600_000).toISOString(), t.site)
      .run();
    expect((await deliverDue(store, t.env, id)).outcome).toBe("retry");
    const state = (await (await admin(t.env, "GET", `/destinations/hook?site=${t.site}`)).json()) as {
      paused: boolean;
      pausedReason: string;
      consecutiveFailures: number;
    };
    expect(state).toMatchObject({ paused: true, consecutiveFailures: 2 });
    expect(state.pausedReason).toMatch(/failing since .* \(2 attempts in a row\); last error: HTTP 502/);
    await control({ name: t.target.name, clear: true });
  });

  it("sends a test event on request and answers with what the destination said", async () => {
    const t = setup();
    const res = await admin(t.env, "POST", `/destinations/hook/test?site=${t.site}`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      ok: boolean;
      status: number;
      latencyMs: number;
      webhookId: string;
    };
    expect(result).toMatchObject({ ok: true, status: 204 });
    const [got] = await received(t.target.name);
    expect(got?.verified).toBe(true);
    expect(got?.id).toBe(result.webhookId);
    expect((JSON.parse(got!.body) as { type: string }).type).toBe("lead.test");
    expect((await admin(t.env, "POST", `/destinations/nope/test?site=${t.site}`)).status).toBe(404);
  });

  it("checks access and input on the admin routes", async () => {
    const t = setup();
    const strictOnly = await app.fetch(
      new Request(`https://edge.test/v1/admin/deliveries?site=${t.site}`, {
        headers: { authorization: "Bearer strict-only-token-0123456789" },
      }),
      t.env,
      { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
    );
    expect(strictOnly.status).toBe(403);
    expect((await admin(t.env, "GET", `/deliveries?site=${t.site}&status=lost`)).status).toBe(400);
    expect((await admin(t.env, "GET", `/deliveries?site=${t.site}&since=yesterday`)).status).toBe(400);
    expect((await admin(t.env, "POST", "/deliveries/replay", { site: t.site })).status).toBe(400);
    expect((await admin(t.env, "GET", "/deliveries/msg_nope")).status).toBe(404);
  });
});
