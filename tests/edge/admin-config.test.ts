/**
 * Site configuration through the admin API, in workerd with the real D1: what the console's form,
 * channel, scoring and routing editors save is what the edge serves, versioned, with rollback.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SAVED_TTL_MS } from "../../edge/src/sites.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Lead, SubmitAnswer } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { ALLOWED_ORIGIN, adminHeaders, get, postLead, send, submission, unique } from "./helpers.ts";

interface Served {
  site: string;
  version: number;
  updatedAt: string | null;
  source: "store" | "code";
  config: SiteConfig;
}
interface Versions {
  versions: { version: number; note: string; author: string; createdAt: string | null }[];
  next: string | null;
}

/** A new site like the demo one, allowed from the test origin, with no destinations. */
function siteConfig(id: string): SiteConfig {
  const demo = SiteSchema.parse(demoSite);
  return {
    ...demo,
    id,
    name: `Test ${id}`,
    allowedOrigins: [ALLOWED_ORIGIN],
    destinations: [],
    routing: undefined,
  };
}

async function createSite(): Promise<{ id: string; config: SiteConfig }> {
  const id = unique("site-");
  const config = siteConfig(id);
  const res = await send("POST", "/v1/admin/sites", { config, note: "first" });
  expect(res.status).toBe(201);
  return { id, config };
}

const served = async (id: string) =>
  (await (await get(`/v1/admin/sites/${id}/config`, adminHeaders)).json()) as Served;

describe("site configuration API", () => {
  it("serves the config in code as version 0 until one is saved", async () => {
    const res = await get("/v1/admin/sites/demo/config", adminHeaders);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Served;
    expect(body).toMatchObject({ site: "demo", version: 0, updatedAt: null, source: "code" });
    expect(body.config.forms.map((f) => f.id)).toContain("contact");
    // Placeholders stay as written: the console edits the config, not this deployment's values.
    expect(body.config.allowedOrigins).toContain("${DEMO_ORIGINS}");
  });

  it("creates a site that takes leads at once, scored by its own rules", async () => {
    const { id, config } = await createSite();
    expect(await served(id)).toMatchObject({ site: id, version: 1, source: "store" });
    const before = (await (await postLead(submission({ site: id }))).json()) as SubmitAnswer;
    expect(before.temperature).toBe("hot"); // a contact request is hot by the default rules
    // This site's rules: no intent makes a lead hot or warm, and nothing scores high enough.
    const strict = {
      ...config,
      scoring: { ...config.scoring, hotIntents: [], warmIntents: [], warmThreshold: 100, hotThreshold: 100 },
    };
    const saved = await send("PUT", `/v1/admin/sites/${id}/config`, { config: strict, baseVersion: 1 });
    expect(saved.status).toBe(200);
    const res = await postLead(submission({ site: id }));
    expect(res.status).toBe(201);
    const answer = (await res.json()) as SubmitAnswer;
    expect(answer.temperature).toBe("cold");
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.site).toBe(id);
  });

  it("serves a saved form change to the widget at once, and takes submissions to a new form", async () => {
    const { id, config } = await createSite();
    const contact = config.forms.find((f) => f.id === "contact")!;
    const quote = { ...contact, id: "quote", title: "Get a quote" };
    const edited = {
      ...config,
      forms: [
        { ...contact, title: "Talk to sales" },
        quote,
        ...config.forms.filter((f) => f.id !== "contact"),
      ],
    };
    const saved = await send("PUT", `/v1/admin/sites/${id}/config`, {
      config: edited,
      baseVersion: 1,
      note: "sales title, quote form",
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as Served).version).toBe(2);
    const form = (await (await get(`/v1/sites/${id}/forms/contact`)).json()) as { form: { title: string } };
    expect(form.form.title).toBe("Talk to sales");
    const res = await postLead(submission({ site: id, form: "quote" }));
    expect(res.status).toBe(201);
  });

  it("serves a form's translation to pages in that language, and the form as written to others", async () => {
    const { id, config } = await createSite();
    const contact = config.forms.find((f) => f.id === "contact")!;
    const de = {
      title: "Sprechen Sie mit uns",
      submitLabel: "Senden",
      fields: { email: { label: "Geschäftliche E-Mail" } },
      strings: { required: "Pflichtfeld." },
    };
    const translated = {
      ...config,
      forms: config.forms.map((f) => (f === contact ? { ...f, translations: { de } } : f)),
    };
    expect(
      (await send("PUT", `/v1/admin/sites/${id}/config`, { config: translated, baseVersion: 1 })).status,
    ).toBe(200);
    type Served = { form: SiteConfig["forms"][number] };
    const german = ((await (await get(`/v1/sites/${id}/forms/contact?lang=de-AT`)).json()) as Served).form;
    expect(german).toMatchObject({ title: "Sprechen Sie mit uns", submitLabel: "Senden" });
    expect(german.fields.find((f) => f.name === "email")?.label).toBe("Geschäftliche E-Mail");
    expect(german.fields.find((f) => f.name === "name")?.label).toBe(
      contact.fields.find((f) => f.name === "name")?.label,
    );
    expect(german.display).toMatchObject({ language: "de", strings: { required: "Pflichtfeld." } });
    expect(german).not.toHaveProperty("translations");
    for (const query of ["?lang=fr", "", "?lang=<script>"]) {
      const form = ((await (await get(`/v1/sites/${id}/forms/contact${query}`)).json()) as Served).form;
      expect(form.title).toBe(contact.title);
      expect(form).not.toHaveProperty("translations");
    }
    // A translation must name a language.
    const bad = {
      ...config,
      forms: config.forms.map((f) => (f === contact ? { ...f, translations: { German: de } } : f)),
    };
    const refused = await send("PUT", `/v1/admin/sites/${id}/config`, { config: bad, baseVersion: 2 });
    expect(refused.status).toBe(400);
    expect(Object.keys(((await refused.json()) as ErrorBody).error.fields ?? {}).join(" ")).toMatch(
      /translations/,
    );
  });

  it("refuses an invalid config with every failing path, and saves nothing", async () => {
    const { id, config } = await createSite();
    const broken = {
      ...config,
      forms: [{ ...config.forms[0]!, fields: [{ name: "x", type: "hologram", label: "X" }] }],
      scoring: { ...config.scoring, warmThreshold: "high" },
    };
    const res = await send("PUT", `/v1/admin/sites/${id}/config`, { config: broken, baseVersion: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.fields ?? {})).toEqual(
      expect.arrayContaining(["forms.0.fields.0.type", "scoring.warmThreshold"]),
    );
    expect((await served(id)).version).toBe(1);
  });

  it("keeps serving the last valid version when the newest saved one no longer validates", async () => {
    const { id, config } = await createSite();
    const titled = {
      ...config,
      forms: config.forms.map((f) => (f.id === "contact" ? { ...f, title: "Version two" } : f)),
    };
    expect(
      (await send("PUT", `/v1/admin/sites/${id}/config`, { config: titled, baseVersion: 1 })).status,
    ).toBe(200);
    // Version 3 as a schema change would leave it: stored, but no longer a valid config.
    await env.DB.prepare(
      "INSERT INTO site_configs (site, version, config, note, author, created_at) VALUES (?1, 3, ?2, '', '', ?3)",
    )
      .bind(id, JSON.stringify({ ...titled, forms: [] }), new Date().toISOString())
      .run();
    await new Promise((resolve) => setTimeout(resolve, SAVED_TTL_MS + 100)); // the isolate reads again
    const form = (await (await get(`/v1/sites/${id}/forms/contact`)).json()) as { form: { title: string } };
    expect(form.form.title).toBe("Version two");
    expect(await served(id)).toMatchObject({ version: 2 });
  }, 15_000);

  it("refuses to change a site's id", async () => {
    const { id, config } = await createSite();
    const res = await send("PUT", `/v1/admin/sites/${id}/config`, {
      config: { ...config, id: "other" },
      baseVersion: 1,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields).toHaveProperty("id");
  });

  it("answers 409 to a save based on an old version: two editors never overwrite each other", async () => {
    const { id, config } = await createSite();
    const [a, b] = await Promise.all([
      send("PUT", `/v1/admin/sites/${id}/config`, { config: { ...config, name: "A" }, baseVersion: 1 }),
      send("PUT", `/v1/admin/sites/${id}/config`, { config: { ...config, name: "B" }, baseVersion: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(((await loser.json()) as ErrorBody).error.code).toBe("conflict");
    const winner = a.status === 200 ? "A" : "B";
    expect((await served(id)).config.name).toBe(winner);
  });

  it("keeps every version, newest first, pages through them, and rolls back as a new version", async () => {
    const { id, config } = await createSite();
    for (let v = 1; v <= 4; v++) {
      const res = await send("PUT", `/v1/admin/sites/${id}/config`, {
        config: { ...config, name: `Name ${v + 1}` },
        baseVersion: v,
        note: `rename ${v + 1}`,
      });
      expect(res.status).toBe(200);
    }
    const first = (await (
      await get(`/v1/admin/sites/${id}/config/versions?limit=3`, adminHeaders)
    ).json()) as Versions;
    expect(first.versions.map((v) => v.version)).toEqual([5, 4, 3]);
    expect(first.versions[0]).toMatchObject({ note: "rename 5" });
    expect(first.versions[0]!.author).toMatch(/^token [0-9a-f]{8}$/);
    const second = (await (
      await get(`/v1/admin/sites/${id}/config/versions?limit=3&cursor=${first.next}`, adminHeaders)
    ).json()) as Versions;
    // A site created through the API has no version in code to fall back to.
    expect(second).toEqual({
      versions: [expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 1 })],
      next: null,
    });

    const old = (await (await get(`/v1/admin/sites/${id}/config/versions/2`, adminHeaders)).json()) as Served;
    expect(old.config.name).toBe("Name 2");
    const rolled = await send("POST", `/v1/admin/sites/${id}/config/rollback`, {
      version: 2,
      baseVersion: 5,
    });
    expect(rolled.status).toBe(200);
    expect(await served(id)).toMatchObject({ version: 6, config: { name: "Name 2" } });
    const top = (await (
      await get(`/v1/admin/sites/${id}/config/versions?limit=1`, adminHeaders)
    ).json()) as Versions;
    expect(top.versions[0]).toMatchObject({ version: 6, note: "Rolled back to version 2" });
    expect((await get(`/v1/admin/sites/${id}/config/versions/99`, adminHeaders)).status).toBe(404);
  });

  it("lists the config in code as version 0 under a built-in site's history", async () => {
    const res = await get("/v1/admin/sites/demo/config/versions", adminHeaders);
    const body = (await res.json()) as Versions;
    expect(body.versions.at(-1)).toMatchObject({ version: 0, createdAt: null });
    const zero = (await (await get("/v1/admin/sites/demo/config/versions/0", adminHeaders)).json()) as Served;
    expect(zero.config.id).toBe("demo");
  });

  it("refuses a site id that exists, and an invalid new site", async () => {
    const taken = await send("POST", "/v1/admin/sites", { config: siteConfig("demo") });
    expect(taken.status).toBe(409);
    const invalid = await send("POST", "/v1/admin/sites", {
      config: { ...siteConfig(unique("site-")), forms: [] },
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ErrorBody).error.fields).toHaveProperty("forms");
  });

  it("keeps a scoped token to its own sites: no reading or saving others, no creating sites", async () => {
    const scoped = { authorization: "Bearer strict-only-token-0123456789" };
    expect((await get("/v1/admin/sites/demo/config", scoped)).status).toBe(403);
    const config = siteConfig(unique("site-"));
    expect(
      (await send("PUT", "/v1/admin/sites/demo/config", { config, baseVersion: 0 }, scoped)).status,
    ).toBe(403);
    expect((await send("POST", "/v1/admin/sites", { config }, scoped)).status).toBe(403);
    expect((await get("/v1/admin/sites/nope/config", adminHeaders)).status).toBe(404);
    expect((await get("/v1/admin/sites/demo/config")).status).toBe(401);
  });

  it("answers a malformed body with 400 and the failing parameters", async () => {
    const { id } = await createSite();
    const res = await send("PUT", `/v1/admin/sites/${id}/config`, { config: {}, baseVersion: -1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.fields).toHaveProperty("baseVersion");
  });
});

describe("calibration from a site's outcomes", () => {
  /** Leads on a new site: the engaged ones bought, the others did not. */
  async function seed(engaged: number, idle: number) {
    const { id } = await createSite();
    const outcomes: { leadId: string; outcome: "converted" | "lost"; at: string }[] = [];
    for (let i = 0; i < engaged + idle; i++) {
      const hot = i < engaged;
      const body = submission({
        site: id,
        engagement: hot
          ? { activeTimeMs: 12 * 60_000, maxScrollPct: 100, pageViews: 9, visits: 4 }
          : { activeTimeMs: 8_000, maxScrollPct: 10, pageViews: 1, visits: 1 },
      });
      const answer = (await (await postLead(body)).json()) as SubmitAnswer;
      outcomes.push({
        leadId: answer.leadId,
        outcome: hot ? "converted" : "lost",
        at: "2026-11-21T10:00:00.000Z",
      });
    }
    const res = await send("POST", "/v1/admin/outcomes", { outcomes });
    expect(res.status).toBe(200);
    return id;
  }

  it("proposes the site's rules fitted to its outcomes, and changes nothing until it is accepted", async () => {
    const id = await seed(14, 16);
    const res = await send("POST", `/v1/admin/sites/${id}/calibration`, {});
    expect(res.status).toBe(200);
    const proposal = (await res.json()) as {
      baseVersion: number;
      scoring: SiteConfig["scoring"];
      report: { leads: number; converted: number; rocAuc: { scoreOutOfFold: number } };
    };
    expect(proposal.baseVersion).toBe(1);
    expect(proposal.report).toMatchObject({ leads: 30, converted: 14 });
    expect(proposal.report.rocAuc.scoreOutOfFold).toBeGreaterThan(0.9);
    // It parses as a scoring config; nothing was saved yet.
    const parsed = SiteSchema.shape.scoring.safeParse(proposal.scoring);
    expect(parsed.success).toBe(true);
    const site = await served(id);
    expect(site.version).toBe(1);
    // Accepting is saving it as the next version.
    const accepted = await send("PUT", `/v1/admin/sites/${id}/config`, {
      config: { ...site.config, scoring: proposal.scoring },
      baseVersion: proposal.baseVersion,
      note: "Calibrated from 30 outcomes",
    });
    expect(accepted.status).toBe(200);
    expect(await served(id)).toMatchObject({ version: 2, config: { scoring: proposal.scoring } });
    const engaged = (await (
      await postLead(
        submission({
          site: id,
          engagement: { activeTimeMs: 12 * 60_000, maxScrollPct: 100, pageViews: 9, visits: 4 },
        }),
      )
    ).json()) as SubmitAnswer;
    const idle = (await (
      await postLead(
        submission({
          site: id,
          engagement: { activeTimeMs: 8_000, maxScrollPct: 10, pageViews: 1, visits: 1 },
        }),
      )
    ).json()) as SubmitAnswer;
    expect(engaged.score).toBeGreaterThan(idle.score);
  });

  it("answers 422 with what is missing when there are too few outcomes of either kind", async () => {
    const id = await seed(3, 12);
    const res = await send("POST", `/v1/admin/sites/${id}/calibration`, {});
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("unprocessable");
    expect(body.error.message).toMatch(/3 converted and 12 lost/);
  });
});
