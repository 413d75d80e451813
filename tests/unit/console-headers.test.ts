/**
 * The console's `_headers` rules share one file with the widget's (static assets read one `_headers`
 * at the root): the console build puts its own rules in, replacing only its earlier ones, whatever
 * order the builds run in.
 */
import { describe, expect, it } from "vitest";
import { CONSOLE_CSP, CONSOLE_HEADERS, withConsoleHeaders } from "../../edge/console/vite.config.ts";

const WIDGET = `/leadcap.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
`;

describe("the console's _headers rules", () => {
  it("are added after the widget's, which stay as they were", () => {
    const next = withConsoleHeaders(WIDGET);
    expect(next.startsWith(WIDGET)).toBe(true);
    expect(next.endsWith(CONSOLE_HEADERS)).toBe(true);
  });

  it("replace the console's earlier rules instead of adding a second copy", () => {
    const once = withConsoleHeaders(WIDGET);
    expect(withConsoleHeaders(once)).toBe(once);
    const stale = once.replace(CONSOLE_CSP, "default-src *");
    expect(withConsoleHeaders(stale)).toBe(once);
    // Rules another build wrote after the console's are kept too.
    const later = `${once}/openapi.json\n  Cache-Control: no-cache\n`;
    const again = withConsoleHeaders(later);
    expect(again).toContain("/openapi.json\n  Cache-Control: no-cache\n");
    expect(again.split("/console/*").length).toBe(2);
  });

  it("make a file of their own when there is none yet", () => {
    expect(withConsoleHeaders("")).toBe(CONSOLE_HEADERS);
  });

  it("are strict: no inline code or eval, never framed", () => {
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_HEADERS).toContain("X-Content-Type-Options: nosniff");
    expect(CONSOLE_HEADERS).toMatch(/\/console\/\n {2}Cache-Control: no-cache/);
  });
});
