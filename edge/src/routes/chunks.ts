/**
 * Widget chunks a stale loader asks for. leadcap.js is cached for 5 minutes and names its lazy chunks
 * by content hash (leadcap-ui.1a2b3c4d.js, cached for good); after a deploy, a loader still in a
 * browser's cache asks for chunks this deployment no longer has. Static assets answer every current
 * file before the Worker runs, so only those misses reach here: rather than a certain 404 (no form,
 * a lost lead), they are redirected to the chunk of the same name in this deployment. That works as
 * long as the loader and the chunks speak the same interface; a deploy that changes it can still
 * break a stale loader for the five minutes leadcap.js is cached.
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

// Unhashed names too: a loader from before a chunk existed asks for `leadcap-<name>.js` (it has no
// hash for it) when a newer chunk it loaded asks for that one.
chunks.get("/:file{leadcap-[a-z0-9]+(?:\\.[0-9a-f]{8})?\\.js}", async (c) => {
  const name = c.req.param("file").slice("leadcap-".length).split(".")[0]!;
  current ??= readCurrent(c).catch((error: unknown) => {
    current = undefined;
    console.error("[leadcap] widget chunks unknown", error);
    return new Map<string, string>();
  });
  const file = (await current).get(name);
  if (!file) throw new ApiError("not_found", `There is no widget chunk "${name}".`);
  // A current file reaches the Worker only when assets were bypassed: serve it.
  if (file === c.req.param("file") && c.env.ASSETS) return c.env.ASSETS.fetch(c.req.raw);
  // Not cached: the answer holds for this deployment only.
  c.header("Cache-Control", "no-store");
  return c.redirect(`/${file}`, 302);
});
