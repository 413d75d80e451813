import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENAPI_PATH, renderOpenApi } from "../tools/build-openapi.ts";

describe("edge/src/openapi.json", () => {
  it("is the document the shared schemas generate (run `npm run openapi` after changing them)", () => {
    expect(readFileSync(OPENAPI_PATH, "utf8")).toBe(renderOpenApi());
  });
});
