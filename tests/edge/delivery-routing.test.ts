/**
 * Routing rules: which destinations a lead (or an event about it) goes to. The marketer's example —
 * hot leads alert sales now, warm leads go to the nurture tool, every lead goes to the CRM — in three
 * lines; several matching rules; a default route; rules on stage, score range, form, channel, UTM
 * and field values; routing again on lead.updated / lead.stage_changed.
 */
import { env as workerEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../edge/src/app.ts";
import { destinationsFor, submissionDestinations } from "../../edge/src/routing.ts";
import type { SiteConfigInput } from "../../shared/config.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { Lead, LeadEventType, SubmitAnswer } from "../../shared/lead.ts";
import { leadFor, siteWith, testEnv } from "./delivery-support.ts";
import { ALLOWED_ORIGIN, randomIp, submission, unique } from "./helpers.ts";

const hook = (id: string) => ({
  id,
  type: "webhook" as const,
  url: `https://${id}.example.com/hook`,
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
});

function site(
  routing: SiteConfigInput["routing"],
  ids = ["slack-sales", "nurture", "crm", "partners", "emea"],
) {
  return SiteSchema.parse(siteWith("routed", ids.map(hook), routing));
}

const env = testEnv([]);
const route = (s: SiteConfig, lead: Partial<Lead>, event?: LeadEventType) =>
  destinationsFor(s, leadFor(s.id, lead), env, event).map((d) => d.id);

describe("routing rules", () => {
  it("hot → sales now, warm → nurture, every lead → the CRM, in three lines", () => {
    const s = site({
      routes: [
        { when: { temperature: "hot" }, to: ["slack-sales"] },
        { when: { temperature: "warm" }, to: ["nurture"] },
        { to: ["crm"] },
      ],
    });
    expect(route(s, { temperature: "hot" })).toEqual(["slack-sales", "crm"]);
    expect(route(s, { temperature: "warm" })).toEqual(["nurture", "crm"]);
    expect(route(s, { temperature: "cold" })).toEqual(["crm"]);
  });

  it("without routing every destination gets every lead; with routing a lead no rule matches goes to the default", () => {
    expect(route(site(undefined), { temperature: "cold" })).toEqual([
      "slack-sales",
      "nurture",
      "crm",
      "partners",
      "emea",
    ]);
    const s = site({ routes: [{ when: { temperature: "hot" }, to: ["slack-sales"] }], default: ["crm"] });
    expect(route(s, { temperature: "hot" })).toEqual(["slack-sales"]);
    expect(route(s, { temperature: "warm" })).toEqual(["crm"]);
    expect(
      route(site({ routes: [{ when: { temperature: "hot" }, to: ["crm"] }] }), { temperature: "cold" }),
    ).toEqual([]);
  });

  it("matches on stage, score range, form, intent, channel, UTM values, field values and scoring conditions", () => {
    const s = site({
      routes: [
        { when: { stage: ["MQL", "SQL"] }, to: ["slack-sales"] },
        { when: { score: { min: 40, max: 60 } }, to: ["nurture"] },
        { when: { form: "contact", intent: "contact" }, to: ["crm"] },
        { when: { channel: "partner", utm: { utm_source: ["acme", "globex"] } }, to: ["partners"] },
        { when: { fields: { country: ["DE", "AT"] } }, to: ["emea"] },
        {
          name: "big companies",
          when: { conditions: [{ signal: "fields.employees", op: "gte", value: 500 }] },
          to: ["slack-sales"],
        },
      ],
    });
    const base: Partial<Lead> = { stage: "IQL", score: 10, form: "quote", fields: {} };
    expect(route(s, base)).toEqual([]);
    expect(route(s, { ...base, stage: "SQL" })).toEqual(["slack-sales"]);
    expect(route(s, { ...base, score: 40 })).toEqual(["nurture"]);
    expect(route(s, { ...base, score: 60 })).toEqual(["nurture"]);
    expect(route(s, { ...base, score: 61 })).toEqual([]);
    expect(route(s, { ...base, form: "contact" })).toEqual(["crm"]);
    const touch = leadFor("routed").lastTouch;
    expect(route(s, { ...base, lastTouch: { ...touch, channel: "partner", utm_source: "ACME" } })).toEqual([
      "partners",
    ]);
    expect(route(s, { ...base, lastTouch: { ...touch, channel: "partner", utm_source: "initech" } })).toEqual(
      [],
    );
    expect(route(s, { ...base, fields: { country: "at" } })).toEqual(["emea"]);
    expect(route(s, { ...base, fields: { employees: "750" } })).toEqual(["slack-sales"]);
    // Several rules match: each adds its destinations, once.
    expect(route(s, { ...base, stage: "MQL", fields: { country: "DE", employees: 900 } })).toEqual([
      "slack-sales",
      "emea",
    ]);
  });

  it("runs again on lead.updated and lead.stage_changed; `event` narrows a route; `stop` ends the list", () => {
    const s = site({
      routes: [
        {
          when: { temperature: "hot", event: ["lead.created", "lead.updated"] },
          to: ["slack-sales"],
          stop: true,
        },
        { when: { event: "lead.stage_changed", stage: "SQL" }, to: ["crm"] },
        { to: ["nurture"] },
      ],
    });
    // A submission (event undefined) may become lead.created or lead.merged: routes for either apply.
    expect(route(s, { temperature: "hot" })).toEqual(["slack-sales"]);
    expect(route(s, { temperature: "hot" }, "lead.updated")).toEqual(["slack-sales"]);
    // Destinations come in the site's order, each once.
    expect(route(s, { temperature: "hot", stage: "SQL" }, "lead.stage_changed")).toEqual(["nurture", "crm"]);
    expect(route(s, { temperature: "warm", stage: "SQL" }, "lead.updated")).toEqual(["nurture"]);
  });

  it("routes a submission as both a new lead and a repeat, each destination marked with the event it is for", () => {
    const s = site({
      routes: [
        { when: { temperature: "hot", event: "lead.created" }, to: ["slack-sales"], stop: true },
        { when: { event: "lead.merged" }, to: ["partners"] },
        { to: ["crm"] },
      ],
    });
    const plan = (lead: Partial<Lead>) => submissionDestinations(s, leadFor(s.id, lead), env);
    // New and hot: sales only (stop); a hot repeat skips that route and reaches partners and the CRM.
    expect(plan({ temperature: "hot" })).toEqual([
      { destination: "slack-sales", when: "lead.created" },
      { destination: "crm", when: "lead.merged" },
      { destination: "partners", when: "lead.merged" },
    ]);
    expect(plan({ temperature: "warm" })).toEqual([
      { destination: "crm" },
      { destination: "partners", when: "lead.merged" },
    ]);
  });

  it("skips destinations whose variables are unset, and refuses routing that does not parse", () => {
    const s = SiteSchema.parse(
      siteWith(
        "vars",
        [hook("crm"), { id: "later", type: "webhook", url: "${NOT_SET_URL}", secret: "${NOT_SET_SECRET}" }],
        { routes: [{ to: ["crm", "later"] }] },
      ),
    );
    expect(route(s, {})).toEqual(["crm"]);
    expect(SiteSchema.safeParse(siteWith("bad", [hook("crm")], { routes: [{ to: [] }] })).success).toBe(
      false,
    );
    expect(
      SiteSchema.safeParse(
        siteWith("bad", [hook("crm")], {
          routes: [{ when: { temperature: "boiling" as "hot" }, to: ["crm"] }],
        }),
      ).success,
    ).toBe(false);
  });
});

describe("routing a submission through POST /v1/leads", () => {
  it("sends a welcome only to new leads and a repeat alert only on repeats, from one atomic write", async () => {
    const e = testEnv([
      siteWith("by-event", [hook("welcome"), hook("repeat-alert"), hook("crm")], {
        routes: [
          { when: { event: "lead.created" }, to: ["welcome"] },
          { when: { event: "lead.merged" }, to: ["repeat-alert"] },
          { to: ["crm"] },
        ],
      }),
    ]);
    const background: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => background.push(p),
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    const post = (body: unknown) =>
      app.fetch(
        new Request("https://edge.test/v1/leads", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: ALLOWED_ORIGIN,
            "cf-connecting-ip": randomIp(),
          },
          body: JSON.stringify(body),
        }),
        e,
        ctx,
      );
    const first = submission({ site: "by-event" });
    const created = (await (await post(first)).json()) as SubmitAnswer;
    const repeat = (await (await post({ ...first, submissionId: unique("sub_") })).json()) as SubmitAnswer;
    expect(repeat).toMatchObject({ leadId: created.leadId, duplicate: true });
    await Promise.all(background);
    const { results } = await workerEnv.DB.prepare(
      "SELECT destination, event_type FROM outbox WHERE lead_id = ?1 ORDER BY destination, event_type",
    )
      .bind(created.leadId)
      .all<{ destination: string; event_type: string }>();
    expect(results.map((r) => `${r.destination} ${r.event_type}`)).toEqual([
      "crm lead.created",
      "crm lead.merged",
      "repeat-alert lead.merged",
      "welcome lead.created",
    ]);
    // Each write asked the queue for exactly the rows it wrote.
    expect([...e.DELIVERY.sent].sort()).toEqual(
      (
        await workerEnv.DB.prepare("SELECT id FROM outbox WHERE lead_id = ?1")
          .bind(created.leadId)
          .all<{ id: string }>()
      ).results
        .map((r) => r.id)
        .sort(),
    );
  });
});
