/**
 * Builds the console (Preact + signals) into the Worker's static assets, under `console/` (the
 * assets directory wrangler.toml names: widget/dist), so the Worker serves it at /console/ on the
 * API's own origin: no CORS, no separate hosting, shipped by `npm run deploy`. An index.html, one ES
 * module, one stylesheet and the logo, referenced relatively (it also works under a Workers route's
 * prefix, /lc/console/). Nothing inline: the page runs under the CSP below.
 *
 * The widget build empties the assets directory, so `npm run build` runs this after it (and
 * demo-site/dev/stack.ts rebuilds the console when a widget rebuild wiped it). This build empties
 * only `console/`, and writes its rules into the assets' `_headers` (one file for the whole
 * directory) beside the widget's, replacing its own earlier rules only.
 *
 * Run from the repo root: `npx vite build --config edge/console/vite.config.ts --logLevel warn`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The Worker's static assets (wrangler.toml [assets] directory). */
export const ASSETS = here("../../widget/dist");
export const OUT = join(ASSETS, "console");

/**
 * Strict: the console's own files only (the API is 'self' too), nothing inline, never framed, no
 * `<base>` or form posts elsewhere. The form preview's constructable stylesheets are not inline styles.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const BEGIN = "# console: written by edge/console/vite.config.ts";
const END = "# end of console";

/**
 * The console's `_headers` rules. Static assets apply every rule a path matches and join a header
 * two rules set, so Cache-Control is set by exactly one rule per path: the HTML (the folder and its
 * index.html) is revalidated on every load, so a deploy reaches the next page load; the hashed files
 * under assets/ are kept for good. /console (no slash) is redirected to /console/ by the assets'
 * html_handling before these apply.
 */
export const CONSOLE_HEADERS = `${BEGIN}
/console/*
  Content-Security-Policy: ${CONSOLE_CSP}
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Cross-Origin-Opener-Policy: same-origin
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()
/console/
  Cache-Control: no-cache
/console/index.html
  Cache-Control: no-cache
/console/assets/*
  Cache-Control: public, max-age=31536000, immutable
${END}
`;

/** `_headers` with the console's rules in place of any earlier ones, the widget's kept as they are. */
export function withConsoleHeaders(current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END, start);
  const others =
    start < 0 || end < 0
      ? current
      : current.slice(0, start) + current.slice(end + END.length).replace(/^\n/, "");
  return `${others.trimEnd()}${others.trim() ? "\n" : ""}${CONSOLE_HEADERS}`;
}

function consoleHeaders(): Plugin {
  return {
    name: "leadcap-console-headers",
    closeBundle() {
      const file = join(ASSETS, "_headers");
      const next = withConsoleHeaders(existsSync(file) ? readFileSync(file, "utf8") : "");
      // Aside and renamed: wrangler dev watches the folder and must never read half a file.
      writeFileSync(`${file}.${process.pid}.tmp`, next);
      renameSync(`${file}.${process.pid}.tmp`, file);
    },
  };
}

export default defineConfig({
  root: here("."),
  // Relative URLs: the console works at /console/ and under a route's prefix (/lc/console/).
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [consoleHeaders()],
  build: {
    outDir: OUT,
    // Outside this folder's root: emptied on purpose, and only console/ (the widget's files stay).
    emptyOutDir: true,
    target: "es2022",
    // Every browser that runs the console supports modulepreload; the polyfill would be dead bytes.
    modulePreload: { polyfill: false },
    // Never data: URIs for assets: everything is a file the CSP's 'self' allows.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
