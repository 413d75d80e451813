/**
 * The DeliveryStore contract: the outbox rows a LeadStore writes with a lead, as the delivery side
 * sees them, against D1 and Upstash. Attempts (retry, delivered, dead, held), the attempt log,
 * destination state, leases for the sweep, dead letters found and replayed, pause and resume, counts.
 * Rows here are written in 2001, so the sweep (claimDue) sees no other test's rows.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1DeliveryStore } from "../../edge/src/stores/d1/delivery.ts";
import type { AttemptOutcome, DeliveryStore } from "../../edge/src/stores/ports/delivery.ts";
import type { LeadStore } from "../../edge/src/stores/ports/index.ts";
import { UpstashDeliveryStore } from "../../edge/src/stores/upstash/delivery.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { type Adapter, command, d1, unique, upstash } from "./adapters.ts";

interface Stores {
  name: string;
  leads: () => LeadStore;
  deliveries: () => DeliveryStore;
}

const adapters: Stores[] = [
  { name: "d1", leads: d1.store, deliveries: () => new D1DeliveryStore(env.DB) },
  {
    name: "upstash",
    leads: (upstash as Adapter).store,
    deliveries: () =>
      new UpstashDeliveryStore(
        new UpstashRest({ url: env.CONTRACT_UPSTASH_URL, token: env.CONTRACT_UPSTASH_TOKEN }),
      ),
  },
];

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MIN = 60_000;
/** A destination with nothing recorded yet. */
const HEALTHY = {
  paused: false,
  pausedReason: null,
  pausedAt: null,
  failingSince: null,
  consecutiveFailures: 0,
  lastSuccessAt: null,
  lastFailureAt: null,
};

function outcome(
  kind: AttemptOutcome["kind"],
  time: string,
  extra: Partial<AttemptOutcome> = {},
): AttemptOutcome {
  return {
    kind,
    status: kind === "delivered" ? 200 : kind === "held" ? null : 500,
    error: kind === "delivered" || kind === "held" ? null : "HTTP 500",
    at: time,
    latencyMs: 12.4,
    excerpt: kind === "delivered" ? "ok" : "boom",
    nextAttemptAt: kind === "retry" ? at(time, 5_000) : null,
    leasedUntil: kind === "retry" ? at(time, 2 * MIN) : null,
    ...extra,
  };
}

describe.each(adapters)("DeliveryStore contract: $name", (stores) => {
  async function lead(site: string, now: string, destinations = ["hook"]) {
    const c = command({ site, dedupeKey: unique("dk_"), now, destinations });
    await stores.leads().ingest(c);
    return c;
  }

  it("reads a fresh row, retries, delivers, and logs every attempt with the destination's health", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    const t0 = "2001-01-01T00:00:00.000Z";
    const c = await lead(site, t0);
    const id = c.deliveries[0]!.id;
    const row = (await store.getDelivery(id))!;
    expect(row).toEqual({
      id,
      site,
      leadId: c.lead.id,
      destination: "hook",
      eventType: "lead.created",
      payload: expect.any(String),
      status: "pending",
      attempts: 0,
      nextAttemptAt: t0,
      lastStatus: null,
      lastError: null,
      lastAttemptAt: null,
      createdAt: t0,
      deliveredAt: null,
      deadAt: null,
      replays: 0,
      held: false,
    });
    expect(JSON.parse(row.payload)).toEqual({ type: "lead.created", timestamp: t0, data: c.lead });
    expect(await store.getDelivery("msg_missing")).toBeNull();
    expect(await store.getAttempt("msg_missing")).toBeNull();
    // What an attempt reads first: the row and its destination's state (none recorded yet).
    expect(await store.getAttempt(id)).toEqual({
      row,
      state: HEALTHY,
    });

    const t1 = at(t0, MIN);
    await store.recordAttempt(row, outcome("retry", t1), { ok: false, at: t1 });
    expect(await store.getDelivery(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatus: 500,
      lastError: "HTTP 500",
      lastAttemptAt: t1,
      nextAttemptAt: at(t1, 5_000),
    });
    expect(await store.getDestinationState(site, "hook")).toEqual({
      paused: false,
      pausedReason: null,
      pausedAt: null,
      failingSince: t1,
      consecutiveFailures: 1,
      lastSuccessAt: null,
      lastFailureAt: t1,
    });
    expect(await store.getAttempt(id)).toEqual({
      row: await store.getDelivery(id),
      state: await store.getDestinationState(site, "hook"),
    });

    const t2 = at(t1, MIN);
    await store.recordAttempt(row, outcome("delivered", t2), { ok: true, at: t2 });
    expect(await store.getDelivery(id)).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatus: 200,
      lastError: null,
      deliveredAt: t2,
    });
    expect(await store.getDestinationState(site, "hook")).toMatchObject({
      failingSince: null,
      consecutiveFailures: 0,
      lastSuccessAt: t2,
      lastFailureAt: t1,
    });
    // A late attempt on a delivered row changes nothing on the row (it is still logged).
    await store.recordAttempt(row, outcome("dead", at(t2, MIN)), { ok: false, at: at(t2, MIN) });
    expect((await store.getDelivery(id))!.status).toBe("delivered");
    expect(await store.listAttempts(id)).toEqual([
      {
        at: t1,
        ok: false,
        status: 500,
        latencyMs: 12,
        error: "HTTP 500",
        responseExcerpt: "boom",
        nextAttemptAt: at(t1, 5_000),
        outcome: "retry",
      },
      {
        at: t2,
        ok: true,
        status: 200,
        latencyMs: 12,
        error: null,
        responseExcerpt: "ok",
        nextAttemptAt: null,
        outcome: "delivered",
      },
      {
        at: at(t2, MIN),
        ok: false,
        status: 500,
        latencyMs: 12,
        error: "HTTP 500",
        responseExcerpt: "boom",
        nextAttemptAt: null,
        outcome: "dead",
      },
    ]);
    expect(await store.countByDestination(site)).toEqual({ hook: { pending: 0, dead: 0, delivered: 1 } });
  });

  it("leases due rows to the sweep once, oldest first, and not before their lease ran out", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    const t0 = "2001-02-01T00:00:00.000Z";
    const a = await lead(site, t0);
    const b = await lead(site, at(t0, 1000));
    const ids = [a.deliveries[0]!.id, b.deliveries[0]!.id];
    // Fresh rows carry a lease (the queue message sent right after the write).
    expect(await store.claimDue(at(t0, MIN), at(t0, 10 * MIN), 10)).toEqual([]);
    const later = at(t0, 3 * MIN);
    expect(await store.claimDue(later, at(later, 5 * MIN), 1)).toEqual([ids[0]]);
    expect(await store.claimDue(later, at(later, 5 * MIN), 10)).toEqual([ids[1]]);
    expect(await store.claimDue(later, at(later, 5 * MIN), 10)).toEqual([]);
    const afterLease = at(later, 6 * MIN);
    expect(await store.claimDue(afterLease, at(afterLease, 5 * MIN), 10)).toEqual(ids);
  });

  it("dead-letters, finds dead letters by filter and page, and replays them with the same id", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    const t0 = "2001-03-01T00:00:00.000Z";
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const c = await lead(site, at(t0, i * MIN), ["hook", "crm"]);
      rows.push(...c.deliveries.map((d) => ({ ...d, leadId: c.lead.id })));
    }
    for (const r of rows.filter((r) => r.destination === "hook")) {
      const row = (await store.getDelivery(r.id))!;
      await store.recordAttempt(row, outcome("dead", at(t0, HOUR)), { ok: false, at: at(t0, HOUR) });
    }
    expect((await store.getDelivery(rows[0]!.id))!).toMatchObject({
      status: "dead",
      deadAt: at(t0, HOUR),
      lastError: "HTTP 500",
    });
    expect(await store.countByDestination(site)).toEqual({
      hook: { pending: 0, dead: 3, delivered: 0 },
      crm: { pending: 3, dead: 0, delivered: 0 },
    });

    const dead = rows
      .filter((r) => r.destination === "hook")
      .map((r) => r.id)
      .reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listDeliveries({ site, status: "dead" }, { limit: 2, cursor });
      expect(page.deliveries.every((d) => !("payload" in d))).toBe(true);
      seen.push(...page.deliveries.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(dead);
    expect((await store.listDeliveries({ site, destination: "crm" }, { limit: 10 })).deliveries).toHaveLength(
      3,
    );
    expect(
      (await store.listDeliveries({ site, leadId: rows[2]!.leadId }, { limit: 10 })).deliveries,
    ).toHaveLength(2);
    expect(
      (
        await store.listDeliveries({ site, since: at(t0, MIN), until: at(t0, 2 * MIN) }, { limit: 10 })
      ).deliveries.map((d) => d.createdAt),
    ).toEqual([at(t0, MIN), at(t0, MIN)]);

    const now = at(t0, 2 * HOUR);
    expect(await store.replay({ site, ids: [dead[0]!] }, now, at(now, MIN), 10)).toEqual([dead[0]]);
    expect(await store.replay({ site, destination: "hook" }, now, at(now, MIN), 10)).toEqual([
      dead[2],
      dead[1],
    ]);
    expect(await store.replay({ site }, now, at(now, MIN), 10)).toEqual([]);
    expect(await store.getDelivery(dead[0]!)).toMatchObject({
      status: "pending",
      attempts: 0,
      replays: 1,
      deadAt: null,
      nextAttemptAt: now,
    });
    expect(await store.countByDestination(site)).toEqual({
      hook: { pending: 3, dead: 0, delivered: 0 },
      crm: { pending: 3, dead: 0, delivered: 0 },
    });
  });

  it("hands back an ingest's rows as an attempt reads them, destination state included (D1)", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    const t0 = "2001-03-01T00:00:00.000Z";
    await store.pauseDestination(site, "hook", "410 Gone", t0);
    const c = command({ site, dedupeKey: unique("dk_"), now: at(t0, MIN), destinations: ["hook", "slack"] });
    const result = await stores.leads().ingest(c);
    const read = await Promise.all(result.deliveryIds.map((id) => store.getAttempt(id)));
    expect(read.map((r) => [r?.row.destination, r?.state.paused])).toEqual([
      ["hook", true],
      ["slack", false],
    ]);
    // D1 reads them in the ingest batch itself (RETURNING), so the first attempt skips the read;
    // Upstash leaves them to getAttempt.
    if (stores.name === "d1") expect(result.attempts).toEqual(read);
    else expect(result.attempts).toBeUndefined();
  });

  it("holds rows while a destination is paused and releases them on resume", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    const t0 = "2001-04-01T00:00:00.000Z";
    const c = await lead(site, t0);
    const id = c.deliveries[0]!.id;
    await store.pauseDestination(site, "hook", "410 Gone", at(t0, MIN));
    await store.pauseDestination(site, "hook", "by a person", at(t0, 2 * MIN));
    expect(await store.getDestinationState(site, "hook")).toMatchObject({
      paused: true,
      pausedReason: "410 Gone",
      pausedAt: at(t0, MIN),
    });
    // Held without sending: no attempt counted or logged.
    await store.recordAttempt((await store.getDelivery(id))!, outcome("held", at(t0, 3 * MIN)), {
      ok: false,
      at: at(t0, 3 * MIN),
    });
    expect(await store.getDelivery(id)).toMatchObject({ status: "pending", held: true, attempts: 0 });
    expect(await store.listAttempts(id)).toEqual([]);
    expect(await store.claimDue("2001-12-31T00:00:00.000Z", "2002-01-01T00:00:00.000Z", 100)).not.toContain(
      id,
    );

    const now = at(t0, HOUR);
    expect(await store.resumeDestination(site, "hook", now, at(now, MIN))).toEqual([id]);
    expect(await store.getDelivery(id)).toMatchObject({ held: false, nextAttemptAt: now });
    expect(await store.getDestinationState(site, "hook")).toMatchObject({
      paused: false,
      pausedReason: null,
      consecutiveFailures: 0,
    });
    expect(await store.resumeDestination(site, "hook", now, at(now, MIN))).toEqual([]);

    // A failure that pauses the destination (e.g. a 410) holds the row in the same write.
    const row = (await store.getDelivery(id))!;
    await store.recordAttempt(row, outcome("held", at(now, MIN), { status: 410, error: "HTTP 410" }), {
      ok: false,
      at: at(now, MIN),
      pause: "410 Gone",
    });
    expect(await store.getDelivery(id)).toMatchObject({
      held: true,
      attempts: 1,
      lastStatus: 410,
      lastError: "HTTP 410",
    });
    expect(await store.getDestinationState(site, "hook")).toMatchObject({
      paused: true,
      pausedReason: "410 Gone",
      consecutiveFailures: 1,
    });
    expect(await store.listAttempts(id)).toHaveLength(1);
  });

  it("with staleBefore, claims a never-attempted row due before it even while its ingest lease runs", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    // Later than every other row of this file, so earlier tests' rows are all settled by now.
    const t0 = "2002-03-01T00:00:00.000Z";
    const lost = (await lead(site, t0)).deliveries[0]!.id;
    const recent = (await lead(site, at(t0, 40_000))).deliveries[0]!.id;
    const now = at(t0, 45_000);
    // Both still carry the 2-minute lease written at ingest: without staleBefore neither is claimed.
    const plain = await store.claimDue(now, at(now, MIN), 100);
    expect(plain).not.toContain(lost);
    expect(plain).not.toContain(recent);
    // A compressed lease of 30 s: the first is lost, the second is not yet.
    const claimed = await store.claimDue(now, at(now, MIN), 100, at(now, -30_000));
    expect(claimed).toContain(lost);
    expect(claimed).not.toContain(recent);
  });

  it("answers an unknown destination as healthy and a site without rows as no counts", async () => {
    const store = stores.deliveries();
    const site = unique("site_");
    expect(await store.getDestinationState(site, "none")).toEqual(HEALTHY);
    expect(await store.countByDestination(site)).toEqual({});
    expect(await store.listDeliveries({ site }, { limit: 5 })).toEqual({ deliveries: [], nextCursor: null });
  });
});

const HOUR = 60 * MIN;
