/**
 * The widget's part of `npm run bench`: bytes (fresh production build) and, in headless Chromium
 * with 4× CPU throttling over 20 runs of the strict-CSP example page (an inline form), what the
 * widget costs the page. Each run loads the page twice, with and without the script tag (removed by
 * request interception), with the same instrumentation both times:
 * - main thread: the widget's own share, from a CPU profile (every sample whose nearest script frame
 *   is one of the widget's scripts, native calls they make included) plus the style and layout work
 *   the page does more with the widget (with minus without); median and p95. For comparison, the
 *   whole page's script + layout + style with minus without (noisier: it includes the page's own
 *   variance) is reported as widget_page_delta_ms_median.
 * - long tasks caused by the widget: long animation frames (≥ 50 ms) in which one of the widget's
 *   scripts ran (Long Animation Frames API), the most in any run; and long tasks with minus without.
 * - layout shift (CLS) with minus without (floored at 0), LCP with minus without (median)
 * - interactive: from leadcap.js arriving (resource timing) to the form rendered (leadcap:impression)
 * Waiting for the form is one awaited promise in the page, not polling (which would run scripts in
 * one run only).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildWidget, REPO, startStack } from "../../demo-site/dev/stack.ts";
import { launchChromium } from "../e2e/browser.ts";
import { gzipBytes, type Part } from "./part.ts";

/** Runs per figure; LEADCAP_BENCH_RUNS=3 for a quick look while working (figures are reported at 20). */
const RUNS = Number(process.env.LEADCAP_BENCH_RUNS) || 20;
const PAGE = "/examples/csp.html";

interface Sample {
  /** Script + layout + style of the whole page (CDP Performance metrics). */
  pageMs: number;
  /** Layout + style of the whole page. */
  renderMs: number;
  /** CPU profile samples attributed to the widget's scripts. */
  widgetScriptMs: number;
  longTasks: number;
  /** Long animation frames in which a widget script ran. */
  widgetLongFrames: number;
  cls: number;
  lcp: number;
  interactive: number;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** leadcap.js and its lazy chunks, named after their content (leadcap-ui.1a2b3c4d.js). */
const WIDGET_SCRIPT = /\/leadcap(-[a-z0-9]+\.[0-9a-f]{8})?\.js$/;

const OBSERVE = (widgetScript: string) => {
  const isWidget = new RegExp(widgetScript);
  const w = window as unknown as Record<string, number>;
  w.__long = 0;
  w.__widgetFrames = 0;
  w.__cls = 0;
  w.__lcp = 0;
  w.__ready = -1;
  new PerformanceObserver((list) => {
    w.__long! += list.getEntries().length;
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const frame of list.getEntries() as Array<
      PerformanceEntry & { scripts: Array<{ sourceURL: string }> }
    >)
      if (frame.duration >= 50 && frame.scripts.some((script) => isWidget.test(script.sourceURL)))
        w.__widgetFrames!++;
  }).observe({ type: "long-animation-frame", buffered: true });
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

interface Profile {
  nodes: Array<{ id: number; callFrame: { url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Time of the samples whose nearest frame with a script URL is one of the widget's scripts. */
function widgetTime(profile: Profile): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = new Map<number, boolean>();
  const ownedByWidget = (id: number): boolean => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const url = node?.callFrame.url ?? "";
    const up = parent.get(id);
    const result = url ? WIDGET_SCRIPT.test(url) : up !== undefined && ownedByWidget(up);
    owner.set(id, result);
    return result;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; the sample stands for the interval up to the next.
    if (ownedByWidget(id)) us += profile.timeDeltas[i + 1] ?? 0;
  });
  return us / 1000;
}

async function sample(browser: Browser, url: string, edgeUrl: string, widget: boolean): Promise<Sample> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Performance.enable");
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await page.addInitScript(OBSERVE, WIDGET_SCRIPT.source);
  if (!widget) {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<script src="[^"]*leadcap\.js"[^>]*><\/script>/, "");
      await route.fulfill({ response, body: html });
    });
  }
  await cdp.send("Profiler.start");
  await page.goto(url, { waitUntil: "load" });
  if (widget)
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const w = window as unknown as { __ready: number };
          if (w.__ready >= 0) return resolve();
          document.addEventListener("leadcap:impression", () => resolve());
          setTimeout(() => reject(new Error("no impression within 15 s")), 15_000);
        }),
    );
  await page.waitForTimeout(500); // what the widget does after rendering (idle work, events)
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
  const { metrics } = (await cdp.send("Performance.getMetrics")) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  const renderMs = metric("LayoutDuration") + metric("RecalcStyleDuration");
  const seen = await page.evaluate((edge) => {
    const w = window as unknown as Record<string, number>;
    const loader = performance.getEntriesByType("resource").find((e) => e.name === `${edge}/leadcap.js`) as
      | PerformanceResourceTiming
      | undefined;
    return {
      long: w.__long!,
      frames: w.__widgetFrames!,
      cls: w.__cls!,
      lcp: w.__lcp!,
      interactive: loader ? w.__ready! - loader.responseEnd : 0,
    };
  }, edgeUrl);
  await context.close();
  return {
    pageMs: metric("ScriptDuration") + renderMs,
    renderMs,
    widgetScriptMs: widgetTime(profile),
    longTasks: seen.long,
    widgetLongFrames: seen.frames,
    cls: seen.cls,
    lcp: seen.lcp,
    interactive: seen.interactive,
  };
}

export const widgetPart: Part = {
  name: "widget",
  describe: `bytes (fresh build) and cost in Chromium, 4× CPU throttling, ${RUNS} runs with/without`,
  async run() {
    await buildWidget();
    const loader = await readFile(join(REPO, "widget/dist/leadcap.js"));
    const dist = join(REPO, "widget/dist");
    const uiFile = (await readdir(dist)).find((file) => /^leadcap-ui\.[0-9a-f]{8}\.js$/.test(file));
    if (!uiFile) throw new Error("no leadcap-ui.<hash>.js in widget/dist");
    const ui = await readFile(join(dist, uiFile));
    const stack = await startStack();
    let browser: Browser | undefined;
    try {
      // In the try: no Chromium must not leave the stack (wrangler, workerd) running.
      browser = await launchChromium();
      const url = `${stack.demoUrl}${PAGE}`;
      await sample(browser, url, stack.edgeUrl, true); // warm-up: compile caches, workerd, D1
      const main: number[] = [];
      const script: number[] = [];
      const pageDelta: number[] = [];
      const lcpDelta: number[] = [];
      const interactive: number[] = [];
      let longTasks = 0;
      let longFrames = 0;
      let cls = 0;
      for (let i = 0; i < RUNS; i++) {
        const without = await sample(browser, url, stack.edgeUrl, false);
        const withWidget = await sample(browser, url, stack.edgeUrl, true);
        script.push(withWidget.widgetScriptMs);
        main.push(withWidget.widgetScriptMs + Math.max(0, withWidget.renderMs - without.renderMs));
        pageDelta.push(withWidget.pageMs - without.pageMs);
        lcpDelta.push(withWidget.lcp - without.lcp);
        interactive.push(withWidget.interactive);
        longTasks = Math.max(longTasks, withWidget.longTasks - without.longTasks);
        longFrames = Math.max(longFrames, withWidget.widgetLongFrames);
        cls = Math.max(cls, withWidget.cls - without.cls);
      }
      const round = (n: number) => Number(n.toFixed(2));
      return {
        widget_loader_gzip_bytes: gzipBytes(loader),
        widget_total_bytes: loader.length + ui.length,
        widget_total_gzip_bytes: gzipBytes(loader) + gzipBytes(ui),
        widget_main_thread_ms_median: round(median(main)),
        widget_main_thread_ms_p95: round(quantile(main, 0.95)),
        widget_script_ms_median: round(median(script)),
        widget_page_delta_ms_median: round(median(pageDelta)),
        // The "long tasks caused by the widget": frames ≥ 50 ms in which one of its scripts ran.
        widget_long_tasks: longFrames,
        widget_long_tasks_delta: Math.max(0, longTasks),
        widget_cls: round(Math.max(0, cls)),
        widget_lcp_delta_ms: round(median(lcpDelta)),
        widget_interactive_ms: round(median(interactive)),
      };
    } finally {
      await browser?.close();
      await stack.stop();
    }
  },
};
