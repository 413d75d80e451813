/**
 * The widget's part of `npm run bench`: bytes (fresh production build) and, in headless Chromium
 * with 4× CPU throttling over 20 runs of the strict-CSP example page (an inline form), what the
 * widget costs the page. Each run loads the page twice, with and without the script tag (removed by
 * request interception), so the figures are the widget's share:
 * - main thread: CDP Performance metrics (script + layout + style) with minus without, median and p95
 * - long tasks ≥ 50 ms and layout shift (CLS) with minus without (floored at 0)
 * - LCP difference with minus without (median)
 * - interactive: from leadcap.js arriving (resource timing) to the form rendered (leadcap:impression)
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildWidget, REPO, startStack } from "../../demo-site/dev/stack.ts";
import { launchChromium } from "../e2e/browser.ts";
import { gzipBytes, type Part } from "./part.ts";

const RUNS = 20;
const PAGE = "/examples/csp.html";

interface Sample {
  mainMs: number;
  longTasks: number;
  cls: number;
  lcp: number;
  interactive: number;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const OBSERVE = () => {
  const w = window as unknown as Record<string, number>;
  w.__long = 0;
  w.__cls = 0;
  w.__lcp = 0;
  w.__ready = -1;
  new PerformanceObserver((list) => {
    w.__long! += list.getEntries().length;
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
      if (!e.hadRecentInput) w.__cls! += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    const last = list.getEntries().at(-1);
    if (last) w.__lcp = last.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  document.addEventListener("leadcap:impression", () => {
    w.__ready = performance.now();
  });
};

async function sample(browser: Browser, url: string, edgeUrl: string, widget: boolean): Promise<Sample> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Performance.enable");
  await page.addInitScript(OBSERVE);
  if (!widget) {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<script src="[^"]*leadcap\.js"[^>]*><\/script>/, "");
      await route.fulfill({ response, body: html });
    });
  }
  await page.goto(url, { waitUntil: "load" });
  if (widget)
    await page.waitForFunction(() => (window as unknown as { __ready: number }).__ready >= 0, null, {
      timeout: 15_000,
    });
  await page.waitForTimeout(300);
  const { metrics } = (await cdp.send("Performance.getMetrics")) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const mainMs = (metric("ScriptDuration") + metric("LayoutDuration") + metric("RecalcStyleDuration")) * 1000;
  const seen = await page.evaluate((edge) => {
    const w = window as unknown as Record<string, number>;
    const loader = performance.getEntriesByType("resource").find((e) => e.name === `${edge}/leadcap.js`) as
      | PerformanceResourceTiming
      | undefined;
    return {
      long: w.__long!,
      cls: w.__cls!,
      lcp: w.__lcp!,
      interactive: loader ? w.__ready! - loader.responseEnd : 0,
    };
  }, edgeUrl);
  await context.close();
  return { mainMs, longTasks: seen.long, cls: seen.cls, lcp: seen.lcp, interactive: seen.interactive };
}

export const widgetPart: Part = {
  name: "widget",
  describe: `bytes (fresh build) and cost in Chromium, 4× CPU throttling, ${RUNS} runs with/without`,
  async run() {
    await buildWidget();
    const loader = await readFile(join(REPO, "widget/dist/leadcap.js"));
    const ui = await readFile(join(REPO, "widget/dist/leadcap-ui.js"));
    const stack = await startStack();
    const browser = await launchChromium();
    try {
      const url = `${stack.demoUrl}${PAGE}`;
      await sample(browser, url, stack.edgeUrl, true); // warm-up: compile caches, workerd, D1
      const main: number[] = [];
      const lcpDelta: number[] = [];
      const interactive: number[] = [];
      let longTasks = 0;
      let cls = 0;
      for (let i = 0; i < RUNS; i++) {
        const without = await sample(browser, url, stack.edgeUrl, false);
        const withWidget = await sample(browser, url, stack.edgeUrl, true);
        main.push(Math.max(0, withWidget.mainMs - without.mainMs));
        lcpDelta.push(withWidget.lcp - without.lcp);
        interactive.push(withWidget.interactive);
        longTasks = Math.max(longTasks, withWidget.longTasks - without.longTasks);
        cls = Math.max(cls, withWidget.cls - without.cls);
      }
      const round = (n: number) => Number(n.toFixed(2));
      return {
        widget_loader_gzip_bytes: gzipBytes(loader),
        widget_total_bytes: loader.length + ui.length,
        widget_total_gzip_bytes: gzipBytes(loader) + gzipBytes(ui),
        widget_main_thread_ms_median: round(median(main)),
        widget_main_thread_ms_p95: round(quantile(main, 0.95)),
        widget_long_tasks: Math.max(0, longTasks),
        widget_cls: round(Math.max(0, cls)),
        widget_lcp_delta_ms: round(median(lcpDelta)),
        widget_interactive_ms: round(median(interactive)),
      };
    } finally {
      await browser.close();
      await stack.stop();
    }
  },
};
