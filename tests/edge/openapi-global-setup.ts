/**
 * Writes the OpenAPI document from the current schemas into the Worker's assets before the edge
 * tests start (as `npm run build` does), so the document every answer is checked against
 * (openapi-setup.ts) is the one this tree generates, not a stale build's.
 */
import { writeOpenApi } from "../tools/build-openapi.ts";

export default function setup(): void {
  writeOpenApi();
}
