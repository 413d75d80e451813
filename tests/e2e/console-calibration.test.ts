import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CalibrationReport } from "../../shared/calibration.ts";
import type { SiteConfig } from "../../shared/config.ts";
import type { Lead, LeadSubmission } from "../../shared/lead.ts";
import type { ScoringConfig } from "../../shared/scoring-schema.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { calibrateSite } from "../tools/calibrate.ts";
import { launchChromium } from "./browser.ts";
import { buildConsoleIfStale, consoleUrl, review as reviewOf } from "./support/console.ts";

const stack = inject("stack");
const review = (name: string) => reviewOf(page, name);
const CONSOLE = () => consoleUrl(stack.edgeUrl);
const RUN = Date.now().toString(36);
const SITE = `e2e-cal-${RUN}`;
const DOMAIN = `cal-${RUN}.example`;
const auth = () => ({ authorization: `Bearer ${stack.adminToken}` });

let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** Every script the console page requested, in order. */
const scripts: string[] = [];

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: { ...auth(), "content-type": "application/json", ...(init.headers ?? {}) },
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const siteConfig = () =>
  admin<{ version: number; config: SiteConfig }>(`/v1/admin/sites/${encodeURIComponent(SITE)}/config`);

/** A newsletter sign-up: engaged visitors read for 12 minutes over 6 visits, the others bounced. */
async function submit(email: string, engaged: boolean): Promise<Response> {
  const at = {
    landingPage: `${stack.demoUrl}/`,
    at: new Date().toISOString(),
    utm_source: "newsletter",
    utm_medium: "email",
  };
  const body: LeadSubmission = {
    site: SITE,
    form: "newsletter",
    submissionId: `cal_${Math.random().toString(36).slice(2, 12)}`,
    fields: { email, consent: true } as LeadSubmission["fields"],
    attribution: { firstTouch: at, lastTouch: at },
    engagement: engaged
      ? { activeTimeMs: 12 * 60_000, maxScrollPct: 90, visits: 6, pageViews: 9 }
      : { activeTimeMs: 20_000, maxScrollPct: 10, visits: 1, pageViews: 1 },
    page: { url: `${stack.demoUrl}/` },
  };
  return fetch(`${stack.edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
    body: JSON.stringify(body),
  });
}

const panel = () => page.locator("section.calibration");
const propose = async () => {
  await panel()
    .getByRole("button", { name: /^Propose/ })
    .click();
};

/** 12 engaged leads and 12 that bounced; their ids by email. */
const engaged = Array.from({ length: 12 }, (_, i) => `reader-${i}@${DOMAIN}`);
const bounced = Array.from({ length: 12 }, (_, i) => `bounce-${i}@${DOMAIN}`);

beforeAll(async () => {
  buildConsoleIfStale();
  const config = JSON.parse(JSON.stringify(demoSite)) as SiteConfig;
  await admin("/v1/admin/sites", {
    method: "POST",
    body: JSON.stringify({
      config: { ...config, id: SITE, name: "Calibration site" },
      note: "e2e: a site for calibration",
    }),
  });
  // Each edge isolate reads saved sites every few seconds: the first lead goes in once this one has it.
  for (let attempt = 0; ; attempt++) {
    const res = await submit(engaged[0]!, true);
    if (res.ok) break;
    if (attempt > 40) throw new Error(`the edge does not take leads for ${SITE}: ${await res.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const [i, email] of [...engaged, ...bounced].entries()) {
    if (i === 0) continue;
    const res = await submit(email, engaged.includes(email));
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  browser = await launchChromium();
  // bypassCSP only lets the test inject axe-core; console-serving.test.ts runs the console under its CSP.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("422"))
      problems.push(`console: ${message.text()}`);
  });
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("console: calibration proposals", () => {
  it("loads sign-in, leads and metrics without the config screens' code, which comes with the first one", async () => {
    await page.goto(CONSOLE());
    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.getByLabel("Site").fill(SITE);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await expect.poll(() => page.locator("table.leads tbody tr").count(), { timeout: 10_000 }).toBe(24);
    await page.getByRole("link", { name: "Metrics" }).click();
    await page.getByRole("heading", { name: "Cost per lead" }).waitFor();
    const first = [...scripts];
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/\/console\/assets\/index-[\w-]+\.js$/);

    await page.getByRole("link", { name: "Scoring" }).click();
    await panel().waitFor();
    const later = scripts.slice(first.length);
    expect(later.some((path) => /\/scoring-[\w-]+\.js$/.test(path))).toBe(true);
  });

  it("runs the lazily loaded config screens under the CSP the Worker serves the console with, with no violation", async () => {
    // A context that keeps the CSP (the others bypass it to inject axe-core).
    const strict = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await strict.newPage();
    const violations: string[] = [];
    await tab.exposeFunction("reportViolation", (text: string) => violations.push(text));
    await tab.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(t: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      ),
    );
    tab.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
    const res = await tab.goto(CONSOLE());
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await tab.getByLabel("Admin token").fill(stack.adminToken);
    await tab.getByLabel("Site").fill(SITE);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await tab.getByRole("link", { name: "Scoring" }).click();
    await tab.locator("section.calibration").waitFor();
    await tab.getByRole("link", { name: "Forms" }).click();
    await tab.locator(".form-list a").first().click();
    // The live preview renders the real widget (its styles are constructed sheets, allowed by the CSP).
    await expect
      .poll(
        () =>
          tab
            .locator("[data-testid=preview]")
            .evaluate((el) => el.shadowRoot?.querySelector("form") !== null),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await tab.getByRole("link", { name: "History" }).click();
    await tab.getByRole("heading", { name: "History", level: 1 }).waitFor();
    expect(violations).toEqual([]);
    // The listener does hear a violation: an inline script is refused.
    await tab.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.head.append(script);
    });
    await expect.poll(() => violations.join(" ")).toContain("script-src");
    expect(
      await tab.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan),
    ).toBeUndefined();
    await strict.close();
  });

  it("shows the edge's refusal while the site has too few outcomes", async () => {
    await propose();
    const alert = panel().getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain("Not enough outcomes yet.");
    expect(await alert.textContent()).toContain(
      "Calibration needs at least 10 converted and 10 lost leads; this site has 0 converted and 0 lost.",
    );
    await review("calibration-too-few");
  });

  it("proposes from 12 converted and 12 lost outcomes, and rejecting changes nothing", async () => {
    const { leads } = await admin<{ leads: Lead[] }>(
      `/v1/admin/leads?site=${encodeURIComponent(SITE)}&limit=100`,
    );
    const idOf = new Map(leads.map((l) => [l.email, l.id]));
    const at = new Date().toISOString();
    const recorded = await admin<{ recorded: number }>("/v1/admin/outcomes", {
      method: "POST",
      body: JSON.stringify({
        outcomes: [
          ...engaged.map((email) => ({ leadId: idOf.get(email), outcome: "converted", at })),
          ...bounced.slice(1).map((email) => ({ leadId: idOf.get(email), outcome: "lost", at })),
        ],
      }),
    });
    expect(recorded.recorded).toBe(23);
    // The last one from the lead's page, as a salesperson would.
    await page.goto(`${CONSOLE()}#/leads/${encodeURIComponent(idOf.get(bounced[0]!)!)}`);
    await expect.poll(() => page.locator("#outcome-now").textContent()).toBe("No outcome on record yet.");
    await page.getByRole("button", { name: "Lost", exact: true }).click();
    await expect
      .poll(() => page.locator(".outcome").textContent(), { timeout: 10_000 })
      .toContain("Recorded as lost");
    // Read back from the store, as anyone opening the lead later sees it.
    await expect.poll(() => page.locator("#outcome-now").textContent()).toMatch(/^On record: lost, /);
    // One recorded through the API (as a CRM would) shows too.
    await page.goto(`${CONSOLE()}#/leads/${encodeURIComponent(idOf.get(engaged[0]!)!)}`);
    await expect.poll(() => page.locator("#outcome-now").textContent()).toMatch(/^On record: won, /);
    // `npm run calibrate -- <site>` asks the running edge for the same proposal.
    const cli = await calibrateSite(SITE, { edge: stack.edgeUrl, token: stack.adminToken });
    expect(cli.report).toMatchObject({ leads: 24, converted: 12 });
    expect(cli.baseVersion).toBe((await siteConfig()).version);
    await page.getByRole("link", { name: "Scoring" }).click();
    await panel().waitFor();
    const before = await siteConfig();

    await page.getByLabel("Hot leads convert at least (%)").fill("75");
    await propose();
    const proposal = panel().locator("section.proposal");
    await expect.poll(() => proposal.count(), { timeout: 15_000 }).toBe(1);
    // The same proposal, from the API: the console shows its numbers.
    const answer = await admin<{ baseVersion: number; scoring: ScoringConfig; report: CalibrationReport }>(
      `/v1/admin/sites/${encodeURIComponent(SITE)}/calibration`,
      { method: "POST", body: JSON.stringify({ hotConversion: 0.75 }) },
    );
    expect(answer.baseVersion).toBe(before.version);
    const auc = answer.report.rocAuc.scoreOutOfFold.toFixed(2);
    const text = (await proposal.textContent())!;
    expect(text).toContain(`Proposal from version ${before.version}`);
    expect(text).toContain("Fitted on 24 leads with an outcome (12 converted, 12 lost)");
    expect(text).toContain(`AUC ${auc}`);
    expect(Number(auc)).toBeGreaterThan(0.8);
    expect(text).toContain(`Hot from`);
    expect(await proposal.locator("table.buckets tbody tr").count()).toBe(3);
    // Long reading is what the converters did: its points go up (from 30, before the cap).
    const active = answer.report.rules.find((r) => r.rule === "active-10-minutes")!;
    expect(active.fired).toBe(12);
    const row = proposal.locator("table.rule-changes tbody tr", { hasText: "active-10-minutes" });
    expect(await row.textContent()).toContain(`+30 → +${active.after}`);
    await proposal.locator("summary", { hasText: "changes to the scoring config" }).click();
    expect(await proposal.locator(".diff").textContent()).toContain(
      "scoring › rules › active-10-minutes › points",
    );
    await review("calibration-proposal");

    await proposal.getByRole("button", { name: "Reject" }).click();
    await expect.poll(() => proposal.count()).toBe(0);
    expect((await siteConfig()).version).toBe(before.version);
    expect(await page.locator(".savebar").textContent()).not.toContain("Unsaved changes");
  });

  it("accepts a proposal as a new version with its note, and new leads are scored with it", async () => {
    const before = await siteConfig();
    await propose();
    const proposal = panel().locator("section.proposal");
    await expect.poll(() => proposal.count(), { timeout: 15_000 }).toBe(1);
    const note = await proposal.getByLabel("Note for the new version").inputValue();
    expect(note).toMatch(/^Calibrated from 24 outcomes \(AUC [01]\.\d\d\)$/);
    await proposal.getByRole("button", { name: `Accept and save as version ${before.version + 1}` }).click();
    await expect
      .poll(() => page.locator(".savebar").textContent(), { timeout: 10_000 })
      .toContain(`version ${before.version + 1}`);
    await expect.poll(() => proposal.count()).toBe(0);
    const after = await siteConfig();
    expect(after.version).toBe(before.version + 1);
    const accepted = after.config.scoring;
    expect(accepted.weights).toEqual({ fit: 100, engagement: 100, intent: 100 });
    const points = new Map(accepted.rules.map((r) => [r.id, r.points]));
    // The editor shows the accepted rules, saved (nothing left unsaved).
    expect(await page.locator(".savebar").textContent()).not.toContain("Unsaved changes");
    await page.locator(".field-toggle", { hasText: "Active over 10 minutes" }).click();
    expect(await page.getByLabel("Points", { exact: true }).inputValue()).toBe(
      String(points.get("active-10-minutes")),
    );

    await page.getByRole("link", { name: "History" }).click();
    await expect.poll(() => page.locator(".versions").textContent(), { timeout: 10_000 }).toContain(note);
    await review("calibration-history");

    // A new reader, scored by the accepted points (each isolate has the new version within seconds).
    let n = 0;
    let lead: Lead | undefined;
    await expect
      .poll(
        async () => {
          const email = `new-reader-${n++}@${DOMAIN}`;
          expect((await submit(email, true)).status).toBeLessThan(300);
          const found = await admin<{ leads: Lead[] }>(
            `/v1/admin/leads?site=${encodeURIComponent(SITE)}&q=${encodeURIComponent(email)}&limit=1`,
          );
          lead = found.leads[0];
          return lead?.reasons.find((r) => r.rule === "active-10-minutes")?.points;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(points.get("active-10-minutes"));
    for (const reason of lead!.reasons) expect(reason.points, reason.rule).toBe(points.get(reason.rule));
    await page.goto(`${CONSOLE()}#/leads/${encodeURIComponent(lead!.id)}`);
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 10_000 })
      .toContain(`Active over 10 minutes+${points.get("active-10-minutes")}`);
    expect(problems).toEqual([]);
  });
});
