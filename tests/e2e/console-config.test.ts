import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SiteMetrics } from "../../edge/src/stores/ports/metrics.ts";
import type { SiteConfig } from "../../shared/config.ts";
import type { Lead } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { benchSubmission } from "../bench/part.ts";
import { CHROMIUM, launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl, review as reviewOf } from "./support/console.ts";

const stack = inject("stack");
const review = (name: string) => reviewOf(page, name);
const CONSOLE = () => consoleUrl(stack.edgeUrl);
const RUN = Date.now().toString(36);
const FORM_ID = `e2e-call-${RUN}`;
const EMAIL = `grace-${RUN}@navy.example`;
const OTHER_SITE = `e2e-other-${RUN}`;
const auth = () => ({ authorization: `Bearer ${stack.adminToken}` });

let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: { ...auth(), "content-type": "application/json", ...(init.headers ?? {}) },
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const currentConfig = () => admin<{ version: number; config: SiteConfig }>("/v1/admin/sites/demo/config");

const editor = () => page.locator(".editor-main");
const preview = () => page.locator("[data-testid=preview]");
/** The preview re-renders a moment after the last keystroke: interact once it has. */
const settled = () => expect.poll(() => preview().getAttribute("aria-busy")).toBeNull();
const saveBar = () => page.locator(".savebar");

async function save(note: string): Promise<number> {
  const before = (await currentConfig()).version;
  await saveBar().getByLabel("Note").fill(note);
  await saveBar().getByRole("button", { name: "Save" }).click();
  await expect.poll(() => saveBar().textContent(), { timeout: 10_000 }).toContain(`version ${before + 1}`);
  return before + 1;
}

beforeAll(async () => {
  buildConsoleIfStale();
  // A second site, so the switcher has a choice (a site token-wide admins may create).
  const second = JSON.parse(JSON.stringify(demoSite)) as SiteConfig;
  await admin("/v1/admin/sites", {
    method: "POST",
    body: JSON.stringify({
      config: { ...second, id: OTHER_SITE, name: "Second site", forms: second.forms.slice(0, 1) },
      note: "e2e: a second site for the switcher",
    }),
  });
  browser = await launchChromium();
  // bypassCSP only lets the test inject axe-core; console-serving.test.ts runs the console under its CSP.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.edgeUrl });
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(CONSOLE());
  await page.getByLabel("Admin token").fill(stack.adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  // The demo as shipped for the next test file: version 0 is the config in code. Another isolate may
  // answer with a version a few seconds old: a conflict means try again.
  for (let attempt = 0; attempt < 15; attempt++) {
    const { version } = await currentConfig();
    if (version === 0) return;
    const res = await fetch(`${stack.edgeUrl}/v1/admin/sites/demo/config/rollback`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ version: 0, baseVersion: version }),
    });
    if (res.ok) return;
    expect(res.status, await res.text()).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error("could not roll the demo config back to the one in code");
});

describe("console: configuration", () => {
  it("switches between the sites the token may see", async () => {
    const switcher = page.getByLabel("Site", { exact: true });
    // Each edge isolate reads saved sites every few seconds: reload until this one has the new site.
    await expect
      .poll(
        async () => {
          if (await switcher.count()) return 1;
          await page.reload();
          await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
          await page.waitForTimeout(500);
          return switcher.count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    await switcher.selectOption(OTHER_SITE);
    await page.getByRole("link", { name: "Forms" }).click();
    await expect.poll(() => page.locator(".form-list > li").count()).toBe(1);
    await switcher.selectOption("demo");
    await expect.poll(() => page.locator(".form-list > li").count()).toBe(demoSite.forms.length);
    // Kept with the session: the other screens follow.
    expect(await page.evaluate(() => sessionStorage.getItem("leadcap-console-session"))).toContain(
      '"site":"demo"',
    );
    await review("forms");
  });

  it("creates a form in the editor, previews it with the real widget as it is typed, and saves it", async () => {
    await page.getByRole("button", { name: "New form" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Live preview" }).count()).toBe(1);
    await editor().getByLabel("Form id").fill(FORM_ID);
    await expect.poll(() => page.url()).toContain(`#/forms/${FORM_ID}`);
    await editor().getByLabel("Title", { exact: true }).fill("Book a call");
    await expect.poll(() => preview().locator("h2").textContent()).toBe("Book a call");
    await editor().getByLabel("Success message").fill("Booked! We will call you.");

    // A drop-down with two options, a text field; every field type can be added.
    await editor().getByLabel("New field").selectOption("select");
    await editor().getByRole("button", { name: "Add field" }).click();
    await editor().getByLabel("Label", { exact: true }).fill("Team size");
    await editor().getByLabel("Option 1 label").fill("Just me");
    await editor().getByLabel("Option 2 label").fill("A team");
    await expect.poll(() => preview().getByLabel("Team size").count()).toBe(1);
    await expect.poll(() => preview().locator("option").allTextContents()).toContain("A team");
    await editor().locator(".field-toggle", { hasText: "Team size" }).click();
    await editor().getByLabel("New field").selectOption("textarea");
    await editor().getByRole("button", { name: "Add field" }).click();
    await editor().getByLabel("Label", { exact: true }).fill("What should we prepare?");
    await editor().getByLabel("Help text").fill("A line or two is plenty.");

    // Conditional: shown only when the team option is picked.
    await editor().getByLabel("Another field").selectOption("select");
    await editor().getByLabel("…has the value").fill("option_2");
    await settled();
    await expect.poll(() => preview().getByLabel("What should we prepare?").count()).toBe(0);
    await preview().getByLabel("Team size").selectOption("option_2");
    await expect.poll(() => preview().getByLabel("What should we prepare?").count()).toBe(1);
    await editor().locator(".field-toggle", { hasText: "What should we prepare?" }).click();

    // Reorder by keyboard: focus follows the moved field; the preview follows the order.
    await editor().getByRole("button", { name: "Move Team size up" }).click();
    await expect
      .poll(() => editor().locator(".fields-list .field-title").allTextContents())
      .toEqual(["Team size", "Work email", "What should we prepare?"]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "Move Team size down",
    );
    await expect
      .poll(async () => (await preview().locator("label, legend").allTextContents())[0])
      .toContain("Team size");
    // …and by drag, with the handle (the list mid-screen, clear of the sticky save bar).
    await editor()
      .locator(".fields-list")
      .evaluate((el) => el.scrollIntoView({ block: "center" }));
    await editor()
      .locator(".fields-list > li .drag-handle")
      .nth(1)
      .dragTo(editor().locator(".fields-list > li .sortable-head").nth(0));
    await expect
      .poll(() => editor().locator(".fields-list .field-title").allTextContents())
      .toEqual(["Work email", "Team size", "What should we prepare?"]);

    // Display mode and theme reach the preview too.
    await editor().getByLabel("Accent (buttons, focus)").fill("#0f766e");
    await expect
      .poll(() =>
        preview().evaluate((el) =>
          [...(el.shadowRoot?.adoptedStyleSheets ?? [])]
            .map((s) => [...s.cssRules].map((r) => r.cssText).join(""))
            .join(""),
        ),
      )
      .toContain("--leadcap-accent: #0f766e");

    // The preview sends nothing.
    await settled();
    await preview().getByLabel("Work email").fill("preview@example.com");
    await preview().getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.locator(".preview").textContent()).toContain("Preview: not sent");
    expect(await preview().getByText("Booked! We will call you.").count()).toBe(1);

    // The edge's schema, in the browser: a reserved name is refused next to its input.
    await editor().locator(".field-toggle", { hasText: "Team size" }).click();
    const name = editor().getByLabel("Name", { exact: true });
    await name.fill("site");
    await saveBar().getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator(".error-summary").count()).toBe(1);
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await name.getAttribute("aria-describedby"))!.split(" ");
    const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()));
    expect(messages.join(" ")).toContain("reserved");
    await review("form-editor-errors");
    // Fixing it clears the message as it is typed.
    await name.fill("teamSize");
    await expect.poll(() => page.locator(".error-summary").count()).toBe(0);
    await save("Book a call form");

    const { config } = await currentConfig();
    const form = config.forms.find((f) => f.id === FORM_ID)!;
    expect(form.fields.map((f) => f.name)).toEqual(["email", "teamSize", "textarea"]);
    expect(form.fields[2]!.showWhen).toEqual({ field: "teamSize", equals: "option_2" });
    await review("form-editor");
  });

  it("embeds the saved form with the Install screen's snippet; a visitor submits it and the lead appears", async () => {
    // The edge serves the saved form (other isolates within seconds).
    await expect
      .poll(async () => (await fetch(`${stack.edgeUrl}/v1/sites/demo/forms/${FORM_ID}`)).status, {
        timeout: 15_000,
      })
      .toBe(200);
    await page.getByRole("link", { name: "Install" }).click();
    await page.getByLabel("Form", { exact: true }).selectOption(FORM_ID);
    await expect
      .poll(() => page.locator("#snippet-script").textContent())
      .toContain(`data-form="${FORM_ID}"`);
    const script = (await page.locator("#snippet-script").textContent())!;
    const container = (await page.locator("#snippet-container").textContent())!;

    // A page on an allowed origin (the demo server's) with the pasted snippet. Playwright serves it,
    // and Chromium counts a served-by-the-test page as public: its local network access check would
    // refuse the loopback edge, which a real page on loopback (or any page and a public edge) never meets.
    const visitorBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-features=LocalNetworkAccessChecks"],
    });
    const visitor = await visitorBrowser.newContext();
    const tab = await visitor.newPage();
    await tab.route(`${stack.demoUrl}/e2e-embed.html*`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><title>Embed</title></head><body><main><h1>Call us</h1>${container}${script}</main></body></html>`,
      }),
    );
    await tab.goto(
      `${stack.demoUrl}/e2e-embed.html?utm_source=newsletter&utm_medium=email&utm_campaign=calls`,
    );
    await tab.getByLabel("Work email").fill(EMAIL);
    await tab.getByLabel("Team size").selectOption("option_2");
    await tab.getByLabel("What should we prepare?").fill("A demo for six people");
    await tab.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => tab.getByText("Booked! We will call you.").count(), { timeout: 15_000 }).toBe(1);
    await visitorBrowser.close();

    await page.getByRole("link", { name: "Leads" }).click();
    await page.getByLabel("Search").fill(EMAIL);
    await expect.poll(() => page.locator("table.leads tbody tr").count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator("table.leads tbody tr").textContent()).toContain(FORM_ID);
  });

  it("edits the allowed origins next to the snippet: checked before they are added, applied once saved", async () => {
    const SHOP = `https://shop-${RUN}.example.com`;
    const submitFrom = (origin: string) =>
      fetch(`${stack.edgeUrl}/v1/leads`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", origin },
        body: JSON.stringify(benchSubmission(`origins-${RUN}`, Math.floor(Math.random() * 1e9))),
      });
    expect((await submitFrom(SHOP)).status).toBe(403);

    await page.getByRole("link", { name: "Install" }).click();
    const input = page.getByLabel("Add an origin");
    await input.fill(`${SHOP}/pricing`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => page.locator("#origin-new-error").textContent()).toContain("no path");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    // Written as people paste it: upper case and the default port; kept as the browser sends it.
    await input.fill(`${SHOP.toUpperCase().replace("HTTPS", "https")}:443`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect
      .poll(() => page.getByRole("list", { name: "Allowed origins" }).textContent())
      .toContain(SHOP);
    await save("e2e: allow the shop");
    expect((await currentConfig()).config.allowedOrigins).toContain(SHOP);
    // Every isolate serves a save within seconds: the shop's page may now send leads.
    await expect.poll(async () => (await submitFrom(SHOP)).status, { timeout: 15_000 }).toBe(201);

    await page.getByRole("button", { name: `Remove ${SHOP}` }).click();
    await save("e2e: the shop again refused");
    expect((await currentConfig()).config.allowedOrigins).not.toContain(SHOP);
    await expect.poll(async () => (await submitFrom(SHOP)).status, { timeout: 15_000 }).toBe(403);
  });

  it("pauses the site and resumes it: no form is served meanwhile, then the same form again", async () => {
    const formStatus = async () => (await fetch(`${stack.edgeUrl}/v1/sites/demo/forms/contact`)).status;
    await page.getByRole("link", { name: "Install" }).click();
    await page.getByLabel("Paused").check();
    await save("e2e: paused");
    expect((await currentConfig()).config.disabled).toBe(true);
    await expect.poll(formStatus, { timeout: 15_000 }).toBe(503);
    await page.getByLabel("Paused").uncheck();
    await save("e2e: resumed");
    expect((await currentConfig()).config.disabled).toBeUndefined();
    await expect.poll(formStatus, { timeout: 15_000 }).toBe(200);
  });

  it("rebases a draft on a version saved meanwhile: other parts merge, the same part is the person's choice", async () => {
    const putConfig = async (change: (config: SiteConfig) => void, note: string) => {
      const { version, config } = await currentConfig();
      change(config);
      await admin("/v1/admin/sites/demo/config", {
        method: "PUT",
        body: JSON.stringify({ config, baseVersion: version, note }),
      });
    };
    const seen = problems.length;
    const HERE = `https://here-${RUN}.example.com`;
    const THERE = `https://there-${RUN}.example.com`;
    await page.getByRole("link", { name: "Install" }).click();
    await page.getByLabel("Add an origin").fill(HERE);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    // Someone else saves another part meanwhile.
    await putConfig((config) => {
      config.name = `Renamed elsewhere ${RUN}`;
    }, "e2e: a teammate renames the site");
    await saveBar().getByRole("button", { name: "Save" }).click();
    await expect.poll(() => saveBar().textContent()).toContain("Your changes are merged onto it");
    await saveBar().getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await currentConfig()).config.allowedOrigins).toContain(HERE);
    expect((await currentConfig()).config.name).toBe(`Renamed elsewhere ${RUN}`);

    // Both change the same part: the save bar asks which to keep.
    await page.getByRole("button", { name: `Remove ${HERE}` }).click();
    await putConfig((config) => {
      config.allowedOrigins = [...config.allowedOrigins, THERE];
    }, "e2e: a teammate allows another origin");
    await saveBar().getByRole("button", { name: "Save" }).click();
    const collision = saveBar().getByRole("group", { name: "allowedOrigins" });
    await expect.poll(() => collision.count()).toBe(1);
    expect(await collision.getByLabel(/Keep version/).isChecked()).toBe(true);
    await collision.getByLabel(/Use yours/).check();
    await saveBar().getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await currentConfig()).config.allowedOrigins).not.toContain(HERE);
    const origins = (await currentConfig()).config.allowedOrigins;
    expect(origins).not.toContain(THERE);
    // The browser logs each refused save (409) as a failed request: the two conflicts, nothing else.
    const logged = problems.splice(seen);
    expect(logged).toHaveLength(2);
    for (const line of logged) expect(line).toMatch(/409/);
  });

  it("translates the form: texts per language, previewed, served to pages in that language", async () => {
    await page.goto(`${CONSOLE()}#/forms/${encodeURIComponent(FORM_ID)}`);
    await expect.poll(() => page.getByRole("heading", { name: "Translations" }).count()).toBe(1);
    await editor().getByLabel("Language", { exact: true }).fill("de");
    await editor().getByRole("button", { name: "Add a translation" }).click();
    await editor().getByLabel("Title (de)").fill("Rückruf buchen");
    await editor().getByLabel("Option “A team” (de)").fill("Ein Team");
    await page.getByLabel("Preview in").selectOption("de");
    await expect.poll(() => preview().locator("h2").textContent()).toBe("Rückruf buchen");
    await expect.poll(() => preview().locator("option").allTextContents()).toContain("Ein Team");
    await page.getByLabel("Preview in").selectOption("");
    await expect.poll(() => preview().locator("h2").textContent()).toBe("Book a call");
    await review("form-translations");
    await save("German texts");
    // A page in German gets them from the edge (other isolates within seconds); others do not.
    type Public = { form: { title: string; fields: { name: string; options?: { label: string }[] }[] } };
    const served = async (lang: string) =>
      ((await (await fetch(`${stack.edgeUrl}/v1/sites/demo/forms/${FORM_ID}?lang=${lang}`)).json()) as Public)
        .form;
    await expect.poll(async () => (await served("de-DE")).title, { timeout: 15_000 }).toBe("Rückruf buchen");
    expect(
      (await served("de")).fields.find((f) => f.name === "teamSize")?.options?.map((o) => o.label),
    ).toEqual(["Just me", "Ein Team"]);
    expect((await served("en")).title).toBe("Book a call");
  });

  it("changes a channel rule and tests a URL against the rules being edited", async () => {
    await page.getByRole("link", { name: "Channels" }).click();
    await page.getByLabel("Landing URL").fill("https://shop.example/?utm_source=acme&utm_medium=partner");
    await expect.poll(() => page.locator(".test-channel").textContent()).toBe("Affiliate / partner");
    const channelInputs = page.locator('.rules-list input[list="channel-names"]');
    const values = await channelInputs.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    const index = values.indexOf("affiliate");
    expect(index).toBeGreaterThan(0);
    await channelInputs.nth(index).fill("partners");
    await expect.poll(() => page.locator(".test-channel").textContent()).toBe("Partners");
    expect(await page.locator(".test-result").textContent()).toContain(
      `Rule ${index + 1}: utm_medium matches`,
    );
    expect(await page.locator(".test-result").textContent()).toContain(
      "With the saved rules: Affiliate / partner",
    );
    // A referrer alone: organic search.
    await page.getByLabel("Landing URL").fill("https://shop.example/pricing");
    await page.getByLabel("Referrer (optional)").fill("https://www.google.com/");
    await expect.poll(() => page.locator(".test-channel").textContent()).toBe("Organic search");
    await save("Partner traffic is its own channel");
    expect((await currentConfig()).config.channels[index]!.channel).toBe("partners");
    await review("channels");
  });

  it("takes spend per month and channel, and shows cost per lead on Metrics", async () => {
    await page.getByRole("button", { name: "Add spend" }).click();
    const row = page.locator(".spend-row").last();
    const month = new Date().toISOString().slice(0, 7);
    expect(await row.getByLabel(/month/).inputValue()).toBe(month);
    await row.getByLabel("Channel").fill("email");
    await row.getByLabel(/Amount/).fill("300");
    // And one campaign's share of it: the visitor above came from utm_campaign=calls.
    await page.getByRole("button", { name: "Add spend" }).click();
    const campaignRow = page.locator(".spend-row").last();
    await campaignRow.getByLabel("Channel").fill("email");
    await campaignRow.getByLabel("Campaign (optional)").fill("calls");
    await campaignRow.getByLabel(/Amount/).fill("120");
    await save("Email spend");

    await page.getByRole("link", { name: "Metrics" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Cost per lead" }).count()).toBe(1);
    // Expected from the API's own counts: the month's spend for the share of its days in the range.
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const metrics = await admin<SiteMetrics>(`/v1/admin/metrics?site=demo&from=${from}&to=${tomorrow}`);
    const leads = metrics.byChannel.find((c) => c.channel === "email")?.leads ?? 0;
    expect(leads).toBeGreaterThan(0);
    const [y, m] = month.split("-").map(Number) as [number, number];
    const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const firstCounted = Math.max(Date.UTC(y, m - 1, 1), Date.parse(`${from}T00:00:00Z`));
    const days = Math.round((Date.parse(`${today}T00:00:00Z`) - firstCounted) / 86_400_000) + 1;
    const money = new Intl.NumberFormat("en", {
      style: "currency",
      currency: "USD",
      maximumFractionDigits: 2,
    });
    const section = page.locator("section[aria-labelledby=c-cpl]");
    // The channel's whole spend (its row without campaign) counts for the channel, not the campaign rows.
    await expect
      .poll(() => section.textContent())
      .toContain(`${money.format((300 * days) / daysInMonth / leads)} · ${leads} lead`);
    // By campaign: the campaign's spend over the leads whose first touch had utm_campaign=calls.
    const callsLeads = metrics.byCampaign
      .filter((c) => c.campaign.toLowerCase() === "calls")
      .reduce((sum, c) => sum + c.leads, 0);
    expect(callsLeads).toBeGreaterThan(0);
    const callsRow = section.locator("table.cpl-campaigns tbody tr", { hasText: "calls" });
    await expect.poll(() => callsRow.count()).toBe(1);
    const cells = await callsRow.locator("th, td").allTextContents();
    expect(cells.slice(1)).toEqual([
      money.format((120 * days) / daysInMonth),
      String(callsLeads),
      money.format((120 * days) / daysInMonth / callsLeads),
    ]);
    expect(cells[0]).toContain("Email");
    await review("metrics-cost");
  });

  it("previews a score on a sample lead and on a real one, with the edge's own engine", async () => {
    await page.getByRole("link", { name: "Scoring" }).click();
    const result = page.locator(".score-result");
    await expect.poll(() => result.textContent()).toMatch(/This lead would score \d+/);
    await page.locator(".field-toggle", { hasText: "Requested a demo" }).click();
    await page.getByLabel("Points", { exact: true }).fill("7");
    await expect.poll(() => result.textContent()).toContain("Requested a demo+7");

    await page.getByRole("button", { name: "Discard" }).click();
    // A real lead, picked from the leads list: its page links to the preview.
    const lead = (
      await admin<{ leads: Lead[] }>(`/v1/admin/leads?site=demo&q=${encodeURIComponent(EMAIL)}&limit=5`)
    ).leads.find((l) => l.email === EMAIL)!;
    await page.getByRole("link", { name: "Leads" }).click();
    await page.getByLabel("Search").fill(EMAIL);
    await expect.poll(() => page.locator("table.leads tbody tr").count(), { timeout: 10_000 }).toBe(1);
    await page.locator("table.leads tbody tr a").first().click();
    await page.getByRole("link", { name: "Score with edited rules" }).click();
    expect(await page.getByRole("radio", { name: "A real lead" }).isChecked()).toBe(true);
    await expect.poll(() => page.locator("#score-lead").inputValue(), { timeout: 10_000 }).toBe(lead.id);
    // Same rules, same lead: the browser's score is the edge's.
    await expect
      .poll(() => page.locator(".score-preview").textContent(), { timeout: 10_000 })
      .toContain(
        `Scored ${lead.score} (${lead.temperature}) with the saved rules; ${lead.score} with these.`,
      );
    await review("scoring");
  });

  it("edits routes, and shows each destination's health with a test event", async () => {
    await page.getByRole("link", { name: "Routing" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Send a test event" }).count()).toBe(1);
    await page.getByRole("button", { name: "Send a test event" }).click();
    await expect
      .poll(() => page.locator(".destination .ok").textContent())
      .toMatch(/Test: delivered — HTTP 2\d\d/);
    await page.getByRole("button", { name: "Route by rules instead" }).click();
    await page.getByRole("button", { name: "Add route" }).click();
    const route = page.locator(".routes-list > li").last();
    await route.getByLabel("Hot").check();
    // A route sending nowhere is refused, next to its destinations.
    await saveBar().getByRole("button", { name: "Save" }).click();
    await expect.poll(() => route.locator(".field-error").count()).toBe(1);
    await route.getByRole("group", { name: "Send to" }).getByLabel("receiver").check();
    await expect.poll(() => page.locator(".error-summary").count()).toBe(0);
    await review("routing");
    await page.getByRole("button", { name: "Discard" }).click();
  });

  it("shows the history with notes, a readable diff, and rolls back in one click", async () => {
    await page.getByRole("link", { name: "History" }).click();
    // The screen's code loads on first visit (a chunk of its own), then the versions.
    await expect.poll(() => page.locator(".versions li").count(), { timeout: 10_000 }).toBeGreaterThan(3);
    expect(await page.locator(".versions").textContent()).toContain("Partner traffic is its own channel");
    // The version before the channel change: rolling back would rename the channel back and drop the spend.
    await page.locator(".version-button", { hasText: "Book a call form" }).click();
    const diff = page.locator(".diff");
    await expect.poll(() => diff.count()).toBe(1);
    expect(await diff.textContent()).toContain("“partners” → “affiliate”");
    expect(await diff.textContent()).toMatch(/Removed\s*spend › 1/);
    await review("history");
    const before = (await currentConfig()).version;
    await page.getByRole("button", { name: /^Roll back to version/ }).click();
    await expect.poll(async () => (await currentConfig()).version).toBe(before + 1);
    const { config } = await currentConfig();
    expect(config.channels.some((r) => r.channel === "partners")).toBe(false);
    expect(config.spend).toEqual([]);
    expect(config.forms.some((f) => f.id === FORM_ID)).toBe(true);
    await expect.poll(() => page.locator(".versions").textContent()).toContain("Rolled back to version");
    expect(problems).toEqual([]);
  });

  it("creates a site: checked first, then its install snippet works at once", async () => {
    const NEW_SITE = `e2e-new-${RUN}`;
    const SHOP = `https://new-${RUN}.example.com`;
    await page.getByRole("link", { name: "New site" }).click();
    await page.getByLabel("Site id").fill("Not An Id");
    await page.getByLabel("Name").fill("E2E new site");
    await page.getByLabel("Your pages' origin").fill(`${SHOP}/landing`);
    await page.getByRole("button", { name: "Create site" }).click();
    expect(await page.locator("#new-site-id-error").textContent()).toContain("Lower-case");
    expect(await page.locator("#new-site-origin-error").textContent()).toContain("no path");
    await page.getByLabel("Site id").fill(NEW_SITE);
    await page.getByLabel("Your pages' origin").fill(SHOP);
    await page.getByRole("button", { name: "Create site" }).click();
    // Straight to its Install screen, signed in to it, with the starter form's snippet.
    await expect
      .poll(() => page.locator("#snippet-script").textContent(), { timeout: 15_000 })
      .toContain(`data-site="${NEW_SITE}"`);
    const created = await admin<{ config: SiteConfig }>(`/v1/admin/sites/${NEW_SITE}/config`);
    expect(created.config.allowedOrigins).toEqual([SHOP]);
    expect(created.config.forms[0]?.fields.find((f) => f.name === "email")?.required).toBe(true);
    const submit = await fetch(`${stack.edgeUrl}/v1/leads`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: SHOP },
      body: JSON.stringify({
        ...benchSubmission(`new-${RUN}`, 1),
        site: NEW_SITE,
        form: "contact",
        fields: { email: `first-${RUN}@new.example`, name: "First lead", consent: true },
      }),
    });
    expect(submit.status, await submit.clone().text()).toBe(201);
    await page.getByLabel("Site", { exact: true }).selectOption("demo");
    expect(problems).toEqual([]);
  });

  it("deletes a site from Install: its leads exported first, its id typed to confirm, then gone from the switcher", async () => {
    const DOOMED = `e2e-doomed-${RUN}`;
    const config = JSON.parse(JSON.stringify(demoSite)) as SiteConfig;
    await admin("/v1/admin/sites", {
      method: "POST",
      body: JSON.stringify({
        config: { ...config, id: DOOMED, name: "Doomed site", forms: config.forms.slice(0, 1) },
        note: "e2e: a site to delete",
      }),
    });
    const switcher = page.getByLabel("Site", { exact: true });
    const listed = () => page.locator(`#site-switch option[value="${DOOMED}"]`).count();
    // Each edge isolate reads saved sites every few seconds: reload until the switcher offers it.
    await expect
      .poll(
        async () => {
          if (await listed()) return 1;
          await page.reload();
          await page.getByRole("heading", { level: 1 }).first().waitFor();
          await page.waitForTimeout(500);
          return listed();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    await switcher.selectOption(DOOMED);
    await page.getByRole("link", { name: "Install" }).click();

    const exported = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export its leads (CSV) first" }).click();
    expect((await exported).suggestedFilename()).toContain(`leads-${DOOMED}-`);

    const confirm = page.getByLabel("Type the site id to confirm");
    const remove = page.getByRole("button", { name: "Delete site" });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.fill("demo");
    expect(await remove.isDisabled()).toBe(true);
    await confirm.fill(DOOMED);
    expect(await remove.isDisabled()).toBe(false);
    await remove.click();

    await expect
      .poll(() => page.locator(".visually-hidden[aria-live=polite]").textContent(), { timeout: 10_000 })
      .toContain(`Site ${DOOMED} deleted`);
    expect(await page.evaluate(() => sessionStorage.getItem("leadcap-console-session"))).not.toContain(
      DOOMED,
    );
    await expect.poll(listed, { timeout: 10_000 }).toBe(0);
    const gone = await fetch(`${stack.edgeUrl}/v1/admin/sites/${DOOMED}/config`, { headers: auth() });
    expect(gone.status).toBe(404);
    await switcher.selectOption("demo");
    expect(problems).toEqual([]);
  });
});
