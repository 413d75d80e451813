/**
 * Roles on every admin route: the routes are read from the app itself (a route added tomorrow is
 * walked too, and fails here until the role table names it), each is called with every role, and the
 * answer is 403 `forbidden` exactly where the role table says no; never a 500. Then per site: a role
 * holds on its sites only.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../edge/src/app.ts";
import { allows, OPERATIONS, ROLES, type Role } from "../../shared/api/roles.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { adminHeaders, EDGE, postLead, submission, unique } from "./helpers.ts";

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
