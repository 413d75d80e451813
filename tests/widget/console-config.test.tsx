/**
 * The console's config editing, without a browser: edits at a path, the schema's messages by dotted
 * path (as the edge answers them), the version diff, spend and cost per lead, the channel tester's
 * touch, new forms and fields of every type, and the live preview rendering the real widget into a
 * shadow root without sending anything.
 */
import { fireEvent, render, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { jsonDiff } from "../../edge/console/src/config-diff.ts";
import { getAt, issuesToFields, move, setAt } from "../../edge/console/src/config-edit.ts";
import { landingTouch } from "../../edge/console/src/landing.ts";
import { matchingRule } from "../../edge/console/src/screens/channels.tsx";
import {
  describePath,
  duplicateForm,
  formsOf,
  freeId,
  newField,
  newForm,
  renameFields,
} from "../../edge/console/src/screens/forms/model.ts";
import { sampleInput } from "../../edge/console/src/screens/scoring.tsx";
import {
  campaignCosts,
  costPerLead,
  monthShare,
  spendByCampaign,
  spendByChannel,
} from "../../edge/console/src/spend.ts";
import { conditionValue } from "../../edge/console/src/ui/condition.tsx";
import { Preview } from "../../edge/console/src/ui/preview.tsx";
import { DEFAULT_CHANNEL_RULES } from "../../shared/channels.ts";
import { FIELD_TYPES, FormSchema, type SiteConfig, SiteSchema } from "../../shared/config.ts";
import { score } from "../../shared/scoring.ts";
import { ScoringSchema } from "../../shared/scoring-schema.ts";
import type { Touch } from "../../shared/signals.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { touchFromUrl } from "../../shared/touch.ts";

/** The demo config as the edge stores it (plain JSON; typed as parsed for the tests' convenience). */
const site = () => JSON.parse(JSON.stringify(demoSite)) as SiteConfig;

describe("editing a config at a path", () => {
  it("copies only what is on the way, and removes a key set to undefined", () => {
    const config = site();
    const next = setAt(config, ["forms", 0, "fields", 1, "label"], "Full name");
    expect(getAt(next, ["forms", 0, "fields", 1, "label"])).toBe("Full name");
    expect(getAt(config, ["forms", 0, "fields", 1, "label"])).toBe("Name");
    expect(next.forms[1]).toBe(config.forms[1]);
    expect(next.scoring).toBe(config.scoring);
    const without = setAt(next, ["forms", 0, "description"], undefined);
    expect("description" in without.forms[0]!).toBe(false);
    // Missing objects on the way are made.
    expect(setAt({}, ["display", "triggers", "delaySeconds"], 5)).toEqual({
      display: { triggers: { delaySeconds: 5 } },
    });
  });

  it("moves an item of a list, clamped to its ends", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b", "c"], 0, 9)).toEqual(["b", "c", "a"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });

  it("names the schema's problems by dotted path, as the edge's 400 does", () => {
    const config = site();
    config.forms[0]!.fields[1]!.name = "site";
    (config.forms[0]!.fields[0] as { required?: boolean }).required = false;
    const result = SiteSchema.safeParse(config);
    expect(result.success).toBe(false);
    const fields = issuesToFields(result.error!.issues);
    expect(fields["forms.0.fields.1.name"]).toContain("reserved");
    expect(fields["forms.0.fields"]).toContain("required email");
  });
});

describe("the version diff", () => {
  it("matches forms and fields by id and name, and says what changed in words a marketer reads", () => {
    const before = site();
    const after = site();
    after.forms[0]!.fields[0]!.label = "Email";
    after.forms.splice(1, 1);
    after.forms.push({ ...after.forms[0]!, id: "callback" });
    const changes = jsonDiff(before, after);
    expect(changes).toContainEqual({
      kind: "changed",
      path: ["forms", "contact", "fields", "email", "label"],
      before: "Work email",
      after: "Email",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: "removed", path: ["forms", "newsletter"] }),
    );
    expect(changes).toContainEqual(expect.objectContaining({ kind: "added", path: ["forms", "callback"] }));
    // Nothing else: the other forms did not change.
    expect(changes).toHaveLength(3);
  });

  it("reports a reorder once, not as every item changed", () => {
    const before = site();
    const after = site();
    after.forms[0]!.fields = move(after.forms[0]!.fields, 2, 0);
    expect(jsonDiff(before, after)).toEqual([
      {
        kind: "changed",
        path: ["forms", "contact", "fields", "(order)"],
        before: ["email", "name", "company", "consent", "website"],
        after: ["company", "email", "name", "consent", "website"],
      },
    ]);
    expect(jsonDiff(before, site())).toEqual([]);
  });
});

describe("spend and cost per lead", () => {
  it("counts a month for the share of its days inside the range", () => {
    expect(monthShare("2026-11", "2026-11-01", "2026-11-30")).toBe(1);
    expect(monthShare("2026-11", "2026-11-16", "2026-12-15")).toBe(0.5);
    expect(monthShare("2026-02", "2026-02-01", "2026-02-14")).toBe(0.5);
    expect(monthShare("2026-10", "2026-11-01", "2026-11-30")).toBe(0);
  });

  it("takes a channel's whole-month row over its campaigns, and the campaigns when that is all there is", () => {
    const spend = [
      { month: "2026-11", channel: "paid_search", amount: 3000 },
      { month: "2026-11", channel: "paid_search", campaign: "Brand", amount: 1000 },
      { month: "2026-11", channel: "paid_social", campaign: "launch", amount: 600 },
      { month: "2026-11", channel: "paid_social", campaign: "retarget", amount: 300 },
    ];
    const byChannel = spendByChannel(spend, "2026-11-01", "2026-11-30");
    expect(byChannel.get("paid_search")).toBe(3000);
    expect(byChannel.get("paid_social")).toBe(900);
    const rows = costPerLead(byChannel, [
      { key: "paid_search", leads: 60 },
      { key: "email", leads: 12 },
    ]);
    expect(rows).toEqual([
      { key: "paid_search", spend: 3000, leads: 60, costPerLead: 50 },
      { key: "paid_social", spend: 900, leads: 0, costPerLead: null },
    ]);
    expect(spendByCampaign(spend, "2026-11-01", "2026-11-30").get("brand")).toBe(1000);
  });

  it("costs a campaign over its first-touch leads from every channel, its name matched without case", () => {
    const spend = [
      { month: "2026-11", channel: "paid_search", campaign: "Brand", amount: 600 },
      { month: "2026-11", channel: "paid_search", amount: 5000 },
      { month: "2026-11", channel: "paid_social", campaign: "launch", amount: 300 },
      { month: "2026-11", channel: "email", campaign: "quiet", amount: 90 },
    ];
    const byCampaign = [
      { channel: "paid_search", campaign: "brand", leads: 20 },
      // The same campaign name reached from another channel: its leads count too.
      { channel: "organic_social", campaign: "BRAND", leads: 10 },
      { channel: "paid_social", campaign: "launch", leads: 6 },
      { channel: "email", campaign: "no-spend", leads: 4 },
    ];
    const rows = campaignCosts(spend, "2026-11-01", "2026-11-30", byCampaign);
    expect(rows).toEqual([
      {
        key: "brand",
        campaign: "Brand",
        channels: ["paid_search", "organic_social"],
        spend: 600,
        leads: 30,
        costPerLead: 20,
      },
      { key: "launch", campaign: "launch", channels: ["paid_social"], spend: 300, leads: 6, costPerLead: 50 },
      // Spend without a lead is no cost per lead of 0; a campaign without spend is not listed.
      { key: "quiet", campaign: "quiet", channels: ["email"], spend: 90, leads: 0, costPerLead: null },
    ]);
    // Half of November in the range: half of each campaign's spend.
    expect(campaignCosts(spend, "2026-11-16", "2026-11-30", byCampaign)[0]).toMatchObject({
      spend: 300,
      costPerLead: 10,
    });
  });
});

describe("the channel tester", () => {
  it("reads UTM values and click ids from a landing URL, and names the rule that wins", () => {
    const touch = landingTouch("https://shop.example/p?utm_source=google&utm_medium=cpc&gclid=x1", "")!;
    expect(touch).toMatchObject({ utm_source: "google", utm_medium: "cpc", clickIds: { gclid: "x1" } });
    expect(matchingRule(touch as Touch, DEFAULT_CHANNEL_RULES)).toEqual({ channel: "paid_search", index: 0 });
    const search = landingTouch("https://shop.example/pricing", "https://www.bing.com/search?q=x")!;
    expect(matchingRule(search as Touch, DEFAULT_CHANNEL_RULES).channel).toBe("organic_search");
    const none = landingTouch("https://shop.example/", "")!;
    expect(matchingRule(none as Touch, DEFAULT_CHANNEL_RULES).channel).toBe("direct");
    expect(matchingRule(none as Touch, [])).toEqual({ channel: "other", index: -1 });
    expect(landingTouch("shop.example/no-scheme")).toBeNull();
  });

  it("gives the touch the widget records (shared/touch), UTM values and click ids alike", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const url =
      "https://shop.example/p?utm_source=Google&utm_medium=cpc&utm_campaign=brand%20q4&utm_term=crm" +
      "&utm_content=ad-2&gclid=g1&fbclid=f2&li_fat_id=l3&other=x";
    const referrer = "https://www.google.com/";
    const widget = touchFromUrl(url, referrer, now);
    expect(landingTouch(url, referrer, now)).toEqual(widget);
    expect(widget).toEqual({
      landingPage: url,
      at: now.toISOString(),
      utm_source: "Google",
      utm_medium: "cpc",
      utm_campaign: "brand q4",
      utm_term: "crm",
      utm_content: "ad-2",
      clickIds: { gclid: "g1", fbclid: "f2", li_fat_id: "l3" },
      referrer,
    });
    // Typed with spaces around it, the URL is still the one the browser would have.
    expect(landingTouch(`  ${url} `, ` ${referrer}`, now)).toEqual(widget);
    // A referrer on the same site is a page view, not where the visitor came from: the widget drops it.
    expect(landingTouch(url, "https://shop.example/blog", now)).toEqual(
      touchFromUrl(url, "https://shop.example/blog", now),
    );
    expect(landingTouch(url, "https://shop.example/blog", now)).not.toHaveProperty("referrer");
  });
});

describe("forms and fields", () => {
  it("makes a new form the schema accepts, with a field of every type the widget renders", () => {
    const form = newForm(["contact"]);
    expect(FormSchema.safeParse(form).success).toBe(true);
    for (const type of FIELD_TYPES)
      form.fields.push(
        newField(
          type,
          form.fields.map((f) => f.name),
        ),
      );
    const parsed = FormSchema.safeParse(form);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(new Set(form.fields.map((f) => f.type))).toEqual(new Set(FIELD_TYPES));
  });

  it("duplicates under a free id, and a rename carries the conditions along", () => {
    const contact = site().forms[0]!;
    const copy = duplicateForm(contact, ["contact", "contact-copy"]);
    expect(copy.id).toBe("contact-copy-2");
    expect(copy.fields).toEqual(contact.fields);
    expect(freeId("x", [])).toBe("x");
    const fields = [
      { name: "plan", type: "select" as const, options: [{ value: "pro", label: "Pro" }] },
      { name: "seats", type: "number" as const, showWhen: { field: "plan", equals: "pro" } },
    ];
    expect(renameFields(fields, 0, "plan", "tier")[1]!.showWhen).toEqual({ field: "tier", equals: "pro" });
  });

  it("names a problem's path in the editor's words: the field by its label, else its name", () => {
    const forms = formsOf(site());
    expect(forms.map((f) => f.id)).toContain("contact");
    expect(formsOf(undefined)).toEqual([]);
    const contact = forms.findIndex((f) => f.id === "contact");
    const field = forms[contact]!.fields.findIndex((f) => f.name === "email");
    expect(describePath(`forms.${contact}.fields.${field}.label`, forms)).toBe(
      `Field “${forms[contact]!.fields[field]!.label}”: label`,
    );
    const unlabelled = [{ id: "f", fields: [{ name: "plan", type: "hidden" as const, label: "" }] }];
    expect(describePath("forms.0.fields.0", unlabelled)).toBe("Field “plan”");
    expect(describePath("forms.0.display.mode", unlabelled)).toBe("display mode");
    expect(describePath("forms.0", unlabelled)).toBe("Form f");
    expect(describePath("channels.0.channel", unlabelled)).toBe("channels.0.channel");
  });
});

describe("the scoring preview", () => {
  it("types condition values as the operator wants them", () => {
    expect(conditionValue("in", "vp, head, 3")).toEqual(["vp", "head", 3]);
    expect(conditionValue("between", "10, 50")).toEqual([10, 50]);
    expect(conditionValue("gte", "120000")).toBe(120000);
    expect(conditionValue("eq", "true")).toBe(true);
    expect(conditionValue("exists", "")).toBeUndefined();
    expect(conditionValue("contains", "head")).toBe("head");
  });

  it("scores a sample lead with the site's rules: a demo request is hot, and says why", () => {
    const config = SiteSchema.parse(site());
    const input = sampleInput(
      {
        form: "demo-request",
        email: "ada@analytical.example",
        fields: { role: "Head of Growth" },
        activeMinutes: 3,
        visits: 2,
        pageViews: 4,
        pricingViews: 1,
        channel: "paid_search",
        downloads: 0,
        webinars: 0,
      },
      config,
      new Date().toISOString(),
    );
    const result = score(input, ScoringSchema.parse(config.scoring));
    expect(result.temperature).toBe("hot");
    expect(result.reasons.map((r) => r.label)).toContain("Requested a demo");
    expect(result.reasons.reduce((s, r) => s + r.points, 0)).toBe(result.score);
  });
});

describe("the live preview", () => {
  it("renders the real widget form into a shadow root as the config changes, and sends nothing", async () => {
    const form = site().forms[0]!;
    const view = render(<Preview site="demo" form={form} />);
    const host = view.container.querySelector("[data-testid=preview]")!;
    await waitFor(() => expect(host.shadowRoot?.querySelector("h2")?.textContent).toBe("Talk to us"));
    view.rerender(<Preview site="demo" form={{ ...form, title: "Call me back" }} />);
    await waitFor(() => expect(host.shadowRoot?.querySelector("h2")?.textContent).toBe("Call me back"));

    const shadow = host.shadowRoot!;
    const input = (label: string) =>
      shadow.getElementById(
        [...shadow.querySelectorAll("label")].find((l) => l.textContent?.startsWith(label))!.htmlFor,
      ) as HTMLInputElement;
    fireEvent.input(input("Work email"), { target: { value: "ada@analytical.example" } });
    fireEvent.input(input("Name"), { target: { value: "Ada" } });
    fireEvent.click(input("I agree"));
    fireEvent.submit(shadow.querySelector("form")!);
    await waitFor(() => expect(view.container.textContent).toContain("Preview: not sent"));
    expect(view.container.textContent).toContain("email");

    // A form the schema refuses keeps the last good preview, and says so.
    view.rerender(<Preview site="demo" form={{ ...form, fields: [] }} />);
    await waitFor(() => expect(view.container.textContent).toContain("last version without problems"));
    expect(shadow.querySelector("h2, .lc")).not.toBeNull();
  });
});

describe("saving the draft", () => {
  /** A stub edge: the config at version 3, and what the next PUT answers. */
  function stubEdge(answer: (body: { baseVersion: number; note?: string }) => Response) {
    const calls: { method: string; url: string; body: unknown }[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string, init?: RequestInit) => {
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method: init?.method ?? "GET", url, body });
      if ((init?.method ?? "GET") === "GET")
        return Response.json({ site: "demo", version: 3, updatedAt: null, source: "store", config: site() });
      return answer(body);
    }) as typeof fetch;
    return { calls, restore: () => (globalThis.fetch = original) };
  }

  async function loaded() {
    const { signIn } = await import("../../edge/console/src/session.ts");
    const store = await import("../../edge/console/src/site-config.ts");
    signIn({ token: "t", edge: "https://edge.example", site: "demo" });
    store.resetConfig();
    await store.ensureConfig();
    return store;
  }

  it("checks with the schema before sending, then PUTs the whole config on top of its version", async () => {
    const edge = stubEdge((body) =>
      Response.json({
        site: "demo",
        version: body.baseVersion + 1,
        updatedAt: "2026-11-22T10:00:00Z",
        source: "store",
        config: site(),
      }),
    );
    try {
      const store = await loaded();
      store.edit(["forms", 0, "fields", 1, "name"], "redirect");
      expect(await store.save("")).toBe(false);
      expect(store.errors.value["forms.0.fields.1.name"]).toContain("reserved");
      expect(edge.calls.filter((c) => c.method === "PUT")).toHaveLength(0);
      // Fixing it clears the message at once.
      store.edit(["forms", 0, "fields", 1, "name"], "fullName");
      expect(store.errors.value).toEqual({});
      expect(store.dirty.value).toBe(true);
      expect(await store.save("rename")).toBe(true);
      const put = edge.calls.find((c) => c.method === "PUT")!;
      expect(put.url).toBe("https://edge.example/v1/admin/sites/demo/config");
      expect(put.body).toMatchObject({ baseVersion: 3, note: "rename" });
      expect((put.body as { config: SiteConfig }).config.forms[0]!.fields[1]!.name).toBe("fullName");
      expect(store.saved.value).toMatchObject({ state: "ready", answer: { version: 4 } });
    } finally {
      edge.restore();
    }
  });

  it("shows the edge's 400 fields next to their inputs, and a 409 as someone else's save", async () => {
    let status = 400;
    const edge = stubEdge(() =>
      status === 400
        ? Response.json(
            {
              error: { code: "validation_failed", message: "invalid", fields: { "forms.0.title": "Taken." } },
            },
            { status: 400 },
          )
        : Response.json({ error: { code: "conflict", message: "saved since" } }, { status: 409 }),
    );
    try {
      const store = await loaded();
      store.edit(["forms", 0, "title"], "Contact sales");
      expect(await store.save("")).toBe(false);
      expect(store.errors.value).toEqual({ "forms.0.title": "Taken." });
      status = 409;
      store.errors.value = {};
      expect(await store.save("")).toBe(false);
      expect(store.saveProblem.value).toMatchObject({ conflict: true });
      // The draft is kept for the marketer to redo on top of the other save.
      expect(store.draft.value!.forms[0]!.title).toBe("Contact sales");
    } finally {
      edge.restore();
    }
  });
});
