/**
 * The thin path, as a visitor and a marketer live it: a real Chromium opens the demo landing page
 * from a campaign link, fills the form the widget rendered, and the lead shows up scored in the store
 * (admin API and the console) and, signed and verified, at the webhook receiver.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ReceivedDelivery } from "../../demo-site/dev/receiver.ts";
import type { Lead, LeadEvent } from "../../shared/lead.ts";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl } from "./support/console.ts";

const stack = inject("stack");
let browser: Browser;

beforeAll(async () => {
  // The marketer's view is the console: built here when its sources are newer than the build.
  buildConsoleIfStale();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function leadByEmail(email: string): Promise<Lead | undefined> {
  const res = await fetch(`${stack.edgeUrl}/v1/admin/leads?site=demo&limit=100`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  const page = (await res.json()) as { leads: Lead[] };
  return page.leads.find((lead) => lead.email === email);
}

/** Records CSP violations and page errors, so a test can assert the widget caused none. */
async function watchPage(page: Page): Promise<{ violations: string[]; errors: string[] }> {
  const seen = { violations: [] as string[], errors: [] as string[] };
  await page.exposeFunction("__leadcapCspViolation", (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __leadcapCspViolation(text: string): void }).__leadcapCspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on("pageerror", (error) => seen.errors.push(error.message));
  return seen;
}

describe("demo page → edge → store → webhook", () => {
  it("captures a lead from a campaign visit, scores it, stores it and delivers it signed", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = await watchPage(page);
    const email = `e2e-${Date.now()}@analytical.example`;

    await page.goto(`${stack.demoUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=launch`);
    // The inline form renders as it nears the viewport: scroll to it, as a visitor would.
    await page.locator("#contact").scrollIntoViewIfNeeded();
    // Playwright's locators pierce the widget's open shadow root, as assistive technology does.
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Company").fill("Analytical Engines");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await page.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => page.getByText("Thank you! We will be in touch within one business day.").count(), {
        timeout: 15_000,
      })
      .toBe(1);

    const lead = await poll(() => leadByEmail(email));
    expect(lead.lastTouch.utm_source).toBe("newsletter");
    expect(lead.firstTouch.utm_campaign).toBe("launch");
    expect(["cold", "warm", "hot"]).toContain(lead.temperature);
    expect(lead.temperature).toBe("hot");
    expect(lead.score).toBeGreaterThan(0);
    expect(lead.fields).toMatchObject({ name: "Ada Lovelace", company: "Analytical Engines", consent: true });
    expect(lead.page.url).toContain(stack.demoUrl);

    const delivery = await poll(async () => {
      const all = (await (await fetch(`${stack.receiverUrl}/deliveries`)).json()) as ReceivedDelivery[];
      return all.find((d) => d.body.includes(lead.id));
    });
    expect(delivery.verified).toBe(true);
    const event = JSON.parse(delivery.body) as LeadEvent;
    expect(event.type).toBe("lead.created");
    expect(event.data.email).toBe(email);
    expect(event.data.lastTouch.utm_source).toBe("newsletter");

    expect(seen.violations).toEqual([]);
    expect(seen.errors).toEqual([]);

    // The marketer's view: the console shows it through the admin API, hot, with its UTM source.
    const consolePage = await context.newPage();
    // Served by the Worker at /console/, on the API's origin.
    await consolePage.goto(consoleUrl(stack.edgeUrl));
    await consolePage.getByLabel("Admin token").fill(stack.adminToken);
    await consolePage.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => consolePage.getByRole("heading", { name: "Leads", level: 1 }).count()).toBe(1);
    await consolePage.goto(`${consoleUrl(stack.edgeUrl)}#/leads/${encodeURIComponent(lead.id)}`);
    await expect
      .poll(() => consolePage.locator(".badge.temperature-hot").count(), { timeout: 15_000 })
      .toBe(1);
    expect(await consolePage.locator(".kv").allTextContents()).toContainEqual(
      expect.stringContaining("newsletter"),
    );
    await context.close();
  });

  it("creates one lead when the visitor double-clicks Send", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.demoUrl}/#contact`);
    const email = `double-${Date.now()}@analytical.example`;
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Grace");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    const send = page.getByRole("button", { name: "Send" });
    await send.dblclick();
    await expect
      .poll(() => page.getByText("Thank you!", { exact: false }).count(), { timeout: 15_000 })
      .toBe(1);
    const lead = await poll(() => leadByEmail(email));
    expect(lead.submissionCount).toBe(1);
    await context.close();
  });
});
