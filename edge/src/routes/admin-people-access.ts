/**
 * Who may use the admin API, managed by owners: API tokens (shown once, stored as a hash, revocable),
 * members (an email with a role per site, signing in through Cloudflare Access), the request's own
 * principal (`GET /me`, for the console), and a site's audit log. Mounted inside the admin app, so
 * the role table (shared/api/roles.ts) applies; an owner manages only tokens and members whose every
 * site they own.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type * as z from "zod/mini";
import {
  AuditQuerySchema,
  CreateTokenBodySchema,
  SaveMemberBodySchema,
} from "../../../shared/api/people-access.ts";
import { roleOn } from "../../../shared/api/roles.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { ulid } from "../ids.ts";
import { assertSiteAccess, TOKEN_PREFIX, tokenHash } from "../pipeline/auth.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { getSite } from "../sites.ts";
import { auditStoreFor, peopleStoreFor } from "../stores/index.ts";

export const accessAdmin = new Hono<AppEnv>();

async function body<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJsonBody(c.req.raw, 16 * 1024));
  if (!parsed.success) {
    throw new ApiError("invalid_request", "The request body is not valid.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  return parsed.data;
}

/** Whether the principal owns every one of these sites (`*`: owns every site). */
function ownsAll(c: Context<AppEnv>, sites: readonly string[]): boolean {
  const roles = c.get("principal")!.roles;
  return sites.every((site) => roleOn(roles, site) === "owner");
}

function assertOwnsAll(c: Context<AppEnv>, sites: readonly string[]): void {
  if (!ownsAll(c, sites)) throw new ApiError("forbidden", "You may only manage access to sites you own.");
  c.set("auditSites", [...sites]);
}

/** Sites named in a grant must exist (`*` always does): a typo would grant nothing, silently. */
function assertSitesExist(c: Context<AppEnv>, sites: readonly string[], field: string): void {
  const unknown = sites.filter((site) => site !== "*" && !getSite(site, c.env));
  if (unknown.length > 0) {
    throw new ApiError("validation_failed", "Some sites do not exist.", {
      fields: { [field]: `No such site: ${unknown.join(", ")}` },
    });
  }
}

const tokenSites = (sites: "*" | string[]) => (sites === "*" ? ["*"] : sites);

function emailParam(c: Context<AppEnv>): string {
  const email = (c.req.param("email") ?? "").trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw new ApiError("invalid_request", "That is not an email address.", { fields: { email: "Invalid." } });
  }
  return email;
}

/** 32 random bytes, base64url: what a client sends as `Authorization: Bearer lc_…`. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return TOKEN_PREFIX + base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

accessAdmin.get("/me", (c) => {
  const { kind, name, roles } = c.get("principal")!;
  return c.json({ kind, name, roles });
});

accessAdmin.get("/tokens", async (c) => {
  const tokens = await peopleStoreFor(c.env).listTokens();
  return c.json({ tokens: tokens.filter((t) => ownsAll(c, tokenSites(t.sites))) });
});

accessAdmin.post("/tokens", async (c) => {
  const input = await body(c, CreateTokenBodySchema);
  const sites: "*" | string[] = input.sites === "*" ? "*" : [...new Set(input.sites)];
  assertSitesExist(c, tokenSites(sites), "sites");
  assertOwnsAll(c, tokenSites(sites));
  const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : null;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    throw new ApiError("validation_failed", "The token would be expired already.", {
      fields: { expiresAt: "Must be in the future." },
    });
  }
  const secret = newSecret();
  const apiToken = {
    id: `tok_${ulid()}`,
    name: input.name,
    role: input.role,
    sites,
    createdAt: new Date().toISOString(),
    createdBy: c.get("principal")!.name,
    expiresAt,
    revokedAt: null,
    lastUsedAt: null,
  };
  await peopleStoreFor(c.env).createToken({ ...apiToken, hash: await tokenHash(secret) });
  c.set("auditTarget", `token "${apiToken.name}" (${apiToken.id}, ${apiToken.role})`);
  // The secret leaves the Worker this once; only its hash is kept.
  c.header("Cache-Control", "no-store");
  return c.json({ token: secret, apiToken }, 201);
});

accessAdmin.delete("/tokens/:id", async (c) => {
  const store = peopleStoreFor(c.env);
  const token = await store.getToken(c.req.param("id"));
  if (!token || !ownsAll(c, tokenSites(token.sites)))
    throw new ApiError("not_found", "There is no such token.");
  assertOwnsAll(c, tokenSites(token.sites));
  const at = new Date().toISOString();
  if (!(await store.revokeToken(token.id, at))) {
    throw new ApiError("conflict", `Token "${token.name}" was revoked already.`);
  }
  c.set("auditTarget", `token "${token.name}" (${token.id})`);
  return c.json({ ...token, revokedAt: at });
});

accessAdmin.get("/members", async (c) => {
  const members = await peopleStoreFor(c.env).listMembers();
  return c.json({ members: members.filter((m) => ownsAll(c, Object.keys(m.roles))) });
});

accessAdmin.put("/members/:email", async (c) => {
  const email = emailParam(c);
  const input = await body(c, SaveMemberBodySchema);
  const store = peopleStoreFor(c.env);
  const existing = await store.getMember(email);
  assertSitesExist(c, Object.keys(input.roles), "roles");
  // Replacing a member's roles touches the sites they had as well as the ones they get.
  assertOwnsAll(c, [...Object.keys(existing?.roles ?? {}), ...Object.keys(input.roles)]);
  const now = new Date().toISOString();
  const saved = await store.saveMember({
    email,
    roles: input.roles,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
  c.set(
    "auditTarget",
    `member ${email}: ${Object.entries(input.roles)
      .map(([s, r]) => `${s}=${r}`)
      .join(", ")}`,
  );
  return c.json(saved, existing ? 200 : 201);
});

accessAdmin.delete("/members/:email", async (c) => {
  const email = emailParam(c);
  const store = peopleStoreFor(c.env);
  const existing = await store.getMember(email);
  if (!existing || !ownsAll(c, Object.keys(existing.roles))) {
    throw new ApiError("not_found", "There is no such member.");
  }
  assertOwnsAll(c, Object.keys(existing.roles));
  await store.removeMember(email);
  c.set("auditTarget", `member ${email}`);
  return c.json(existing);
});

/** Who did what on the site, newest first: config saves, rollbacks, access changes, replays, erasures, exports. */
accessAdmin.get("/sites/:site/audit", async (c) => {
  const site = c.req.param("site");
  if (!getSite(site, c.env)) throw new ApiError("not_found", `There is no site "${site}".`);
  assertSiteAccess(c, site);
  const query = AuditQuerySchema.safeParse(c.req.query());
  if (!query.success) {
    throw new ApiError("invalid_request", "Some parameters are not valid.", {
      fields: fieldErrors(query.error.issues),
    });
  }
  const limit = Number(query.data.limit ?? 50);
  const entries = await auditStoreFor(c.env).listAudit(site, limit, query.data.cursor);
  return c.json({ entries, next: entries.length === limit ? entries.at(-1)!.id : null });
});
