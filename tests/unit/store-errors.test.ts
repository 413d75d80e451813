/**
 * Stores throw domain errors (edge/src/stores/errors.ts), never HTTP ones; apiErrorOf is the one place
 * they become answers, and those answers are the ones the API has always given. The capability
 * classes of an adapter are made one store by compose.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { ApiError, apiErrorOf } from "../../edge/src/errors.ts";
import { compose } from "../../edge/src/stores/compose.ts";
import {
  InvalidCursorError,
  RateLimitedError,
  StoreError,
  StoreUnavailableError,
} from "../../edge/src/stores/errors.ts";

const answer = (error: StoreError) => {
  const api = apiErrorOf(error);
  expect(api).toBeInstanceOf(ApiError);
  return { status: api.status, body: api.body(), headers: api.headers };
};

describe("apiErrorOf", () => {
  it("answers a cursor it cannot read, or one of another sort, 400 naming the cursor", () => {
    expect(answer(new InvalidCursorError("unreadable"))).toEqual({
      status: 400,
      body: {
        error: {
          code: "invalid_request",
          message: "The cursor is not one this API returned.",
          fields: { cursor: "Invalid cursor." },
        },
      },
      headers: {},
    });
    expect(answer(new InvalidCursorError("other-sort")).body.error.message).toBe(
      "The cursor belongs to another sort order.",
    );
  });

  it("answers a full rate window 429 with the store's Retry-After, 60 s when it has none", () => {
    expect(answer(new RateLimitedError(17))).toEqual({
      status: 429,
      body: {
        error: {
          code: "rate_limited",
          message: "Too many submissions from this device. Please wait a moment and try again.",
        },
      },
      headers: { "Retry-After": "17" },
    });
    expect(answer(new RateLimitedError()).headers).toEqual({ "Retry-After": "60" });
  });

  it("answers an unreachable store 503 without telling the client why", () => {
    const why = "UPSTASH_REDIS_REST_URL is set but this Worker was built without the Upstash store";
    expect(answer(new StoreUnavailableError(why))).toEqual({
      status: 503,
      body: { error: { code: "unavailable", message: "The lead store is not available. Please retry." } },
      headers: {},
    });
  });

  it("knows every domain error as a StoreError and none as an ApiError", () => {
    for (const error of [
      new InvalidCursorError("unreadable"),
      new RateLimitedError(),
      new StoreUnavailableError(""),
    ]) {
      expect(error).toBeInstanceOf(StoreError);
      expect(error).not.toBeInstanceOf(ApiError);
    }
  });
});

describe("compose", () => {
  class Counter {
    #n = 0;
    add(by: number) {
      this.#n += by;
      return this.#n;
    }
  }
  class Greeter {
    readonly #name: string;
    constructor(name: string) {
      this.#name = name;
    }
    greet() {
      return `hello ${this.#name}`;
    }
  }

  it("has every method of every part, bound to its part", () => {
    const whole = compose(new Counter(), new Greeter("ada"));
    const { add, greet } = whole;
    expect(add(2)).toBe(2);
    expect(whole.add(3)).toBe(5);
    expect(greet()).toBe("hello ada");
    expect(Object.keys(whole).sort()).toEqual(["add", "greet"]);
    expectTypeOf(whole).toEqualTypeOf<Counter & Greeter>();
  });
});
