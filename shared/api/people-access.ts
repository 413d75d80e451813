/**
 * Who may use the admin API: API tokens and members (an email with a role per site, signed in through
 * Cloudflare Access), the principal a request acts as (`GET /v1/admin/me`), and the audit log. The
 * role table itself is shared/api/roles.ts.
 */
import * as z from "zod/mini";
import { ROLES } from "./roles.ts";

export const RoleSchema = z.enum(ROLES);
/** A role per site; `*` stands for every site. */
export const SiteRolesSchema = z.record(z.string().check(z.minLength(1), z.maxLength(64)), RoleSchema);

/** An API token as listed: never the token itself, which is shown once, at creation. */
export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  /** The sites it acts on, or `*` for every site. */
  sites: z.union([z.literal("*"), z.array(z.string())]),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.nullable(z.string()),
  revokedAt: z.nullable(z.string()),
  /** Recorded at most once a minute. */
  lastUsedAt: z.nullable(z.string()),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const TokenListSchema = z.object({ tokens: z.array(ApiTokenSchema) });

export const CreateTokenBodySchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  role: RoleSchema,
  sites: z.union([
    z.literal("*"),
    z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1)),
  ]),
  /** When it stops working (ISO 8601); never when left out. */
  expiresAt: z.optional(z.iso.datetime({ offset: true })),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBodySchema>;

/** `POST /v1/admin/tokens`: the token, this once, with what is stored about it. */
export const CreatedTokenSchema = z.object({ token: z.string(), apiToken: ApiTokenSchema });

export const MemberSchema = z.object({
  email: z.string(),
  roles: SiteRolesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;

export const MemberListSchema = z.object({ members: z.array(MemberSchema) });

/** `PUT /v1/admin/members/{email}`: the member's roles, replacing what they had. */
export const SaveMemberBodySchema = z.object({
  roles: SiteRolesSchema.check(z.refine((roles) => Object.keys(roles).length > 0, "Give at least one role.")),
});

export const PrincipalKindSchema = z.enum(["bootstrap", "token", "member"]);

/** `GET /v1/admin/me`: who the request acts as, and its role per site (the console hides the rest). */
export const MeSchema = z.object({
  kind: PrincipalKindSchema,
  /** The member's email, the token's name, or `bootstrap` (ADMIN_TOKEN). */
  name: z.string(),
  roles: SiteRolesSchema,
});
export type Me = z.infer<typeof MeSchema>;

/** One audit log entry: who did what, to what, when. */
export const AuditEntrySchema = z.object({
  id: z.string(),
  /** The site it concerns, or `*` (a change to a token or member for every site). */
  site: z.string(),
  at: z.string(),
  actor: z.string(),
  actorKind: PrincipalKindSchema,
  /** What, as the role table names it: config.save, token.create, person.erase, … */
  action: z.string(),
  /** To what: a version, a token's name, a member's email, a delivery, an erasure receipt. */
  target: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), next: z.nullable(z.string()) });

export const AuditQuerySchema = z.object({
  limit: z.optional(z.string().check(z.regex(/^(?:[1-9]\d?|1\d\d|200)$/))),
  cursor: z.optional(z.string().check(z.maxLength(64))),
});
