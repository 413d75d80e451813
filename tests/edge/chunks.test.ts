/**
 * After a deploy, a loader still in a browser's cache (leadcap.js is cached for 5 minutes) asks for
 * lazy chunks by their old content hashes. They must not 404 (no form, a lost lead): the edge sends
 * them to the chunk of the same name in this deployment.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EDGE } from "./helpers.ts";

/** A GET as the browser's script loader makes it; redirects are returned, not followed. */
const get = (path: string) => exports.default.fetch(new Request(`${EDGE}${path}`, { redirect: "manual" }));

describe("widget chunks a stale loader asks for", () => {
  it("redirects an old hash to this deployment's chunk of the same name, uncached", async () => {
    const res = await get("/leadcap-ui.00000000.js");
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/leadcap-ui\.[0-9a-f]{8}\.js$/);
    expect(location).not.toBe("/leadcap-ui.00000000.js");
    const chunk = await get(location);
    expect(chunk.status).toBe(200);
    expect(await chunk.text()).toContain("__leadcap_ui");
  });

  it("redirects an unhashed name (a loader older than the chunk) to this deployment's chunk", async () => {
    const res = await get("/leadcap-send.js");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/leadcap-send\.[0-9a-f]{8}\.js$/);
  });

  it("serves a current chunk as it is, without a redirect", async () => {
    const current = (await get("/leadcap-ui.00000000.js")).headers.get("location")!;
    const res = await get(current);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
  });

  it("answers 404 with an error code for a chunk that does not exist", async () => {
    const res = await get("/leadcap-nosuch.00000000.js");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
