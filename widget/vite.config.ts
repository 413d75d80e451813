/**
 * Builds widget/src/main.ts into widget/dist/leadcap.js: one minified IIFE for a classic
 * `<script async>`. Run from the repo root: `npx vite build --config widget/vite.config.ts`.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // Library mode leaves process.env alone; browsers have no `process`.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2020",
    minify: true,
    sourcemap: false,
    lib: {
      entry: here("src/main.ts"),
      formats: ["iife"],
      name: "leadcap",
      fileName: () => "leadcap.js",
    },
  },
});
