/**
 * Capture health, end to end inside workerd: what POST /v1/leads and /v1/events refuse is counted
 * against the site the body named (after the answer, in waitUntil), by reason and origin; the admin
 * API answers it per day; an origin allowed through the admin API is accepted on the next post.
 * A site of this file's own (created through the admin API) keeps other files' sites untouched.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Hono } from "hono/tiny";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../edge/src/env.ts";
import { captureHealth } from "../../edge/src/pipeline/capture.ts";
import { captureStoreFor } from "../../edge/src/stores/index.ts";
import { type CaptureHealth, CaptureHealthSchema } from "../../shared/capture.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { adminHeaders, EDGE, eventually, postLead, submission, unique } from "./helpers.ts";
import { strictSite } from "./strict-site.ts";

const SITE = unique("cap");
const ORIGIN = `https://${SITE}.example`;
const NEW_ORIGIN = `https://shop-${SITE}.example`;
const today = () => new Date().toISOString().slice(0, 10);

function admin(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return exports.default.fetch(
    new Request(`${EDGE}/v1/admin${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: init.token ? `Bearer ${init.token}` : adminHeaders.authorization,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
}

async function health(): Promise<CaptureHealth> {
  const res = await admin(`/sites/${SITE}/capture-health`);
  expect(res.status).toBe(200);
  return CaptureHealthSchema.parse(await res.json());
}

/** Polls the admin API until `check` holds (the counts are written after the answer). */
const until = (check: (h: CaptureHealth) => boolean) =>
  eventually(async () => {
    const h = await health();
    return check(h) ? h : undefined;
  });

const lead = (fields: Record<string, string | boolean> = {}) =>
  submission({
    site: SITE,
    form: "contact",
    fields: { email: `${unique("ada")}@analytical.example`, website: "", ...fields },
  });

function postEvents(body: unknown, origin: string) {
  return exports.default.fetch(
    new Request(`${EDGE}/v1/events`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin },
      body: JSON.stringify(body),
    }),
  );
}

beforeAll(async () => {
  const res = await admin("/sites", {
    method: "POST",
    body: {
      config: {
        ...strictSite,
        id: SITE,
        name: "Capture health test site",
        allowedOrigins: [ORIGIN],
        forms: [
          {
            id: "contact",
            title: "Contact",
            intent: "contact",
            fields: [
              { name: "email", type: "email", label: "Email", required: true },
              { name: "website", type: "honeypot" },
            ],
          },
        ],
        identity: {},
        rateLimit: { limit: 2, windowSeconds: 3600, algorithm: "fixed" },
      },
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
});

describe("capture health", () => {
  it("counts every refusal by reason and origin, and answers it per day", { timeout: 30_000 }, async () => {
    // An origin the site does not allow: 403, counted under that origin.
    const refused = await postLead(lead(), { origin: NEW_ORIGIN });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("origin_not_allowed");
    // Answers the form refuses.
    const invalid = await postLead(lead({ email: "not an address" }), { origin: ORIGIN });
    expect(invalid.status).toBe(400);
    // The third submission from one client within the window.
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postLead(lead(), { origin: ORIGIN, ip })).status);
    expect(statuses).toEqual([201, 201, 429]);
    // A bot: answered like a person, counted from the spam record.
    expect((await postLead(lead({ website: "https://spam.example" }), { origin: ORIGIN })).status).toBe(201);
    // Bodies that cannot be read name no site: counted for the one site that allows their origin.
    expect((await postLead("x".repeat(40 * 1024), { origin: ORIGIN })).status).toBe(413);
    expect((await postLead("{not json", { origin: ORIGIN })).status).toBe(400);
    // Analytics batches from the new origin: refused, counted apart from lead submissions.
    const events = await postEvents(
      { site: SITE, events: [{ type: "impression", form: "contact", at: new Date().toISOString() }] },
      NEW_ORIGIN,
    );
    expect(events.status).toBe(403);

    const h = await until((x) => x.total === 6 && x.events.total === 1);
    expect(h.byReason).toEqual({
      origin_not_allowed: 1,
      invalid_answers: 1,
      rate_limited: 1,
      bot: 1,
      payload_too_large: 1,
      invalid_request: 1,
    });
    expect(h.days).toEqual([{ day: today(), total: 6, byReason: h.byReason }]);
    expect(h.events).toEqual({ total: 1, byReason: { origin_not_allowed: 1 } });
    // The refused origin comes first, not allowed; the site's own origin after it, allowed.
    expect(h.origins[0]).toMatchObject({
      origin: NEW_ORIGIN,
      submissions: 1,
      events: 1,
      byReason: { origin_not_allowed: 2 },
      allowed: false,
    });
    expect(Date.now() - Date.parse(h.origins[0]!.lastSeen)).toBeLessThan(60_000);
    expect(h.origins[1]).toMatchObject({ origin: ORIGIN, submissions: 4, events: 0, allowed: true });

    // A range without today has nothing; a range is checked.
    const past = await admin(`/sites/${SITE}/capture-health?from=2020-01-01&to=2020-02-01`);
    expect(await past.json()).toMatchObject({ total: 0, days: [], origins: [] });
    expect((await admin(`/sites/${SITE}/capture-health?from=2020-01-01&to=2022-01-01`)).status).toBe(400);
    expect((await admin(`/sites/${SITE}/capture-health?from=yesterday`)).status).toBe(400);
  });

  it("allows an origin through the admin API: the next submission from it is accepted", async () => {
    const bad = async (origin: string) => {
      const res = await admin(`/sites/${SITE}/allowed-origins`, { method: "POST", body: { origin } });
      expect(res.status, origin).toBe(400);
      return ((await res.json()) as ErrorBody).error;
    };
    expect((await bad(`${NEW_ORIGIN}/pricing`)).fields?.origin).toMatch(/no path/);
    expect((await bad("null")).fields?.origin).toMatch(/never be allowed/);
    expect((await bad("shop.example")).code).toBe("validation_failed");

    const before = (await (await admin(`/sites/${SITE}/config`)).json()) as { version: number };
    const res = await admin(`/sites/${SITE}/allowed-origins`, {
      method: "POST",
      body: { origin: `${NEW_ORIGIN.toUpperCase()}/` },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      version: number;
      added: boolean;
      origin: string;
      config: { allowedOrigins: string[] };
    };
    expect(answer).toMatchObject({ added: true, origin: NEW_ORIGIN, version: before.version + 1 });
    expect(answer.config.allowedOrigins).toEqual([ORIGIN, NEW_ORIGIN]);
    // A new version in the history, saying what changed.
    const versions = (await (await admin(`/sites/${SITE}/config/versions?limit=1`)).json()) as {
      versions: { version: number; note: string }[];
    };
    expect(versions.versions[0]).toMatchObject({ version: answer.version, note: `Allowed ${NEW_ORIGIN}` });

    expect((await postLead(lead(), { origin: NEW_ORIGIN })).status).toBe(201);
    // Twice is once: nothing more is saved.
    const again = await admin(`/sites/${SITE}/allowed-origins`, {
      method: "POST",
      body: { origin: NEW_ORIGIN },
    });
    expect(await again.json()).toMatchObject({ added: false, version: answer.version });
    const h = await health();
    expect(h.origins.find((o) => o.origin === NEW_ORIGIN)?.allowed).toBe(true);
  });

  it("keeps both operations to tokens for the site", async () => {
    const token = "strict-only-token-0123456789";
    expect((await admin(`/sites/${SITE}/capture-health`, { token })).status).toBe(403);
    const res = await admin(`/sites/${SITE}/allowed-origins`, {
      method: "POST",
      token,
      body: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect((await admin("/sites/no-such-site/capture-health")).status).toBe(404);
  });
});

describe("the captureHealth middleware", () => {
  /**
   * A route that names the site, like /v1/leads does, then answers what the test says: for a store
   * that cannot be written, which the Worker's own bindings cannot be made into.
   */
  function appAnswering(answer: () => Response) {
    const app = new Hono<AppEnv>();
    app.use("*", captureHealth());
    app.post("/v1/leads", (c) => {
      c.set("site", SITE);
      return answer();
    });
    return app;
  }
  async function run(app: Hono<AppEnv>, request: Request, environment = env) {
    const ctx = createExecutionContext();
    const res = await app.fetch(request, environment, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }
  const origin = () => `https://${unique("o")}.example`;
  const rowsFor = async (o: string) =>
    (await captureStoreFor(env).read(SITE, today(), "9999-12-31")).rows.filter((r) => r.origin === o);

  it("counts a lead /v1/leads accepted with repaired signals, and a preflight it refused", async () => {
    // A real lead whose engagement a hostile page garbled: kept, with notes, and counted as repaired.
    const garbled = {
      ...lead(),
      engagement: { activeTimeMs: "12", maxScrollPct: 1000, abandonedFields: "BROKEN" },
    };
    const kept = await postLead(garbled, { origin: ORIGIN });
    expect(kept.status).toBe(201);
    expect(((await kept.json()) as { notes?: unknown[] }).notes?.length).toBeGreaterThan(0);
    // A JSON client's preflight from an origin the site does not allow: the post never comes.
    const p = origin();
    const preflight = await exports.default.fetch(
      new Request(`${EDGE}/v1/leads?site=${SITE}`, {
        method: "OPTIONS",
        headers: { origin: p, "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(403);
    await eventually(async () => ((await rowsFor(p)).length ? true : undefined));
    expect(await rowsFor(p)).toMatchObject([{ route: "leads", reason: "origin_not_allowed", count: 1 }]);
    const repaired = await eventually(async () => {
      const rows = (await rowsFor(ORIGIN)).filter((r) => r.reason === "repaired");
      return rows.length ? rows : undefined;
    });
    expect(repaired).toMatchObject([{ route: "leads", reason: "repaired", count: 1 }]);
  });

  it("never changes or fails the answer when the count cannot be written", async () => {
    const app = appAnswering(() => new Response("refused", { status: 429 }));
    const broken = { ...env, DB: undefined } as unknown as typeof env;
    const res = await run(
      app,
      new Request(`${EDGE}/v1/leads`, { method: "POST", headers: { origin: origin() } }),
      broken,
    );
    expect(res.status).toBe(429);
    expect(await res.text()).toBe("refused");
  });
});
