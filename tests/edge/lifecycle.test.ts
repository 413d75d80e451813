/** A lead's life after capture: stages, product events and PQL, outcomes, re-scoring. */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { ReceivedDelivery } from "../../demo-site/dev/receiver.ts";
import { rescoreSweep } from "../../edge/src/pipeline/lifecycle.ts";
import { getSite } from "../../edge/src/sites.ts";
import { storeFor } from "../../edge/src/stores/index.ts";
import type { SiteConfig } from "../../shared/config.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Lead, LeadEvent, SubmitAnswer } from "../../shared/lead.ts";
import { adminHeaders, EDGE, eventually, get, postLead, submission, unique } from "./helpers.ts";

function adminPost(
  path: string,
  body: unknown,
  headers: Record<string, string> = adminHeaders,
): Promise<Response> {
  return exports.default.fetch(
    new Request(`${EDGE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function newLead(
  overrides: Parameters<typeof submission>[0] = {},
  origin?: string,
): Promise<SubmitAnswer> {
  const res = await postLead(submission(overrides), origin ? { origin } : {});
  expect(res.status).toBe(201);
  return (await res.json()) as SubmitAnswer;
}

async function lead(id: string): Promise<Lead> {
  return (await (await get(`/v1/admin/leads/${id}`, adminHeaders)).json()) as Lead;
}

describe("stages", () => {
  it("moves a lead to SQL when sales accepts it, with the cause in its history, and tells the webhook", async () => {
    const { leadId } = await newLead();
    const res = await adminPost(`/v1/admin/leads/${leadId}/stage`, {
      stage: "SQL",
      reason: "accepted by Grace (sales)",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Lead).stage).toBe("SQL");
    const history = (await (await get(`/v1/admin/leads/${leadId}/stages`, adminHeaders)).json()) as {
      stages: { from: string; to: string; cause: string }[];
    };
    expect(history.stages).toEqual([
      expect.objectContaining({ from: "MQL", to: "SQL", cause: "accepted by Grace (sales)" }),
    ]);

    const receiverUrl = inject("receiverUrl");
    const delivery = await eventually(async () => {
      const all = (await (await fetch(`${receiverUrl}/deliveries`)).json()) as ReceivedDelivery[];
      return all.find((d) => d.body.includes(leadId) && d.body.includes('"lead.stage_changed"'));
    });
    expect(delivery.verified).toBe(true);
    expect((JSON.parse(delivery.body) as LeadEvent).data.stage).toBe("SQL");
  });

  it("refuses unknown stages, unknown leads and missing tokens", async () => {
    const { leadId } = await newLead();
    const bad = await adminPost(`/v1/admin/leads/${leadId}/stage`, { stage: "HOT" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fields).toHaveProperty("stage");
    expect((await adminPost("/v1/admin/leads/lead_nope/stage", { stage: "SQL" })).status).toBe(404);
    expect((await adminPost(`/v1/admin/leads/${leadId}/stage`, { stage: "SQL" }, {})).status).toBe(401);
    expect((await lead(leadId)).stage).not.toBe("SQL");
  });
});

describe("product events", () => {
  it("re-scores with each event and makes the lead a PQL when the site's rule holds", async () => {
    const { leadId, score } = await newLead(
      { site: "strict", form: "signup", fields: { email: `${unique()}@acme.example` } },
      "https://strict.example",
    );
    const two = await adminPost(`/v1/admin/leads/${leadId}/events`, {
      events: [{ type: "project_created" }, { type: "project_created" }],
    });
    expect(two.status).toBe(200);
    const afterTwo = (await two.json()) as Lead;
    expect(afterTwo.score).toBe(score + 20);
    expect(afterTwo.reasons.map((r) => r.label)).toContainEqual(
      expect.stringMatching(/^Created projects 2×/),
    );
    expect(afterTwo.stage).not.toBe("PQL");

    const three = (await (
      await adminPost(`/v1/admin/leads/${leadId}/events`, {
        events: [{ type: "project_created", props: { name: "Q4 plan" } }],
      })
    ).json()) as Lead;
    expect(three.stage).toBe("PQL");
    const history = (await (await get(`/v1/admin/leads/${leadId}/stages`, adminHeaders)).json()) as {
      stages: { to: string; cause: string }[];
    };
    expect(history.stages.at(-1)).toMatchObject({ to: "PQL", cause: "pql" });
    const events = (await (await get(`/v1/admin/leads/${leadId}/events`, adminHeaders)).json()) as {
      events: { type: string; props?: unknown }[];
    };
    expect(events.events).toHaveLength(3);
    expect(events.events[2]?.props).toEqual({ name: "Q4 plan" });
  });

  it("refuses malformed events and stores none", async () => {
    const { leadId } = await newLead();
    const res = await adminPost(`/v1/admin/leads/${leadId}/events`, {
      events: [{ type: "Project Created!" }],
    });
    expect(res.status).toBe(400);
    const events = (await (await get(`/v1/admin/leads/${leadId}/events`, adminHeaders)).json()) as {
      events: unknown[];
    };
    expect(events.events).toEqual([]);
  });
});

describe("outcomes", () => {
  it("makes a won lead a customer and records a lost one; unknown leads are reported", async () => {
    const won = await newLead();
    const lost = await newLead();
    const res = await adminPost("/v1/admin/outcomes", {
      outcomes: [
        { leadId: won.leadId, outcome: "converted", at: "2026-11-21T09:00:00Z", value: 12000 },
        { leadId: lost.leadId, outcome: "lost", at: "2026-11-21T09:00:00Z" },
        { leadId: "lead_nope", outcome: "lost", at: "2026-11-21T09:00:00Z" },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ recorded: 2, unknown: 1 });
    expect((await lead(won.leadId)).stage).toBe("customer");
    expect((await lead(lost.leadId)).stage).toBe(lost.stage);
    const rows = await env.DB.prepare(
      "SELECT lead_id, outcome, value FROM outcomes WHERE lead_id IN (?, ?) ORDER BY outcome",
    )
      .bind(won.leadId, lost.leadId)
      .all();
    expect(rows.results).toEqual([
      { lead_id: won.leadId, outcome: "converted", value: 12000 },
      { lead_id: lost.leadId, outcome: "lost", value: null },
    ]);
    // The lead page reads it back.
    const read = async (id: string) =>
      (await (await get(`/v1/admin/leads/${id}/outcome`, adminHeaders)).json()) as { outcome: unknown };
    expect(await read(won.leadId)).toEqual({
      outcome: { leadId: won.leadId, outcome: "converted", at: "2026-11-21T09:00:00.000Z", value: 12000 },
    });
    expect(await read(lost.leadId)).toEqual({
      outcome: { leadId: lost.leadId, outcome: "lost", at: "2026-11-21T09:00:00.000Z" },
    });
    expect(await read((await newLead()).leadId)).toEqual({ outcome: null });
    expect((await get("/v1/admin/leads/lead_nope/outcome", adminHeaders)).status).toBe(404);
  });
});

describe("re-scoring", () => {
  it("scores a merged lead as a whole: a thinner repeat visit lowers it, not just keeps the max", async () => {
    const email = `${unique("re")}@analytical.example`;
    const first = await newLead({
      fields: { email, name: "Ada", company: "Analytical Engines", consent: true },
    });
    const thin = submission({
      fields: { email, name: "Ada", consent: true },
      engagement: { activeTimeMs: 1000, maxScrollPct: 5, pageViews: 1, visits: 1 },
    });
    thin.attribution.lastTouch = { landingPage: "https://www.example.com/", at: "2026-11-21T10:00:00.000Z" };
    const answer = (await (await postLead(thin)).json()) as SubmitAnswer;
    expect(answer.duplicate).toBe(true);
    // The answer carries the higher score at once; the merged lead is re-scored right after.
    expect(answer.score).toBe(first.score);
    const rescored = await eventually(async () => {
      const current = await lead(first.leadId);
      return current.score < first.score ? current : undefined;
    });
    // The company told the first time still counts: fields merge, engagement is the latest visit's.
    expect(rescored.reasons.map((r) => r.rule)).toContain("named-company");
    expect(rescored.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(rescored.score);
  });

  it("re-scores a site's leads in the background when its rules change, and resumes where it stopped", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await newLead(
            { site: "strict", form: "signup", fields: { email: `${unique()}@acme.example` } },
            "https://strict.example",
          )
        ).leadId,
      );
    }
    const site = getSite("strict", env)!;
    const changed: SiteConfig = {
      ...site,
      scoring: {
        ...site.scoring,
        rules: [
          ...site.scoring.rules,
          {
            id: "bonus",
            label: "Launch bonus",
            points: 25,
            when: [{ signal: "form.intent", op: "eq", value: "trial" }],
          },
        ],
      },
    };
    const store = storeFor(env);
    // A small batch per tick: the sweep stops and picks up again at the next one.
    let total = 0;
    for (let tick = 0; tick < 200; tick++) {
      const done = await rescoreSweep(env, store, [changed], 50);
      total += done;
      if (done === 0) break;
    }
    expect(total).toBeGreaterThanOrEqual(3);
    for (const id of ids) {
      const current = await lead(id);
      expect(current.reasons.map((r) => r.label)).toContain("Launch bonus");
    }
    expect(await rescoreSweep(env, store, [changed], 50)).toBe(0);
  });
});
