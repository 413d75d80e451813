/**
 * The widget's files as the Worker serves them beyond the static assets: neutral names, and chunks a
 * stale loader asks for.
 *
 * Neutral names. Filter lists block scripts and paths with words like `lead`, so a site serving the
 * widget first-party (README, "Serve it first-party") embeds `w.js`: a loader not named leadcap.js
 * asks for its chunks as `w-<name>.<hash>.js`. Those are aliases of the built files (`/w.js` is
 * `/leadcap.js`, `/w-ui.1a2b3c4d.js` is `/leadcap-ui.1a2b3c4d.js`): no file of either name is built
 * twice, and the aliases answer with the headers the built files have (`_headers`).
 *
 * Stale chunks. leadcap.js is cached for 5 minutes and names its lazy chunks by content hash
 * (leadcap-ui.1a2b3c4d.js, cached for good); after a deploy, a loader still in a browser's cache asks
 * for chunks this deployment no longer has. Static assets answer every current file before the Worker
 * runs, so only those misses reach here: rather than a certain 404 (no form, a lost lead), they are
 * redirected to the chunk of the same name in this deployment, under the same naming (`leadcap-` or
 * `w-`). That works as long as the loader and the chunks speak the same interface; a deploy that
 * changes it can still break a stale loader for the five minutes leadcap.js is cached.
 *
 * Every answer here carries `Access-Control-Allow-Origin: *`: a Trusted Types page loads chunks with
 * dynamic `import()`, a CORS request, and follows a redirect only if it carries the grant too.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

export const chunks = new Hono<AppEnv>();

// The chunk files of this deployment by name (`ui` → `leadcap-ui.1a2b3c4d.js`), read from the loader
// that names them. An isolate serves one deployment, so one read is enough.
let current: Promise<Map<string, string>> | undefined;

async function readCurrent(c: Context<AppEnv>): Promise<Map<string, string>> {
  const res = await c.env.ASSETS?.fetch(new Request(new URL("/leadcap.js", c.req.url)));
  if (!res?.ok) throw new Error(`leadcap.js: ${res?.status ?? "no assets"}`);
  const names = (await res.text()).matchAll(/leadcap-([a-z0-9]+)\.[0-9a-f]{8}\.js/g);
  const files = new Map([...names].map(([file, name]) => [name!, file]));
  // A loader naming no hashed chunk (an unhashed build): nothing to keep, ask again next time.
  if (files.size === 0) throw new Error("leadcap.js names no hashed chunk");
  return files;
}

function currentFiles(c: Context<AppEnv>): Promise<Map<string, string>> {
  current ??= readCurrent(c).catch((error: unknown) => {
    current = undefined;
    console.error("[leadcap] widget chunks unknown", error);
    return new Map<string, string>();
  });
  return current;
}

/**
 * The built file `/<file>` under the requested name, as the static assets answer it: with the headers
 * `_headers` gives the built file (widget/vite.config.ts: cache, CORS), so an alias cannot drift from it.
 */
async function serveAs(c: Context<AppEnv>, file: string): Promise<Response> {
  // The browser's own headers go along: a revalidation (If-None-Match) is answered 304 as for the file.
  const res = await c.env.ASSETS?.fetch(new URL(`/${file}`, c.req.url), { headers: c.req.raw.headers });
  if (!res || (!res.ok && res.status !== 304)) {
    throw new ApiError("not_found", `There is no widget file "${file}".`);
  }
  return res;
}

chunks.get("/w.js", (c) => serveAs(c, "leadcap.js"));

// Unhashed names too: a loader from before a chunk existed asks for `leadcap-<name>.js` (it has no
// hash for it) when a newer chunk it loaded asks for that one.
chunks.get("/:file{(?:leadcap|w)-[a-z0-9]+(?:\\.[0-9a-f]{8})?\\.js}", async (c) => {
  const asked = c.req.param("file");
  const neutral = asked.startsWith("w-");
  const [name] = asked.slice(neutral ? "w-".length : "leadcap-".length).split(".");
  const file = (await currentFiles(c)).get(name!);
  if (!file) throw new ApiError("not_found", `There is no widget chunk "${name}".`);
  // The same chunk under the name the loader asks by: `w-ui.1a2b3c4d.js` for `leadcap-ui.1a2b3c4d.js`.
  const answer = neutral ? `w-${file.slice("leadcap-".length)}` : file;
  // A current file: a neutral alias, or a built file that reached the Worker because assets were
  // bypassed (as in tests): serve it.
  if (answer === asked) return serveAs(c, file);
  // Not cached: the answer holds for this deployment only. Relative, so that it stays under the
  // prefix the browser asked by (a Workers route on /lc/*, a reverse proxy's location).
  c.header("Cache-Control", "no-store");
  c.header("Access-Control-Allow-Origin", "*");
  return c.redirect(answer, 302);
});
