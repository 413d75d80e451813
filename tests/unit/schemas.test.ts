import { describe, expect, it } from "vitest";
import { FormSchema, localizeForm, RESERVED_SITE_IDS, SiteSchema } from "../../shared/config.ts";
import { ERROR_STATUS, isErrorBody } from "../../shared/errors.ts";
import { LeadSubmissionSchema, RepairNoteSchema, SubmissionRecordSchema } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";

describe("site config schema", () => {
  it("accepts the demo site and fills defaults", () => {
    const site = SiteSchema.parse(demoSite);
    expect(site.forms[0]?.id).toBe("contact");
    expect(site.forms[0]?.fields.map((f) => f.type)).toEqual([
      "email",
      "text",
      "text",
      "consent",
      "honeypot",
    ]);
  });

  it("refuses a site id the Upstash store keys its own data under; forms may still use those words", () => {
    for (const id of RESERVED_SITE_IDS) {
      const result = SiteSchema.safeParse({ ...demoSite, id });
      expect(result.success, id).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["id"]);
    }
    const form = { ...demoSite.forms[0]!, id: "lead" };
    expect(SiteSchema.safeParse({ ...demoSite, id: "acme", forms: [form] }).success).toBe(true);
  });

  it("refuses a form without a required email field, duplicate field names and bad origins", () => {
    const noEmail = structuredClone(demoSite) as { forms: { fields: unknown[] }[] };
    noEmail.forms[0]!.fields = [{ name: "name", type: "text", label: "Name" }];
    expect(SiteSchema.safeParse(noEmail).success).toBe(false);

    const dupes = structuredClone(demoSite) as { forms: { fields: unknown[] }[] };
    dupes.forms[0]!.fields.push({ name: "email", type: "text", label: "Again" });
    expect(SiteSchema.safeParse(dupes).success).toBe(false);

    for (const origin of ["null", "https://a.example/path", "example.com", "${lower}"]) {
      expect(SiteSchema.safeParse({ ...demoSite, allowedOrigins: [origin] }).success, origin).toBe(false);
    }
    expect(
      SiteSchema.safeParse({
        ...demoSite,
        allowedOrigins: ["https://a.example", "http://127.0.0.1:5173", "${SITE_ORIGINS}"],
      }).success,
    ).toBe(true);
  });
});

describe("lead submission schema", () => {
  const touch = { landingPage: "https://a.example/", at: "2026-11-20T10:00:00.000Z" };
  const valid = {
    site: "demo",
    form: "contact",
    submissionId: "0b0c6f8e-6d5e-4a8e-9d7a-2f1c1e0e9a11",
    fields: { email: "a@b.example", consent: true },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 10, maxScrollPct: 5 },
    page: { url: "https://a.example/" },
  };

  it("accepts what the widget sends", () => {
    expect(LeadSubmissionSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ["a short submission id", { ...valid, submissionId: "x" }],
    ["a scroll depth over 100", { ...valid, engagement: { activeTimeMs: 1, maxScrollPct: 101 } }],
    [
      "a non-ISO touch time",
      { ...valid, attribution: { firstTouch: { ...touch, at: "yesterday" }, lastTouch: touch } },
    ],
    ["an object as a field value", { ...valid, fields: { email: { $gt: "" } } }],
    ["a missing page", { ...valid, page: undefined }],
  ])("refuses %s", (_, body) => {
    expect(LeadSubmissionSchema.safeParse(body).success).toBe(false);
  });
});

describe("submission records", () => {
  const record = {
    submissionId: "sub_0123456789",
    form: "contact",
    fields: { email: "a@b.example" },
    touch: { landingPage: "https://a.example/", at: "2026-11-20T10:00:00.000Z" },
    engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    page: { url: "https://a.example/" },
    at: "2026-11-20T10:00:00.000Z",
  };

  it("keep what the edge repaired in a submission, and records from before notes existed still read", () => {
    const notes = [{ path: "engagement.keyPages", action: "dropped", reason: "expected a list, got text" }];
    expect(SubmissionRecordSchema.parse({ ...record, notes }).notes).toEqual(notes);
    expect(SubmissionRecordSchema.safeParse(record).success).toBe(true);
  });

  it("say only repaired or dropped", () => {
    expect(RepairNoteSchema.safeParse({ path: "page", action: "ignored", reason: "x" }).success).toBe(false);
  });
});

describe("error codes", () => {
  it("map to 4xx for everything a client can cause, 5xx only for our side", () => {
    const serverSide = Object.entries(ERROR_STATUS)
      .filter(([, status]) => status >= 500)
      .map(([code]) => code);
    expect(serverSide.sort()).toEqual(["internal", "unavailable"]);
    expect(isErrorBody({ error: { code: "not_found", message: "x" } })).toBe(true);
    expect(isErrorBody({ leadId: "x" })).toBe(false);
  });
});

describe("routing in the site config", () => {
  it("refuses routes naming a destination the site does not have", () => {
    const routed = (to: string[]) => ({ ...demoSite, routing: { routes: [{ to }], default: ["receiver"] } });
    expect(SiteSchema.safeParse(routed(["receiver"])).success).toBe(true);
    expect(SiteSchema.safeParse(routed(["nowhere"])).success).toBe(false);
  });
});

describe("localizeForm", () => {
  it("applies a language's texts, option labels and messages over the form, and nothing for other languages", () => {
    const form = FormSchema.parse({
      id: "quote",
      title: "Get a quote",
      intent: "pricing",
      fields: [
        { name: "email", type: "email", label: "Email", required: true },
        {
          name: "size",
          type: "select",
          label: "Team size",
          options: [
            { value: "s", label: "Small" },
            { value: "l", label: "Large" },
          ],
        },
      ],
      display: { strings: { required: "Required." } },
      translations: {
        fr: {
          title: "Demander un devis",
          fields: { size: { label: "Taille de l'équipe", help: "Environ", options: { l: "Grande" } } },
          strings: { option: "Choisissez." },
        },
      },
    });
    const fr = localizeForm(form, "fr");
    expect(fr.title).toBe("Demander un devis");
    expect(fr.fields[1]).toMatchObject({ label: "Taille de l'équipe", help: "Environ" });
    expect(fr.fields[1]?.options).toEqual([
      { value: "s", label: "Small" },
      { value: "l", label: "Grande" },
    ]);
    expect(fr.fields[0]?.label).toBe("Email");
    expect(fr.display).toMatchObject({
      language: "fr",
      strings: { required: "Required.", option: "Choisissez." },
    });
    expect(fr).not.toHaveProperty("translations");
    const { translations: _, ...asWritten } = form;
    expect(localizeForm(form, "de")).toEqual(asWritten);
    expect(localizeForm(form, undefined)).toEqual(asWritten);
  });
});
