/**
 * `npm run openapi` (part of `npm run build`): writes the OpenAPI document generated from the shared
 * zod schemas (shared/openapi.ts) into the Worker's static assets (widget/dist/openapi.json), which
 * the Worker serves at /v1/openapi.json and renders at /v1/docs. A static asset rather than part of
 * the Worker's code: the document (~13 KB gzip) and the answer schemas it is generated from stay
 * out of the Worker's bundle, which only parses requests (shared/api/requests.ts).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "../../shared/openapi.ts";

export const OPENAPI_PATH = fileURLToPath(new URL("../../widget/dist/openapi.json", import.meta.url));

export function writeOpenApi(path = OPENAPI_PATH): void {
  mkdirSync(new URL(".", `file://${path}`), { recursive: true });
  // Written aside and renamed: the edge tests write it while other projects may be serving it.
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, JSON.stringify(openApiDocument()));
  renameSync(aside, path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeOpenApi();
  console.log("wrote widget/dist/openapi.json");
}
