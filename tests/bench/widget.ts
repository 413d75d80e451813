/**
 * The widget's part of `npm run bench`: bytes (fresh production build) and, in headless Chromium
 * with 4× CPU throttling over 20 runs of the strict-CSP example page (an inline form), what the
 * widget costs the page. Each run loads the page once without the script tag (removed by request
 * interception) and once with each script measured, with the same instrumentation every time:
 * - main thread: the script's own share, from a CPU profile (every sample whose nearest script frame
 *   is one of the script's files, native calls they make included) plus the style and layout work
 *   the page does more with the script (with minus without); median and p95. For comparison, the
 *   whole page's script + layout + style with minus without (noisier: it includes the page's own
 *   variance) is reported as widget_page_delta_ms_median.
 * - long tasks caused by the script: long animation frames (≥ 50 ms) in which one of its files ran
 *   (Long Animation Frames API), the most in any run; and long tasks with minus without.
 * - layout shift (CLS) with minus without (floored at 0), LCP with minus without (median)
 * - interactive: from the script arriving (resource timing) to the form rendered (leadcap:impression)
 * Waiting for the form is one awaited promise in the page, not polling (which would run scripts in
 * one run only).
 *
 * References, measured in the same runs the same way, so the widget's figures can be read against
 * what this machine and stack allow at all (as the ingest part reports bare Hono next to the edge):
 * - reference_preact_form_*: reference-form.tsx, the least any Preact widget must do to show this
 *   form (fetch the same config from the edge, a shadow root, one stylesheet, render, impression),
 *   built with Vite like the widget. reference_config_fetch_ms_median is its time from its start to
 *   the parsed config: the network floor of interactive on this edge (wrangler dev, loopback).
 * - reference_empty_script_*: a script that only dispatches leadcap:impression, the harness's own
 *   floor: compiling and running any script, the noise of with minus without, and (interactive) the
 *   wait of any script that arrives while the page is still busy with its own parsing and rendering.
 * Both are served by request interception as leadcap.js itself, so the page, its script tag and its
 * CSP (scripts from the edge only) are the widget's; the widget comes from wrangler dev.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { buildWidget, REPO, startStack } from "../../demo-site/dev/stack.ts";
import { launchChromium } from "../e2e/browser.ts";
import { gzipBytes, type Part } from "./part.ts";

/** Runs per figure; LEADCAP_BENCH_RUNS=3 for a quick look while working (figures are reported at 20). */
const RUNS = Number(process.env.LEADCAP_BENCH_RUNS) || 20;
const PAGE = "/examples/csp.html";

/** What the page's script tag loads: leadcap.js, from the edge's origin. */
interface Script {
  /** The URLs of its files: what the CPU profile and long animation frames attribute to it. */
  files: RegExp;
  /** The bench's own code, served by request interception in place of the edge's leadcap.js. */
  code?: string;
}

/** leadcap.js and its lazy chunks, named after their content (leadcap-ui.1a2b3c4d.js). */
const WIDGET: Script = { files: /\/leadcap(-[a-z0-9]+\.[0-9a-f]{8})?\.js$/ };

/** A script of the bench's own: leadcap.js is its only file. */
const standIn = (code: string): Script => ({ files: /\/leadcap\.js$/, code });

/** The harness's floor: a script that announces a form and does nothing else. */
const EMPTY = standIn('document.dispatchEvent(new CustomEvent("leadcap:impression"));');

/** reference-form.tsx built like the widget's chunks (widget/vite.config.ts): a minified IIFE, Preact in it. */
async function buildReference(): Promise<Script> {
  const outDir = await mkdtemp(join(tmpdir(), "leadcap-reference-"));
  try {
    await build({
      configFile: false,
      mode: "production",
      root: REPO,
      publicDir: false,
      logLevel: "warn",
      oxc: { jsx: { runtime: "automatic", importSource: "preact", development: false } },
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      build: {
        outDir,
        emptyOutDir: false, // a fresh directory, outside the root
        target: "es2022",
        minify: true,
        lib: {
          entry: join(REPO, "tests/bench/reference-form.tsx"),
          formats: ["iife"],
          name: "__leadcap_reference",
          fileName: () => "reference.js",
        },
      },
    });
    return standIn(await readFile(join(outDir, "reference.js"), "utf8"));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

interface Sample {
  /** Script + layout + style of the whole page (CDP Performance metrics). */
  pageMs: number;
  /** Layout + style of the whole page. */
  renderMs: number;
  /** CPU profile samples attributed to the script's files. */
  scriptMs: number;
  longTasks: number;
  /** Long animation frames in which one of the script's files ran. */
  longFrames: number;
  cls: number;
  lcp: number;
  interactive: number;
  /** The reference's `leadcap-reference:config` measure (NaN for other scripts). */
  configFetch: number;
}

/** Pairwise a[i] / b[i] (runs where b is 0 left out). */
const ratios = (a: number[], b: number[]) => a.flatMap((x, i) => (b[i] ? [x / b[i]!] : []));

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const OBSERVE = (files: string) => {
  const isScript = new RegExp(files);
  const w = window as unknown as Record<string, number>;
  w.__long = 0;
  w.__scriptFrames = 0;
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
      if (frame.duration >= 50 && frame.scripts.some((script) => isScript.test(script.sourceURL)))
        w.__scriptFrames!++;
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

/** Time of the samples whose nearest frame with a script URL is one of `files`. */
function scriptTime(profile: Profile, files: RegExp): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = new Map<number, boolean>();
  const owned = (id: number): boolean => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const url = node?.callFrame.url ?? "";
    const up = parent.get(id);
    const result = url ? files.test(url) : up !== undefined && owned(up);
    owner.set(id, result);
    return result;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; the sample stands for the interval up to the next.
    if (owned(id)) us += profile.timeDeltas[i + 1] ?? 0;
  });
  return us / 1000;
}

/**
 * Without a script (null), the page without its script tag; with a stand-in, its code as leadcap.js.
 * Only the page without a script is rewritten: Chromium's Local Network Access gives a page served by
 * interception no address space, and then blocks its fetches to the (loopback) edge.
 */
async function serve(page: Page, url: string, edgeUrl: string, script: Script | null): Promise<void> {
  if (!script) {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<script src="[^"]*leadcap\.js"[^>]*><\/script>/, "");
      await route.fulfill({ response, body: html });
    });
  } else if (script.code !== undefined) {
    const code = script.code;
    await page.route(`${edgeUrl}/leadcap.js`, (route) =>
      route.fulfill({ contentType: "application/javascript", body: code }),
    );
  }
}

/** One load of the page with `script` (null: without any), in a fresh context. */
async function sample(
  browser: Browser,
  url: string,
  edgeUrl: string,
  script: Script | null,
): Promise<Sample> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Performance.enable");
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  const files = script?.files ?? WIDGET.files;
  await page.addInitScript(OBSERVE, files.source);
  await serve(page, url, edgeUrl, script);
  await cdp.send("Profiler.start");
  await page.goto(url, { waitUntil: "load" });
  if (script)
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const w = window as unknown as { __ready: number };
          if (w.__ready >= 0) return resolve();
          document.addEventListener("leadcap:impression", () => resolve());
          setTimeout(() => reject(new Error("no impression within 15 s")), 15_000);
        }),
    );
  await page.waitForTimeout(500); // what the script does after rendering (idle work, events)
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
  const { metrics } = (await cdp.send("Performance.getMetrics")) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  const renderMs = metric("LayoutDuration") + metric("RecalcStyleDuration");
  const seen = await page.evaluate((edge) => {
    const w = window as unknown as Record<string, number>;
    const loaded = performance.getEntriesByType("resource").find((e) => e.name === `${edge}/leadcap.js`) as
      | PerformanceResourceTiming
      | undefined;
    return {
      long: w.__long!,
      frames: w.__scriptFrames!,
      cls: w.__cls!,
      lcp: w.__lcp!,
      interactive: loaded ? w.__ready! - loaded.responseEnd : 0,
      configFetch: performance.getEntriesByName("leadcap-reference:config")[0]?.duration ?? Number.NaN,
    };
  }, edgeUrl);
  await context.close();
  return {
    pageMs: metric("ScriptDuration") + renderMs,
    renderMs,
    scriptMs: scriptTime(profile, files),
    longTasks: seen.long,
    longFrames: seen.frames,
    cls: seen.cls,
    lcp: seen.lcp,
    interactive: seen.interactive,
    configFetch: seen.configFetch,
  };
}

/** A script's sample against the same run's page without any script. */
function cost(withScript: Sample, without: Sample) {
  return {
    main: withScript.scriptMs + Math.max(0, withScript.renderMs - without.renderMs),
    script: withScript.scriptMs,
    pageDelta: withScript.pageMs - without.pageMs,
    lcpDelta: withScript.lcp - without.lcp,
    longTasksDelta: withScript.longTasks - without.longTasks,
    longFrames: withScript.longFrames,
    cls: withScript.cls - without.cls,
    interactive: withScript.interactive,
    configFetch: withScript.configFetch,
  };
}
type Cost = ReturnType<typeof cost>;

export const widgetPart: Part = {
  name: "widget",
  describe: `bytes (fresh build) and cost in Chromium, 4× CPU throttling, ${RUNS} runs with/without, references`,
  async run() {
    await buildWidget();
    const reference = await buildReference();
    const loader = await readFile(join(REPO, "widget/dist/leadcap.js"));
    const dist = join(REPO, "widget/dist");
    const files = await readdir(dist);
    /** A lazy chunk by name, as built (leadcap-ui.1a2b3c4d.js). */
    const chunk = (name: string) => {
      const file = files.find((f) => new RegExp(`^leadcap-${name}\\.[0-9a-f]{8}\\.js$`).test(f));
      if (!file) throw new Error(`no leadcap-${name}.<hash>.js in widget/dist`);
      return readFile(join(dist, file));
    };
    const [ui, send] = await Promise.all([chunk("ui"), chunk("send")]);
    const stack = await startStack();
    let browser: Browser | undefined;
    try {
      // In the try: no Chromium must not leave the stack (wrangler, workerd) running.
      browser = await launchChromium();
      const url = `${stack.demoUrl}${PAGE}`;
      const scripts = [WIDGET, reference, EMPTY];
      // Warm-up: compile caches, workerd, D1.
      for (const script of scripts) await sample(browser, url, stack.edgeUrl, script);
      const costs = new Map<Script, Cost[]>(scripts.map((script) => [script, []]));
      for (let i = 0; i < RUNS; i++) {
        // Each script against the same run's page without one: drift during the bench hits all alike.
        const without = await sample(browser, url, stack.edgeUrl, null);
        for (const script of scripts)
          costs.get(script)!.push(cost(await sample(browser, url, stack.edgeUrl, script), without));
      }
      const of = (script: Script, figure: keyof Cost) => costs.get(script)!.map((c) => c[figure]);
      const max = (xs: number[]) => Math.max(0, ...xs);
      const round = (n: number) => Number(n.toFixed(2));
      return {
        widget_loader_gzip_bytes: gzipBytes(loader),
        widget_total_bytes: loader.length + ui.length,
        widget_total_gzip_bytes: gzipBytes(loader) + gzipBytes(ui),
        // What a form loads once it is shown: the checks, the outbox, analytics.
        widget_send_gzip_bytes: gzipBytes(send),
        widget_main_thread_ms_median: round(median(of(WIDGET, "main"))),
        widget_main_thread_ms_p95: round(quantile(of(WIDGET, "main"), 0.95)),
        widget_script_ms_median: round(median(of(WIDGET, "script"))),
        widget_page_delta_ms_median: round(median(of(WIDGET, "pageDelta"))),
        // The "long tasks caused by the widget": frames ≥ 50 ms in which one of its scripts ran.
        widget_long_tasks: max(of(WIDGET, "longFrames")),
        widget_long_tasks_delta: max(of(WIDGET, "longTasksDelta")),
        widget_cls: round(max(of(WIDGET, "cls"))),
        widget_lcp_delta_ms: round(median(of(WIDGET, "lcpDelta"))),
        widget_interactive_ms: round(median(of(WIDGET, "interactive"))),
        reference_preact_form_main_thread_ms_median: round(median(of(reference, "main"))),
        reference_preact_form_main_thread_ms_p95: round(quantile(of(reference, "main"), 0.95)),
        reference_preact_form_long_tasks: max(of(reference, "longFrames")),
        reference_preact_form_interactive_ms: round(median(of(reference, "interactive"))),
        reference_config_fetch_ms_median: round(median(of(reference, "configFetch"))),
        reference_empty_script_main_thread_ms_median: round(median(of(EMPTY, "main"))),
        reference_empty_script_interactive_ms: round(median(of(EMPTY, "interactive"))),
        // Widget over reference within each run, then the median: this machine's drift between runs
        // cancels out, so this is the figure to compare two builds by.
        widget_main_thread_ratio_to_reference: round(
          median(ratios(of(WIDGET, "main"), of(reference, "main"))),
        ),
        widget_interactive_ratio_to_reference: round(
          median(ratios(of(WIDGET, "interactive"), of(reference, "interactive"))),
        ),
      };
    } finally {
      await browser?.close();
      await stack.stop();
    }
  },
};
