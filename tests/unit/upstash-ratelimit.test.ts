/**
 * The limiter's fail-open behaviour, at the port boundary: a Redis that does not answer, or fails,
 * lets the submission through and says so in the log. (Against a real Redis: tests/contract.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { limitRate, type RateRule } from "../../edge/src/stores/upstash/ratelimit.ts";

const rule: RateRule = { limit: 1, windowSeconds: 60, algorithm: "sliding" };
afterEach(() => vi.restoreAllMocks());

describe("rate limit on Upstash: fail-open", () => {
  it("lets the submission through and logs it when Redis does not answer in time", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const silent = { evalsha: () => new Promise<never>(() => {}), eval: () => new Promise<never>(() => {}) };
    const verdict = await limitRate(silent, "demo", "client-a", rule, 30);
    expect(verdict).toEqual({ ok: true, retryAfter: 0, failedOpen: "timeout" });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/did not answer within 30 ms.*fail-open/));
  });

  it("lets the submission through and logs it when Redis fails", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const failing = {
      evalsha: () => Promise.reject(new Error("ECONNREFUSED")),
      eval: () => Promise.reject(new Error("ECONNREFUSED")),
    };
    const verdict = await limitRate(failing, "demo", "client-b", rule, 1_000);
    expect(verdict).toEqual({ ok: true, retryAfter: 0, failedOpen: "error" });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/failed.*fail-open/), expect.any(Error));
  });

  it("refuses when Redis says the client is over its limit", async () => {
    // The sliding window script answers [-1, limit] for a refusal.
    const full = { evalsha: () => Promise.resolve([-1, 1]), eval: () => Promise.resolve([-1, 1]) };
    const verdict = await limitRate(full, "demo", "client-c", rule, 1_000);
    expect(verdict.ok).toBe(false);
    expect(verdict.retryAfter).toBeGreaterThan(0);
  });
});
