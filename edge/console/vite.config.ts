/**
 * Builds the console (Preact + signals) into edge/console/dist as static files: an index.html,
 * one ES module and one stylesheet, all referenced relatively, so the demo server (or any static
 * host next to the Worker) serves them from any path. Nothing inline: the pages run under
 * `script-src 'self'` and `style-src 'self'`.
 *
 * Run from the repo root: `npx vite build --config edge/console/vite.config.ts --logLevel warn`.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  // Relative URLs: the console works at /console/dist/ on the demo server and wherever it is deployed.
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    // Every browser that runs the console supports modulepreload; the polyfill would be dead bytes.
    modulePreload: { polyfill: false },
    // Never data: URIs for assets: everything is a file the CSP's 'self' allows.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
