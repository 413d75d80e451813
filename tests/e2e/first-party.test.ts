/**
 * Served first-party (README, "Serve it first-party"): the widget and the API under a path of the
 * page's own origin, with neutral names, so filter lists that block third-party scripts and paths
 * with `lead`, `track`, `event` or `collect` in them leave the form alone. The demo server forwards
 * both layouts to the edge: `/lc/*` with the prefix kept (a Workers route; the stack runs the edge
 * with PUBLIC_PATH=/lc) and `/proxy/*` with it stripped (a reverse proxy). Its first-party example
 * pages carry a CSP that does not name the edge, so a request that went there would be a violation.
 * The pages are the same in both layouts; the widget finds everything from its own URL (its
 * directory is the endpoint, a loader not named leadcap.js asks for `w-` chunks, and it posts to
 * /v1/answers and /v1/counts).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { leadsByEmail } from "./support/leads.ts";

const stack = inject("stack");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Words filter lists block in request URLs (EasyPrivacy and the like). */
const BLOCKED_WORDS = /lead|track|event|collect/i;

/** Every request the page makes, failed loads and CSP violations, for the assertions at the end. */
async function watchPage(page: Page) {
  const seen = { requests: [] as string[], failures: [] as string[], violations: [] as string[] };
  await page.exposeFunction("__leadcapCspViolation", (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __leadcapCspViolation(text: string): void }).__leadcapCspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("requestfailed", (request) =>
    seen.failures.push(`${request.url()} ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) seen.failures.push(`${response.url()} ${response.status()}`);
  });
  return seen;
}

/** The page's own files: the document and its stylesheet (and a favicon, if Chromium asks). */
const pageOwn = (path: string) => path.startsWith("/examples/") || path === "/favicon.ico";

describe.each([
  { layout: "a Workers route (prefix kept, PUBLIC_PATH)", page: "first-party.html", prefix: "/lc/" },
  { layout: "a reverse proxy (prefix stripped)", page: "first-party-proxy.html", prefix: "/proxy/" },
])("first-party through $layout", ({ page: file, prefix }) => {
  it("captures a lead with every request on the page's own origin under the prefix, and neutral names", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = await watchPage(page);
    const email = `fp-${prefix.slice(1, -1)}-${Date.now()}@analytical.example`;

    await page.goto(`${stack.demoUrl}/examples/${file}?utm_source=fp`);
    await page.locator('[data-leadcap-form="contact"]').scrollIntoViewIfNeeded();
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Name").fill("Ada First-Party");
    await page.getByLabel("I agree that Leadcap may contact me about my request.").check();
    await page.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => page.getByText("Thank you!", { exact: false }).count(), { timeout: 15_000 })
      .toBe(1);

    // Stored once, with the campaign the visitor came from.
    await expect.poll(async () => (await leadsByEmail(email)).length, { timeout: 15_000 }).toBe(1);
    const [lead] = await leadsByEmail(email);
    expect(lead!.lastTouch.utm_source).toBe("fp");
    expect(lead!.fields).toMatchObject({ name: "Ada First-Party", consent: true });

    // Nothing third-party: every request went to the page's own origin, the widget's under the prefix.
    const urls = seen.requests.map((url) => new URL(url));
    expect(urls.filter((url) => url.origin !== stack.demoUrl).map(String)).toEqual([]);
    const widget = urls.filter((url) => !pageOwn(url.pathname)).map((url) => url.pathname);
    expect(widget.filter((path) => !path.startsWith(prefix))).toEqual([]);
    // …by names no filter list blocks: the loader, its chunks and the API.
    expect(seen.requests.filter((url) => BLOCKED_WORDS.test(url))).toEqual([]);
    expect(widget).toContain(`${prefix}w.js`);
    expect(widget.some((path) => new RegExp(`^${prefix}w-ui\\.[0-9a-f]{8}\\.js$`).test(path))).toBe(true);
    expect(widget).toContain(`${prefix}v1/sites/demo/forms/contact`);
    expect(widget).toContain(`${prefix}v1/answers`);

    expect(seen.failures).toEqual([]);
    expect(seen.violations).toEqual([]);
    await context.close();
  });
});

describe("the first-party forwarder of the demo server", () => {
  it("passes a redirect through as the edge answers it: relative, under the prefix", async () => {
    for (const prefix of ["/lc/", "/proxy/"]) {
      const res = await fetch(`${stack.demoUrl}${prefix}w-ui.00000000.js`, { redirect: "manual" });
      expect(res.status).toBe(302);
      const next = new URL(res.headers.get("location")!, `${stack.demoUrl}${prefix}w-ui.00000000.js`);
      expect(next.pathname).toMatch(new RegExp(`^${prefix}w-ui\\.[0-9a-f]{8}\\.js$`));
      const chunk = await fetch(next);
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get("access-control-allow-origin")).toBe("*");
    }
  });

  it("posts with the browser's Origin and answers with the edge's status and CORS headers", async () => {
    for (const prefix of ["/lc/", "/proxy/"]) {
      const res = await fetch(`${stack.demoUrl}${prefix}v1/counts`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
        body: JSON.stringify({
          site: "demo",
          events: [{ type: "impression", form: "contact", at: new Date().toISOString() }],
        }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get("access-control-allow-origin")).toBe(stack.demoUrl);
      expect(await res.json()).toMatchObject({ accepted: 1 });
    }
  });
});
