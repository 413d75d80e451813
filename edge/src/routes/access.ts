/**
 * GET /v1/access: whether this browser request carries a Cloudflare Access sign-in of a member. Public
 * and never an error: the console asks it on its sign-in screen, where a 401 from the admin API would
 * be a red line in every browser console whenever the page is reached without Access (a token user).
 * It says only what the request's own cookie already proves; the admin API checks again on each call.
 */
import { Hono } from "hono/tiny";
import type { AppEnv } from "../env.ts";
import { accessPrincipal } from "../pipeline/access.ts";

export const access = new Hono<AppEnv>();

access.get("/", async (c) => {
  c.header("Cache-Control", "no-store");
  const member = await accessPrincipal(c).catch(() => null);
  return c.json(member ? { signedIn: true, email: member.name } : { signedIn: false });
});
