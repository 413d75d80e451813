/**
 * Signing in through Cloudflare Access, in real Chromium against the Worker-served console: the stack
 * sits behind an Access application (its certificate endpoint stood in for on loopback), the browser
 * carries the CF_Authorization cookie Access sets after the company's SSO, and the console opens as
 * that member with no token typed: their role decides what is offered, and a change they make from
 * the console's own page is accepted.
 */
import { importJWK, type JWK, SignJWT } from "jose";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SiteConfig } from "../../shared/config.ts";
import { launchChromium } from "./browser.ts";
import { ACCESS } from "./global-setup.ts";
import { buildConsoleIfStale, consoleUrl } from "./support/console.ts";

const stack = inject("stack");
const RUN = Date.now().toString(36);
const EMAIL = `editor-${RUN}@company.example`;
const ORIGIN = `https://access-${RUN}.example.com`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res;
}

/** The JWT Access would put in its cookie for `email` (RS256, the team's key, this application's AUD). */
async function accessJwt(email: string): Promise<string> {
  const key = await importJWK(JSON.parse(stack.accessPrivateJwk) as JWK, "RS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email, type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: "leadcap-test-key" })
    .setAudience(ACCESS.aud)
    .setIssuer(`https://${ACCESS.team}`)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .setSubject(`user-${RUN}`)
    .sign(key);
}

beforeAll(async () => {
  buildConsoleIfStale();
  await admin(`/v1/admin/members/${encodeURIComponent(EMAIL)}`, {
    method: "PUT",
    body: JSON.stringify({ roles: { demo: "editor" } }),
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: "CF_Authorization", value: await accessJwt(EMAIL), url: stack.edgeUrl }]);
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  // The demo as shipped for the next file: this test's origin out again.
  const res = await fetch(`${stack.edgeUrl}/v1/admin/sites/demo/config`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  const { version, config } = (await res.json()) as { version: number; config: SiteConfig };
  if (config.allowedOrigins.includes(ORIGIN))
    await admin("/v1/admin/sites/demo/config", {
      method: "PUT",
      body: JSON.stringify({
        config: { ...config, allowedOrigins: config.allowedOrigins.filter((o) => o !== ORIGIN) },
        baseVersion: version,
      }),
    });
});

describe("console: Cloudflare Access sign-in", () => {
  it("opens as the member, offers what an editor may do, and takes their change from its own page", async () => {
    await page.goto(consoleUrl(stack.edgeUrl));
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel("Admin token").count()).toBe(0);
    const nav = page.getByRole("navigation");
    await expect.poll(() => nav.getByRole("link", { name: "Forms" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: "People" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "New site" }).count()).toBe(0);

    // A change through the cookie alone (no token): same origin, so the edge takes it.
    await nav.getByRole("link", { name: "Install" }).click();
    await page.getByLabel("Add an origin").fill(ORIGIN);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.locator(".savebar").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () => {
        const res = await fetch(`${stack.edgeUrl}/v1/admin/sites/demo/config`, {
          headers: { authorization: `Bearer ${stack.adminToken}` },
        });
        return ((await res.json()) as { config: SiteConfig }).config.allowedOrigins;
      })
      .toContain(ORIGIN);
    // The audit log names the member, not a token.
    const audit = await admin("/v1/admin/sites/demo/audit");
    expect(JSON.stringify(await audit.json())).toContain(EMAIL);
    // An editor is no owner: the site card (name, pause) is not offered, nor changes to destinations.
    expect(await page.getByLabel("Paused").count()).toBe(0);
    await nav.getByRole("link", { name: "Routing" }).click();
    await page.getByText("Only an owner of the site changes them.").waitFor();
    expect(await page.getByRole("button", { name: "Add destination" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^(Pause|Resume) / }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Remove destination/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
