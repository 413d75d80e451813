/**
 * People and roles in the console, in real Chromium against the running stack: the bootstrap owner
 * creates an analyst API token on the People screen (shown once), sees it in History's audit log, then
 * signs in with it; the analyst's
 * console offers leads and metrics, not the config screens, History or People.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl, review as reviewOf } from "./support/console.ts";

const stack = inject("stack");
const review = (name: string) => reviewOf(page, name);
const CONSOLE = () => consoleUrl(stack.edgeUrl);
const NAME = `e2e analyst ${Date.now().toString(36)}`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  buildConsoleIfStale();
  browser = await launchChromium();
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

const navLinks = async () =>
  (await page.getByRole("navigation", { name: "Console" }).getByRole("link").allTextContents()).map((t) =>
    t.trim(),
  );

describe("people and roles in the console", () => {
  it("an owner makes an analyst token, shown once; signed in with it, the console offers only what an analyst may do", async () => {
    await page.goto(CONSOLE());
    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.getByLabel("Site", { exact: true }).fill("demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await expect.poll(navLinks).toContain("People");
    await page.getByRole("link", { name: "People" }).click();
    await page.getByRole("heading", { name: "People and tokens", level: 1 }).waitFor();

    await page.getByLabel("Name").fill(NAME);
    await page.getByLabel("Role", { exact: true }).last().selectOption("analyst");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = page.locator("#created-token");
    await secret.waitFor();
    const token = (await secret.textContent())?.trim() ?? "";
    expect(token).toMatch(/^lc_[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.getByRole("row", { name: new RegExp(NAME) }).count()).toBe(1);
    await review("people");

    // History shows the audit log: the token's creation, by the bootstrap owner.
    await page.getByRole("link", { name: "History" }).click();
    const entry = page.getByRole("row", { name: new RegExp(`Created an API token: token "${NAME}"`) });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("bootstrap");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token").fill(token);
    await page.getByLabel("Site", { exact: true }).fill("demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    // Still on #/people, which an analyst may not use: said so, with the way back.
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("Your role on this site does not include this screen");
    await page.getByRole("link", { name: "Go to the leads" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await expect.poll(navLinks).toContain("Metrics");
    const links = await navLinks();
    expect(links).toEqual(expect.arrayContaining(["Leads", "Metrics", "Capture health"]));
    for (const hidden of ["Forms", "Scoring", "Routing", "History", "People", "Deliveries"])
      expect(links).not.toContain(hidden);
    expect(problems).toEqual([]);
  });
});
