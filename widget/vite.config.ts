/**
 * Builds the widget into classic scripts (IIFEs) in widget/dist, served by the Worker:
 * - leadcap.js        the eager loader (attribution, engagement, SPA routes, the outbox's resend,
 *                     the API): every page.
 * - leadcap-ui.js     Preact and the form, loaded when a form must render (`__leadcap_ui`).
 * - leadcap-send.js   the checks, the outbox and analytics: what a form needs once the visitor acts
 *                     on it, not to be shown; loaded by leadcap-ui.js once it has shown a form
 *                     (`__leadcap_send`).
 * - leadcap-more.js   choice and number fields, multi-step progress, loaded for a form that has them
 *                     (`__leadcap_more`); it borrows leadcap-ui.js's Preact.
 * - leadcap-modes.js  triggers, caps and the popup / slide-in / launcher / bar shells, loaded when a
 *                     form is not inline (`__leadcap_modes`); it borrows leadcap-ui.js's Preact.
 * - leadcap-i18n.js   built-in strings other than English (`__leadcap_i18n`).
 * All are classic scripts (not ES modules) so a cross-origin load needs no CORS headers and works
 * under `script-src 'self' EDGE`. Rolldown cannot code-split an IIFE, so each chunk is its own build
 * (they share nothing at run time but the shapes in src/host.ts), run one after the other.
 *
 * Run from the repo root: `npx vite build --config widget/vite.config.ts`.
 */
import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { minify as terser } from "terser";
import { build, defineConfig, type InlineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const DIST = here("dist");

interface Chunk {
  entry: string;
  file: string;
  /** The global the IIFE assigns (the loader assigns none: it must not clobber the `leadcap` stub). */
  name: string;
  alias?: Array<{ find: string | RegExp; replacement: string }>;
}

const PREACT_PROXY = here("src/modes/preact.ts");
/** Chunks other than the UI borrow its Preact (see src/modes/preact.ts). */
const BORROW_PREACT = [{ find: "preact/jsx-runtime", replacement: PREACT_PROXY }];

/**
 * The JSON writer of what is only stored, not sent (the loader's attribution and engagement, the UI's
 * offline copy, the modes' frequency caps): the page's own, where it is sane (src/json-guarded.ts).
 */
const GUARDED_JSON = { find: /^\.\/json\.ts$/, replacement: here("src/json-guarded.ts") };

export const CHUNKS: Chunk[] = [
  { entry: "src/main.ts", file: "leadcap.js", name: "leadcap", alias: [GUARDED_JSON] },
  {
    entry: "src/ui/chunk.ts",
    file: "leadcap-ui.js",
    name: "__leadcap_ui",
    alias: [
      // Choice and number fields and multi-step progress come from leadcap-more.js, when a form has them.
      { find: /^\.(\/ui)?\/more\.tsx$/, replacement: here("src/ui/more-lazy.ts") },
      // The checks, the outbox and analytics from leadcap-send.js, once a form is shown.
      { find: /^\.\.\/send\.ts$/, replacement: here("src/send-lazy.ts") },
      GUARDED_JSON,
    ],
  },
  { entry: "src/send.ts", file: "leadcap-send.js", name: "__leadcap_send" },
  { entry: "src/ui/more.tsx", file: "leadcap-more.js", name: "__leadcap_more", alias: BORROW_PREACT },
  {
    entry: "src/modes/index.ts",
    file: "leadcap-modes.js",
    name: "__leadcap_modes",
    // Frequency caps are all it stores: on a page that broke JSON they are kept for the page's life.
    alias: [...BORROW_PREACT, GUARDED_JSON],
  },
  { entry: "src/ui/i18n.ts", file: "leadcap-i18n.js", name: "__leadcap_i18n" },
];

/**
 * V8's explicit compile hint: compile every function of the script when the script is compiled
 * (off the main thread where Chrome streams it) instead of on its first call. Nearly every function
 * of each chunk runs as soon as it loads (the loader's start, the UI's first render), and lazy
 * compilation of each on first call was most of the widget's main-thread time on a cold load.
 */
const COMPILE_HINT = "//# allFunctionsCalledOnLoad\n";
const compileHint: Plugin = {
  name: "leadcap-compile-hint",
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle)) if (file.type === "chunk") file.code = COMPILE_HINT + file.code;
  },
};

/**
 * A lazy chunk is imported as a module (the loader's import(): no Trusted Types sink), where a
 * top-level `var` is the module's own: it defines its global on `self` instead, which a classic
 * script load does the same way.
 */
const globalOnSelf: Plugin = {
  name: "leadcap-global-on-self",
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle))
      if (file.type === "chunk") file.code = file.code.replace(/^var (__leadcap_\w+)\s*=/m, "self.$1 =");
  },
};

/**
 * A second minification pass, by terser, over what Vite (Oxc) wrote: terser still finds what Oxc
 * leaves (merged declarations, shorter conditionals), ~1 % of the gzipped bytes every page with a
 * form loads. No top-level mangling: a chunk's global (`__leadcap_ui`) is its interface. `unsafe`
 * assumes the standard built-ins and rewrites some calls (`String(x)` becomes `x+""`, which throws
 * for a Symbol): a value the page hands the widget is never passed to String() outside a try (see
 * main.ts). The compile hint stays the first line.
 */
const terserPass: Plugin = {
  name: "leadcap-terser",
  async writeBundle(options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== "chunk") continue;
      const path = join(options.dir ?? "", file.fileName);
      const code = await readFile(path, "utf8");
      const hint = code.startsWith(COMPILE_HINT) ? COMPILE_HINT : "";
      const { code: out } = await terser(code.slice(hint.length), {
        ecma: 2020,
        compress: { passes: 3, unsafe: true },
      });
      if (out) await writeFile(path, hint + out);
    }
  },
};

function config(chunk: Chunk, first: boolean, outDir = DIST, files?: Record<string, string>): InlineConfig {
  return {
    configFile: false,
    // Production JSX and defines even when a test (NODE_ENV=test) builds: the bytes under test are
    // the bytes served.
    mode: "production",
    root: here("."),
    publicDir: false,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic", importSource: "preact", development: false } },
    resolve: { alias: chunk.alias ?? [] },
    plugins: [
      ...(process.env.LEADCAP_NO_MINIFY ? [] : [terserPass]),
      ...(chunk === LOADER ? [] : [globalOnSelf]),
      ...(chunk.file === "leadcap-i18n.js" ? [] : [compileHint]), // strings only: nothing to compile
    ],
    // Library mode leaves process.env alone; browsers have no `process`. The loader learns the lazy
    // chunks' file names (content-hashed) here.
    define: {
      "process.env.NODE_ENV": JSON.stringify("production"),
      ...(files && { __LEADCAP_FILES__: JSON.stringify(files) }),
    },
    build: {
      outDir,
      emptyOutDir: first,
      target: "es2022",
      // LEADCAP_NO_MINIFY=1 keeps names readable for profiling (never for what is served or measured).
      minify: !process.env.LEADCAP_NO_MINIFY,
      sourcemap: false,
      lib: { entry: here(chunk.entry), formats: ["iife"], name: chunk.name, fileName: () => chunk.file },
      // No `Symbol.toStringTag` on the chunk's global: nothing reads it.
      rolldownOptions: { output: { generatedCode: { symbols: false } } },
    },
  };
}

const LOADER = CHUNKS[0]!;
const LAZY = CHUNKS.slice(1);
/** `ui` for leadcap-ui.js: the name the loader asks for (`load("ui")`). */
const key = (chunk: Chunk) => chunk.file.slice("leadcap-".length, -".js".length);

/**
 * The served headers (Workers static assets read `_headers` from the assets directory): the loader's
 * URL is stable, so it is cached briefly; the lazy chunks' names change with their content, so they
 * are cached for a year and never revalidated. All carry CORS, which a cross-origin module import
 * needs (they are public files: any page may load them). The Worker's neutral aliases (`w.js`,
 * `w-ui.<hash>.js`, edge/src/routes/chunks.ts) answer with these same headers.
 */
export const HEADERS = `/leadcap.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/leadcap-*
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
`;

/** The lazy chunks into `outDir` (emptied first), each renamed after its content. */
async function buildChunks(outDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [i, chunk] of LAZY.entries()) {
    await build(config(chunk, i === 0, outDir));
    const bytes = await readFile(join(outDir, chunk.file));
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
    const file = chunk.file.replace(/\.js$/, `.${hash}.js`);
    await rename(join(outDir, chunk.file), join(outDir, file));
    files[key(chunk)] = file;
  }
  return files;
}

/**
 * Every chunk into `outDir` (the size test builds into a temporary directory with it): the lazy
 * ones first, each named after its content (`leadcap-ui.1a2b3c4d.js`), then the loader, which
 * learns their names, and `_headers`. Returns each chunk's file by its plain name
 * (`leadcap-ui.js` → `leadcap-ui.1a2b3c4d.js`; `leadcap.js` stays).
 */
export async function buildWidget(outDir: string): Promise<Record<string, string>> {
  const files = await buildChunks(outDir);
  await build(config(LOADER, false, outDir, files));
  await writeFile(join(outDir, "_headers"), HEADERS);
  return {
    [LOADER.file]: LOADER.file,
    ...Object.fromEntries(LAZY.map((chunk) => [chunk.file, files[key(chunk)]!])),
  };
}

/**
 * `vite build --watch` (npm start): plain names, the loader first, then the lazy chunks, each
 * watching its own files (a rebuilt chunk keeps its name, so the loader need not follow).
 */
function chunksBuild(): Plugin {
  let started = false;
  return {
    name: "leadcap-chunks-build",
    async closeBundle() {
      if (started) return;
      started = true;
      for (const chunk of LAZY) {
        const next = config(chunk, false);
        next.build = { ...next.build, watch: {} };
        await build(next);
      }
    },
  };
}

/** A one-off build: the lazy chunks first, so the loader this build makes carries their names. */
function hashedBuild(): Plugin {
  return {
    name: "leadcap-hashed-build",
    async config() {
      const files = await buildChunks(DIST);
      return { define: { __LEADCAP_FILES__: JSON.stringify(files) }, build: { emptyOutDir: false } };
    },
    async closeBundle() {
      await writeFile(join(DIST, "_headers"), HEADERS);
    },
  };
}

const watching = process.argv.includes("--watch") || process.argv.includes("-w");
const { configFile: _, ...loader } = config(
  LOADER,
  true,
  DIST,
  Object.fromEntries(LAZY.map((chunk) => [key(chunk), chunk.file])),
);
export default defineConfig({
  ...loader,
  plugins: [...(loader.plugins ?? []), watching ? chunksBuild() : hashedBuild()],
});
