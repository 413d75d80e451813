/**
 * Capture health in the console, in real Chromium against the running stack: a submission from an
 * origin the site does not allow is refused (403) and shows up on the capture health screen with its
 * count; "Allow this origin" saves it as a new config version, and the next submission from that
 * origin is accepted (201). The site is this file's own, so the other files' sites are untouched.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SiteConfig } from "../../shared/config.ts";
import type { LeadSubmission } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl, review as reviewOf } from "./support/console.ts";

const stack = inject("stack");
const review = (name: string) => reviewOf(page, name);
const CONSOLE = () => consoleUrl(stack.edgeUrl);
const RUN = Date.now().toString(36);
const SITE = `e2e-capture-${RUN}`;
/** A shop on a domain the site does not allow yet. */
const SHOP = `https://shop-${RUN}.example`;
const auth = () => ({ authorization: `Bearer ${stack.adminToken}` });

let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

/** A contact-form submission, posted as the widget would from a page on `origin`. */
async function post(origin: string): Promise<number> {
  const touch = { landingPage: `${origin}/`, at: new Date().toISOString() };
  const body: LeadSubmission = {
    site: SITE,
    form: "contact",
    submissionId: `capture_${Math.random().toString(36).slice(2, 12)}`,
    fields: {
      email: `ada-${Math.random().toString(36).slice(2, 8)}@analytical.example`,
      name: "Ada Lovelace",
      company: "Analytical Engines",
      consent: true,
    },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 30_000, maxScrollPct: 50, visits: 1, pageViews: 1 },
    page: { url: `${origin}/contact` },
  };
  const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin },
    body: JSON.stringify(body),
  });
  if (res.status >= 400 && res.status !== 403) console.error(await res.text());
  return res.status;
}

beforeAll(async () => {
  buildConsoleIfStale();
  const config = JSON.parse(JSON.stringify(demoSite)) as SiteConfig;
  const res = await fetch(`${stack.edgeUrl}/v1/admin/sites`, {
    method: "POST",
    headers: { ...auth(), "content-type": "application/json" },
    body: JSON.stringify({
      config: {
        ...config,
        id: SITE,
        name: "Capture health e2e",
        allowedOrigins: [stack.demoUrl],
        forms: config.forms.filter((f) => f.id === "contact"),
        destinations: [],
        routing: undefined,
      },
      note: "e2e: capture health",
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);

  browser = await launchChromium();
  // bypassCSP only lets the test inject axe-core; console-serving.test.ts runs the console under its CSP.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("capture health in the console", () => {
  it("shows a refused origin with its count, allows it in one click, and the next submission is accepted", async () => {
    expect(await post(SHOP)).toBe(403);
    expect(await post(SHOP)).toBe(403);

    await page.goto(CONSOLE());
    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.getByLabel("Site", { exact: true }).fill(SITE);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Capture health" }).click();
    await page.getByRole("heading", { name: "Capture health", level: 1 }).waitFor();

    // The counts are written just after the answers: refresh until they are there.
    const row = page.getByRole("row", { name: new RegExp(SHOP.replaceAll(".", "\\.")) });
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0) await page.getByRole("button", { name: "Refresh" }).click();
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    const cells = row.locator("td");
    expect(await cells.first().textContent()).toBe("2");
    expect(await row.textContent()).toContain("Page on an origin not allowed: 2");
    expect(await page.locator(".kpis").textContent()).toMatch(/Submissions refused2/);
    // The allowed origins, as saved: only the demo page's.
    await expect.poll(() => page.locator(".allowed-origins").textContent()).toContain(stack.demoUrl);
    expect(await page.locator(".allowed-origins").textContent()).not.toContain(SHOP);
    await review("capture-health");

    await row.getByRole("button", { name: `Allow this origin: ${SHOP}` }).click();
    await expect.poll(() => row.locator(".badge").textContent(), { timeout: 10_000 }).toBe("allowed");
    await expect.poll(() => page.locator(".allowed-origins").textContent()).toContain(SHOP);
    // A new version, in the history.
    const versions = (await (
      await fetch(`${stack.edgeUrl}/v1/admin/sites/${SITE}/config/versions?limit=1`, { headers: auth() })
    ).json()) as { versions: { version: number; note: string }[] };
    expect(versions.versions[0]).toMatchObject({ version: 2, note: `Allowed ${SHOP}` });

    // The edge serves the new version within seconds.
    await expect.poll(() => post(SHOP), { timeout: 10_000, interval: 500 }).toBe(201);
  });

  it("adds an origin typed in, checked as an origin first", async () => {
    const field = page.getByLabel("Origin to allow");
    await field.fill(`https://blog-${RUN}.example/posts`);
    await page.getByRole("button", { name: "Allow origin", exact: true }).click();
    await expect.poll(() => page.locator("#ch-add-error").textContent()).toContain("no path");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ch-add");

    await field.fill(`https://blog-${RUN}.example`);
    await page.getByRole("button", { name: "Allow origin", exact: true }).click();
    await expect
      .poll(() => page.locator(".allowed-origins").textContent(), { timeout: 10_000 })
      .toContain(`https://blog-${RUN}.example`);
    expect(await field.inputValue()).toBe("");
    expect(await post(`https://blog-${RUN}.example`)).toBe(201);
    expect(problems).toEqual([]);
  });
});
