/**
 * The widget's files and API beyond the static assets:
 * - after a deploy, a loader still in a browser's cache (leadcap.js is cached for 5 minutes) asks for
 *   lazy chunks by their old content hashes. They must not 404 (no form, a lost lead): the edge sends
 *   them to the chunk of the same name in this deployment;
 * - served first-party (README, "Serve it first-party"), the widget uses neutral names filter lists
 *   do not block: /w.js and /w-<name>.<hash>.js for the files, /v1/answers and /v1/counts for the
 *   API, and a Workers route's prefix (PUBLIC_PATH, "/lc" in tests/vitest.config.ts) is stripped.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, randomIp, submission } from "./helpers.ts";

/** A GET as the browser's script loader makes it; redirects are returned, not followed. */
const get = (path: string) => exports.default.fetch(new Request(`${EDGE}${path}`, { redirect: "manual" }));

/** A built file as the static assets serve it (before the Worker, which `get` does not go through). */
const asset = (path: string) => env.ASSETS!.fetch(new Request(`${EDGE}${path}`));

/** Where the browser goes for a redirect's Location, from the path it asked for. */
const resolve = (from: string, location: string) => new URL(location, `${EDGE}${from}`).pathname;

function post(path: string, body: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`${EDGE}${path}`, {
      method: "POST",
      headers: {
        "content-type": "text/plain;charset=UTF-8",
        origin: ALLOWED_ORIGIN,
        "cf-connecting-ip": randomIp(),
      },
      body: JSON.stringify(body),
    }),
  );
}

const preflight = (path: string) =>
  exports.default.fetch(
    new Request(`${EDGE}${path}?site=demo`, {
      method: "OPTIONS",
      headers: {
        origin: ALLOWED_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    }),
  );

const impression = () => ({
  site: "demo",
  events: [{ type: "impression", form: "contact", at: new Date().toISOString() }],
});

/** This deployment's file for a chunk name, e.g. `leadcap-ui.1a2b3c4d.js`, from a stale name's redirect. */
async function currentChunk(name: string): Promise<string> {
  return (await get(`/leadcap-${name}.00000000.js`)).headers.get("location")!;
}

describe("widget chunks a stale loader asks for", () => {
  it("redirects an old hash to this deployment's chunk of the same name, uncached and relative", async () => {
    const res = await get("/leadcap-ui.00000000.js");
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    // Relative: it stays under whatever prefix or proxy the browser asked through.
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^leadcap-ui\.[0-9a-f]{8}\.js$/);
    expect(location).not.toBe("leadcap-ui.00000000.js");
    const chunk = await get(resolve("/leadcap-ui.00000000.js", location));
    expect(chunk.status).toBe(200);
    expect(await chunk.text()).toContain("__leadcap_ui");
  });

  it("redirects an unhashed name (a loader older than the chunk) to this deployment's chunk", async () => {
    const res = await get("/leadcap-send.js");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^leadcap-send\.[0-9a-f]{8}\.js$/);
  });

  it("serves a current chunk as it is, without a redirect", async () => {
    const res = await get(`/${await currentChunk("ui")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
  });

  it("answers 404 with an error code for a chunk that does not exist", async () => {
    for (const path of ["/leadcap-nosuch.00000000.js", "/w-nosuch.00000000.js"]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});

describe("neutral file names", () => {
  it("serves the loader as /w.js, with the loader's cache headers and a CORS grant", async () => {
    const res = await get("/w.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe(await (await asset("/leadcap.js")).text());
  });

  it("serves each current chunk as w-<name>.<hash>.js, immutable", async () => {
    const file = await currentChunk("ui");
    const res = await get(`/w-${file.slice("leadcap-".length)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe(await (await get(`/${file}`)).text());
  });

  it("redirects a stale or unhashed neutral name to the current neutral name, relative", async () => {
    const file = await currentChunk("send");
    for (const stale of ["/w-send.00000000.js", "/w-send.js"]) {
      const res = await get(stale);
      expect(res.status).toBe(302);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("location")).toBe(`w-${file.slice("leadcap-".length)}`);
    }
  });
});

describe("neutral API names", () => {
  it("takes a lead at POST /v1/answers, the same handler and store as /v1/leads", async () => {
    const body = submission();
    const res = await post("/v1/answers", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const { leadId } = (await res.json()) as { leadId: string };
    // The same email through the documented path merges into that lead.
    const again = await post("/v1/leads", submission({ fields: { ...body.fields } }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ leadId, duplicate: true });
  });

  it("counts analytics at POST /v1/counts, as /v1/events does", async () => {
    const res = await post("/v1/counts", impression());
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });

  it("grants preflights on both", async () => {
    for (const path of ["/v1/answers", "/v1/counts"]) {
      const res = await preflight(path);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    }
  });

  it("describes both in the API document", async () => {
    const doc = (await (await get("/v1/openapi.json")).json()) as {
      paths: Record<string, { post?: { summary?: string } }>;
    };
    expect(doc.paths["/v1/answers"]?.post?.summary).toMatch(/POST \/v1\/leads/);
    expect(doc.paths["/v1/counts"]?.post?.summary).toMatch(/POST \/v1\/events/);
  });
});

describe("under PUBLIC_PATH (a Workers route on /lc/*)", () => {
  it("answers the API as if the prefix were not there", async () => {
    expect(await (await get("/lc/v1/health")).json()).toEqual({ ok: true });
    const form = await get("/lc/v1/sites/demo/forms/contact");
    expect(form.status).toBe(200);
    expect(((await form.json()) as { form: { id: string } }).form.id).toBe("contact");
    const res = await post("/lc/v1/answers", submission());
    expect(res.status).toBe(201);
    expect((await post("/lc/v1/counts", impression())).status).toBe(202);
    expect((await preflight("/lc/v1/answers")).status).toBe(204);
    const admin = await exports.default.fetch(
      new Request(`${EDGE}/lc/v1/admin/leads?site=demo&limit=1`, { headers: adminHeaders }),
    );
    expect(admin.status).toBe(200);
  });

  it("serves the built files and the neutral aliases from the stripped path", async () => {
    const loader = await (await asset("/leadcap.js")).text();
    const built = await get("/lc/leadcap.js");
    expect(built.status).toBe(200);
    expect(built.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await built.text()).toBe(loader);
    const alias = await get("/lc/w.js");
    expect(alias.status).toBe(200);
    expect(alias.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await alias.text()).toBe(loader);
    const file = await currentChunk("ui");
    expect((await get(`/lc/${file}`)).status).toBe(200);
  });

  it("keeps a stale chunk's redirect under the prefix", async () => {
    const res = await get("/lc/w-ui.00000000.js");
    expect(res.status).toBe(302);
    const next = resolve("/lc/w-ui.00000000.js", res.headers.get("location")!);
    expect(next).toMatch(/^\/lc\/w-ui\.[0-9a-f]{8}\.js$/);
    const chunk = await get(next);
    expect(chunk.status).toBe(200);
    expect(await chunk.text()).toContain("__leadcap_ui");
  });

  it("strips only the whole prefix", async () => {
    for (const path of ["/lcx/w.js", "/lc", "/other/lc/w.js"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});
