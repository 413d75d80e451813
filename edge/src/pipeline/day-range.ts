/**
 * `?from=&to=` of the admin reports (metrics, capture health): UTC days as YYYY-MM-DD, `to` excluded,
 * the last 30 days by default; 400 with the failing parameter otherwise.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** `maxDays`: the longest range one answer may cover (a store that reads a key per day). */
export function dayRange(
  c: Context<AppEnv>,
  maxDays = Number.POSITIVE_INFINITY,
): { from: string; to: string } {
  const day = (name: "from" | "to", fallback: number) => {
    const value = c.req.query(name);
    if (value === undefined) return new Date(fallback).toISOString().slice(0, 10);
    if (!DAY.test(value) || Number.isNaN(Date.parse(value)))
      throw new ApiError("invalid_request", "Dates are YYYY-MM-DD.", { fields: { [name]: "YYYY-MM-DD" } });
    return value;
  };
  const now = Date.now();
  const to = day("to", now + DAY_MS);
  const from = day("from", now - 29 * DAY_MS);
  if (from >= to)
    throw new ApiError("invalid_request", "from must be before to.", { fields: { from: "Before to." } });
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > maxDays) {
    throw new ApiError("invalid_request", `At most ${maxDays} days at a time.`, {
      fields: { from: `At most ${maxDays} days before to.` },
    });
  }
  return { from, to };
}
