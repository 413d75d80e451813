/**
 * A secret in a site's config never reaches the browser: an owner saves a webhook's raw `whsec_…`
 * signing secret through the API; the console (real Chromium, the Worker-served build) shows it
 * masked with its last characters, no answer the page receives carries it, and a save made in the
 * console with the mask left as it is keeps the secret.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SiteConfig } from "../../shared/config.ts";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl } from "./support/console.ts";

const stack = inject("stack");
const RUN = Date.now().toString(36);
const RAW = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
const MASK = `••••${RAW.slice(-4)}`;

let browser: Browser;
let page: Page;
let restoreTo = 0;
/** Every answer body the console's page received. */
const received: string[] = [];

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}
const demoConfig = () => admin<{ version: number; config: SiteConfig }>("/v1/admin/sites/demo/config");

beforeAll(async () => {
  buildConsoleIfStale();
  const { version, config } = await demoConfig();
  restoreTo = version;
  const hook = {
    id: `e2e-hook-${RUN}`,
    type: "webhook",
    url: `${stack.receiverUrl}/webhooks/e2e`,
    secret: RAW,
  };
  const saved = await admin<{ config: SiteConfig }>("/v1/admin/sites/demo/config", {
    method: "PUT",
    body: JSON.stringify({
      config: { ...config, destinations: [...config.destinations, hook] },
      baseVersion: version,
      note: "e2e: a raw secret",
    }),
  });
  // Not even the answer to the save that set it carries it.
  expect(JSON.stringify(saved)).not.toContain(RAW);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("response", async (response) => {
    try {
      received.push(await response.text());
    } catch {
      // a redirect or an aborted request has no body
    }
  });
  await page.goto(consoleUrl(stack.edgeUrl));
  await page.getByLabel("Admin token").fill(stack.adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  // The demo as it was before this file: a rollback to the version it found.
  const { version } = await demoConfig();
  await admin("/v1/admin/sites/demo/config/rollback", {
    method: "POST",
    body: JSON.stringify({ version: restoreTo, baseVersion: version }),
  });
});

describe("console: secrets", () => {
  it("shows a saved secret masked, never receives it, and keeps it when a save leaves the mask", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Routing" }).click();
    await page
      .getByRole("button", { name: new RegExp(`e2e-hook-${RUN}`) })
      .first()
      .click();
    const secret = page.getByLabel("Signing secret(s)");
    await expect.poll(() => secret.inputValue(), { timeout: 10_000 }).toBe(MASK);

    // A save from the console with the mask left as it is (another part changed).
    await page.getByRole("navigation").getByRole("link", { name: "Install" }).click();
    await page.getByLabel("Add an origin").fill(`https://secrets-${RUN}.example.com`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const before = (await demoConfig()).version;
    await page.locator(".savebar").getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await demoConfig()).version, { timeout: 10_000 }).toBe(before + 1);
    const hook = (await demoConfig()).config.destinations.find((d) => d.id === `e2e-hook-${RUN}`) as {
      secret: string;
    };
    expect(hook.secret).toBe(MASK);

    expect(received.length).toBeGreaterThan(5);
    expect(received.filter((body) => body.includes(RAW))).toEqual([]);
    expect(await page.content()).not.toContain(RAW);
  });
});
