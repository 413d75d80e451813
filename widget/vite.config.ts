/**
 * Builds the widget into classic scripts (IIFEs) in widget/dist, served by the Worker:
 * - leadcap.js        the eager loader (attribution, engagement, outbox, API): every page.
 * - leadcap-ui.js     Preact and the form, loaded when a form must render (`__leadcap_ui`).
 * - leadcap-modes.js  triggers, caps and the popup / slide-in / launcher / bar shells, loaded when a
 *                     form is not inline (`__leadcap_modes`); it borrows leadcap-ui.js's Preact.
 * - leadcap-i18n.js   built-in strings other than English (`__leadcap_i18n`).
 * All are classic scripts (not ES modules) so a cross-origin load needs no CORS headers and works
 * under `script-src 'self' EDGE`. Rolldown cannot code-split an IIFE, so each chunk is its own build
 * (they share nothing at run time but the shapes in src/host.ts), run one after the other.
 *
 * Run from the repo root: `npx vite build --config widget/vite.config.ts`.
 */
import { fileURLToPath } from "node:url";
import { build, defineConfig, type InlineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const DIST = here("dist");

interface Chunk {
  entry: string;
  file: string;
  /** The global the IIFE assigns (the loader assigns none: it must not clobber the `leadcap` stub). */
  name: string;
  alias?: Record<string, string>;
}

const PREACT_PROXY = here("src/modes/preact.ts");

export const CHUNKS: Chunk[] = [
  { entry: "src/main.ts", file: "leadcap.js", name: "leadcap" },
  { entry: "src/ui/index.tsx", file: "leadcap-ui.js", name: "__leadcap_ui" },
  {
    entry: "src/modes/index.ts",
    file: "leadcap-modes.js",
    name: "__leadcap_modes",
    alias: { "preact/jsx-runtime": PREACT_PROXY },
  },
  { entry: "src/ui/i18n.ts", file: "leadcap-i18n.js", name: "__leadcap_i18n" },
];

function config(chunk: Chunk, first: boolean, outDir = DIST): InlineConfig {
  return {
    configFile: false,
    // Production JSX and defines even when a test (NODE_ENV=test) builds: the bytes under test are
    // the bytes served.
    mode: "production",
    root: here("."),
    publicDir: false,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic", importSource: "preact", development: false } },
    resolve: { alias: chunk.alias ?? {} },
    // Library mode leaves process.env alone; browsers have no `process`.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir,
      emptyOutDir: first,
      target: "es2022",
      // LEADCAP_NO_MINIFY=1 keeps names readable for profiling (never for what is served or measured).
      minify: !process.env.LEADCAP_NO_MINIFY,
      sourcemap: false,
      lib: { entry: here(chunk.entry), formats: ["iife"], name: chunk.name, fileName: () => chunk.file },
    },
  };
}

/** Every chunk into `outDir` (the size test builds into a temporary directory with it). */
export async function buildWidget(outDir: string): Promise<void> {
  for (const [i, chunk] of CHUNKS.entries()) await build(config(chunk, i === 0, outDir));
}

/** Builds the lazy chunks after the loader, once (a watching build keeps watching their files). */
function chunksBuild(): Plugin {
  let started = false;
  let watching = false;
  return {
    name: "leadcap-chunks-build",
    configResolved(resolved) {
      watching = Boolean(resolved.build.watch);
    },
    async closeBundle() {
      if (started) return;
      started = true;
      for (const chunk of CHUNKS.slice(1)) {
        const next = config(chunk, false);
        if (watching) next.build = { ...next.build, watch: {} };
        await build(next);
      }
    },
  };
}

const { configFile: _, ...loader } = config(CHUNKS[0]!, true);
export default defineConfig({ ...loader, plugins: [chunksBuild()] });
