/**
 * What a store can fail with, in the store's own terms: never an HTTP answer. One place turns these
 * into the edge's ApiError (`apiErrorOf` in edge/src/errors.ts, called from app.onError), so a store
 * can be used outside a request (the cron, the queue, a bench) and every route answers alike.
 * Anything else a store throws is a failure of its engine (D1, Redis), left as it is.
 */
export class StoreError extends Error {}

/** A paging cursor the store cannot read, or one made for another sort order. */
export class InvalidCursorError extends StoreError {
  readonly why: "unreadable" | "other-sort";
  constructor(why: "unreadable" | "other-sort") {
    super(`invalid cursor (${why})`);
    this.name = "InvalidCursorError";
    this.why = why;
  }
}

/** Thrown by `ingest` when the client's rate-limit window is full: nothing was written. */
export class RateLimitedError extends StoreError {
  /** Seconds until the client may try again. */
  readonly retryAfter: number | undefined;
  constructor(retryAfter?: number) {
    super("rate limited");
    this.name = "RateLimitedError";
    this.retryAfter = retryAfter;
  }
}

/** The store cannot be reached as configured (a build without the adapter its secrets name). */
export class StoreUnavailableError extends StoreError {
  constructor(why: string) {
    super(why);
    this.name = "StoreUnavailableError";
  }
}
