/**
 * `npm run openapi` (part of `npm run build`): writes the OpenAPI document generated from the shared
 * zod schemas (shared/openapi.ts) into the Worker's static assets (widget/dist/openapi.json), which
 * the Worker serves at /v1/openapi.json, and its reference page (openapi.html), served at /v1/docs.
 * Static assets rather than part of the Worker's code: the document (~13 KB gzip), the answer
 * schemas it is generated from and the page's renderer stay out of the Worker's bundle, which only
 * parses requests (shared/api/requests.ts).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument, referencePage } from "../../shared/openapi.ts";

export const OPENAPI_PATH = fileURLToPath(new URL("../../widget/dist/openapi.json", import.meta.url));

export function writeOpenApi(path = OPENAPI_PATH): void {
  mkdirSync(new URL(".", `file://${path}`), { recursive: true });
  const doc = openApiDocument();
  // Written aside and renamed: the edge tests write them while other projects may be serving them.
  const write = (to: string, text: string) => {
    const aside = `${to}.${process.pid}.tmp`;
    writeFileSync(aside, text);
    renameSync(aside, to);
  };
  // The page first: whoever checks for the document (demo-site/dev/stack.ts) then finds both.
  write(path.replace(/\.json$/, ".html"), referencePage(doc));
  write(path, JSON.stringify(doc));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeOpenApi();
  console.log("wrote widget/dist/openapi.json and openapi.html");
}
