import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Lead } from "../../shared/lead.ts";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl, review as reviewOf } from "./support/console.ts";
import { submitDemoLead } from "./support/leads.ts";

const stack = inject("stack");
const review = (name: string) => reviewOf(page, name);
const CONSOLE = () => consoleUrl(stack.edgeUrl);
/** A domain only this run's leads use, so the other e2e files' leads never match the search. */
const DOMAIN = `console-${Date.now().toString(36)}.example`;
/** Ada's campaign: this file's own, so other tests' visits do not change its figures. */
const CAMPAIGN = `launch-${Date.now().toString(36)}`;

/**
 * `npm run build` builds the console; a run without it (one file, or before the build step lists the
 * console) builds it here when the sources are newer than the build, so the test never sees stale bytes.
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

/** A lead to the demo site, with its attribution (support/leads.ts). */
const post = submitDemoLead;

beforeAll(async () => {
  buildConsoleIfStale();
  await Promise.all([
    post(
      `ada@${DOMAIN}`,
      "contact",
      { name: "Ada Lovelace", company: "Analytical Engines", consent: true },
      {
        utm_source: "newsletter",
        utm_medium: "email",
        utm_campaign: CAMPAIGN,
      },
    ),
    post(`grace@${DOMAIN}`, "newsletter", { consent: true }, { utm_source: "google", utm_medium: "cpc" }),
    post(
      `alan@${DOMAIN}`,
      "demo-request",
      { name: "Alan Turing", company: "Bletchley" },
      {
        referrer: "https://www.linkedin.com/",
      },
    ),
  ]);
  await fetch(`${stack.edgeUrl}/v1/events`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
    body: JSON.stringify({
      site: "demo",
      events: ["contact", "contact", "contact", "newsletter", "demo-request"].map((form) => ({
        type: "impression",
        form,
        at: new Date().toISOString(),
      })),
    }),
  });
  // Four visitors from Ada's campaign saw the contact form (the widget sends their latest touch).
  await fetch(`${stack.edgeUrl}/v1/events`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
    body: JSON.stringify({
      site: "demo",
      events: Array.from({ length: 4 }, () => ({
        type: "impression",
        form: "contact",
        at: new Date().toISOString(),
      })),
      touch: {
        utm_source: "newsletter",
        utm_medium: "email",
        utm_campaign: CAMPAIGN,
        landingPage: `${stack.demoUrl}/`,
        at: new Date().toISOString(),
      },
    }),
  });
  browser = await launchChromium();
  // bypassCSP only lets the test inject axe-core; console-serving.test.ts runs the console under its CSP.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.edgeUrl });
  page = await context.newPage();
  // Time flows as usual; the leads test jumps it forward to see the list refresh itself.
  await page.clock.install();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // The refused sign-in's 401 is logged by Chromium as a failed resource: expected.
    if (message.type() === "error" && !message.text().includes("401"))
      problems.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  // The deliveries test pauses the shared receiver; never leave it paused for the next test file.
  await fetch(`${stack.edgeUrl}/v1/admin/destinations/receiver/resume?site=demo`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
});

describe("console", () => {
  it("signs in with the admin token, and refuses a wrong one", async () => {
    await page.goto(CONSOLE());
    await expect
      .poll(() => page.getByRole("heading", { name: "Sign in to the Leadcap console" }).count())
      .toBe(1);
    // Served by the Worker: the API is the page's own origin, no edge to type in; no token in the page.
    expect(await page.getByLabel("Edge URL").count()).toBe(0);
    expect(await page.getByLabel("Admin token").inputValue()).toBe("");
    await review("sign-in");

    await page.getByLabel("Admin token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not accepted");

    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("heading", { name: "Leads", level: 1 }).count()).toBe(1);
    // Kept for this tab only.
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toContain("leadcap-console-session");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it("lists leads, searches and filters them (in the URL), and sorts by score", async () => {
    await page.getByLabel("Search").fill(DOMAIN);
    const rows = page.locator("table.leads tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.getByText("of 3 leads").count()).toBe(1);

    await page.getByRole("checkbox", { name: "Hot" }).check();
    await expect.poll(() => page.url()).toContain("temperature=hot");
    // Ada asked to be contacted, Alan for a demo: both hot; Grace subscribed to the newsletter.
    await expect.poll(() => page.getByText("of 2 leads").count()).toBe(1);
    const hot = (await rows.allTextContents()).join(" ");
    expect(hot).toContain("Ada Lovelace");
    expect(hot).not.toContain(`grace@${DOMAIN}`);

    await page.getByRole("checkbox", { name: "Hot" }).uncheck();
    await page.getByLabel("Form", { exact: true }).selectOption("newsletter");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(`grace@${DOMAIN}`);
    await page.getByLabel("Form", { exact: true }).selectOption("");
    await expect.poll(() => rows.count()).toBe(3);

    // "Created to" includes its day (the API's `to` is exclusive).
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("Created from").fill(today);
    await page.getByLabel("Created to").fill(today);
    await expect.poll(() => page.url()).toContain(`to=${today}`);
    await expect.poll(() => page.getByText("of 3 leads").count()).toBe(1);

    await page.getByRole("button", { name: /^Score/ }).click();
    await expect.poll(() => page.url()).toContain("sort=-score");
    await expect
      .poll(async () => {
        const scores = (await page.locator("table.leads tbody td.num").allTextContents()).map(Number);
        return scores.length === 3 && scores.every((s, i) => i === 0 || scores[i - 1]! >= s);
      })
      .toBe(true);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain("Score");

    // The first page follows new leads (it refreshes every 15 s; the clock is fast-forwarded here).
    await post(`new@${DOMAIN}`, "contact", { name: "Newcomer", consent: true }, {});
    await page.clock.fastForward(16_000);
    await expect.poll(() => page.getByText("of 4 leads").count(), { timeout: 10_000 }).toBe(1);

    // CSV export of the filtered set.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(5);
    expect(csv).toContain(`ada@${DOMAIN}`);
    await review("leads");
  });

  it("opens a lead, shows its reasons and touches, and accepts it as SQL", async () => {
    await page.getByRole("link", { name: "Ada Lovelace" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Ada Lovelace", level: 1 }).count()).toBe(1);
    // Focus moves to the new screen's heading.
    // (After the render: the screen's effect moves it.)
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    await expect.poll(() => page.getByRole("heading", { name: "First touch" }).count()).toBe(1);
    expect(await page.locator(".reasons li").count()).toBeGreaterThan(0);
    expect(await page.getByText(CAMPAIGN).count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole("heading", { name: /^Submissions and touches \(1\)/ }).count())
      .toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: /^Deliveries/ }).count()).toBe(1);

    // A delivery's attempt log opens in place.
    const attempts = page.getByRole("button", { name: "Attempts of lead.created to receiver" });
    await expect.poll(() => attempts.count(), { timeout: 10_000 }).toBe(1);
    await attempts.click();
    expect(await attempts.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => page.locator(".attempts-row").textContent()).toMatch(/delivered|Not tried yet/);

    await page.getByLabel("Reason (optional, shown in the history)").fill("qualified on the discovery call");
    await page.getByRole("button", { name: "Accept as SQL" }).click();
    await expect
      .poll(() => page.locator(".timeline").first().textContent(), { timeout: 10_000 })
      .toContain("qualified on the discovery call");
    expect(await page.locator(".timeline").first().textContent()).toContain("→ SQL");
    expect(await page.getByRole("button", { name: "Accept as SQL" }).count()).toBe(0);
    expect(await page.getByLabel("Set stage").inputValue()).toBe("SQL");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Stage");

    const id = decodeURIComponent(page.url().split("#/leads/")[1]!);
    const res = await fetch(`${stack.edgeUrl}/v1/admin/leads/${id}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(((await res.json()) as Lead).stage).toBe("SQL");
    await review("lead");
  });

  it("shows metrics as charts over a date range", async () => {
    await page.getByRole("link", { name: "Metrics" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Lead volume" }).count()).toBe(1);
    await expect.poll(() => page.locator(".daybars-plot rect.bar").count()).toBe(30);
    expect(await page.getByRole("heading", { name: "Conversion by form" }).count()).toBe(1);
    expect(await page.locator(".kpis").textContent()).toMatch(/Lead → SQL\d/);
    // Visitor → lead by campaign: Ada's one lead from four visitors of her campaign.
    const row = page.getByRole("row", { name: new RegExp(CAMPAIGN) });
    await expect.poll(() => row.count()).toBe(1);
    expect((await row.textContent())?.replace(/\s+/g, " ")).toMatch(/Email.*4.*1.*25(\.0)?\s?%/);

    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect.poll(() => page.locator(".daybars-plot rect.bar").count()).toBe(7);
    expect(await page.getByRole("button", { name: "Last 7 days" }).getAttribute("aria-pressed")).toBe("true");
    await review("metrics");
  });

  it("shows each destination's health, sends a test event, pauses and resumes, and lists dead letters", async () => {
    await page.getByRole("link", { name: "Deliveries" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^receiver/ }).count()).toBe(1);
    await page.getByRole("button", { name: "Send a test event" }).click();
    await expect
      .poll(() => page.locator(".destination .ok").textContent())
      .toMatch(/Test: delivered — HTTP 2\d\d/);

    await page.getByRole("button", { name: "Pause receiver" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Resume receiver" }).count()).toBe(1);
    expect(await page.locator(".destination .badge").textContent()).toBe("paused");
    await page.getByRole("button", { name: "Resume receiver" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Pause receiver" }).count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: /^Dead letters/ }).count()).toBe(1);
    await review("deliveries");
  });

  it("gives the script tag, the no-JS form and the CSP lines for a form, with copy buttons", async () => {
    await page.getByRole("link", { name: "Install" }).click();
    await expect.poll(() => page.locator("#snippet-script").count()).toBe(1);
    const tag = await page.locator("#snippet-script").textContent();
    expect(tag).toBe(
      `<script src="${stack.edgeUrl}/leadcap.js" data-site="demo" data-form="contact" async></script>`,
    );
    expect(await page.locator("#snippet-nojs").textContent()).toContain(`action="${stack.edgeUrl}/v1/leads"`);
    expect(await page.locator("#snippet-csp").textContent()).toContain(`connect-src 'self' ${stack.edgeUrl}`);

    await page.getByRole("button", { name: "Copy Script tag" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(tag);

    await page.getByLabel("Form", { exact: true }).selectOption("quote");
    await expect.poll(() => page.locator("#snippet-script").textContent()).toContain('data-form="quote"');
    await review("install");

    // Keyboard: the navigation is reachable and sign out ends the session.
    await page.getByRole("button", { name: "Sign out" }).focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.getByRole("heading", { name: "Sign in to the Leadcap console" }).count())
      .toBe(1);
    expect(problems).toEqual([]);
  });
});
