/**
 * Bot defence per form: a minimum fill time and Cloudflare Turnstile (checked against a stand-in that
 * answers as Cloudflare documents for its test secrets). A bot gets a person's answer, its submission
 * is recorded as spam with the reason, and nothing is stored as a lead or forwarded.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SubmitAnswer } from "../../shared/lead.ts";
import { postLead, submission, unique } from "./helpers.ts";

const ORIGIN = "https://strict.example";

function guarded(outcome: "pass" | "fail" | "spent", extra: { formTimeMs?: number; token?: string } = {}) {
  const body = submission({
    site: "strict",
    form: `guarded-${outcome}`,
    fields: { email: `${unique("bot")}@acme.example` },
  });
  if (extra.formTimeMs !== undefined) body.engagement.formTimeMs = extra.formTimeMs;
  if (extra.token !== undefined) body.turnstileToken = extra.token;
  return body;
}

async function outcomeOf(
  body: ReturnType<typeof guarded>,
): Promise<{ status: number; lead: boolean; spam: string | null; outbox: number }> {
  const res = await postLead(body, { origin: ORIGIN });
  const answer = (await res.json()) as SubmitAnswer;
  const lead = await env.DB.prepare("SELECT id FROM leads WHERE id = ?").bind(answer.leadId).first();
  const spam = await env.DB.prepare("SELECT reason FROM spam WHERE submission_id = ?")
    .bind(body.submissionId)
    .first<{ reason: string }>();
  const outbox = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE lead_id = ?")
    .bind(answer.leadId)
    .first<{ n: number }>();
  return { status: res.status, lead: !!lead, spam: spam?.reason ?? null, outbox: outbox?.n ?? 0 };
}

describe("bot defence", () => {
  it("accepts a person: filled in long enough, with a valid Turnstile token", async () => {
    expect(await outcomeOf(guarded("pass", { formTimeMs: 4000, token: "XXXX.DUMMY.TOKEN.XXXX" }))).toEqual({
      status: 201,
      lead: true,
      spam: null,
      outbox: 0,
    });
  });

  it.each([
    [
      "submitted faster than a person can",
      guarded("pass", { formTimeMs: 200, token: "XXXX.DUMMY.TOKEN.XXXX" }),
      "too-fast:200ms",
    ],
    [
      "posted with no timing at all",
      guarded("pass", { token: "XXXX.DUMMY.TOKEN.XXXX" }),
      "too-fast:no-timing",
    ],
    ["no Turnstile token", guarded("pass", { formTimeMs: 4000 }), "turnstile:missing-input-response"],
    [
      "a token Turnstile rejects",
      guarded("fail", { formTimeMs: 4000, token: "XXXX.DUMMY.TOKEN.XXXX" }),
      "turnstile:invalid-input-response",
    ],
    [
      "a token already spent",
      guarded("spent", { formTimeMs: 4000, token: "XXXX.DUMMY.TOKEN.XXXX" }),
      "turnstile:timeout-or-duplicate",
    ],
  ])(
    "answers a bot (%s) like a person, records the reason, stores and sends nothing",
    async (_, body, reason) => {
      expect(await outcomeOf(body)).toEqual({ status: 201, lead: false, spam: reason, outbox: 0 });
    },
  );
});
