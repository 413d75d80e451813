/** Data-subject requests: export and erase everything about a person, recorded without the address. */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SubmitAnswer } from "../../shared/lead.ts";
import { adminHeaders, EDGE, eventually, get, postLead, submission, unique } from "./helpers.ts";

function del(path: string, headers: Record<string, string> = adminHeaders): Promise<Response> {
  return exports.default.fetch(new Request(`${EDGE}${path}`, { method: "DELETE", headers }));
}

async function countFor(leadId: string): Promise<Record<string, number>> {
  const tables = ["leads", "submissions", "lead_events", "stage_history", "outcomes", "outbox"] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const column = table === "leads" ? "id" : "lead_id";
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`)
      .bind(leadId)
      .first<{ n: number }>();
    out[table] = row?.n ?? 0;
  }
  return out;
}

describe("people: export and erase", () => {
  it("exports everything about a person, including a repeat under another spelling", async () => {
    const name = unique("person");
    const email = `${name}@analytical.example`;
    const { leadId } = (await (
      await postLead(submission({ fields: { email, name: "Ada", consent: true } }))
    ).json()) as SubmitAnswer;
    await postLead(
      submission({ fields: { email: ` ${email.toUpperCase()}`, name: "Ada L.", consent: true } }),
    );
    await exports.default.fetch(
      new Request(`${EDGE}/v1/admin/leads/${leadId}/events`, {
        method: "POST",
        headers: { ...adminHeaders, "content-type": "application/json" },
        body: JSON.stringify({ events: [{ type: "webinar" }] }),
      }),
    );
    const res = await get(
      `/v1/admin/people/${encodeURIComponent(email.toUpperCase())}/export?site=demo`,
      adminHeaders,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const data = (await res.json()) as {
      lead: { id: string; email: string };
      submissions: unknown[];
      events: { type: string }[];
      deliveries: unknown[];
    };
    expect(data.lead).toMatchObject({ id: leadId, email });
    expect(data.submissions).toHaveLength(2);
    expect(data.events.map((e) => e.type)).toEqual(["webinar"]);
    expect(data.deliveries.length).toBeGreaterThanOrEqual(2);
  });

  it("erases it all in one go, records the erasure without the address, and answers 404 after", async () => {
    const email = `${unique("gone")}@analytical.example`;
    const { leadId } = (await (
      await postLead(submission({ fields: { email, name: "Gone", consent: true } }))
    ).json()) as SubmitAnswer;
    // Let the first delivery go out, so erasure covers delivered rows as well as pending ones.
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT status FROM outbox WHERE lead_id = ? AND status = 'delivered'")
        .bind(leadId)
        .first();
      return row ?? undefined;
    });
    await postLead(submission({ fields: { email, name: "Gone again", consent: true } }));
    expect((await countFor(leadId)).leads).toBe(1);

    const res = await del(`/v1/admin/people/${encodeURIComponent(email)}?site=demo`);
    expect(res.status).toBe(200);
    const receipt = (await res.json()) as { id: string; removed: Record<string, number> };
    expect(receipt.removed).toMatchObject({ leads: 1, submissions: 2 });
    expect(receipt.removed.deliveries).toBeGreaterThanOrEqual(2);
    expect(await countFor(leadId)).toEqual({
      leads: 0,
      submissions: 0,
      lead_events: 0,
      stage_history: 0,
      outcomes: 0,
      outbox: 0,
    });

    const record = await env.DB.prepare("SELECT * FROM erasures WHERE id = ?")
      .bind(receipt.id)
      .first<Record<string, string>>();
    expect(record?.site).toBe("demo");
    expect(JSON.stringify(record)).not.toContain(email.split("@")[0]);
    expect(
      (await get(`/v1/admin/people/${encodeURIComponent(email)}/export?site=demo`, adminHeaders)).status,
    ).toBe(404);
    expect((await del(`/v1/admin/people/${encodeURIComponent(email)}?site=demo`)).status).toBe(404);
  });

  it("needs a token for the site, and a site", async () => {
    const email = `${unique("p")}@x.example`;
    expect((await del(`/v1/admin/people/${email}?site=demo`, {})).status).toBe(401);
    expect(
      (
        await del(`/v1/admin/people/${email}?site=demo`, {
          authorization: "Bearer strict-only-token-0123456789",
        })
      ).status,
    ).toBe(403);
    expect((await del(`/v1/admin/people/${email}`)).status).toBe(400);
  });
});
