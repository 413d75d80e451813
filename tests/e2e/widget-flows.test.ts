/**
 * Widget flows in a real Chromium against the running stack: the no-JS fallback form (JavaScript
 * off, a plain POST to the edge, the lead stored), a multi-step form walked to the end, and exit
 * intent on an emulated phone (a fast flick up, leaving the tab).
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { leadsByEmail } from "./support/leads.ts";
import { loaderReady, recordReady } from "./support/ready.ts";

const stack = inject("stack");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const unique = (what: string) =>
  `${what}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@analytical.example`;

describe("no-JS fallback", () => {
  it("a plain form posts to the edge with JavaScript off, comes back with ?leadcap=sent, and the lead is stored", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.demoUrl}/examples/no-js.html?utm_source=newsletter`);
    const email = unique("nojs");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada Plain");
    await page.getByLabel("Company").fill("Analytical Engines");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await Promise.all([page.waitForURL(/leadcap=sent/), page.getByRole("button", { name: "Send" }).click()]);
    // Back on the page the form was on (the Referer), told that it worked.
    expect(new URL(page.url()).pathname).toBe("/examples/no-js.html");
    const leads = await leadsByEmail(email);
    expect(leads).toHaveLength(1);
    expect(leads[0]!.fields).toMatchObject({
      name: "Ada Plain",
      company: "Analytical Engines",
      consent: true,
    });
    await context.close();
  });

  it("answers a submission it cannot take with a readable page naming what to fix", async () => {
    const body = new URLSearchParams({ site: "demo", form: "contact", email: "not-an-email", name: "Ada" });
    const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: stack.demoUrl,
        referer: `${stack.demoUrl}/examples/no-js.html`,
      },
      body,
      redirect: "manual",
    });
    expect([400, 422]).toContain(res.status);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/email/i);
    expect(html).toMatch(/consent|agree/i);
  });
});

describe("multi-step form", () => {
  it("walks three steps with progress, keeps answers when going back, and stores typed values", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.demoUrl}/examples/two-forms.html?utm_campaign=spring`);
    const quote = page.locator('[data-leadcap-form="quote"]');
    await expect.poll(() => quote.getByText("Step 1 of 3: About you").count(), { timeout: 5000 }).toBe(1);
    const email = unique("steps");
    await quote.getByLabel("Work email").fill(email);
    await quote.getByLabel("Full name").fill("Ada Steps");
    await quote.getByRole("button", { name: "Next" }).click();

    await expect.poll(() => quote.getByText("Step 2 of 3: Your team").count()).toBe(1);
    await quote.getByLabel("Team size").fill("25");
    await quote.getByLabel("Plan").selectOption("enterprise");
    // Shown only for the enterprise plan.
    await quote.getByRole("radio", { name: "Yes" }).check();
    await quote.getByRole("checkbox", { name: "Stripe" }).check();
    await quote.getByRole("button", { name: "Back" }).click();
    await expect.poll(() => quote.getByLabel("Work email").inputValue()).toBe(email);
    await quote.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => quote.getByLabel("Team size").inputValue()).toBe("25");
    await quote.getByRole("button", { name: "Next" }).click();

    await expect.poll(() => quote.getByText("Step 3 of 3: Almost done").count()).toBe(1);
    await quote.getByLabel("Referral code").fill("ab12");
    await quote.getByLabel("I agree that Acme may contact me about this quote.").check();
    await quote.getByRole("button", { name: "Get my quote" }).click();
    await expect
      .poll(() => quote.getByText("Use two capital letters and four digits, like AB1234.").count())
      .toBe(1);
    await quote.getByLabel("Referral code").fill("AB1234");
    await quote.getByRole("button", { name: "Get my quote" }).click();
    await expect
      .poll(() => quote.getByText("Thank you! Your quote is on its way.").count(), { timeout: 15_000 })
      .toBe(1);

    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 15_000 }).toBe(1);
    const [lead] = await leadsByEmail(email);
    expect(lead!.fields).toMatchObject({
      seats: 25,
      plan: "enterprise",
      sso: "yes",
      sources: ["stripe"],
      trial: true,
      code: "AB1234",
      consent: true,
      source: "quote-page",
      campaign: "spring",
      plan_hint: "growth",
    });
    await context.close();
  });
});

describe("exit intent on a phone", () => {
  const phone = {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  };
  const dialogs = (context: BrowserContext) => context.pages()[0]!.getByRole("dialog").count();

  async function openPopupPage() {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await recordReady(page);
    await page.goto(`${stack.demoUrl}/examples/popup.html`);
    expect(await page.evaluate(() => matchMedia("(pointer: coarse)").matches)).toBe(true);
    // The script names the popup: ready once the modes chunk has armed its triggers.
    await loaderReady(page);
    return { context, page };
  }

  it("opens the popup on a fast flick up (heading for the address bar), not on reading", async () => {
    const { context, page } = await openPopupPage();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // Reading down slowly to 55 % of the page (the 60 % scroll trigger stays quiet): nothing opens.
    const bottom = Math.floor(height * 0.55) - phone.viewport.height;
    expect(bottom).toBeGreaterThan(400);
    for (let y = 100; y <= bottom; y += 100) {
      await page.evaluate((top) => scrollTo(0, top), y);
      await page.waitForTimeout(80); // reading speed: the pace is the subject here
    }
    // Nothing may open: no event says so, time has to pass.
    await page.waitForTimeout(200);
    expect(await dialogs(context)).toBe(0);
    // A flick up, as a finger does it: a big step every frame, ending well below the top.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const step = () => {
            scrollTo(0, Math.max(150, scrollY - 90));
            if (scrollY > 150) requestAnimationFrame(step);
            else resolve();
          };
          requestAnimationFrame(step);
        }),
    );
    await expect.poll(() => dialogs(context), { timeout: 5000 }).toBe(1);
    await context.close();
  });

  it("opens the popup when the visitor leaves the tab, so it is there when they come back", async () => {
    const { context, page } = await openPopupPage();
    expect(await dialogs(context)).toBe(0);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await expect.poll(() => dialogs(context), { timeout: 5000 }).toBe(1);
    await context.close();
  });
});
