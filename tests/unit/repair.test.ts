/**
 * The lenient parse of a submission (edge/src/pipeline/repair.ts): what a broken host page does to the
 * signals around the answers is repaired or dropped with a note; the answers are never touched, and
 * only they (or the site and form ids) make a body invalid.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../edge/src/errors.ts";
import { batchEvents, repairAnswers, repairSubmission } from "../../edge/src/pipeline/repair.ts";
import { SiteSchema } from "../../shared/config.ts";
import {
  type LeadSubmission,
  LeadSubmissionSchema,
  MAX_REPAIR_NOTES,
  RepairNoteSchema,
  SubmissionIdSchema,
} from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const NOW = new Date("2026-12-01T09:30:00.000Z");
const touch = {
  utm_source: "newsletter",
  utm_medium: "email",
  landingPage: "https://www.example.com/?utm_source=newsletter",
  referrer: "https://news.example/",
  clickIds: { gclid: "abc" },
  at: "2026-11-20T10:00:00.000Z",
};
function valid(): Record<string, unknown> {
  return {
    site: "demo",
    form: "contact",
    submissionId: "sub_0123456789abcdef",
    fields: { email: "ada@analytical.example", name: "Ada", consent: true },
    attribution: { firstTouch: { ...touch }, lastTouch: { ...touch } },
    engagement: { activeTimeMs: 75_000, maxScrollPct: 80, pageViews: 3, abandonedFields: ["company"] },
    page: { url: "https://www.example.com/pricing?utm_campaign=spring&gclid=xyz", title: "Pricing" },
  };
}
const repaired = (body: unknown) => repairSubmission(body, NOW);
/** The body after each change applied to a copy of a valid one. */
function spoiled(change: (body: Record<string, unknown>) => void) {
  const body = structuredClone(valid());
  change(body);
  return repaired(body);
}
const engagement = (b: Record<string, unknown>) => b.engagement as Record<string, unknown>;
const attribution = (b: Record<string, unknown>) => b.attribution as Record<string, Record<string, unknown>>;

describe("repairSubmission", () => {
  it("takes a well-formed submission as the schema reads it, without notes", async () => {
    const body = valid();
    const { submission, notes } = await repaired(body);
    expect(notes).toEqual([]);
    expect(submission).toEqual(LeadSubmissionSchema.parse(body));
  });

  it("keeps a Prototype.js page's lead: lists sent as JSON text decoded, lists turned to text dropped", async () => {
    // Prototype's Array#toJSON makes JSON.stringify write every list as a string.
    const { submission, notes } = await spoiled((b) => {
      engagement(b).abandonedFields = '["company","phone"]';
      engagement(b).keyPages = '["pricing","docs"]';
      attribution(b).lastTouch!.clickIds = "BROKEN-ARRAY";
      attribution(b).firstTouch!.clickIds = '{"gclid":"abc"}';
    });
    expect(submission.engagement.abandonedFields).toEqual(["company", "phone"]);
    expect(submission.engagement.keyPages).toEqual({ pricing: 1, docs: 1 });
    expect(submission.attribution.firstTouch.clickIds).toEqual({ gclid: "abc" });
    expect(submission.attribution.lastTouch.clickIds).toBeUndefined();
    expect(submission.attribution.lastTouch.utm_source).toBe("newsletter");
    expect(submission.fields).toEqual(valid().fields);
    expect(notes).toEqual(
      expect.arrayContaining([
        {
          path: "engagement.abandonedFields",
          action: "repaired",
          reason: "expected a list, got it written as JSON text",
        },
        {
          path: "attribution.lastTouch.clickIds",
          action: "dropped",
          reason: "expected click ids by name, got text",
        },
      ]),
    );

    const broken = await spoiled((b) => {
      engagement(b).abandonedFields = "BROKEN-ARRAY";
      engagement(b).keyPages = "BROKEN-ARRAY";
    });
    expect(broken.submission.engagement).not.toHaveProperty("abandonedFields");
    expect(broken.submission.engagement).not.toHaveProperty("keyPages");
    expect(broken.notes).toEqual([
      { path: "engagement.abandonedFields", action: "dropped", reason: "expected a list, got text" },
      { path: "engagement.keyPages", action: "dropped", reason: "expected a list, got text" },
    ]);
  });

  it("reads a comma list as a list", async () => {
    const { submission, notes } = await spoiled((b) => (engagement(b).abandonedFields = "company, phone"));
    expect(submission.engagement.abandonedFields).toEqual(["company", "phone"]);
    expect(notes[0]).toMatchObject({
      action: "repaired",
      reason: "expected a list, got a comma-separated text",
    });
  });

  it("reads numbers in strings, rounds fractions and clamps counts into range", async () => {
    const { submission, notes } = await spoiled((b) => {
      b.engagement = {
        activeTimeMs: "75000",
        maxScrollPct: 1000,
        pageViews: -3,
        visits: 2.6,
        formTimeMs: "soon",
      };
    });
    expect(submission.engagement).toEqual({
      activeTimeMs: 75_000,
      maxScrollPct: 100,
      pageViews: 0,
      visits: 3,
    });
    expect(notes).toEqual([
      { path: "engagement.activeTimeMs", action: "repaired", reason: "expected a number, got text" },
      { path: "engagement.maxScrollPct", action: "repaired", reason: "over 100; set to 100" },
      { path: "engagement.pageViews", action: "repaired", reason: "below 0; set to 0" },
      { path: "engagement.visits", action: "repaired", reason: "not a whole number; rounded" },
      { path: "engagement.formTimeMs", action: "dropped", reason: "expected a number, got text" },
    ]);
  });

  it("gives a touch with a bad time the receipt time, and rebuilds a missing touch from the page's address", async () => {
    const badTime = await spoiled((b) => (attribution(b).lastTouch!.at = "soon"));
    expect(badTime.submission.attribution.lastTouch).toMatchObject({
      utm_source: "newsletter",
      at: NOW.toISOString(),
    });
    expect(badTime.notes).toEqual([
      {
        path: "attribution.lastTouch.at",
        action: "repaired",
        reason: "expected an ISO 8601 time, got text; set to the time it was received",
      },
    ]);

    const noAttribution = await spoiled((b) => delete b.attribution);
    const rebuilt = {
      landingPage: "https://www.example.com/pricing?utm_campaign=spring&gclid=xyz",
      utm_campaign: "spring",
      clickIds: { gclid: "xyz" },
      at: NOW.toISOString(),
    };
    expect(noAttribution.submission.attribution).toEqual({ firstTouch: rebuilt, lastTouch: rebuilt });
    expect(noAttribution.notes).toEqual([
      { path: "attribution", action: "repaired", reason: "missing; rebuilt from the page's address" },
    ]);

    // Only the first touch missing: the latest one is the oldest we know.
    const noFirst = await spoiled((b) => (attribution(b).firstTouch = "BROKEN" as never));
    expect(noFirst.submission.attribution.firstTouch).toEqual(noFirst.submission.attribution.lastTouch);
    expect(noFirst.notes[0]).toMatchObject({ path: "attribution.firstTouch", action: "repaired" });
  });

  it("drops a page of the wrong type and uses the landing page as its address", async () => {
    const { submission, notes } = await spoiled((b) => (b.page = ["https://www.example.com/"]));
    expect(submission.page).toEqual({ url: touch.landingPage });
    expect(notes).toEqual([
      { path: "page", action: "dropped", reason: "expected an object, got a list; the landing page is used" },
    ]);
  });

  it("shortens text that is too long, never through a surrogate pair, and writes numbers out", async () => {
    const { submission, notes } = await spoiled((b) => {
      b.page = { url: "https://www.example.com/", title: `${"x".repeat(499)}😀`, language: 42 };
      attribution(b).lastTouch!.utm_source = "y".repeat(300);
    });
    expect(submission.page.title).toBe("x".repeat(499));
    expect(submission.page.language).toBe("42");
    expect(submission.attribution.lastTouch.utm_source).toHaveLength(200);
    expect(notes.map((n) => n.reason)).toEqual([
      "longer than 200 characters; shortened",
      "longer than 500 characters; shortened",
      "expected text, got a number",
    ]);
  });

  it("derives a submission id from the answers when none usable was sent: the same body, the same id", async () => {
    const missing = await spoiled((b) => delete b.submissionId);
    const again = await spoiled((b) => delete b.submissionId);
    expect(SubmissionIdSchema.safeParse(missing.submission.submissionId).success).toBe(true);
    expect(missing.submission.submissionId).toMatch(/^sha256_[A-Za-z0-9_-]{43}$/);
    expect(again.submission.submissionId).toBe(missing.submission.submissionId);
    expect(missing.notes).toEqual([
      {
        path: "submissionId",
        action: "repaired",
        reason: "missing; derived from the answers, so a retry is still recognised",
      },
    ]);
    // Other answers, or another (malformed) id sent, give another id.
    const other = await spoiled((b) => {
      delete b.submissionId;
      (b.fields as Record<string, unknown>).name = "Ada L.";
    });
    const short = await spoiled((b) => (b.submissionId = "x"));
    const ids = new Set([missing, other, short].map((r) => r.submission.submissionId));
    expect(ids.size).toBe(3);
    expect(short.notes[0]?.reason).toMatch(/^not 8–64 letters, digits, - or _;/);
    // The order the answers came in does not matter.
    const reordered = await spoiled((b) => {
      delete b.submissionId;
      b.fields = { consent: true, name: "Ada", email: "ada@analytical.example" };
    });
    expect(reordered.submission.submissionId).toBe(missing.submission.submissionId);
  });

  it("drops a Turnstile token that is not text or too long (the form's check then decides)", async () => {
    const { submission, notes } = await spoiled((b) => (b.turnstileToken = "t".repeat(3000)));
    expect(submission).not.toHaveProperty("turnstileToken");
    expect(notes).toEqual([
      { path: "turnstileToken", action: "dropped", reason: "longer than 2048 characters" },
    ]);
  });

  it("refuses only what names the site and form, and answers that are not answers", async () => {
    const refusal = async (body: unknown) => {
      const error = await repaired(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("invalid_request");
      return (error as ApiError).fields;
    };
    expect(await refusal([1])).toEqual({ _: "Expected a JSON object." });
    expect(await refusal(null)).toEqual({ _: "Expected a JSON object." });
    const body = valid();
    body.site = { $ne: null };
    delete body.form;
    body.fields = { email: { $gt: "" } };
    const fields = await refusal(body);
    expect(Object.keys(fields ?? {}).sort()).toEqual(["fields.email", "form", "site"]);
    expect(await refusal({ ...valid(), fields: ["a"] })).toHaveProperty("fields");
  });

  it("keeps at most MAX_REPAIR_NOTES notes", async () => {
    const { notes } = await spoiled((b) => {
      b.engagement = Object.fromEntries(
        ["activeTimeMs", "maxScrollPct", "pageViews", "visits", "totalPageViews", "formTimeMs"].map((k) => [
          k,
          "x",
        ]),
      );
      engagement(b).keyPages = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`page${i}`, "many"]));
    });
    expect(notes).toHaveLength(MAX_REPAIR_NOTES);
  });

  it("turns any garbage in the signals into a submission of the expected shape, answers untouched", async () => {
    const garbage = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.constantFrom("BROKEN-ARRAY", '["a","b"]', "1,2", "[not json", '{"a":1}', "", "12", "-5", "1e400"),
      fc.double(),
      fc.integer(),
      fc.string({ maxLength: 3000 }),
    );
    const paths = [
      "attribution",
      "attribution.firstTouch",
      "attribution.lastTouch",
      "attribution.lastTouch.at",
      "attribution.lastTouch.landingPage",
      "attribution.lastTouch.clickIds",
      "attribution.firstTouch.utm_source",
      "engagement",
      "engagement.activeTimeMs",
      "engagement.maxScrollPct",
      "engagement.keyPages",
      "engagement.abandonedFields",
      "engagement.formTimeMs",
      "page",
      "page.url",
      "page.title",
      "turnstileToken",
      "submissionId",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...paths), garbage), { maxLength: 6 }),
        async (changes) => {
          const body = valid();
          for (const [path, value] of changes) {
            const keys = path.split(".");
            let target: unknown = body;
            for (const key of keys.slice(0, -1))
              target =
                typeof target === "object" && target !== null
                  ? (target as Record<string, unknown>)[key]
                  : undefined;
            if (typeof target === "object" && target !== null)
              (target as Record<string, unknown>)[keys.at(-1)!] = value;
          }
          // What reaches the edge is JSON.
          const sent = JSON.parse(JSON.stringify(body));
          const { submission, notes } = await repaired(sent);
          expect(LeadSubmissionSchema.safeParse(submission).success).toBe(true);
          expect(submission.fields).toEqual(valid().fields);
          expect(notes.length).toBeLessThanOrEqual(MAX_REPAIR_NOTES);
          for (const note of notes) expect(RepairNoteSchema.safeParse(note).success).toBe(true);
          // Deterministic: the same body gives the same submission (a retry is recognised).
          expect((await repaired(JSON.parse(JSON.stringify(body)))).submission).toEqual(submission);
        },
      ),
      { numRuns: 500, seed: 14 },
    );
  });
});

describe("repairAnswers", () => {
  const site = SiteSchema.parse(demoSite);
  const quote = site.forms.find((f) => f.fields.some((field) => field.type === "checkboxes"))!;
  const boxes = quote.fields.find((field) => field.type === "checkboxes")!;
  const [first, second] = boxes.options!.map((o) => o.value);

  it("decodes a list field written as JSON text, and leaves every other answer as it came", () => {
    const notes: Parameters<typeof repairAnswers>[2] = [];
    const answers: LeadSubmission["fields"] = { [boxes.name]: JSON.stringify([first, second]), email: "[x]" };
    expect(repairAnswers(quote, answers, notes)).toEqual({ [boxes.name]: [first, second], email: "[x]" });
    expect(notes).toEqual([
      {
        path: `fields.${boxes.name}`,
        action: "repaired",
        reason: "expected a list, got it written as JSON text",
      },
    ]);
    // Text that is not a list of text stays what it was: validation tells the person.
    expect(repairAnswers(quote, { [boxes.name]: "[1,2]" }, [])).toEqual({ [boxes.name]: "[1,2]" });
  });
});

describe("batchEvents", () => {
  const event = { type: "impression", form: "contact", at: "2026-01-15T12:00:00.000Z" };

  it("keeps the valid events and counts the rest as dropped", () => {
    const { events, dropped } = batchEvents([
      event,
      { ...event, type: "submit" },
      { ...event, type: "clicked" },
      event,
      { ...event, at: "yesterday" },
    ]);
    expect(events.map((e) => e.type)).toEqual(["impression", "submit", "impression"]);
    expect(dropped).toBe(2);
  });

  it("decodes a list written as JSON text, takes one event as a list of one, and drops what is past the limit", () => {
    expect(batchEvents(JSON.stringify([event, event]))).toMatchObject({ dropped: 0, events: [event, event] });
    expect(batchEvents(event)).toEqual({ events: [event], dropped: 0 });
    expect(batchEvents("BROKEN-ARRAY")).toEqual({ events: [], dropped: 1 });
    expect(batchEvents(undefined)).toEqual({ events: [], dropped: 0 });
    const many = batchEvents(Array.from({ length: 60 }, () => event));
    expect(many.events).toHaveLength(50);
    expect(many.dropped).toBe(10);
  });
});
