import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { ReceivedDelivery } from "../../demo-site/dev/receiver.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Lead, LeadEvent, SubmissionRecord, SubmitAnswer } from "../../shared/lead.ts";
import {
  ALLOWED_ORIGIN,
  adminHeaders,
  eventually,
  expectedScore,
  get,
  postLead,
  randomIp,
  submission,
  unique,
} from "./helpers.ts";

describe("POST /v1/leads", () => {
  it("accepts a valid submission: 201 with a lead id, score, temperature and stage", async () => {
    const body = submission();
    const res = await postLead(body);
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const answer = (await res.json()) as SubmitAnswer;
    expect(answer.leadId).toMatch(/^lead_[0-9A-Z]{26}$/);
    expect(answer.duplicate).toBe(false);
    // The edge answers what the site's scoring (unit-tested on its own) says for this submission.
    const expected = expectedScore(body);
    expect(answer).toMatchObject({
      score: expected.score,
      temperature: expected.temperature,
      stage: expected.stage,
    });
    // An engaged visitor with a company email asking to be contacted: hot.
    expect(answer.temperature).toBe("hot");
    expect(answer.score).toBeGreaterThan(50);
  });

  it("accepts application/json as well as text/plain JSON", async () => {
    const res = await postLead(submission(), { contentType: "application/json" });
    expect(res.status).toBe(201);
  });

  it("scores a low-engagement free-mail lead lower, with reasons that say why", async () => {
    const engaged = (await (await postLead(submission())).json()) as SubmitAnswer;
    const body = submission({
      fields: { email: `${unique("bob")}@gmail.com`, name: "Bob", consent: true },
      engagement: { activeTimeMs: 2000, maxScrollPct: 10, pageViews: 1, visits: 1 },
    });
    body.attribution.lastTouch = { landingPage: "https://www.example.com/", at: "2026-11-20T10:00:00.000Z" };
    const answer = (await (await postLead(body)).json()) as SubmitAnswer;
    expect(answer.score).toBeLessThan(engaged.score);
    expect(answer.score).toBe(expectedScore(body).score);
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.reasons).toEqual(expectedScore(body).reasons);
    expect(lead.reasons.map((r) => r.label).join(" ")).not.toMatch(/company email/i);
  });

  it("rejects a missing email with 400 and fields.email, and stores nothing", async () => {
    const body = submission();
    delete (body.fields as Record<string, unknown>).email;
    const res = await postLead(body);
    expect(res.status).toBe(400);
    const error = (await res.json()) as ErrorBody;
    expect(error.error.code).toBe("validation_failed");
    expect(error.error.fields?.email).toBe("Please fill in this field.");
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM submissions WHERE submission_id = ?")
      .bind(body.submissionId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("rejects an invalid email with 400 and a message for the visitor", async () => {
    const res = await postLead(submission({ fields: { email: "not-an-email", name: "X", consent: true } }));
    expect(res.status).toBe(400);
    const error = (await res.json()) as ErrorBody;
    expect(error.error.fields).toEqual({
      email: "Please enter a valid email address, like name@example.com.",
    });
  });

  it("rejects unknown fields instead of storing them silently", async () => {
    const body = submission();
    (body.fields as Record<string, unknown>).creditCard = "4111";
    const res = await postLead(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields).toEqual({
      creditCard: "This form has no such field.",
    });
  });

  it("answers 422 with fields.consent when only the required consent is missing", async () => {
    const body = submission();
    body.fields.consent = false;
    const res = await postLead(body);
    expect(res.status).toBe(422);
    const error = (await res.json()) as ErrorBody;
    expect(error.error.code).toBe("unprocessable");
    expect(error.error.fields).toEqual({ consent: "Please tick this box to continue." });
  });

  it("answers 404 for an unknown site or form", async () => {
    const site = await postLead(submission({ site: "nope" }));
    expect(site.status).toBe(404);
    expect(((await site.json()) as ErrorBody).error.code).toBe("not_found");
    const form = await postLead(submission({ form: "nope" }));
    expect(form.status).toBe(404);
  });

  it("refuses a foreign Origin: 403 that the page may read (so the widget keeps the lead and says why)", async () => {
    const res = await postLead(submission(), { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(((await res.json()) as ErrorBody).error.code).toBe("origin_not_allowed");
    const nullOrigin = await postLead(submission(), { origin: "null" });
    expect(nullOrigin.status).toBe(403);
    expect(nullOrigin.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("grants a preflight only to allowed origins", async () => {
    const preflight = (origin: string) =>
      exports.default.fetch(
        new Request("https://edge.test/v1/leads?site=demo", {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        }),
      );
    const ok = await preflight(ALLOWED_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const foreign = await preflight("https://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("merges a duplicate email (other case, spaces) into the same lead with duplicate: true", async () => {
    const email = `${unique("grace")}@navy.example`;
    const first = (await (
      await postLead(submission({ fields: { email, name: "Grace", consent: true } }))
    ).json()) as SubmitAnswer;
    const res = await postLead(
      submission({
        fields: {
          email: `  ${email.toUpperCase()} `,
          name: "Grace Hopper",
          company: "US Navy",
          consent: true,
        },
      }),
    );
    expect(res.status).toBe(200);
    const second = (await res.json()) as SubmitAnswer;
    expect(second.leadId).toBe(first.leadId);
    expect(second.duplicate).toBe(true);
    const lead = (await (await get(`/v1/admin/leads/${first.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.email).toBe(email);
    expect(lead.submissionCount).toBe(2);
    // Newest non-empty values win.
    expect(lead.fields.name).toBe("Grace Hopper");
    expect(lead.fields.company).toBe("US Navy");
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM leads WHERE email = ?")
      .bind(email)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    // Inside the demo site's 30-day dedupe window: the same conversion again.
    expect(lead.conversions).toBe(1);
    // The history keeps both submissions, with what each carried.
    const history = (await (
      await get(`/v1/admin/leads/${first.leadId}/submissions`, adminHeaders)
    ).json()) as {
      submissions: SubmissionRecord[];
    };
    expect(history.submissions.map((s) => s.fields.name)).toEqual(["Grace", "Grace Hopper"]);
    expect(history.submissions[1]?.touch).toMatchObject({ utm_source: "newsletter", channel: "email" });
  });

  it("answers a retried submission id with exactly the first answer and keeps one lead", async () => {
    const body = submission();
    const first = await postLead(body);
    const firstAnswer = await first.json();
    const again = await postLead(body);
    expect(again.status).toBe(first.status);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(firstAnswer);
    const leads = await env.DB.prepare("SELECT submission_count FROM leads WHERE email = ?")
      .bind(String(body.fields.email))
      .all<{ submission_count: number }>();
    expect(leads.results).toEqual([{ submission_count: 1 }]);
  });

  it("answers like a person to a filled honeypot but stores no lead", async () => {
    const body = submission();
    body.fields.website = "http://spam.example";
    const res = await postLead(body);
    expect(res.status).toBe(201);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM leads WHERE email = ?")
      .bind(String(body.fields.email))
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    const spam = await env.DB.prepare("SELECT reason FROM spam WHERE submission_id = ?")
      .bind(body.submissionId)
      .first<{ reason: string }>();
    expect(spam?.reason).toBe("honeypot:website");
  });

  it("answers 415, 413 and 400 for the wrong type, an oversized body and broken JSON", async () => {
    expect((await postLead(submission(), { contentType: "application/xml" })).status).toBe(415);
    const huge = JSON.stringify({ ...submission(), padding: "x".repeat(40_000) });
    const big = await postLead(huge);
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorBody).error.code).toBe("payload_too_large");
    const broken = await postLead("{not json");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.code).toBe("invalid_request");
  });

  it("delivers the lead to the webhook receiver, signed so that standardwebhooks verifies it", async () => {
    const { Webhook } = await import("standardwebhooks");
    const body = submission();
    const answer = (await (await postLead(body)).json()) as SubmitAnswer;
    const receiverUrl = inject("receiverUrl");
    const delivery = await eventuallyDelivered(receiverUrl, answer.leadId);
    expect(delivery.verified).toBe(true);
    // Verify again here, independently of the receiver, with the secret the Worker signed with.
    const event = new Webhook(inject("receiverSecret")).verify(delivery.body, {
      "webhook-id": delivery.id,
      "webhook-timestamp": delivery.timestamp,
      "webhook-signature": delivery.signature,
    }) as LeadEvent;
    expect(event.type).toBe("lead.created");
    expect(event.data.id).toBe(answer.leadId);
    expect(event.data.email).toBe(String(body.fields.email).toLowerCase());
    expect(event.data.lastTouch.utm_source).toBe("newsletter");
    expect(event.data.temperature).toBe("hot");
    const row = await env.DB.prepare("SELECT status, attempts FROM outbox WHERE id = ?")
      .bind(delivery.id)
      .first();
    expect(row).toEqual({ status: "delivered", attempts: 1 });
  });
});

async function eventuallyDelivered(receiverUrl: string, leadId: string): Promise<ReceivedDelivery> {
  return eventually(async () => {
    const all = (await (await fetch(`${receiverUrl}/deliveries`)).json()) as ReceivedDelivery[];
    return all.find((d) => d.body.includes(leadId));
  });
}

describe("POST /v1/leads never refuses a lead over a signal", () => {
  type History = { submissions: SubmissionRecord[] };
  const history = async (leadId: string) =>
    ((await (await get(`/v1/admin/leads/${leadId}/submissions`, adminHeaders)).json()) as History)
      .submissions;
  const leadsFor = async (email: string) =>
    (
      await env.DB.prepare("SELECT id, submission_count FROM leads WHERE email = ?")
        .bind(email.toLowerCase())
        .all<{ id: string; submission_count: number }>()
    ).results;

  it("keeps a Prototype.js page's lead (every list sent as text), with notes of what was dropped", async () => {
    // Prototype.js's Array.prototype.toJSON makes JSON.stringify write lists as strings; this page's
    // copy of it was broken altogether.
    const body = submission() as unknown as Record<string, Record<string, Record<string, unknown>>>;
    body.engagement!.abandonedFields = "BROKEN-ARRAY" as never;
    body.engagement!.keyPages = "BROKEN-ARRAY" as never;
    body.attribution!.firstTouch!.clickIds = "BROKEN-ARRAY";
    body.attribution!.lastTouch!.clickIds = "BROKEN-ARRAY";
    const email = String(body.fields!.email);

    const res = await postLead(body);
    expect(res.status).toBe(201);
    const answer = (await res.json()) as SubmitAnswer;
    const expected = [
      {
        path: "attribution.lastTouch.clickIds",
        action: "dropped",
        reason: "expected click ids by name, got text",
      },
      {
        path: "attribution.firstTouch.clickIds",
        action: "dropped",
        reason: "expected click ids by name, got text",
      },
      { path: "engagement.abandonedFields", action: "dropped", reason: "expected a list, got text" },
      { path: "engagement.keyPages", action: "dropped", reason: "expected a list, got text" },
    ];
    expect(answer.notes).toEqual(expected);
    expect(await leadsFor(email)).toEqual([{ id: answer.leadId, submission_count: 1 }]);

    // The notes are kept with the submission and served with the lead's history.
    const [stored] = await history(answer.leadId);
    expect(stored?.notes).toEqual(expected);
    // What the person answered is intact, and so is every signal that was not broken.
    expect(stored?.fields).toEqual({
      email,
      name: "Ada Lovelace",
      company: "Analytical Engines",
      consent: true,
    });
    expect(stored?.touch).toMatchObject({
      utm_source: "newsletter",
      utm_campaign: "launch",
      channel: "email",
    });
    expect(stored?.engagement).toEqual({ activeTimeMs: 75_000, maxScrollPct: 80, pageViews: 3, visits: 2 });
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.fields.name).toBe("Ada Lovelace");
    expect(lead.temperature).toBe("hot");
  });

  it("decodes lists sent as JSON text and clamps counts out of range", async () => {
    const body = submission() as unknown as Record<string, Record<string, unknown>>;
    body.engagement = {
      activeTimeMs: -5,
      maxScrollPct: 1000,
      visits: "4",
      abandonedFields: '["company"]',
      keyPages: '["pricing"]',
    };
    const answer = (await (await postLead(body)).json()) as SubmitAnswer;
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.engagement).toEqual({
      activeTimeMs: 0,
      maxScrollPct: 100,
      visits: 4,
      abandonedFields: ["company"],
      keyPages: { pricing: 1 },
    });
    expect((await history(answer.leadId))[0]?.notes).toEqual([
      { path: "engagement.activeTimeMs", action: "repaired", reason: "below 0; set to 0" },
      { path: "engagement.maxScrollPct", action: "repaired", reason: "over 100; set to 100" },
      { path: "engagement.visits", action: "repaired", reason: "expected a number, got text" },
      {
        path: "engagement.abandonedFields",
        action: "repaired",
        reason: "expected a list, got it written as JSON text",
      },
      {
        path: "engagement.keyPages",
        action: "repaired",
        reason: "expected key pages, got it written as JSON text",
      },
    ]);
  });

  it("drops a page of the wrong type, rebuilds a missing touch, and says so", async () => {
    const body = submission() as unknown as Record<string, unknown>;
    body.page = "https://www.example.com/pricing";
    body.attribution = { firstTouch: (body.attribution as { firstTouch: unknown }).firstTouch };
    const res = await postLead(body);
    expect(res.status).toBe(201);
    const answer = (await res.json()) as SubmitAnswer;
    const [stored] = await history(answer.leadId);
    expect(stored?.notes).toEqual([
      { path: "page", action: "dropped", reason: "expected an object, got text; the landing page is used" },
      {
        path: "attribution.lastTouch",
        action: "repaired",
        reason: "missing; rebuilt from the page's address",
      },
    ]);
    // No page address to rebuild from: the latest touch has an empty landing page and the receipt time.
    expect(stored?.page).toEqual({ url: "" });
    expect(stored?.touch).toMatchObject({ landingPage: "", channel: "direct" });
    expect(Date.parse(stored!.touch.at)).toBeGreaterThan(Date.now() - 60_000);
    // The first touch, which was fine, is the lead's for ever.
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.firstTouch).toMatchObject({ utm_source: "newsletter", at: "2026-11-20T10:00:00.000Z" });
  });

  it("derives a submission id when none usable was sent: a resend is a replay, not a second lead", async () => {
    for (const submissionId of [undefined, "x", 42, { id: "abc" }]) {
      const body = { ...submission(), submissionId } as unknown as Record<string, unknown>;
      const email = String((body.fields as Record<string, unknown>).email);
      const first = await postLead(body);
      expect(first.status, String(submissionId)).toBe(201);
      const answer = (await first.json()) as SubmitAnswer;
      expect(answer.notes?.[0]).toMatchObject({ path: "submissionId", action: "repaired" });
      const again = await postLead(body);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(answer);
      expect(await leadsFor(email)).toEqual([{ id: answer.leadId, submission_count: 1 }]);
      const [stored] = await history(answer.leadId);
      expect(stored?.submissionId).toMatch(/^sha256_[A-Za-z0-9_-]{43}$/);
    }
  });

  it("decodes a list answer written as JSON text, so the person's choices count as they made them", async () => {
    const email = `${unique("quote")}@analytical.example`;
    const body = submission({
      form: "quote",
      fields: { email, seats: 12, plan: "growth", consent: true, sources: '["warehouse","crm"]' },
    });
    const res = await postLead(body);
    expect(res.status).toBe(201);
    const answer = (await res.json()) as SubmitAnswer;
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.fields.sources).toEqual(["warehouse", "crm"]);
    expect(answer.notes).toEqual([
      { path: "fields.sources", action: "repaired", reason: "expected a list, got it written as JSON text" },
    ]);
    // Text that is not a list of the options is still the person's to correct.
    const wrong = await postLead({
      ...body,
      submissionId: unique("sub_"),
      fields: { ...body.fields, sources: "crm" },
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as ErrorBody).error.fields).toEqual({
      sources: "Expected a list of options.",
    });
  });

  it("still refuses what the person answered, and a body that names no site", async () => {
    const body = submission() as unknown as Record<string, unknown>;
    body.engagement = "BROKEN-ARRAY";
    (body.fields as Record<string, unknown>).email = "not an email";
    const res = await postLead(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields).toEqual({
      email: "Please enter a valid email address, like name@example.com.",
    });
    const noSite = await postLead({ ...submission(), site: undefined });
    expect(noSite.status).toBe(400);
    expect(((await noSite.json()) as ErrorBody).error).toMatchObject({
      code: "invalid_request",
      fields: { site: "Expected the site's id." },
    });
  });
});

describe("the no-JS fallback form (application/x-www-form-urlencoded)", () => {
  function postForm(pairs: [string, string][], headers: Record<string, string> = {}): Promise<Response> {
    return exports.default.fetch(
      new Request("https://edge.test/v1/leads", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: ALLOWED_ORIGIN,
          referer: `${ALLOWED_ORIGIN}/pricing?utm_source=flyer&utm_campaign=spring`,
          accept: "text/html",
          ...headers,
        },
        body: new URLSearchParams(pairs).toString(),
        redirect: "manual",
      }),
    );
  }

  it("creates the lead, typed by the form config, and redirects to the thank-you page", async () => {
    const email = `${unique("nojs")}@plain.example`;
    const res = await postForm([
      ["site", "demo"],
      ["form", "contact"],
      ["redirect", `${ALLOWED_ORIGIN}/thanks`],
      ["email", email],
      ["name", "No Script"],
      ["consent", "on"],
      ["website", ""],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${ALLOWED_ORIGIN}/thanks`);
    const row = await env.DB.prepare("SELECT doc FROM leads WHERE email = ?")
      .bind(email)
      .first<{ doc: string }>();
    const lead = JSON.parse(row!.doc) as Lead;
    expect(lead.fields).toMatchObject({ name: "No Script", consent: true });
    expect(lead.lastTouch).toMatchObject({ utm_source: "flyer", utm_campaign: "spring" });
    expect(lead.page.url).toBe(`${ALLOWED_ORIGIN}/pricing?utm_source=flyer&utm_campaign=spring`);
  });

  it("takes a malformed submission id through the same lenient parse: the lead is kept, once", async () => {
    const email = `${unique("nojs")}@plain.example`;
    const pairs: [string, string][] = [
      ["site", "demo"],
      ["form", "contact"],
      ["submissionId", "x"],
      ["email", email],
      ["name", "Short Id"],
      ["consent", "on"],
    ];
    expect((await postForm(pairs)).status).toBe(303);
    expect((await postForm(pairs)).status).toBe(303);
    const rows = await env.DB.prepare("SELECT submission_count FROM leads WHERE email = ?")
      .bind(email)
      .all<{ submission_count: number }>();
    expect(rows.results).toEqual([{ submission_count: 1 }]);
  });

  it("never redirects off the site's origins, and shows what to fix as a page", async () => {
    const email = `${unique("nojs")}@plain.example`;
    const offsite = await postForm([
      ["site", "demo"],
      ["form", "contact"],
      ["redirect", "https://evil.example/phish"],
      ["email", email],
      ["name", "X"],
      ["consent", "on"],
    ]);
    expect(offsite.status).toBe(303);
    expect(offsite.headers.get("location")).toBe(
      `${ALLOWED_ORIGIN}/pricing?utm_source=flyer&utm_campaign=spring&leadcap=sent`,
    );

    // A relative redirect, resolved on the page's origin (browsers often send only the origin as Referer).
    const relative = await postForm(
      [
        ["site", "demo"],
        ["form", "contact"],
        ["redirect", "/thanks?from=form"],
        ["email", `${unique("nojs")}@plain.example`],
        ["name", "Y"],
        ["consent", "on"],
      ],
      { referer: `${ALLOWED_ORIGIN}/` },
    );
    expect(relative.status).toBe(303);
    expect(relative.headers.get("location")).toBe(`${ALLOWED_ORIGIN}/thanks?from=form`);
    const protocolRelative = await postForm(
      [
        ["site", "demo"],
        ["form", "contact"],
        ["redirect", "//evil.example/x"],
        ["email", `${unique("nojs")}@plain.example`],
        ["name", "Z"],
        ["consent", "on"],
      ],
      { referer: `${ALLOWED_ORIGIN}/` },
    );
    expect(protocolRelative.headers.get("location")).toBe(`${ALLOWED_ORIGIN}/?leadcap=sent`);

    const invalid = await postForm([
      ["site", "demo"],
      ["form", "contact"],
      ["email", "nope"],
      ["consent", "on"],
    ]);
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toContain("text/html");
    const page = await invalid.text();
    expect(page).toContain("Work email: Please enter a valid email address");
    expect(page).toContain("Name: Please fill in this field.");
  });
});

describe("rate limiting per site and client", () => {
  it("answers 429 with Retry-After past the limit, stores nothing, and still replays retries", async () => {
    const ip = randomIp();
    const accepted: { body: ReturnType<typeof submission>; answer: SubmitAnswer }[] = [];
    let limited: Response | undefined;
    let over: ReturnType<typeof submission> | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      const body = submission();
      const res = await postLead(body, { ip });
      if (res.status === 429) {
        limited = res;
        over = body;
      } else {
        expect(res.status).toBe(201);
        accepted.push({ body, answer: (await res.json()) as SubmitAnswer });
      }
    }
    // 20 a minute; a sliding window that just rolled over may let one more through (it weighs the
    // previous window's count, rounded down).
    expect(accepted.length === 20 || accepted.length === 21).toBe(true);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited!.json()) as ErrorBody).error.code).toBe("rate_limited");
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM submissions WHERE submission_id = ?")
      .bind(over!.submissionId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);

    // A retry of an accepted submission is not a new submission: it gets its answer, not a 429.
    const retry = await postLead(accepted[0]!.body, { ip });
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(accepted[0]!.answer);
    // Another client is not affected.
    expect((await postLead(submission())).status).toBe(201);
  });
});

describe("rate limiting and local runs", () => {
  it("does not limit loopback clients (the local stack and load tests)", async () => {
    for (let i = 0; i < 25; i++) expect((await postLead(submission(), { ip: "127.0.0.1" })).status).toBe(201);
  });
});
