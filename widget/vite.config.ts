/**
 * Builds the widget into two classic scripts (IIFEs) in widget/dist, served by the Worker:
 * - leadcap.js     the eager loader (attribution, engagement, triggers, outbox, API): every page.
 * - leadcap-ui.js  the Preact form UI, loaded by the loader from the same origin only when a form
 *                  must render. It defines one global, `__leadcapUI`, that the loader picks up.
 * Both are classic scripts (not ES modules) so a cross-origin load needs no CORS headers and works
 * under `script-src 'self' EDGE`. Rollup/rolldown cannot code-split an IIFE, so the UI is a second
 * build, started when the loader's build closes (and watching with it under `npm start`).
 *
 * Run from the repo root: `npx vite build --config widget/vite.config.ts`.
 */
import { fileURLToPath } from "node:url";
import { build, defineConfig, type InlineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const DIST = here("dist");

function config(entry: string, fileName: string, name: string, first: boolean, outDir = DIST): InlineConfig {
  return {
    configFile: false,
    root: here("."),
    publicDir: false,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    // Library mode leaves process.env alone; browsers have no `process`.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir,
      emptyOutDir: first,
      target: "es2022",
      minify: true,
      sourcemap: false,
      lib: { entry: here(entry), formats: ["iife"], name, fileName: () => fileName },
    },
  };
}

/** Both scripts into `outDir` (the size test builds into a temporary directory with it). */
export async function buildWidget(outDir: string): Promise<void> {
  await build({ ...config("src/main.ts", "leadcap.js", "leadcap", true, outDir) });
  await build(config("src/ui/index.tsx", "leadcap-ui.js", "__leadcapUI", false, outDir));
}

/** Builds the UI script after the loader, once (a watching build keeps watching the UI's files). */
function uiBuild(): Plugin {
  let started = false;
  let watching = false;
  return {
    name: "leadcap-ui-build",
    configResolved(resolved) {
      watching = Boolean(resolved.build.watch);
    },
    async closeBundle() {
      if (started) return;
      started = true;
      const ui = config("src/ui/index.tsx", "leadcap-ui.js", "__leadcapUI", false);
      if (watching) ui.build = { ...ui.build, watch: {} };
      await build(ui);
    },
  };
}

// The loader exports nothing, so the IIFE assigns no global (it must not clobber the `leadcap` stub).
const { configFile: _, ...loader } = config("src/main.ts", "leadcap.js", "leadcap", true);
export default defineConfig({ ...loader, plugins: [uiBuild()] });
