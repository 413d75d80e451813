/**
 * Error codes every API answer and the widget share. One list, one shape:
 * `{ "error": { "code", "message", "fields"? } }`.
 *
 * This module is imported by the widget: it must stay free of zod and of anything runtime-specific.
 */
export const ERROR_STATUS = {
  /** The body is not valid JSON or not the expected shape. */
  invalid_request: 400,
  /** The body parsed but one or more form fields are wrong; `fields` names them. */
  validation_failed: 400,
  /** No such site, form or lead. */
  not_found: 404,
  /** The request's Origin is not on the site's allowlist. */
  origin_not_allowed: 403,
  /** Admin token valid but not for this resource. */
  forbidden: 403,
  /** Missing or wrong admin token. */
  unauthorized: 401,
  /** The path exists, but not for this method; `Allow` lists the methods it takes. */
  method_not_allowed: 405,
  /** Body larger than the limit. */
  payload_too_large: 413,
  /** The change was based on a version that is no longer current, or the thing exists already. */
  conflict: 409,
  /** Content-Type the endpoint does not take. */
  unsupported_media_type: 415,
  /** Well-formed but refused by a rule (e.g. consent required and not given). */
  unprocessable: 422,
  /** Too many requests; `Retry-After` says when to come back. */
  rate_limited: 429,
  /** Our fault. Never used for anything a client sent. */
  internal: 500,
  /** A dependency (the store) is unavailable; safe to retry with the same submission id. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Per-field messages, keyed by the form field's name. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
  );
}
