import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldErrors } from "../../shared/errors.ts";
import { InvalidCursorError, RateLimitedError, type StoreError } from "./stores/errors.ts";

/** The one error type of the edge, turned into `{ error: { code, message, fields? } }` in app.onError. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldErrors; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }

  get status() {
    return ERROR_STATUS[this.code];
  }

  body(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

/**
 * The answer to a store's domain error (stores/errors.ts): the one place they become HTTP, called
 * from app.onError. A store failure of any other kind is not a domain error and answers 500 there.
 */
export function apiErrorOf(error: StoreError): ApiError {
  if (error instanceof InvalidCursorError) {
    const message =
      error.why === "other-sort"
        ? "The cursor belongs to another sort order."
        : "The cursor is not one this API returned.";
    return new ApiError("invalid_request", message, { fields: { cursor: "Invalid cursor." } });
  }
  if (error instanceof RateLimitedError) {
    return new ApiError(
      "rate_limited",
      "Too many submissions from this device. Please wait a moment and try again.",
      { headers: { "Retry-After": String(error.retryAfter ?? 60) } },
    );
  }
  return new ApiError("unavailable", "The lead store is not available. Please retry.");
}
