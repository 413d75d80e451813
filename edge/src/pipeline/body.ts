/**
 * Reads a request body as text, enforcing the limit on the bytes actually read: a lying or absent
 * Content-Length (chunked uploads) cannot get more than `limit` bytes into memory.
 */
import { ApiError } from "../errors.ts";

/** @default 32 KiB: a lead with attribution is about 2 KiB. */
export const DEFAULT_BODY_LIMIT = 32 * 1024;

export async function readLimitedText(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<string> {
  const tooLarge = () => new ApiError("payload_too_large", `The body is larger than ${limit} bytes.`);
  // Only Content-Length present and already over: refuse without reading.
  const declared = Number.parseInt(request.headers.get("content-length") ?? "", 10);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("invalid_request", "The body is not valid UTF-8.");
  }
}

/** JSON from `application/json` or `text/plain` (simple CORS requests and beacons send the latter). */
export async function readJsonBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && type !== "text/plain") {
    throw new ApiError(
      "unsupported_media_type",
      "Send the submission as application/json (or text/plain JSON).",
    );
  }
  const text = await readLimitedText(request, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "The body is not valid JSON.");
  }
}
