/**
 * The admin API, read side of the built-in CRM store. Every route is behind a bearer token compared
 * in constant time; browsers may call it only from the console origins in ADMIN_ORIGINS.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { getSite, splitList } from "../sites.ts";
import { storeFor } from "../stores/index.ts";

export const admin = new Hono<AppEnv>();

const encoder = new TextEncoder();

/** Constant-time comparison: hashing first makes the lengths equal, so nothing leaks through timing. */
async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

admin.use("*", async function adminCors(c, next) {
  c.header("Vary", "Origin");
  const origin = c.req.header("origin");
  if (origin && origin !== "null" && splitList(c.env.ADMIN_ORIGINS).includes(origin)) {
    c.header("Access-Control-Allow-Origin", origin);
    if (c.req.method === "OPTIONS") {
      c.header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
      c.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      c.header("Access-Control-Max-Age", "600");
      return c.body(null, 204);
    }
  }
  await next();
});

admin.use("*", async function adminAuth(c, next) {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const expected = c.env.ADMIN_TOKEN;
  if (!match || !expected || !(await tokensEqual(match[1]!, expected))) {
    throw new ApiError("unauthorized", "A valid admin token is required (Authorization: Bearer …).", {
      headers: { "WWW-Authenticate": 'Bearer realm="leadcap-admin"' },
    });
  }
  await next();
});

admin.get("/leads", async (c) => {
  const siteId = c.req.query("site") ?? "demo";
  if (!getSite(siteId, c.env)) throw new ApiError("not_found", `There is no site "${siteId}".`);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ApiError("invalid_request", "limit must be an integer from 1 to 500.", {
      fields: { limit: "1–500" },
    });
  }
  const page = await storeFor(c.env).listLeads(siteId, { limit, cursor: c.req.query("cursor") });
  return c.json(page);
});

admin.get("/leads/:id", async (c) => {
  const lead = await storeFor(c.env).getLead(c.req.param("id"));
  if (!lead) throw new ApiError("not_found", "There is no such lead.");
  return c.json(lead);
});

admin.get("/leads/:id/submissions", async (c) => {
  const store = storeFor(c.env);
  const lead = await store.getLead(c.req.param("id"));
  if (!lead) throw new ApiError("not_found", "There is no such lead.");
  return c.json({ submissions: await store.listSubmissions(lead.id) });
});
