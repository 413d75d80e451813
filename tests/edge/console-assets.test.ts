/**
 * The console as the Worker's static assets serve it (`npm run build` puts it in widget/dist/console,
 * edge/console/vite.config.ts writes its `_headers` rules): at /console/ on the API's own origin, under
 * a strict CSP, never framed, its HTML never cached and its hashed files cached for good, /console
 * redirected to /console/. Also under a Workers route's prefix (PUBLIC_PATH "/lc"), where the Worker
 * asks the assets itself.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EDGE } from "./helpers.ts";

/** As the platform answers a path that is a built file: the static assets, before the Worker. */
const asset = (path: string) => env.ASSETS!.fetch(new Request(`${EDGE}${path}`, { redirect: "manual" }));
/** Through the Worker (a prefixed path: PUBLIC_PATH). */
const get = (path: string) => exports.default.fetch(new Request(`${EDGE}${path}`, { redirect: "manual" }));

/** The CSP's directives by name: `{ "script-src": ["'self'"], … }`. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectStrictHeaders(res: Response): void {
  const csp = res.headers.get("content-security-policy");
  expect(csp, "a CSP").toBeTruthy();
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  const d = directives(csp);
  expect(d["frame-ancestors"]).toEqual(["'none'"]);
  expect(d["default-src"]).toEqual(["'none'"]);
  expect(d["script-src"]).toEqual(["'self'"]);
  expect(d["style-src"]).toEqual(["'self'"]);
  // The API is the page's own origin: nothing else to talk to.
  expect(d["connect-src"]).toEqual(["'self'"]);
  expect(d["base-uri"]).toEqual(["'none'"]);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
}

/** The built files index.html names (`./assets/index-abc123.js`), as paths under /console/. */
async function namedFiles(html: string): Promise<string[]> {
  return [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map(([, file]) => `/console/${file}`);
}

describe("the console, served from the Worker's static assets", () => {
  it("answers /console/ with its page, strict headers and HTML that is never cached", async () => {
    const res = await asset("/console/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("<title>Leadcap console</title>");
    // Nothing inline for the CSP to refuse: no inline script or style, no handler attributes.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expectStrictHeaders(res);
    // Exactly: only one rule sets it (two would be joined into a header that says both).
    expect(res.headers.get("cache-control")).toBe("no-cache");

    const index = await asset("/console/index.html");
    // /console/index.html is the same page (assets answer it, or send to /console/).
    if (index.status === 200) {
      expectStrictHeaders(index);
      expect(index.headers.get("cache-control")).toBe("no-cache");
    } else {
      expect([301, 307, 308]).toContain(index.status);
      expect(new URL(index.headers.get("location")!, `${EDGE}/console/index.html`).pathname).toBe(
        "/console/",
      );
    }
  });

  it("redirects /console to /console/", async () => {
    const res = await asset("/console");
    expect([301, 307, 308]).toContain(res.status);
    expect(new URL(res.headers.get("location")!, `${EDGE}/console`).pathname).toBe("/console/");
  });

  it("redirects /lc/console to /lc/console/ under a Workers route's prefix (not out of it)", async () => {
    const res = await get("/lc/console");
    expect([301, 307, 308]).toContain(res.status);
    expect(new URL(res.headers.get("location")!, `${EDGE}/lc/console`).pathname).toBe("/lc/console/");
  });

  it("serves the page's hashed files cacheable for good, under the same headers", async () => {
    const files = await namedFiles(await (await asset("/console/")).text());
    expect(files.some((f) => f.endsWith(".js"))).toBe(true);
    expect(files.some((f) => f.endsWith(".css"))).toBe(true);
    for (const file of files) {
      const res = await asset(file);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("cache-control"), file).toBe("public, max-age=31536000, immutable");
      expectStrictHeaders(res);
      await res.arrayBuffer();
    }
  });

  it("is served under a Workers route's prefix too, with the same headers", async () => {
    const res = await get("/lc/console/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>Leadcap console</title>");
    expectStrictHeaders(res);
    // Exactly: only one rule sets it (two would be joined into a header that says both).
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });
});
