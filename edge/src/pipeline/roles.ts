/**
 * Authorization for every admin route, in one middleware: the route's operation (its method and path,
 * as the router matched it) is looked up in the role table (shared/api/roles.ts); a principal with no
 * role that allows it, on any site, is refused (403) before the handler runs. The handler then names
 * the site it acts on (assertSiteAccess / canSee), checked against the role the principal holds there.
 * After a successful answer, an operation the table marks as audited is written to the audit log, so
 * no route can forget to.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AuditEntry } from "../../../shared/api/people-access.ts";
import { allows, allowsSomewhere, OPERATIONS, type Operation, roleOn } from "../../../shared/api/roles.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { ulid } from "../ids.ts";
import { auditStoreFor } from "../stores/index.ts";

const ADMIN_PREFIX = "/v1/admin";

/** `GET /leads/:id`: the operation of the route that will answer, or undefined when none matched (404, 405). */
export function operationOf(c: Context<AppEnv>): string | undefined {
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const route = matchedRoutes(c).findLast((r) => r.method === method && r.path.startsWith(ADMIN_PREFIX));
  return route && `${method} ${route.path.slice(ADMIN_PREFIX.length)}`;
}

/** Whether the request's principal may do the current operation on `site`. */
export function allowedOn(c: Context<AppEnv>, site: string): boolean {
  const principal = c.get("principal");
  const operation = c.get("operation");
  return !!principal && !!operation && allows(roleOn(principal.roles, site), operation);
}

export function authorize(): MiddlewareHandler<AppEnv> {
  return async function authorize(c, next) {
    const name = operationOf(c);
    // No route answers this method and path: let the app say 404 or 405.
    if (name === undefined) return next();
    const op = (OPERATIONS as Record<string, Operation>)[name];
    const roles = c.get("principal")?.roles ?? {};
    if (!op || !allowsSomewhere(roles, name) || (op.everySite && !allows(roles["*"], name))) {
      throw new ApiError("forbidden", "Your role does not allow this.");
    }
    c.set("operation", name);
    await next();
    if (op.audit && c.res.status < 400) await audit(c, op.audit);
  };
}

/**
 * The route's own words for what it acted on, else its path with the parameters filled in (but never
 * a person's email: an erasure's entry must not keep the address it erased).
 */
function target(c: Context<AppEnv>): string {
  const set = c.get("auditTarget");
  if (set) return set;
  const params = c.req.param() as Record<string, string>;
  const pattern = (c.get("operation") ?? "").replace(/^\S+ /, "");
  return pattern.replace(/:(\w+)/g, (whole, name: string) =>
    name === "email" ? whole : (params[name] ?? whole),
  );
}

/** Appends the audit entries of a successful change: one per site it concerned (`*` when none). */
export async function audit(c: Context<AppEnv>, action: string): Promise<void> {
  const principal = c.get("principal")!;
  const at = new Date().toISOString();
  const sites = c.get("auditSites") ?? ["*"];
  const what = target(c);
  const entries: AuditEntry[] = [...new Set(sites)].map((site) => ({
    id: ulid(),
    site,
    at,
    actor: principal.name,
    actorKind: principal.kind,
    action,
    target: what,
  }));
  await auditStoreFor(c.env).appendAudit(entries);
}
