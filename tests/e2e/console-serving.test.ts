/**
 * The console as a deployment serves it: by the Worker itself (wrangler dev, the same static assets
 * `npm run deploy` uploads) at /console/ on the API's origin, with strict security headers; and the
 * console works under them: signing in, the leads list, a lead and the form editor's live preview
 * raise no CSP violation (this browser context does not bypass the CSP, unlike the screen tests',
 * which inject axe-core), and every API call stays on the page's own origin (no CORS).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl } from "./support/console.ts";
import { submitDemoLead } from "./support/leads.ts";

const stack = inject("stack");
let browser: Browser;

beforeAll(async () => {
  buildConsoleIfStale();
  // One lead of this file's own, so the list has a row.
  await submitDemoLead(`csp-${Date.now().toString(36)}@serving.example`, "contact", {
    name: "Grace Hopper",
    consent: true,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("the console served by the Worker", () => {
  it("redirects /console to /console/ and answers with strict headers, its HTML never cached", async () => {
    const bare = await fetch(`${stack.edgeUrl}/console`, { redirect: "manual" });
    expect([301, 307, 308]).toContain(bare.status);
    expect(new URL(bare.headers.get("location")!, stack.edgeUrl).href).toBe(consoleUrl(stack.edgeUrl));

    const res = await fetch(consoleUrl(stack.edgeUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const d = directives(csp);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("script-src")).toEqual(["'self'"]);
    expect(d.get("style-src")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-cache");

    // Its script, hashed, is cached for good under the same policy.
    const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const js = await fetch(`${consoleUrl(stack.edgeUrl)}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("content-security-policy")).toBe(csp);
    await js.arrayBuffer();
  });

  it("signs in and shows leads, a lead and a form's preview with no CSP violation, all same-origin", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Before any page script: every violation the CSP reports, as the page sees it.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener("securitypolicyviolation", (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    const origins = new Set<string>();
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/v1/")) origins.add(new URL(request.url()).origin);
    });

    const answer = await page.goto(consoleUrl(stack.edgeUrl));
    expect(answer?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    // The stylesheet applied (a refused one would leave the page unstyled).
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toBe("");
    await expect
      .poll(() => page.locator("table.leads tbody tr").count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.locator("table.leads tbody tr a.lead-link").first().click();
    await page.getByRole("link", { name: "← All leads" }).first().waitFor();

    // The form editor's live preview: the real widget form in a shadow root, styled by
    // constructable stylesheets (no inline style for the CSP to refuse).
    await page.goto(`${consoleUrl(stack.edgeUrl)}#/forms/contact`);
    await page.locator(".preview").first().waitFor();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const host = [...document.querySelectorAll(".preview *")].find((el) => el.shadowRoot);
          return host?.shadowRoot?.adoptedStyleSheets.length ?? 0;
        }),
      )
      .toBeGreaterThan(0);

    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual(
      [],
    );
    expect(problems).toEqual([]);
    expect([...origins]).toEqual([stack.edgeUrl]);
    await context.close();
  });
});
