/**
 * What a submission becomes, decided without HTTP or a store: the bot traps (edge/src/pipeline/
 * guard.ts), the identity keys (identity.ts), and the pure plan of the one atomic write (plan.ts):
 * the lead with its score, temperature, stage and reasons, the outbox rows its routes pick, the
 * patches a repeat applies, the rate window it is counted in. Runs in Node.
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import type { Env } from "../../edge/src/env.ts";
import { rateLimitedClient, trapVerdict } from "../../edge/src/pipeline/guard.ts";
import { type Identity, identify } from "../../edge/src/pipeline/identity.ts";
import { type PlanInput, planIngest } from "../../edge/src/pipeline/plan.ts";
import { FormSchema, type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { FieldValue, LeadSubmission, RepairNote } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const SECRET = "unit-test-secret";
const WHSEC = "whsec_dW5pdC10ZXN0LXNlY3JldC11bml0LXRlc3Q=";

/**
 * The demo site's forms and scoring, with routes: hot leads to sales, new people to a welcome
 * sequence, everyone to the CRM and an archive whose URL variable is not set. The contact form's
 * company keeps its first answer.
 */
const site: SiteConfig = SiteSchema.parse({
  ...demoSite,
  allowedOrigins: ["https://www.example.com"],
  forms: demoSite.forms.map((form) =>
    form.id === "contact"
      ? { ...form, fields: form.fields.map((f) => (f.name === "company" ? { ...f, merge: "first" } : f)) }
      : form,
  ),
  destinations: [
    { id: "crm", type: "webhook", url: "https://crm.example/hook", secret: WHSEC },
    { id: "sales", type: "webhook", url: "${SALES_URL}", secret: WHSEC },
    { id: "welcome", type: "webhook", url: "https://mail.example/hook", secret: WHSEC },
    { id: "archive", type: "webhook", url: "${ARCHIVE_URL}", secret: WHSEC },
  ],
  routing: {
    routes: [
      { when: { temperature: "hot" }, to: ["sales"] },
      { when: { event: "lead.created" }, to: ["welcome"] },
      { to: ["crm", "archive"] },
    ],
  },
});
const contact = site.forms.find((f) => f.id === "contact")!;
const newsletter = site.forms.find((f) => f.id === "newsletter")!;
/** The Worker's variables: SALES_URL is set, ARCHIVE_URL is not. */
const variables = { SALES_URL: "https://sales.example/hook" } as Partial<Env> as Env;
const now = new Date("2026-12-01T10:00:15.000Z");

// A destination whose variables are not set is skipped with a log line: kept out of the test output.
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

function submission(form: string, fields: Record<string, FieldValue>, formTimeMs?: number): LeadSubmission {
  const touch = {
    utm_source: "newsletter",
    utm_medium: "email",
    utm_campaign: "launch",
    landingPage: "https://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=launch",
    referrer: "https://news.example/",
    at: "2026-11-20T10:00:00.000Z",
    // What a client says the channel is counts for nothing: the site's rules decide.
    channel: "paid_search",
  };
  return {
    site: site.id,
    form,
    submissionId: `sub_${form}`,
    fields,
    attribution: { firstTouch: { ...touch, utm_campaign: "first" }, lastTouch: touch },
    engagement: {
      activeTimeMs: 75_000,
      maxScrollPct: 80,
      pageViews: 3,
      visits: 2,
      ...(formTimeMs === undefined ? {} : { formTimeMs }),
    },
    page: { url: "https://www.example.com/#contact", title: "Acme", language: "en" },
  };
}

const adaAnswers = {
  email: "Ada@Analytical.example",
  name: "Ada Lovelace",
  company: "Analytical Engines",
  consent: true,
  website: "",
};

function plan(overrides: Partial<PlanInput> = {}) {
  const identity: Identity = { dedupeKey: "person-key" };
  return planIngest({
    site,
    form: contact,
    submission: submission("contact", adaAnswers),
    answers: adaAnswers,
    notes: [],
    identity,
    now,
    scoringVersion: "v1",
    variables,
    ...overrides,
  });
}

describe("the ingest plan: score", () => {
  it("scores an engaged person with a company email asking to be contacted hot, MQL, with its reasons", () => {
    const { lead } = plan();
    expect(lead.temperature).toBe("hot");
    expect(lead.stage).toBe("MQL");
    expect(lead.score).toBeGreaterThanOrEqual(site.scoring.mqlThreshold);
    const rules = lead.reasons.map((r) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(["asked-for-contact", "company-email", "named-company"]));
    // Every point of the score has its reason.
    expect(lead.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(lead.score);
    expect(lead.reasons.find((r) => r.rule === "asked-for-contact")?.label).toBe("Asked to be contacted");
  });

  it("scores a newsletter sign-up from a free address warm and IQL, without the fit of a company email", () => {
    const answers = { email: "ada@gmail.com", consent: true };
    const { lead } = plan({ form: newsletter, submission: submission("newsletter", answers), answers });
    expect(lead.temperature).toBe("warm");
    expect(lead.stage).toBe("IQL");
    const rules = lead.reasons.map((r) => r.rule);
    expect(rules).toContain("newsletter");
    expect(rules).not.toContain("company-email");
    expect(lead.score).toBeLessThan(plan().lead.score);
  });
});

describe("the ingest plan: the lead and what a repeat changes", () => {
  it("keeps the address lower-cased, the answers without the honeypot, the consent with its text and version", () => {
    const { lead } = plan();
    expect(lead).toMatchObject({
      site: "demo",
      form: "contact",
      email: "ada@analytical.example",
      fields: { name: "Ada Lovelace", company: "Analytical Engines", consent: true },
      consent: [
        { field: "consent", text: contact.fields[3]!.label, version: "2026-11", at: now.toISOString() },
      ],
      submissionCount: 1,
      conversions: 1,
      createdAt: now.toISOString(),
    });
    expect(lead.fields).not.toHaveProperty("website");
    expect(lead.id).toMatch(/^lead_[0-9A-Z]{26}$/);
  });

  it("names each touch's channel by the site's rules, whatever the client sent, and keeps the first touch", () => {
    const { lead, mergePatch } = plan();
    expect(lead.lastTouch.channel).toBe("email");
    expect(lead.firstTouch).toMatchObject({ utm_campaign: "first", channel: "email" });
    // A repeat moves the latest touch only: the first touch is kept for ever.
    expect(mergePatch.lastTouch).toMatchObject({ utm_campaign: "launch", channel: "email" });
    expect(mergePatch).not.toHaveProperty("firstTouch");
  });

  it("lets a repeat overwrite with newest non-empty answers, and fill first-answer fields only if empty", () => {
    const answers = { ...adaAnswers, name: "", company: "Difference Engines" };
    const command = plan({ answers, submission: submission("contact", answers) });
    // An empty answer never erases what the person told us before.
    expect(command.mergePatch.fields).toEqual({ email: "Ada@Analytical.example", consent: true });
    expect(command.fillPatch).toEqual({ fields: { company: "Difference Engines" } });
    // The submission's own record keeps what it carried.
    expect(command.record).toMatchObject({
      submissionId: "sub_contact",
      form: "contact",
      fields: { name: "", company: "Difference Engines" },
      at: now.toISOString(),
    });
  });

  it("carries the dedupe key it is given, the site's dedupe window and scoring version, and the repair notes", () => {
    const notes: RepairNote[] = [{ path: "engagement.visits", action: "dropped", reason: "not a count" }];
    const command = plan({ notes });
    expect(command).toMatchObject({
      site: "demo",
      submissionId: "sub_contact",
      dedupeKey: "person-key",
      dedupeWindowDays: 30,
      scoringVersion: "v1",
      now: now.toISOString(),
    });
    expect(command.record.notes).toEqual(notes);
    expect(plan().record).not.toHaveProperty("notes");
  });
});

describe("the ingest plan: route", () => {
  it("plans one outbox row per routed destination, a row for new people only where only that route reaches", () => {
    const rows = plan().deliveries;
    // Hot: sales; new: welcome; everyone: crm (archive's URL variable is not set: skipped).
    expect(rows.map(({ destination, when }) => ({ destination, when }))).toEqual([
      { destination: "crm", when: undefined },
      { destination: "sales", when: undefined },
      { destination: "welcome", when: "lead.created" },
    ]);
    // Each row's id is its webhook-id, the same on every attempt.
    for (const row of rows) expect(row.id).toMatch(/^msg_[0-9A-Z]{26}$/);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("destination demo/archive skipped"));
  });

  it("does not route a warm lead to sales", () => {
    const answers = { email: "ada@gmail.com", consent: true };
    const rows = plan({
      form: newsletter,
      submission: submission("newsletter", answers),
      answers,
    }).deliveries;
    expect(rows.map((r) => r.destination)).toEqual(["crm", "welcome"]);
  });
});

describe("the ingest plan: rate window", () => {
  it("counts the submission in the device's current window, and says when it ends", () => {
    const { rateWindow } = plan({ identity: { dedupeKey: "person-key", rateKey: "device-key" } });
    const windowStart = Math.floor(now.getTime() / 60_000) * 60;
    expect(rateWindow).toEqual({
      key: "device-key",
      limit: 20,
      windowSeconds: 60,
      algorithm: "sliding",
      windowStart,
      previousWindowStart: windowStart - 60,
      // 15 s into the minute: three quarters of the previous window still count.
      previousWeight: 0.75,
      retryAfter: 45,
    });
  });

  it("counts nothing when the device is not counted", () => {
    expect(plan().rateWindow).toBeUndefined();
    expect(rateLimitedClient(site, "203.0.113.7")).toBe("203.0.113.7");
    // Local runs (the dev stack, load tests) and sites that turned the limit off.
    expect(rateLimitedClient(site, "127.0.0.1")).toBeUndefined();
    expect(rateLimitedClient(site, "::1")).toBeUndefined();
    expect(rateLimitedClient({ ...site, rateLimit: false }, "203.0.113.7")).toBeUndefined();
  });
});

describe("the guard's bot traps", () => {
  it("calls a filled honeypot spam, and an empty one a person", () => {
    const filled = { ...adaAnswers, website: "https://cheap.example" };
    expect(trapVerdict(contact, filled, submission("contact", filled))).toBe("honeypot:website");
    expect(trapVerdict(contact, adaAnswers, submission("contact", adaAnswers))).toBeNull();
  });

  it("calls a form filled faster than its minimum, or with no timing at all, spam", () => {
    const timed = FormSchema.parse({ ...contact, bot: { minFillMs: 1500 } });
    expect(trapVerdict(timed, adaAnswers, submission("contact", adaAnswers, 800))).toBe("too-fast:800ms");
    expect(trapVerdict(timed, adaAnswers, submission("contact", adaAnswers))).toBe("too-fast:no-timing");
    expect(trapVerdict(timed, adaAnswers, submission("contact", adaAnswers, 4000))).toBeNull();
    // The honeypot is the first verdict.
    const filled = { ...adaAnswers, website: "x" };
    expect(trapVerdict(timed, filled, submission("contact", filled, 800))).toBe("honeypot:website");
  });
});

describe("identify", () => {
  it("keys one person by their canonical address on this site: case, Gmail dots and +tags do not matter", async () => {
    const key = (email: string, on: SiteConfig = site) => identify(SECRET, on, email, undefined);
    const ada = await key("adalovelace@gmail.com");
    expect(ada.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
    expect(ada.dedupeKey).not.toContain("ada");
    expect(await key(" Ada.Lovelace+news@GMAIL.com ")).toEqual(ada);
    expect(await key("ada.lovelace@googlemail.com")).toEqual(ada);
    expect((await key("grace@gmail.com")).dedupeKey).not.toBe(ada.dedupeKey);
    // Another site, another key for the same person; a site can keep dots apart.
    expect((await key("adalovelace@gmail.com", { ...site, id: "other" })).dedupeKey).not.toBe(ada.dedupeKey);
    const strict = { ...site, identity: { ...site.identity, gmailDots: false } };
    expect((await key("ada.lovelace@gmail.com", strict)).dedupeKey).not.toBe(
      (await key("adalovelace@gmail.com", strict)).dedupeKey,
    );
  });

  it("keys the device only when it is counted, never as its raw address", async () => {
    const counted = await identify(SECRET, site, "ada@analytical.example", "203.0.113.7");
    expect(counted.rateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(counted.rateKey).not.toBe(counted.dedupeKey);
    expect(await identify(SECRET, site, "ada@analytical.example", undefined)).toEqual({
      dedupeKey: counted.dedupeKey,
    });
  });

  it("refuses to key anyone without the edge's secret (503, retry)", async () => {
    await expect(identify(undefined, site, "ada@analytical.example", undefined)).rejects.toMatchObject({
      code: "unavailable",
    });
  });
});
