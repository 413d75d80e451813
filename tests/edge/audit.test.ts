/**
 * The audit log: every config save, rollback, token and member change, replay, erasure and export is
 * recorded with who (bootstrap, the token's name, the member's email), what and when, on the site it
 * concerned, and read back through the API by owners and editors (analysts and CRMs may not).
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../shared/api/people-access.ts";
import { SiteSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, eventually, postLead, submission, unique } from "./helpers.ts";

function call(method: string, path: string, headers: Record<string, string> = adminHeaders, body?: unknown) {
  return exports.default.fetch(
    new Request(`${EDGE}/v1/admin${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function json<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

async function auditOf(site: string, headers = adminHeaders): Promise<AuditEntry[]> {
  return (await json<{ entries: AuditEntry[] }>(await call("GET", `/sites/${site}/audit?limit=200`, headers)))
    .entries;
}

const site = unique("site-");
let tokenName: string;
let analyst: Record<string, string>;

beforeAll(async () => {
  const config = {
    ...SiteSchema.parse(demoSite),
    id: site,
    name: "Audited",
    allowedOrigins: [ALLOWED_ORIGIN],
    destinations: [],
    routing: undefined,
  };
  await json(await call("POST", "/sites", adminHeaders, { config, note: "first" }), 201);
  tokenName = unique("analyst-");
  const created = await json<{ token: string }>(
    await call("POST", "/tokens", adminHeaders, { name: tokenName, role: "analyst", sites: [site] }),
    201,
  );
  analyst = { authorization: `Bearer ${created.token}` };
});

describe("the audit log", () => {
  it("records config saves and rollbacks, by whom, newest first", async () => {
    const served = await json<{ version: number; config: unknown }>(
      await call("GET", `/sites/${site}/config`),
    );
    await json(
      await call("PUT", `/sites/${site}/config`, adminHeaders, {
        config: served.config,
        baseVersion: served.version,
        note: "tweak",
      }),
    );
    await json(
      await call("POST", `/sites/${site}/config/rollback`, adminHeaders, {
        version: 1,
        baseVersion: served.version + 1,
      }),
    );
    const entries = await auditOf(site);
    const mine = entries.filter((e) => e.site === site);
    expect(mine.slice(0, 2).map((e) => [e.action, e.target])).toEqual([
      ["config.rollback", `version ${served.version + 2}: Rolled back to version 1`],
      ["config.save", `version ${served.version + 1}: tweak`],
    ]);
    expect(mine.some((e) => e.action === "site.create")).toBe(true);
    for (const e of mine) {
      expect(e.actor).toBe("bootstrap");
      expect(e.actorKind).toBe("bootstrap");
      expect(Date.now() - Date.parse(e.at)).toBeLessThan(60_000);
    }
  });

  it("records token and member changes on the sites they grant", async () => {
    const name = unique("ci-");
    const created = await json<{ apiToken: { id: string } }>(
      await call("POST", "/tokens", adminHeaders, { name, role: "editor", sites: [site] }),
      201,
    );
    await json(await call("DELETE", `/tokens/${created.apiToken.id}`));
    const email = `${unique("ed")}@example.com`;
    await json(await call("PUT", `/members/${email}`, adminHeaders, { roles: { [site]: "editor" } }), 201);
    await json(await call("DELETE", `/members/${email}`));
    const actions = (await auditOf(site)).filter((e) => e.target.includes(name) || e.target.includes(email));
    expect(actions.map((e) => e.action)).toEqual([
      "member.remove",
      "member.save",
      "token.revoke",
      "token.create",
    ]);
  });

  it("records exports and erasures without the person's address, and who asked", async () => {
    const email = `${unique("erase")}@example.com`;
    const posted = await postLead(submission({ site, fields: { ...submission().fields, email } }));
    expect(posted.ok).toBe(true);
    const csv = await call("GET", `/leads.csv?site=${site}`, analyst);
    expect(csv.status).toBe(200);
    await csv.text();
    await json(await call("GET", `/people/${encodeURIComponent(email)}/export?site=${site}`));
    const receipt = await json<{ id: string }>(
      await call("DELETE", `/people/${encodeURIComponent(email)}?site=${site}`),
    );
    const entries = (await auditOf(site)).filter((e) => e.site === site);
    const byAction = (action: string) => entries.find((e) => e.action === action);
    expect(byAction("leads.export")).toMatchObject({ actor: tokenName, actorKind: "token" });
    expect(byAction("person.export")?.target).toMatch(/^export of lead_/);
    expect(byAction("person.erase")?.target).toBe(`erasure ${receipt.id}`);
    expect(JSON.stringify(entries)).not.toContain(email);
  });

  it("records a replay on the delivery's site", async () => {
    const posted = await json<{ leadId: string }>(await postLead(submission()), 201);
    const delivery = await eventually(async () => {
      const page = await json<{ deliveries: { id: string; status: string }[] }>(
        await call("GET", `/deliveries?site=demo&lead=${posted.leadId}`),
      );
      return page.deliveries.find((d) => d.status !== "pending");
    });
    await json(await call("POST", `/deliveries/${delivery.id}/replay`));
    const entry = (await auditOf("demo")).find(
      (e) => e.action === "delivery.replay" && e.target.includes(delivery.id),
    );
    expect(entry).toMatchObject({ site: "demo", actor: "bootstrap" });
  });

  it("is read by owners and editors, not analysts; pages by cursor", async () => {
    const editor = await json<{ token: string }>(
      await call("POST", "/tokens", adminHeaders, { name: unique("ed-"), role: "editor", sites: [site] }),
      201,
    );
    expect(
      (await call("GET", `/sites/${site}/audit`, { authorization: `Bearer ${editor.token}` })).status,
    ).toBe(200);
    expect((await call("GET", `/sites/${site}/audit`, analyst)).status).toBe(403);
    const first = await json<{ entries: AuditEntry[]; next: string | null }>(
      await call("GET", `/sites/${site}/audit?limit=2`),
    );
    expect(first.entries).toHaveLength(2);
    expect(first.next).toBe(first.entries[1]!.id);
    const second = await json<{ entries: AuditEntry[] }>(
      await call("GET", `/sites/${site}/audit?limit=2&cursor=${first.next}`),
    );
    expect(second.entries[0]!.id < first.next!).toBe(true);
    expect((await call("GET", `/sites/${site}/audit?limit=0`)).status).toBe(400);
  });
});
