/**
 * The widget in a real Chromium, on the example pages (demo-site/examples, strict CSP): every mode
 * and trigger, two forms on one page, isolation (CSP, hostile CSS, XSS in config text), SPA routes,
 * consent mode, accessibility (axe-core), and durability: offline during submit, tab closed and
 * reopened, the lead delivered exactly once.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { leadsByEmail } from "./support/leads.ts";
import { loaderReady, loaderSettled, recordReady } from "./support/ready.ts";

const stack = inject("stack");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh context and page that records CSP violations and page errors. */
async function open(path: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const seen = { violations: [] as string[], errors: [] as string[] };
  await page.exposeFunction("__cspViolation", (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on("pageerror", (error) => seen.errors.push(error.message));
  await recordReady(page);
  await page.goto(`${stack.demoUrl}/examples/${path}`);
  return { context, page, seen };
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(o: object): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] });
    return result.violations.map(
      (v) =>
        `${v.id}: ${(v.nodes as Array<{ target: unknown; failureSummary?: string }>).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`).join("; ")}`,
    );
  });
}

const dialog = (page: Page) => page.getByRole("dialog");

describe("display modes and triggers", () => {
  it("popup: opens at 60 % scroll as a modal, traps focus, closes on Escape and gives focus back", async () => {
    const { context, page, seen } = await open("popup.html");
    const opener = page.getByRole("button", { name: "Subscribe to the newsletter" });
    await opener.focus();
    expect(await dialog(page).count()).toBe(0);
    await page.mouse.wheel(0, 100_000);
    await expect.poll(() => dialog(page).count(), { timeout: 5000 }).toBe(1);
    expect(await dialog(page).getAttribute("aria-modal")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.documentElement.style.overflow)).toBe("hidden");
    // Focus is inside the dialog and stays there.
    for (let i = 0; i < 5; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-leadcap-overlay"))).toBe(
      "newsletter",
    );
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.style.overflow)).toBe("");
    // Once per session: scrolling again does not reopen it; an explicit click does.
    await page.mouse.wheel(0, -100_000);
    await page.mouse.wheel(0, 100_000);
    // Nothing may open: no event says so, time has to pass.
    await page.waitForTimeout(300);
    expect(await dialog(page).count()).toBe(0);
    await page.mouse.wheel(0, -100_000);
    await opener.click();
    await expect.poll(() => dialog(page).count()).toBe(1);
    expect(seen.violations).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("popup: exit intent opens it when the pointer leaves through the top", async () => {
    const { context, page } = await open("popup.html");
    await page.mouse.move(300, 300);
    await loaderReady(page); // the popup's triggers are armed
    await page.mouse.move(300, -5, { steps: 5 });
    await page.evaluate(() =>
      document.dispatchEvent(new MouseEvent("mouseout", { clientY: -1, relatedTarget: null, bubbles: true })),
    );
    await expect.poll(() => dialog(page).count(), { timeout: 5000 }).toBe(1);
    await context.close();
  });

  it("popup: its form is checked and submitted like an inline one (the checks come after it shows)", async () => {
    const { context, page, seen } = await open("popup.html");
    await page.getByRole("button", { name: "Subscribe to the newsletter" }).click();
    await expect.poll(() => dialog(page).count(), { timeout: 5000 }).toBe(1);
    const subscribe = dialog(page).getByRole("button", { name: "Subscribe", exact: true });
    await subscribe.click();
    await expect.poll(() => dialog(page).getByText("Please fill in this field.").count()).toBe(1);
    const email = `popup-${Date.now()}@analytical.example`;
    await dialog(page).getByLabel("Email").fill(email);
    await dialog(page).getByRole("checkbox").check();
    await subscribe.click();
    await expect
      .poll(() => dialog(page).getByText("You are subscribed").count(), { timeout: 15_000 })
      .toBe(1);
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 15_000 }).toBe(1);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("slide-in opens on a click of a matching element; a launcher opens its panel; a bar shows at once", async () => {
    const slide = await open("slide-in.html");
    await slide.page.getByRole("button", { name: "Book a demo" }).click();
    await expect.poll(() => dialog(slide.page).count(), { timeout: 5000 }).toBe(1);
    await slide.page.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => dialog(slide.page).count()).toBe(0);
    await slide.context.close();

    const launcher = await open("launcher.html");
    const button = launcher.page.getByRole("button", { name: "Pricing questions?" });
    await button.click();
    await expect.poll(() => dialog(launcher.page).count(), { timeout: 5000 }).toBe(1);
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await launcher.context.close();

    const bar = await open("bar.html");
    await expect
      .poll(() => bar.page.getByRole("region", { name: /Product updates/ }).count(), { timeout: 5000 })
      .toBe(1);
    await bar.context.close();
  });

  it("two forms and a launcher on one page work independently; axe-core finds no violations", async () => {
    const { context, page, seen } = await open("two-forms.html");
    await expect
      .poll(() => page.getByRole("heading", { name: "Get a tailored quote" }).count(), { timeout: 5000 })
      .toBe(1);
    await expect.poll(() => page.getByRole("button", { name: "Pricing questions?" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    const email = `two-forms-${Date.now()}@analytical.example`;
    await page.getByLabel("Work email").first().fill(email);
    await page.getByLabel("Name", { exact: false }).first().fill("Ada");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    // The quote form's first step is untouched by the contact form's submit.
    await page.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => page.getByText("Thank you! We will be in touch").count(), { timeout: 15_000 })
      .toBe(1);
    expect(await page.getByText("Step 1 of 3: About you").count()).toBe(1);
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 15_000 }).toBe(1);

    // The launcher's open panel passes axe too.
    await page.getByRole("button", { name: "Pricing questions?" }).click();
    await expect.poll(() => dialog(page).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(seen.violations).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});

describe("isolation", () => {
  it("works under the strict CSP with zero violations, and a hostile stylesheet changes nothing", async () => {
    const plain = await open("csp.html");
    await expect.poll(() => plain.page.getByLabel("Work email").count(), { timeout: 5000 }).toBe(1);
    const measure = (page: Page) =>
      page.getByLabel("Work email").evaluate((el) => {
        const style = getComputedStyle(el);
        return {
          display: style.display,
          fontSize: style.fontSize,
          letterSpacing: style.letterSpacing,
          width: el.getBoundingClientRect().width,
        };
      });
    const expected = await measure(plain.page);
    expect(plain.seen.violations).toEqual([]);
    await plain.context.close();

    const hostile = await open("hostile.html");
    await expect.poll(() => hostile.page.getByLabel("Work email").count(), { timeout: 5000 }).toBe(1);
    const got = await measure(hostile.page);
    expect(got.display).toBe("block");
    expect(got.fontSize).toBe(expected.fontSize);
    expect(got.letterSpacing).toBe(expected.letterSpacing);
    expect(await hostile.page.getByRole("button", { name: "Send" }).isVisible()).toBe(true);
    expect(hostile.seen.violations).toEqual([]);
    await hostile.context.close();
  });

  it("renders XSS payloads in config text as text: no script runs", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    // Whatever the page language (?lang=…), the form config answer is the one tampered with.
    await page.route(`${stack.edgeUrl}/v1/sites/demo/forms/contact*`, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        form: { title: string; description?: string; fields: Array<{ label: string; help?: string }> };
      };
      body.form.title = payload;
      body.form.description = payload;
      for (const field of body.form.fields) {
        field.label = payload;
        field.help = payload;
      }
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${stack.demoUrl}/examples/csp.html`);
    await expect.poll(() => page.getByRole("heading", { name: payload }).count(), { timeout: 5000 }).toBe(1);
    // A script smuggled in would run on its own time (an image's error, say): give it some.
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("[data-leadcap-form] >> img").count()).toBe(0);
    await context.close();
  });
});

describe("pages, consent and durability", () => {
  it("follows SPA navigation: a container rendered after pushState gets its form; page views count", async () => {
    const { context, page } = await open("spa.html");
    await page.getByRole("link", { name: "Contact" }).click();
    await expect.poll(() => page.getByLabel("Work email").count(), { timeout: 5000 }).toBe(1);
    const views = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem("leadcap:views") ?? "{}").views,
    );
    expect(views).toBe(2);
    await context.close();
  });

  it("consent mode writes nothing to storage before consent, and tracks after it", async () => {
    const { context, page } = await open("consent.html");
    await expect.poll(() => page.getByLabel("Work email").count(), { timeout: 5000 }).toBe(1);
    const stored = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
    expect(await stored()).toEqual([]);
    await page.getByRole("button", { name: "Accept analytics" }).click();
    await expect.poll(stored).toContain("leadcap:first-touch");
    await context.close();
  });

  it("consent mode: a popup that opens by itself stores its frequency caps nowhere until consent", async () => {
    // The modes chunk carries its own copy of the storage helpers: it must still follow the loader's
    // tracking state (it once wrote leadcap:caps and leadcap:shown before consent).
    const context = await browser.newContext();
    const page = await context.newPage();
    // popup.html's script tag, in consent mode: the attribute is set as the tag is parsed, before the
    // async script runs (a page rewritten by the test would lose its loopback address space).
    await page.addInitScript(() => {
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes)
            if (node instanceof HTMLScriptElement && node.dataset.site) node.dataset.consent = "required";
      }).observe(document, { childList: true, subtree: true });
    });
    await recordReady(page);
    await page.goto(`${stack.demoUrl}/examples/popup.html`);
    await loaderReady(page);
    const stored = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
    await page.mouse.wheel(0, 100_000);
    await expect.poll(() => dialog(page).count(), { timeout: 5000 }).toBe(1);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await stored()).toEqual([]);
    // Kept in memory all the same: the popup shown once this session does not open again.
    await page.mouse.wheel(0, -100_000);
    await page.mouse.wheel(0, 100_000);
    expect(await dialog(page).count()).toBe(0);
    // Consent given: tracking stores, and so do the caps from then on (a submit marks the form).
    await page.evaluate(() =>
      (window as unknown as { leadcap(...a: unknown[]): void }).leadcap("consent", true),
    );
    await expect.poll(stored).toContain("leadcap:first-touch");
    expect(await stored()).not.toContain("leadcap:caps");
    await page.getByRole("button", { name: "Subscribe to the newsletter" }).click();
    await dialog(page).getByLabel("Email").fill(`caps-${Date.now()}@analytical.example`);
    await dialog(page).getByLabel("Send me the monthly newsletter. I can unsubscribe at any time.").check();
    await dialog(page).getByRole("button", { name: "Subscribe" }).click();
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem("leadcap:caps") ?? ""), { timeout: 10_000 })
      .toContain('"submitted"');
    await context.close();
  });

  it("offline during submit, tab closed and reopened: the lead is delivered exactly once", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.demoUrl}/examples/csp.html`);
    const email = `offline-${Date.now()}@analytical.example`;
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada Offline");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await context.setOffline(true);
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.getByText("saved on this device").count(), { timeout: 10_000 }).toBe(1);
    const kept = await page.evaluate(() => localStorage.getItem("leadcap:outbox"));
    expect(kept).toContain(email);
    await page.close(); // The tab closes before the connection is back.

    await context.setOffline(false);
    // A 503 on the first retry: the outbox keeps it and tries again.
    let failed = 0;
    const next = await context.newPage();
    await recordReady(next);
    await next.route(`${stack.edgeUrl}/v1/answers`, async (route) => {
      if (failed++ === 0)
        await route.fulfill({
          status: 503,
          headers: { "Retry-After": "1" },
          json: { error: { code: "unavailable", message: "later" } },
        });
      else await route.continue();
    });
    await next.goto(`${stack.demoUrl}/examples/bar.html`);
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => next.evaluate(() => localStorage.getItem("leadcap:outbox")), { timeout: 10_000 })
      .toBe("[]");
    // Reloading sends nothing again: the reloaded loader has looked at the outbox and found nothing.
    await next.reload();
    await loaderSettled(next);
    const leads = await leadsByEmail(email);
    expect(leads).toHaveLength(1);
    expect(leads[0]!.submissionCount).toBe(1);
    expect(failed).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it("offline before the checks and the outbox arrived: the lead is kept, and sent once when back", async () => {
    // leadcap-send.js (the checks, the outbox) comes after the form shows; here the connection drops
    // just as the form shows, so it never arrives before the visitor submits.
    const context = await browser.newContext();
    const page = await context.newPage();
    let offline = true;
    const asked: string[] = [];
    let posts = 0; // the edge dedupes a resend; the page must not even make one
    await recordReady(page);
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url() === `${stack.edgeUrl}/v1/answers`) posts++;
    });
    await page.route(/\/leadcap-send\.[0-9a-f]{8}\.js$/, (route) => {
      asked.push(route.request().url());
      return offline ? route.abort("internetdisconnected") : route.continue();
    });
    await page.goto(`${stack.demoUrl}/examples/csp.html`);
    const email = `early-offline-${Date.now()}@analytical.example`;
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada Early");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await context.setOffline(true);
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.getByText("saved on this device").count(), { timeout: 10_000 }).toBe(1);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => localStorage.getItem("leadcap:outbox"))).toContain(email);
    expect(await leadsByEmail(email)).toHaveLength(0);

    offline = false;
    await context.setOffline(false); // the page hears "online"
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByText("Thank you!").count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => localStorage.getItem("leadcap:outbox"))).toBe("[]");
    await page.reload();
    await loaderSettled(page); // the reloaded loader has looked at the outbox and found nothing
    const leads = await leadsByEmail(email);
    expect(leads).toHaveLength(1);
    expect(leads[0]!.submissionCount).toBe(1);
    expect(posts).toBe(1);
    await context.close();
  });

  it("a loader cached from before a deploy still shows the form and captures the lead", async () => {
    // leadcap.js is cached for 5 minutes; after a deploy, a cached copy names chunk files (by content
    // hash) this deployment no longer has. Played here by renaming every chunk the loader asks for.
    const context = await browser.newContext();
    const page = await context.newPage();
    const asked: string[] = [];
    await page.route(`${stack.edgeUrl}/leadcap.js`, async (route) => {
      const response = await route.fetch();
      const stale = (await response.text()).replace(
        /(leadcap-[a-z0-9]+)\.[0-9a-f]{8}\.js/g,
        "$1.0000dead.js",
      );
      await route.fulfill({ response, body: stale });
    });
    page.on("request", (request) => {
      if (/leadcap-[a-z0-9]+\.[0-9a-f]{8}\.js$/.test(request.url())) asked.push(request.url());
    });
    await page.goto(`${stack.demoUrl}/examples/csp.html`);
    const email = `stale-loader-${Date.now()}@analytical.example`;
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada Stale");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 10_000 }).toBe(1);
    expect(asked.some((url) => url.endsWith("leadcap-ui.0000dead.js"))).toBe(true);
    await context.close();
  });
});
