/**
 * `npm run openapi`: writes edge/src/openapi.json from the shared zod schemas (shared/openapi.ts).
 * Generated ahead of time so the Worker bundle carries the document, not the JSON Schema generator
 * (~20 KB minified); tests/unit/openapi.test.ts fails when the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../../shared/openapi.ts";

export const OPENAPI_PATH = new URL("../../edge/src/openapi.json", import.meta.url);

export function renderOpenApi(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(OPENAPI_PATH, renderOpenApi());
  console.log("wrote edge/src/openapi.json");
}
