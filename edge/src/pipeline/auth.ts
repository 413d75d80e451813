/**
 * Admin authentication. Bearer tokens are compared in constant time and scoped to sites:
 * ADMIN_TOKEN may see every site; ADMIN_TOKENS (JSON `{ "<token>": ["site", …] | "*" }`) adds tokens
 * for some sites only (a CRM integration per brand, an agency per client). Site keys in the widget
 * are public and grant nothing here.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { splitList } from "../sites.ts";

/** The sites a request's token may see: every site, or these. */
export type AdminScope = "*" | ReadonlySet<string>;

const encoder = new TextEncoder();
const digest = (text: string) => crypto.subtle.digest("SHA-256", encoder.encode(text));

/** Constant-time comparison: hashing first makes the lengths equal, so nothing leaks through timing. */
async function tokensEqual(given: ArrayBuffer, expected: string): Promise<boolean> {
  return crypto.subtle.timingSafeEqual(given, await digest(expected));
}

function configuredTokens(env: AppEnv["Bindings"]): [string, AdminScope][] {
  const tokens: [string, AdminScope][] = [];
  if (env.ADMIN_TOKEN) tokens.push([env.ADMIN_TOKEN, "*"]);
  const raw = typeof env.ADMIN_TOKENS === "string" ? env.ADMIN_TOKENS : "";
  if (raw) {
    try {
      const scoped = JSON.parse(raw) as Record<string, unknown>;
      for (const [token, sites] of Object.entries(scoped)) {
        if (token.length < 16) continue; // refuse guessable tokens rather than accept them quietly
        if (sites === "*") tokens.push([token, "*"]);
        else if (Array.isArray(sites))
          tokens.push([token, new Set(sites.filter((s): s is string => typeof s === "string"))]);
      }
    } catch {
      console.error("[leadcap] ADMIN_TOKENS is not valid JSON; only ADMIN_TOKEN is accepted");
    }
  }
  return tokens;
}

export function adminCors(): MiddlewareHandler<AppEnv> {
  return async function adminCors(c, next) {
    c.header("Vary", "Origin");
    const origin = c.req.header("origin");
    if (origin && origin !== "null" && splitList(c.env.ADMIN_ORIGINS).includes(origin)) {
      c.header("Access-Control-Allow-Origin", origin);
      if (c.req.method === "OPTIONS") {
        c.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        c.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        c.header("Access-Control-Max-Age", "600");
        return c.body(null, 204);
      }
    }
    await next();
  };
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    let scope: AdminScope | undefined;
    let actor = "";
    if (match) {
      const given = await digest(match[1]!);
      // Check every token, without stopping at a match, so timing says nothing about which one.
      for (const [token, sites] of configuredTokens(c.env)) {
        if ((await tokensEqual(given, token)) && scope === undefined) scope = sites;
      }
      // Who did it, in the config history: a short fingerprint of the token, never the token.
      const hex = [...new Uint8Array(given, 0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
      actor = `token ${hex}`;
    }
    if (scope === undefined) {
      throw new ApiError("unauthorized", "A valid admin token is required (Authorization: Bearer …).", {
        headers: { "WWW-Authenticate": 'Bearer realm="leadcap-admin"' },
      });
    }
    c.set("adminScope", scope);
    c.set("adminActor", actor);
    await next();
  };
}

export function canSee(c: Context<AppEnv>, site: string): boolean {
  const scope = c.get("adminScope");
  return scope === "*" || scope?.has(site) === true;
}

/** 403 when the token is valid but not for this site. */
export function assertSiteAccess(c: Context<AppEnv>, site: string): void {
  if (!canSee(c, site)) throw new ApiError("forbidden", `This token may not see site "${site}".`);
}
