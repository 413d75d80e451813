/**
 * What every console e2e file needs: the console's address (as the Worker serves it from its static
 * assets, on the API's origin), a console build no older than its sources, and a review of a screen
 * (axe-core at desktop and phone width, a full-page screenshot of each, nothing wider than the phone).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const SHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));
const BUILT = fileURLToPath(new URL("../../../widget/dist/console/index.html", import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The console of the stack under test: served by the Worker (wrangler dev) at /console/. */
export const consoleUrl = (edgeUrl: string) => `${edgeUrl}/console/`;

/**
 * Builds the console into the Worker's assets (widget/dist/console) when its sources are newer than
 * the build, or a widget build wiped it; makes the screenshot folder. wrangler dev serves a new build
 * as soon as it is written.
 */
export function buildConsoleIfStale(): void {
  mkdirSync(SHOTS, { recursive: true });
  const src = fileURLToPath(new URL("../../../edge/console/", import.meta.url));
  const newest = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes("/dist"))
    .reduce((t, e) => Math.max(t, statSync(`${e.parentPath}/${e.name}`).mtimeMs), 0);
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newest) return;
  const vite = fileURLToPath(new URL("../../../node_modules/vite/bin/vite.js", import.meta.url));
  execFileSync(process.execPath, [vite, "build", "--config", `${src}vite.config.ts`, "--logLevel", "warn"], {
    stdio: "inherit",
  });
}

export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run({
      runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(" ")}`);
  });
}

/** axe at 1280 px and at phone width, a screenshot of each, nothing wider than the phone; back to 1280 px. */
export async function review(page: Page, name: string): Promise<void> {
  for (const [label, width, height] of [
    ["desktop", 1280, 900],
    ["phone", 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    // From the top: a sticky bar sits where a reader expects it in a full-page picture.
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}console-${name}-${label}.png`, fullPage: true });
    expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
    if (label === "phone") {
      // Nothing wider than the phone's screen except inside the scrollable table regions.
      expect(
        await page.evaluate(
          (w) =>
            [...document.querySelectorAll("body *")]
              .filter((el) => el.getBoundingClientRect().right > w + 1 && !el.closest(".table-wrap, pre"))
              .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.getBoundingClientRect().right}`)
              .slice(0, 5),
          width,
        ),
        `${name}: wider than the phone`,
      ).toEqual([]);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${name} scrolls sideways`,
      ).toBe(width);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
