/**
 * Admin authentication: who a request acts as (its principal), in this order of preference.
 *
 * 1. Cloudflare Access (pipeline/access.ts), when ACCESS_TEAM_DOMAIN and ACCESS_AUD are set and the
 *    request carries its JWT: the verified email is a member's, with the member's role per site.
 * 2. A bearer token: ADMIN_TOKEN is the bootstrap owner of every site; ADMIN_TOKENS (JSON
 *    `{ "<token>": ["site", …] | "*" }`) adds owners of some sites (compared in constant time, as
 *    before); an API token made by an owner (`lc_…`) is found by its SHA-256 in the store, with its role
 *    and sites, unless revoked or expired.
 *
 * What the principal may do is pipeline/roles.ts's business. Site keys in the widget grant nothing here.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { SiteRoles } from "../../../shared/api/roles.ts";
import type { AppEnv, Principal } from "../env.ts";
import { ApiError } from "../errors.ts";
import { splitList } from "../sites.ts";
import { peopleStoreFor } from "../stores/index.ts";
import { accessPrincipal } from "./access.ts";
import { allowedOn } from "./roles.ts";

export type { Principal } from "../env.ts";

/** The sites a request's token may see: every site, or these. */
export type AdminScope = "*" | ReadonlySet<string>;

const encoder = new TextEncoder();
const digest = (text: string) => crypto.subtle.digest("SHA-256", encoder.encode(text));
const hex = (bytes: ArrayBuffer, length = bytes.byteLength) =>
  [...new Uint8Array(bytes, 0, length)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The hex SHA-256 an API token is stored under. */
export const tokenHash = async (token: string) => hex(await digest(token));

/** API tokens made in the store start with this; anything else is only checked against the variables. */
export const TOKEN_PREFIX = "lc_";

/** A use of an API token is recorded at most this often (one store write a minute per token, not per request). */
const LAST_USE_EVERY_MS = 60_000;

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

/** Work after the answer (recording a token's use): waitUntil in a Worker, awaited where there is none. */
export async function later(c: Context<AppEnv>, work: Promise<unknown>): Promise<void> {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx as ExecutionContext;
  } catch {
    ctx = undefined;
  }
  const quiet = work.catch((error: unknown) => console.error("[leadcap] background write failed", error));
  if (ctx) ctx.waitUntil(quiet);
  else await quiet;
}

/** The principal of a bearer token: a variable's (owner), or an API token's from the store. */
async function bearerPrincipal(c: Context<AppEnv>, token: string): Promise<Principal | null> {
  const given = await digest(token);
  let scope: AdminScope | undefined;
  // Check every configured token, without stopping at a match, so timing says nothing about which one.
  const configured = configuredTokens(c.env);
  for (const [expected, sites] of configured) {
    if ((await tokensEqual(given, expected)) && scope === undefined) scope = sites;
  }
  if (scope !== undefined) {
    const bootstrap = scope === "*" && !!c.env.ADMIN_TOKEN && (await tokensEqual(given, c.env.ADMIN_TOKEN));
    const roles: SiteRoles = scope === "*" ? { "*": "owner" } : {};
    if (scope !== "*") for (const site of scope) roles[site] = "owner";
    // Who did it, in the config history: a short fingerprint of the token, never the token.
    const fingerprint = `token ${hex(given, 4)}`;
    return {
      kind: bootstrap ? "bootstrap" : "token",
      name: bootstrap ? "bootstrap" : fingerprint,
      roles,
      actor: fingerprint,
    };
  }
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const store = peopleStoreFor(c.env);
  const stored = await store.tokenByHash(hex(given));
  const now = Date.now();
  if (!stored || stored.revokedAt || (stored.expiresAt && Date.parse(stored.expiresAt) <= now)) return null;
  if (!stored.lastUsedAt || Date.parse(stored.lastUsedAt) <= now - LAST_USE_EVERY_MS) {
    await later(
      c,
      store.touchToken(
        stored.id,
        new Date(now).toISOString(),
        new Date(now - LAST_USE_EVERY_MS).toISOString(),
      ),
    );
  }
  const roles: SiteRoles =
    stored.sites === "*"
      ? { "*": stored.role }
      : Object.fromEntries(stored.sites.map((s) => [s, stored.role]));
  return { kind: "token", name: stored.name, roles, actor: stored.name, tokenId: stored.id };
}

/**
 * A change made with an Access sign-in must come from a page of this origin (or of ADMIN_ORIGINS):
 * the browser sends the Access cookie with any request to this host, a cross-site one too, and Access
 * then vouches for it. A bearer token is never sent by a browser on its own, so it needs no such check.
 */
function assertSameSite(c: Context<AppEnv>): void {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return;
  const origin = c.req.header("origin");
  const own = new URL(c.req.url).origin;
  if (origin === own || (origin && splitList(c.env.ADMIN_ORIGINS).includes(origin))) return;
  throw new ApiError(
    "forbidden",
    "A change signed in through Cloudflare Access must come from the console's own page.",
  );
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    let principal = await accessPrincipal(c);
    if (principal) assertSameSite(c);
    if (!principal) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
      if (match) principal = await bearerPrincipal(c, match[1]!);
    }
    if (!principal) {
      throw new ApiError("unauthorized", "A valid admin token is required (Authorization: Bearer …).", {
        headers: { "WWW-Authenticate": 'Bearer realm="leadcap-admin"' },
      });
    }
    c.set("principal", principal);
    c.set("adminActor", principal.actor);
    const sites = Object.keys(principal.roles);
    c.set("adminScope", sites.includes("*") ? "*" : new Set(sites));
    await next();
  };
}

/** Whether the request's principal may do this route's operation on `site` (pipeline/roles.ts). */
export function canSee(c: Context<AppEnv>, site: string): boolean {
  return allowedOn(c, site);
}

/** 403 when the principal may not do this on this site; else the site is the one the audit log names. */
export function assertSiteAccess(c: Context<AppEnv>, site: string): void {
  if (!allowedOn(c, site)) throw new ApiError("forbidden", `You may not do this on site "${site}".`);
  c.set("auditSites", [site]);
}
