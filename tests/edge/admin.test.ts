import { describe, expect, it } from "vitest";
import type { PublicFormConfig, PublicSiteConfig } from "../../shared/api/sites.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Lead, SubmitAnswer } from "../../shared/lead.ts";
import { adminHeaders, get, postLead, submission } from "./helpers.ts";

describe("admin API", () => {
  it("answers 401 without a token or with a wrong one", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong" },
      { authorization: "Basic abc" },
    ]) {
      const res = await get("/v1/admin/leads", headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe("unauthorized");
    }
    expect((await get("/v1/admin/leads/lead_x")).status).toBe(401);
  });

  it("names the site on every route that reads a site's data: none falls back to a default site", async () => {
    for (const path of [
      "/v1/admin/leads",
      "/v1/admin/leads.csv",
      "/v1/admin/metrics",
      "/v1/admin/deliveries",
    ]) {
      const res = await get(path, adminHeaders);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({
        code: "invalid_request",
        fields: { site: "Required." },
      });
    }
  });

  it("lists leads newest first and pages through them with a cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(((await (await postLead(submission())).json()) as SubmitAnswer).leadId);
    const first = (await (await get("/v1/admin/leads?site=demo&limit=2", adminHeaders)).json()) as {
      leads: Lead[];
      nextCursor: string | null;
    };
    expect(first.leads).toHaveLength(2);
    expect(first.leads.map((l) => l.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (
      await get(`/v1/admin/leads?site=demo&limit=2&cursor=${first.nextCursor}`, adminHeaders)
    ).json()) as { leads: Lead[] };
    expect(second.leads[0]?.id).toBe(ids[0]);
  });

  it("returns one lead with its attribution, engagement, score reasons and consent record", async () => {
    const body = submission();
    const answer = (await (await postLead(body)).json()) as SubmitAnswer;
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead).toMatchObject({
      id: answer.leadId,
      site: "demo",
      form: "contact",
      fields: { name: "Ada Lovelace", company: "Analytical Engines", consent: true },
      firstTouch: { utm_source: "newsletter", utm_campaign: "launch", channel: "email" },
      lastTouch: { channel: "email" },
      engagement: { activeTimeMs: 75_000, maxScrollPct: 80 },
      submissionCount: 1,
    });
    expect(lead.fields).not.toHaveProperty("website");
    expect(lead.consent?.[0]).toMatchObject({ field: "consent", version: "2026-11" });
    expect(lead.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(lead.score);
    expect((await get("/v1/admin/leads/lead_missing", adminHeaders)).status).toBe(404);
  });

  it("serves the public form config the widget renders, without secrets", async () => {
    const res = await get("/v1/sites/demo/forms/contact");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const text = await res.text();
    expect(text).not.toContain("whsec_");
    const config = JSON.parse(text) as PublicFormConfig;
    expect(config.site).toBe("demo");
    // The site's tracking settings too: a page that names a form needs no second request.
    expect(config.tracking).toEqual(
      ((await (await get("/v1/sites/demo")).json()) as PublicSiteConfig).tracking,
    );
    expect(config.form.fields.map((f) => f.name)).toEqual(["email", "name", "company", "consent", "website"]);
    expect((await get("/v1/sites/demo/forms/nope")).status).toBe(404);
    expect((await get("/v1/sites/nope/forms/contact")).status).toBe(404);
  });
});

describe("site-scoped admin tokens", () => {
  const scoped = { authorization: "Bearer strict-only-token-0123456789" };

  it("lets a token see only its sites: 403 for another site's list, 404 for its leads", async () => {
    const demoLead = ((await (await postLead(submission())).json()) as SubmitAnswer).leadId;
    const strictRes = await postLead(
      submission({ site: "strict", form: "signup", fields: { email: `scoped-${Date.now()}@acme.example` } }),
      { origin: "https://strict.example" },
    );
    const strictLead = ((await strictRes.json()) as SubmitAnswer).leadId;

    const other = await get("/v1/admin/leads?site=demo", scoped);
    expect(other.status).toBe(403);
    expect(((await other.json()) as ErrorBody).error.code).toBe("forbidden");
    expect((await get("/v1/admin/leads?site=strict", scoped)).status).toBe(200);
    expect((await get(`/v1/admin/leads/${demoLead}`, scoped)).status).toBe(404);
    expect((await get(`/v1/admin/leads/${strictLead}`, scoped)).status).toBe(200);
    // The all-sites token still sees both.
    expect((await get(`/v1/admin/leads/${demoLead}`, adminHeaders)).status).toBe(200);
  });

  it("refuses tokens too short to be safe even when configured", async () => {
    expect((await get("/v1/admin/leads?site=demo", { authorization: "Bearer short" })).status).toBe(401);
  });
});

describe("admin: destinations", () => {
  it("lists a site's destinations without secrets, behind the token", async () => {
    expect((await get("/v1/admin/destinations?site=demo")).status).toBe(401);
    const res = await get("/v1/admin/destinations?site=demo", adminHeaders);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("whsec_");
    expect(JSON.parse(text)).toEqual({
      destinations: [{ id: "receiver", type: "webhook", configured: true }],
    });
    expect(
      (
        await get("/v1/admin/destinations?site=demo", {
          authorization: "Bearer strict-only-token-0123456789",
        })
      ).status,
    ).toBe(403);
  });
});

describe("public site settings", () => {
  it("serves the site's tracking settings and form ids to the widget", async () => {
    const res = await get("/v1/sites/demo");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as {
      site: string;
      tracking: { consentMode: string; honorGpc: boolean };
      forms: { id: string }[];
    };
    expect(body.site).toBe("demo");
    expect(body.tracking).toMatchObject({ consentMode: "off", honorGpc: true });
    expect(body.forms.map((f) => f.id)).toContain("contact");
    expect((await get("/v1/sites/nope")).status).toBe(404);
  });
});

describe("leads list: filters, sorting, totals, CSV", () => {
  async function list(query: string): Promise<{ leads: Lead[]; nextCursor: string | null; total: number }> {
    const res = await get(`/v1/admin/leads?site=strict&${query}`, adminHeaders);
    expect(res.status).toBe(200);
    return (await res.json()) as { leads: Lead[]; nextCursor: string | null; total: number };
  }

  it("filters by search, temperature, stage, form, channel, dates and score, and counts the matches", async () => {
    const tag = `filt${Date.now().toString(36)}`;
    for (let i = 0; i < 5; i++) {
      const body = submission({
        site: "strict",
        form: "signup",
        fields: { email: `${tag}-${i}@acme.example` },
      });
      if (i < 2)
        body.attribution.firstTouch = {
          landingPage: "https://strict.example/",
          referrer: "https://www.google.com/",
          at: body.attribution.firstTouch.at,
        };
      expect((await postLead(body, { origin: "https://strict.example" })).status).toBe(201);
    }
    const all = await list(`q=${tag}&limit=2`);
    expect(all.total).toBe(5);
    expect(all.leads).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await list(`q=${tag}&channel=organic_search`)).total).toBe(2);
    expect((await list(`q=${tag}&form=signup&from=${today}&to=${tomorrow}`)).total).toBe(5);
    expect((await list(`q=${tag}&from=2001-01-01&to=2001-01-02`)).total).toBe(0);
    const sample = all.leads[0]!;
    expect((await list(`q=${tag}&temperature=${sample.temperature}&stage=${sample.stage}`)).total).toBe(5);
    expect((await list(`q=${tag}&minScore=${sample.score + 1}`)).total).toBe(0);
    expect((await list(`q=${tag.toUpperCase()}`)).total).toBe(5);
    // Wildcards in the search are literal text.
    expect((await list("q=%25")).total).toBe(0);
  });

  it("pages through any sort order with its cursor, and refuses bad filters", async () => {
    const tag = `sort${Date.now().toString(36)}`;
    for (let i = 0; i < 4; i++) {
      await postLead(
        submission({ site: "strict", form: "signup", fields: { email: `${tag}-${i}@acme.example` } }),
        { origin: "https://strict.example" },
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`q=${tag}&sort=created&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.leads.map((l) => l.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3].map((i) => `${tag}-${i}@acme.example`));
    const byScore = await list(`q=${tag}&sort=-score&limit=3`);
    expect(
      (
        await get(
          `/v1/admin/leads?site=strict&q=${tag}&sort=created&cursor=${byScore.nextCursor}`,
          adminHeaders,
        )
      ).status,
    ).toBe(400);
    const bad = await get("/v1/admin/leads?site=strict&temperature=lukewarm&from=yesterday", adminHeaders);
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).error.fields ?? {}).sort()).toEqual([
      "from",
      "temperature",
    ]);
  });

  it("exports the filtered set as CSV, safe to open in a spreadsheet", async () => {
    const tag = `csv${Date.now().toString(36)}`;
    await postLead(
      submission({
        site: "strict",
        form: "signup",
        fields: { email: `${tag}@acme.example`, heardFrom: '=HYPERLINK("x")' },
      }),
      { origin: "https://strict.example" },
    );
    const res = await get(`/v1/admin/leads.csv?site=strict&q=${tag}`, adminHeaders);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^id,created_at,email,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${tag}@acme.example`);
    expect((await get(`/v1/admin/leads.csv?site=strict`, {})).status).toBe(401);
  });
});

describe("admin: sites", () => {
  it("lists the sites a token may see", async () => {
    const all = (await (await get("/v1/admin/sites", adminHeaders)).json()) as {
      sites: { id: string; name: string }[];
    };
    expect(all.sites.map((s) => s.id).sort()).toEqual(["demo", "strict"]);
    const scoped = (await (
      await get("/v1/admin/sites", { authorization: "Bearer strict-only-token-0123456789" })
    ).json()) as {
      sites: { id: string }[];
    };
    expect(scoped.sites.map((s) => s.id)).toEqual(["strict"]);
    expect((await get("/v1/admin/sites")).status).toBe(401);
  });
});
