// @vitest-environment node
/**
 * Size budgets, from a fresh production build into a temporary directory (gzip -9): the eager loader
 * every page runs, and everything a page loads to show an inline form (loader + leadcap-ui.js; an
 * inline form needs no other chunk, see loader.test.ts). Modes, choice/number fields and multi-step
 * progress, and other languages are separate chunks, loaded only by pages that use them. The lazy
 * chunks are named after their content (leadcap-ui.<hash>.js), so they can be cached for good.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget, CHUNKS } from "../../widget/vite.config.ts";

/**
 * The budgets, enforced as they stand: the eager loader, and everything a page loads to show
 * an inline form (the loader and leadcap-ui.js). What a form needs once the visitor acts on it (the
 * checks, the outbox, analytics: leadcap-send.js) is fetched after the form is shown and has a
 * ceiling of its own, like the chunks only some forms load.
 */
const BUDGET_LOADER = 4 * 1024;
const BUDGET_INLINE = 14 * 1024;
const CEILING_MODES = 3_700;
// Raised from 1,100 when the English strings and the Back button's CSS only choice/number fields
// and multi-step forms use moved here from leadcap-ui.js (out of every inline form's bytes).
const CEILING_MORE = 1_150;
// Raised from 1,400 for the two plain sentences (issue 14) in German, French and Spanish.
const CEILING_I18N = 1_650;
// Raised from 2,700 for hostile pages (issue 14): its own JSON writer (a page's toJSON or replaced
// JSON.stringify cannot corrupt a lead), XMLHttpRequest where the page's fetch throws or never answers,
// and the two plain sentences for answers the visitor cannot act on. None of it is on the inline path.
const CEILING_SEND = 3_400;

let dir: string;
/** Plain name (leadcap-ui.js) → the file served (leadcap-ui.1a2b3c4d.js). */
let files: Record<string, string>;
const text: Record<string, string> = {};
const gz: Record<string, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadcap-widget-"));
  files = await buildWidget(dir);
  for (const { file } of CHUNKS) {
    const bytes = await readFile(join(dir, files[file]!));
    text[file] = bytes.toString("utf8");
    gz[file] = gzipSync(bytes, { level: 9 }).length;
  }
}, 60_000);
afterAll(async () => {
  const inline = gz["leadcap.js"]! + gz["leadcap-ui.js"]!;
  console.info(
    `[size] gzip -9: loader ${gz["leadcap.js"]} B (budget ${BUDGET_LOADER}), inline form ${inline} B (budget ${BUDGET_INLINE}), send ${gz["leadcap-send.js"]} B, modes ${gz["leadcap-modes.js"]} B, more ${gz["leadcap-more.js"]} B, i18n ${gz["leadcap-i18n.js"]} B`,
  );
  await rm(dir, { recursive: true, force: true });
});

describe("widget size", () => {
  it("builds scripts that define one global each on self (imported as modules too); the loader defines none", () => {
    // Code chunks open with V8's compile hint (compile every function up front), then the script.
    const HINT = "//# allFunctionsCalledOnLoad\n";
    expect(text["leadcap.js"]!).toMatch(new RegExp(`^${HINT}[!(]function`)); // an IIFE, no global
    expect(text["leadcap-ui.js"]!.startsWith(`${HINT}self.__leadcap_ui=`)).toBe(true);
    expect(text["leadcap-modes.js"]!.startsWith(`${HINT}self.__leadcap_modes=`)).toBe(true);
    expect(text["leadcap-more.js"]!.startsWith(`${HINT}self.__leadcap_more=`)).toBe(true);
    expect(text["leadcap-send.js"]!.startsWith(`${HINT}self.__leadcap_send=`)).toBe(true);
    expect(text["leadcap-i18n.js"]!.startsWith("self.__leadcap_i18n=")).toBe(true); // strings only
    // The loader loads chunks with import() (no Trusted Types sink), never a <script> src.
    expect(text["leadcap.js"]).toMatch(/\bimport\(/);
    expect(text["leadcap.js"]).not.toMatch(/createElement\("script"\)|\.src=/);
    for (const source of Object.values(text)) {
      expect(source).not.toMatch(/\bimport\s*\{|\beval\(|new Function/); // CSP- and TT-safe
      expect(source).not.toMatch(/ZodError|\$ZodType/); // no zod in the widget
    }
    for (const file of [
      "leadcap-ui.js",
      "leadcap-send.js",
      "leadcap-modes.js",
      "leadcap-more.js",
      "leadcap-i18n.js",
    ])
      expect(text[file]).not.toMatch(/\bimport\(/);
  });

  it("keeps each part where it belongs: Preact in the UI only, modes and strings out of the inline path", () => {
    const preact = /getDerivedStateFromProps/;
    expect(text["leadcap-ui.js"]).toMatch(preact);
    expect(text["leadcap.js"]).not.toMatch(preact);
    expect(preact.test(text["leadcap-modes.js"]!)).toBe(false); // borrows the UI's
    expect(preact.test(text["leadcap-more.js"]!)).toBe(false); // so does this one
    // Dialog, trigger and non-English code is not in what an inline form loads.
    for (const file of ["leadcap.js", "leadcap-ui.js"]) {
      expect(text[file]).not.toMatch(/aria-modal|lc-backdrop|exitIntent|mouseout|Schließen|Veuillez/);
    }
    // Choice and number fields and multi-step progress: only for the forms that have them.
    for (const file of ["leadcap.js", "leadcap-ui.js"])
      expect(text[file]).not.toMatch(/lc-group|lc-track|inputMode/);
    expect(text["leadcap-more.js"]).toMatch(/lc-group/);
    // The checks, the outbox's sending and retries, and analytics batches: after the form is shown.
    for (const file of ["leadcap.js", "leadcap-ui.js"])
      expect(text[file]).not.toMatch(/Retry-After|\/v1\/counts|valid email address|tooShort|XMLHttpRequest/);
    expect(text["leadcap-send.js"]).toMatch(/Retry-After/);
    expect(text["leadcap-send.js"]).toMatch(/valid email address/);
    expect(text["leadcap-send.js"]).toMatch(/tooShort/); // the checks' code, not only their strings
    expect(preact.test(text["leadcap-send.js"]!)).toBe(false);
    expect(text["leadcap-modes.js"]).toMatch(/aria-modal/);
    expect(text["leadcap-i18n.js"]).toMatch(/Schließen/);
  });

  it("names the lazy chunks after their content, the loader knows the names, and only they are cached for good", async () => {
    for (const { file } of CHUNKS.slice(1)) {
      expect(files[file]).toMatch(new RegExp(`^${file.replace(/\.js$/, "")}\\.[0-9a-f]{8}\\.js$`));
      expect(text["leadcap.js"]).toContain(files[file]);
    }
    expect(files["leadcap.js"]).toBe("leadcap.js"); // the URL pages embed never changes
    const headers = await readFile(join(dir, "_headers"), "utf8");
    expect(headers).toMatch(/^\/leadcap\.js\n {2}Cache-Control: public, max-age=300$/m);
    expect(headers).toMatch(/^\/leadcap-\*\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
  });

  it("keeps the eager loader within its 4 KB budget", () => {
    expect(gz["leadcap.js"]).toBeLessThanOrEqual(BUDGET_LOADER);
  });

  it("keeps what a page loads to show an inline form within its 14 KB budget", () => {
    expect(gz["leadcap.js"]! + gz["leadcap-ui.js"]!).toBeLessThanOrEqual(BUDGET_INLINE);
  });

  it("keeps the other chunks within their ceilings", () => {
    expect(gz["leadcap-send.js"]).toBeLessThanOrEqual(CEILING_SEND);
    expect(gz["leadcap-modes.js"]).toBeLessThanOrEqual(CEILING_MODES);
    expect(gz["leadcap-more.js"]).toBeLessThanOrEqual(CEILING_MORE);
    expect(gz["leadcap-i18n.js"]).toBeLessThanOrEqual(CEILING_I18N);
  });
});
