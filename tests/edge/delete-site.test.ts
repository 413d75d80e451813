/**
 * Deleting a site through the admin API, in workerd with the real D1: owners only, the id typed again,
 * never a site from LEADCAP_SITES; afterwards the site is gone everywhere at once (this isolate) and
 * nothing of it is left in the store but its audit entries, while the other sites are untouched.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SiteRemoval } from "../../shared/api/site-removal.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, get, postLead, submission, unique } from "./helpers.ts";

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = adminHeaders) {
  return exports.default.fetch(
    new Request(`${EDGE}/v1/admin${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

function siteConfig(id: string): SiteConfig {
  return {
    ...SiteSchema.parse(demoSite),
    id,
    name: `Doomed ${id}`,
    allowedOrigins: [ALLOWED_ORIGIN],
    destinations: [],
    routing: undefined,
  };
}

async function createSite(): Promise<string> {
  const id = unique("gone-");
  expect((await send("POST", "/sites", { config: siteConfig(id) })).status).toBe(201);
  return id;
}

async function token(
  role: string,
  sites: "*" | string[],
): Promise<{ id: string; headers: Record<string, string> }> {
  const res = await send("POST", "/tokens", { name: unique(`${role}-`), role, sites });
  expect(res.status).toBe(201);
  const { token, apiToken } = (await res.json()) as { token: string; apiToken: { id: string } };
  return { id: apiToken.id, headers: { authorization: `Bearer ${token}` } };
}

const rows = async (table: string, site: string) =>
  (
    await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE site = ?1`)
      .bind(site)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("DELETE /v1/admin/sites/:site", () => {
  it("deletes the site and everything stored for it; the audit log and the other sites stay", async () => {
    const id = await createSite();
    const other = await createSite();
    for (const site of [id, other]) expect((await postLead(submission({ site }))).status).toBe(201);
    const shared = await token("analyst", [id, other]);
    const email = `${unique("m")}@example.com`;
    const member = await send("PUT", `/members/${encodeURIComponent(email)}`, {
      roles: { [id]: "editor", [other]: "analyst" },
    });
    expect(member.ok).toBe(true);

    const res = await send("DELETE", `/sites/${id}`, { confirm: id });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as SiteRemoval;
    expect(answer.site).toBe(id);
    expect(answer.removed).toMatchObject({
      configVersions: 1,
      leads: 1,
      submissions: 1,
      deliveries: 0,
      tokens: 1,
      members: 1,
    });

    // Gone at once from this isolate: admin config, the widget's site, the switcher's list.
    expect((await send("GET", `/sites/${id}/config`)).status).toBe(404);
    expect((await get(`/v1/sites/${id}`)).status).toBe(404);
    const listed = (await (await send("GET", "/sites")).json()) as { sites: { id: string }[] };
    expect(listed.sites.map((s) => s.id)).not.toContain(id);
    expect(listed.sites.map((s) => s.id)).toContain(other);
    expect((await send("DELETE", `/sites/${id}`, { confirm: id })).status).toBe(404);
    // A lead for it is refused now, not stored.
    expect((await postLead(submission({ site: id }))).status).toBeGreaterThanOrEqual(400);

    for (const table of [
      "site_configs",
      "leads",
      "submissions",
      "form_stats",
      "touch_stats",
      "capture_health",
    ])
      expect(await rows(table, id), table).toBe(0);
    // The audit log keeps the site's entries, the deletion's among them.
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE site = ?1")
      .bind(id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(
      expect.arrayContaining(["site.create", "site.delete"]),
    );

    // The token and the member keep the other site, and only it.
    const me = (await (await send("GET", "/me", undefined, shared.headers)).json()) as { roles: object };
    expect(me.roles).toEqual({ [other]: "analyst" });
    const members = (await (await send("GET", "/members")).json()) as {
      members: { email: string; roles: object }[];
    };
    expect(members.members.find((m) => m.email === email)?.roles).toEqual({ [other]: "analyst" });

    // The other site is untouched.
    expect((await send("GET", `/sites/${other}/config`)).status).toBe(200);
    expect(await rows("leads", other)).toBe(1);
    expect(await rows("site_configs", other)).toBe(1);
  });

  it("is refused to an editor (403), and to the owner of another site", async () => {
    const id = await createSite();
    const editor = await token("editor", "*");
    const res = await send("DELETE", `/sites/${id}`, { confirm: id }, editor.headers);
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe("forbidden");
    const owner = await token("owner", ["strict"]);
    expect((await send("DELETE", `/sites/${id}`, { confirm: id }, owner.headers)).status).toBe(403);
    expect((await send("GET", `/sites/${id}/config`)).status).toBe(200);
  });

  it("needs the site's id typed again (400 naming confirm)", async () => {
    const id = await createSite();
    for (const body of [{ confirm: "demo" }, { confirm: `${id} ` }, {}]) {
      const res = await send("DELETE", `/sites/${id}`, body);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe("invalid_request");
      expect(error.fields).toHaveProperty("confirm");
    }
    expect((await send("GET", `/sites/${id}/config`)).status).toBe(200);
  });

  it("refuses a site configured in LEADCAP_SITES (409): it would come back from the variable", async () => {
    const res = await send("DELETE", "/sites/strict", { confirm: "strict" });
    expect(res.status).toBe(409);
    const error = ((await res.json()) as ErrorBody).error;
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("LEADCAP_SITES");
    expect((await send("GET", "/sites/strict/config")).status).toBe(200);
  });
});
