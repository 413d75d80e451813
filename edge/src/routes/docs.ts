/**
 * The API's own description: /v1/openapi.json and /v1/docs, a readable reference page of the same
 * document (no external script or stylesheet). Both are built from the shared zod schemas at build
 * time (`npm run build`, tests/tools/build-openapi.ts) into the Worker's static assets and read from
 * there: the Worker carries neither the schemas of its answers nor the page's renderer.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

export const docs = new Hono<AppEnv>();

async function asset(c: Context<AppEnv>, file: string): Promise<Response> {
  const res = await c.env.ASSETS?.fetch(new Request(new URL(`/${file}`, c.req.url)));
  if (!res?.ok) throw new ApiError("unavailable", "The API document has not been built (npm run build).");
  return res;
}

docs.get("/openapi.json", async (c) => {
  const doc = (await (await asset(c, "openapi.json")).json()) as Record<string, unknown>;
  c.header("Access-Control-Allow-Origin", "*");
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ ...doc, servers: [{ url: new URL(c.req.url).origin }] });
});

docs.get("/docs", async (c) => {
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return c.html(await (await asset(c, "openapi.html")).text());
});
