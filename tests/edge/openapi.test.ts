import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../edge/src/app.ts";
import { ERROR_STATUS } from "../../shared/errors.ts";
import { check, type OpenApiDoc, prepare } from "./conformance.ts";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, get } from "./helpers.ts";

type Media = { schema?: unknown };
type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};

const served = async () => (await (await get("/v1/openapi.json")).json()) as Doc;
const send = (path: string, init: RequestInit) => exports.default.fetch(new Request(`${EDGE}${path}`, init));

describe("the API description", () => {
  it("serves an OpenAPI 3.1 document generated from the shared schemas", async () => {
    const res = await get("/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/leads",
        "/v1/events",
        "/v1/sites/{site}/forms/{form}",
        "/v1/admin/leads",
        "/v1/admin/leads/{id}",
        "/v1/admin/sites/{site}/config",
      ]),
    );
    // The request schema is the one the edge validates with: same required keys.
    expect(doc.components.schemas.LeadSubmission?.required).toEqual(
      expect.arrayContaining(["site", "form", "submissionId", "fields", "attribution", "engagement", "page"]),
    );
    expect(Object.keys(doc.components.schemas.Lead?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "id",
        "email",
        "score",
        "temperature",
        "stage",
        "reasons",
        "firstTouch",
        "lastTouch",
      ]),
    );
    // What was repaired in a submission's signals is described where it is answered and kept, and the
    // events answer says how many were dropped.
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.SubmitAnswer?.properties ?? {})).toContain("notes");
    expect(Object.keys(schemas.SubmissionRecord?.properties ?? {})).toContain("notes");
    expect(schemas.RepairNote?.required).toEqual(["path", "action", "reason"]);
    expect(schemas.EventsAnswer?.required).toEqual(["accepted", "dropped"]);
    const answerOf = (path: string, method: string, status: string) =>
      (doc.paths[path]![method]!.responses[status] as { content?: Record<string, { schema: unknown }> })
        .content?.["application/json"]?.schema;
    expect(answerOf("/v1/events", "post", "202")).toEqual({ $ref: "#/components/schemas/EventsAnswer" });
    expect(answerOf("/v1/admin/leads/{id}/submissions", "get", "200")).toEqual({
      $ref: "#/components/schemas/SubmissionList",
    });
    // Every 4xx the leads endpoint can answer is documented.
    const documented = Object.keys(doc.paths["/v1/leads"]!.post!.responses);
    for (const code of [
      "invalid_request",
      "origin_not_allowed",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
      "unprocessable",
      "rate_limited",
    ] as const) {
      expect(documented).toContain(String(ERROR_STATUS[code]));
    }
  });

  it("serves a readable reference page", async () => {
    const res = await get("/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    expect(page).toContain("POST /v1/leads");
    expect(page).toContain('id="LeadSubmission"');
  });
});

describe("the API description, against what an outside fuzzer found", () => {
  it("describes every operation the edge serves, and serves every one it describes", async () => {
    const doc = await served();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const routed = app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      // Hono's `:name` is OpenAPI's `{name}`; sub-apps mounted at their root add a trailing slash.
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`);
    expect([...new Set(routed)].sort()).toEqual(documented);
  });

  it("gives every request body a schema, for every media type", async () => {
    const doc = await served();
    const bodies = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({
          at: `${method.toUpperCase()} ${path} ${type}`,
          schema: media.schema,
        })),
      ),
    );
    expect(bodies.length).toBeGreaterThanOrEqual(20);
    expect(bodies.filter((b) => !b.schema).map((b) => b.at)).toEqual([]);
    // The eight admin writes the fuzzer found without one, among the rest.
    const write = (path: string, method = "post") =>
      doc.paths[path]![method]!.requestBody!.content["application/json"]!;
    for (const [path, method] of [
      ["/v1/admin/leads/{id}/events", "post"],
      ["/v1/admin/leads/{id}/stage", "post"],
      ["/v1/admin/outcomes", "post"],
      ["/v1/admin/sites", "post"],
      ["/v1/admin/sites/{site}/config", "put"],
      ["/v1/admin/sites/{site}/calibration", "post"],
      ["/v1/admin/sites/{site}/config/rollback", "post"],
      ["/v1/admin/deliveries/replay", "post"],
    ] as const) {
      expect(write(path, method).schema, `${method} ${path}`).toHaveProperty("$ref");
    }
  });

  it("describes the content of every answer but redirects and empty ones", async () => {
    const doc = await served();
    const bare = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([status, r]) => !/^(3\d\d|204)$/.test(status) && !r.content)
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(bare).toEqual([]);
  });

  it("documents the leads list's total, which it answers", async () => {
    const doc = await served();
    expect(doc.components.schemas.LeadPage?.properties).toHaveProperty("total");
    const res = await get("/v1/admin/leads?site=demo&limit=1", adminHeaders);
    expect(res.status).toBe(200);
    expect(typeof ((await res.json()) as { total?: unknown }).total).toBe("number");
  });

  it("lists the query parameters the README documents", async () => {
    const doc = await served();
    const query = (path: string, method = "get") =>
      (doc.paths[path]![method]!.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    expect(query("/v1/admin/leads")).toEqual(
      expect.arrayContaining(["site", "limit", "cursor", "q", "temperature", "stage", "form", "channel"]),
    );
    expect(query("/v1/admin/leads")).toEqual(
      expect.arrayContaining(["from", "to", "minScore", "maxScore", "sort"]),
    );
    expect(query("/v1/admin/leads.csv")).toEqual(expect.arrayContaining(["site", "q", "from", "to"]));
    expect(query("/v1/admin/metrics")).toEqual(expect.arrayContaining(["site", "from", "to"]));
    expect(query("/v1/admin/sites/{site}/capture-health")).toEqual(expect.arrayContaining(["from", "to"]));
    expect(query("/v1/admin/deliveries")).toEqual(
      expect.arrayContaining(["site", "status", "destination", "lead", "since", "until", "limit", "cursor"]),
    );
    expect(query("/v1/admin/sites/{site}/config/versions")).toEqual(
      expect.arrayContaining(["limit", "cursor"]),
    );
    expect(query("/v1/admin/destinations")).toContain("site");
    const people = doc.paths["/v1/admin/people/{email}"]!.delete!.parameters!;
    expect(people.find((p) => p.name === "site")).toMatchObject({ in: "query", required: true });
  });

  it("answers a known path asked with another method 405, naming the methods it takes in Allow", async () => {
    const wrong = await send("/v1/admin/leads", { method: "DELETE", headers: adminHeaders });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
    expect(await wrong.json()).toEqual({
      error: { code: "method_not_allowed", message: expect.any(String) },
    });

    const config = await send("/v1/admin/sites/demo/config", { method: "POST", headers: adminHeaders });
    expect(config.status).toBe(405);
    expect(config.headers.get("allow")).toBe("GET, PUT, HEAD");

    const leads = await send("/v1/leads", { method: "GET" });
    expect(leads.status).toBe(405);
    expect(leads.headers.get("allow")).toBe("POST");

    // An unknown path is still 404, and a CORS preflight still answers as before.
    expect((await send("/v1/nothing-here", { method: "DELETE" })).status).toBe(404);
    const preflight = await send("/v1/leads", {
      method: "OPTIONS",
      headers: { origin: ALLOWED_ORIGIN, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    // OPTIONS where no preflight answers: the methods, without an error.
    const options = await send("/v1/health", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("documents the readable page a no-JS form post gets for an unknown site", async () => {
    const res = await send("/v1/leads", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ALLOWED_ORIGIN },
      body: new URLSearchParams({ site: "no-such-site", form: "contact" }).toString(),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("no-such-site");
    const doc = await served();
    expect(Object.keys(doc.paths["/v1/leads"]!.post!.responses["404"]!.content!)).toEqual(
      expect.arrayContaining(["application/json", "text/html"]),
    );
  });

  it("flags answers that drift from the document (the check every edge test's answers go through)", async () => {
    const api = prepare((await served()) as unknown as OpenApiDoc);
    const json = (body: unknown, status = 200) => ({
      response: { status, headers: new Headers({ "content-type": "application/json" }) },
      body: JSON.stringify(body),
    });
    const at = (method: string, path: string) => ({ method, url: `${EDGE}${path}` });
    const lead = await (await get("/v1/admin/leads?site=demo&limit=1", adminHeaders)).json();
    const ok = json(lead);
    expect(check(api, at("GET", "/v1/admin/leads"), ok.response, ok.body)).toEqual([]);
    const extra = json({ ...(lead as object), surprise: 1 });
    expect(check(api, at("GET", "/v1/admin/leads"), extra.response, extra.body).join()).toContain("surprise");
    expect(
      check(api, at("GET", "/v1/admin/leads"), { ...ok.response, status: 418 }, ok.body).join(),
    ).toContain("status not documented");
    const html = { status: 200, headers: new Headers({ "content-type": "text/html" }) };
    expect(check(api, at("GET", "/v1/admin/leads"), html, "<p>").join()).toContain("content type");
    const notFound = json({ error: { code: "not_found", message: "No such resource." } }, 404);
    expect(
      check(api, at("GET", "/v1/admin/leads"), { ...notFound.response, status: 404 }, notFound.body),
    ).toEqual([]);
    expect(check(api, at("PATCH", "/v1/admin/leads"), notFound.response, notFound.body).join()).toContain(
      "405",
    );
    // Widget files and the console are not the API's.
    expect(check(api, at("GET", "/leadcap.js"), html, "x")).toEqual([]);
  });
});
