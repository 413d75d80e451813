/**
 * Roles on every admin route: the routes are read from the app itself (a route added tomorrow is
 * walked too, and fails here until the role table names it), each is called with every role, and the
 * answer is 403 `forbidden` exactly where the role table says no; never a 500. Then per site: a role
 * holds on its sites only.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../edge/src/app.ts";
import { tokenHash } from "../../edge/src/pipeline/auth.ts";
import { allows, OPERATIONS, ROLES, type Role } from "../../shared/api/roles.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { adminHeaders, EDGE, eventually, postLead, submission, unique } from "./helpers.ts";

/** Every admin route as the router holds it, `METHOD /path` below /v1/admin. */
const ROUTES = [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/admin/"))
      .map((r) => `${r.method} ${r.path.slice("/v1/admin".length)}`),
  ),
];

async function createToken(role: Role, sites: "*" | string[]): Promise<string> {
  const res = await call("POST", "/tokens", adminHeaders, { name: unique(`${role}-`), role, sites });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return exports.default.fetch(
    new Request(`${EDGE}/v1/admin${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** A concrete request for a route: made-up ids (404 is an answer too), the demo site, an empty body. */
function request(route: string): { method: string; path: string; body?: unknown } {
  const [method, pattern] = route.split(" ") as [string, string];
  const path = pattern
    .replace(":site", "demo")
    .replace(":email", "nobody%40example.com")
    .replace(":version", "1")
    .replace(/:\w+/g, "nothing-here");
  const query = path.includes("?") ? "&site=demo" : "?site=demo";
  return { method, path: `${path}${query}`, ...(method === "POST" || method === "PUT" ? { body: {} } : {}) };
}

const principals: Record<Role | "bootstrap", Record<string, string>> = {
  bootstrap: adminHeaders,
  owner: {},
  editor: {},
  analyst: {},
  crm: {},
};

beforeAll(async () => {
  for (const role of ROLES) principals[role] = { authorization: `Bearer ${await createToken(role, "*")}` };
});

describe("the role table", () => {
  it("names every admin route the app has, and no route it does not have", () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    expect(ROUTES.filter((route) => !(route in OPERATIONS))).toEqual([]);
    expect(Object.keys(OPERATIONS).filter((op) => !ROUTES.includes(op))).toEqual([]);
  });

  it.each(ROUTES)(
    "%s: allowed where the table says so, 403 forbidden elsewhere, never a 500",
    async (route) => {
      for (const [who, headers] of Object.entries(principals)) {
        const role: Role = who === "bootstrap" ? "owner" : (who as Role);
        const { method, path, body } = request(route);
        const res = await call(method, path, headers, body);
        const text = await res.text();
        const where = `${who} ${method} ${path} → ${res.status} ${text.slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        expect(res.status, where).not.toBe(401);
        if (allows(role, route)) {
          expect(res.status, where).not.toBe(403);
        } else {
          expect(res.status, where).toBe(403);
          expect((JSON.parse(text) as ErrorBody).error.code, where).toBe("forbidden");
        }
      }
    },
  );
});

describe("a role holds on its own sites", () => {
  it("an analyst of the strict site reads its leads, not the demo site's, and cannot save its config", async () => {
    const headers = { authorization: `Bearer ${await createToken("analyst", ["strict"])}` };
    expect((await call("GET", "/leads?site=strict", headers)).status).toBe(200);
    expect((await call("GET", "/leads?site=demo", headers)).status).toBe(403);
    expect((await call("GET", "/sites/strict/config", headers)).status).toBe(403);
    const sites = (await (await call("GET", "/sites", headers)).json()) as { sites: { id: string }[] };
    expect(sites.sites.map((s) => s.id)).toEqual(["strict"]);
  });

  it("a CRM token reports a stage but reads nothing, not even the lead it reported on", async () => {
    const headers = { authorization: `Bearer ${await createToken("crm", ["demo"])}` };
    const posted = await postLead(submission());
    expect(posted.ok).toBe(true);
    const { leadId } = (await posted.json()) as { leadId: string };
    const res = await call("POST", `/leads/${leadId}/stage`, headers, {
      stage: "SQL",
      reason: "accepted in CRM",
    });
    expect(res.status).toBe(200);
    expect((await call("GET", `/leads/${leadId}`, headers)).status).toBe(403);
    expect((await call("GET", "/leads?site=demo", headers)).status).toBe(403);
    expect((await call("GET", "/metrics?site=demo", headers)).status).toBe(403);
    expect((await call("GET", "/me", headers)).status).toBe(200);
  });

  it("only a principal owning every site creates a site", async () => {
    const headers = { authorization: `Bearer ${await createToken("owner", ["demo"])}` };
    const res = await call("POST", "/sites", headers, { config: {} });
    expect(res.status).toBe(403);
  });
});

describe("API tokens", () => {
  it("are shown once, kept only as a hash, work until revoked, and record their last use", async () => {
    const name = unique("ci-");
    const res = await call("POST", "/tokens", adminHeaders, { name, role: "analyst", sites: ["demo"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { token, apiToken } = (await res.json()) as { token: string; apiToken: { id: string } };
    expect(token).toMatch(/^lc_[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?1").bind(apiToken.id).first();
    expect(JSON.stringify(row)).not.toContain(token.slice(3));
    expect(row?.hash).toBe(await tokenHash(token));
    const headers = { authorization: `Bearer ${token}` };
    const me = (await (await call("GET", "/me", headers)).json()) as { kind: string; name: string };
    expect(me).toEqual({ kind: "token", name, roles: { demo: "analyst" } });
    // Recorded after the answer (waitUntil): looked for until it is there.
    const lastUsedAt = await eventually(async () => {
      const listed = (await (await call("GET", "/tokens", adminHeaders)).json()) as {
        tokens: { id: string; lastUsedAt: string | null }[];
      };
      expect(JSON.stringify(listed)).not.toContain(token);
      return listed.tokens.find((t) => t.id === apiToken.id)?.lastUsedAt ?? undefined;
    });
    expect(Date.now() - Date.parse(lastUsedAt)).toBeLessThan(60_000);
    expect((await call("DELETE", `/tokens/${apiToken.id}`, adminHeaders)).status).toBe(200);
    expect((await call("GET", "/me", headers)).status).toBe(401);
    expect((await call("DELETE", `/tokens/${apiToken.id}`, adminHeaders)).status).toBe(409);
  });

  it("stop working when they expire, and cannot be made expired", async () => {
    const secret = `lc_${unique("expired")}`;
    await env.DB.prepare(
      `INSERT INTO api_tokens (id, hash, name, role, sites, created_at, created_by, expires_at)
       VALUES (?1, ?2, 'old', 'owner', '"*"', '2026-01-01T00:00:00.000Z', 'bootstrap', '2026-02-01T00:00:00.000Z')`,
    )
      .bind(unique("tok_"), await tokenHash(secret))
      .run();
    expect((await call("GET", "/me", { authorization: `Bearer ${secret}` })).status).toBe(401);
    const past = { name: "x", role: "owner", sites: "*", expiresAt: "2020-01-01T00:00:00Z" };
    expect((await call("POST", "/tokens", adminHeaders, past)).status).toBe(400);
  });

  it("are managed by owners of every site they grant, and only those", async () => {
    const owner = { authorization: `Bearer ${await createToken("owner", ["strict"])}` };
    expect((await call("POST", "/tokens", owner, { name: "a", role: "crm", sites: ["strict"] })).status).toBe(
      201,
    );
    expect((await call("POST", "/tokens", owner, { name: "b", role: "crm", sites: ["demo"] })).status).toBe(
      403,
    );
    expect((await call("POST", "/tokens", owner, { name: "c", role: "crm", sites: "*" })).status).toBe(403);
    const listed = (await (await call("GET", "/tokens", owner)).json()) as { tokens: { sites: unknown }[] };
    expect(listed.tokens.every((t) => JSON.stringify(t.sites) === '["strict"]')).toBe(true);
    const nowhere = { name: "d", role: "crm", sites: ["no-such-site"] };
    expect((await call("POST", "/tokens", adminHeaders, nowhere)).status).toBe(400);
  });
});
