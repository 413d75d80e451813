/**
 * The Worker itself on the Upstash store: with UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN
 * set, POST /v1/leads and the admin API go through the Upstash adapter (storeFor), answers and all.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../edge/src/index.ts";
import type { Lead, LeadSubmission, SubmitAnswer } from "../../shared/lead.ts";
import { bridge, unique } from "./adapters.ts";

const upstashEnv = {
  ...env,
  UPSTASH_REDIS_REST_URL: env.CONTRACT_UPSTASH_URL,
  UPSTASH_REDIS_REST_TOKEN: env.CONTRACT_UPSTASH_TOKEN,
  LEADCAP_SECRET: "contract-secret",
  ADMIN_TOKEN: "contract-admin-token-0123456789",
  DEMO_ORIGINS: "https://www.example.com",
};

async function call(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch!(request as never, upstashEnv as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function submission(email: string, name: string): LeadSubmission {
  const touch = {
    utm_source: "newsletter",
    utm_medium: "email",
    landingPage: "https://www.example.com/",
    at: new Date().toISOString(),
  };
  return {
    site: "demo",
    form: "contact",
    submissionId: unique("sub_"),
    fields: { email, name, company: "Analytical Engines", consent: true, website: "" },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 40_000, maxScrollPct: 70, pageViews: 3, visits: 2 },
    page: { url: "https://www.example.com/", title: "Acme" },
  };
}

const post = (body: LeadSubmission) =>
  call(
    new Request("https://edge.test/v1/leads", {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        origin: "https://www.example.com",
        "cf-connecting-ip": "127.0.0.1",
      },
      body: JSON.stringify(body),
    }),
  );

describe("the Worker on Upstash", () => {
  it("creates, dedupes and replays leads through the Upstash adapter, and lists them", async () => {
    const email = `${unique("ada")}@analytical.example`;
    const before = await bridge("stats");
    const first = submission(email, "Ada");
    const created = await post(first);
    expect(created.status).toBe(201);
    const answer = (await created.json()) as SubmitAnswer;
    expect(answer.duplicate).toBe(false);
    expect((await bridge("stats")).requests).toBeGreaterThan(before.requests);

    const repeat = await post(submission(` ${email.toUpperCase()} `, "Ada Lovelace"));
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as SubmitAnswer).leadId).toBe(answer.leadId);
    const replay = await post(first);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(answer);

    const res = await call(
      new Request(`https://edge.test/v1/admin/leads/${answer.leadId}`, {
        headers: { authorization: `Bearer ${upstashEnv.ADMIN_TOKEN}` },
      }),
    );
    expect(res.status).toBe(200);
    const lead = (await res.json()) as Lead;
    expect(lead).toMatchObject({ id: answer.leadId, submissionCount: 2, fields: { name: "Ada Lovelace" } });
    // Not in D1: the Worker's other store.
    expect(await env.DB.prepare("SELECT id FROM leads WHERE id = ?1").bind(answer.leadId).first()).toBeNull();
  });
});
