import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../../shared/errors.ts";
import { get } from "./helpers.ts";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};

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
