/**
 * Who may do what in the admin API: one table, read by the edge (pipeline/roles.ts checks every admin
 * route against it before the handler runs) and by the console (it offers only what the role may do).
 * Plain data, no zod: the console imports it as is.
 *
 * - owner:   everything, and alone: members, tokens, sites, destinations, a person's export and erasure.
 * - editor:  forms, channels, scoring, routing (the config), calibration, deliveries and replay; reads
 *            leads and metrics; reads the audit log (to see who changed the config they edit).
 * - analyst: reads leads and metrics, exports CSV. Changes nothing.
 * - crm:     a CRM writing back: stages, outcomes and product events on leads. Reads nothing.
 */

export const ROLES = ["owner", "editor", "analyst", "crm"] as const;
export type Role = (typeof ROLES)[number];

/** A role per site; the key `*` stands for every site (one named explicitly takes precedence). */
export type SiteRoles = Record<string, Role>;

const ALL: readonly Role[] = ROLES;
const OWNER: readonly Role[] = ["owner"];
const EDIT: readonly Role[] = ["owner", "editor"];
const READ: readonly Role[] = ["owner", "editor", "analyst"];
const WRITE_BACK: readonly Role[] = ["owner", "editor", "crm"];

export interface Operation {
  /** The roles that may call it. */
  roles: readonly Role[];
  /** The audit log's action name, for an operation recorded there when it succeeds. */
  audit?: string;
  /** Only a principal holding the role on every site (`*`) may call it (creating a site). */
  everySite?: true;
}

/**
 * Every admin route, `METHOD path` below /v1/admin, as the router spells it. A route missing here is
 * refused (403) for everyone; tests/edge/roles.test.ts walks the app's routes so none can be missed.
 */
export const OPERATIONS = {
  "GET /me": { roles: ALL },
  "GET /sites": { roles: READ },
  "POST /sites": { roles: OWNER, audit: "site.create", everySite: true },
  "DELETE /sites/:site": { roles: OWNER, audit: "site.delete" },
  "GET /leads": { roles: READ },
  "GET /leads.csv": { roles: READ, audit: "leads.export" },
  "GET /leads/:id": { roles: READ },
  "GET /leads/:id/outcome": { roles: READ },
  "GET /leads/:id/submissions": { roles: READ },
  "GET /leads/:id/events": { roles: READ },
  "GET /leads/:id/stages": { roles: READ },
  "POST /leads/:id/stage": { roles: WRITE_BACK },
  "POST /leads/:id/events": { roles: WRITE_BACK },
  "POST /outcomes": { roles: WRITE_BACK },
  "GET /metrics": { roles: READ },
  "GET /sites/:site/capture-health": { roles: READ },
  "GET /sites/:site/config": { roles: EDIT },
  "PUT /sites/:site/config": { roles: EDIT, audit: "config.save" },
  "POST /sites/:site/config/rollback": { roles: EDIT, audit: "config.rollback" },
  "GET /sites/:site/config/versions": { roles: EDIT },
  "GET /sites/:site/config/versions/:version": { roles: EDIT },
  "POST /sites/:site/calibration": { roles: EDIT },
  "POST /sites/:site/allowed-origins": { roles: EDIT, audit: "config.save" },
  "GET /sites/:site/audit": { roles: EDIT },
  "GET /destinations": { roles: EDIT },
  "GET /destinations/:id": { roles: EDIT },
  "POST /destinations/:id/pause": { roles: OWNER, audit: "destination.pause" },
  "POST /destinations/:id/resume": { roles: OWNER, audit: "destination.resume" },
  "POST /destinations/:id/test": { roles: OWNER },
  "GET /deliveries": { roles: EDIT },
  "GET /deliveries/:id": { roles: EDIT },
  "POST /deliveries/:id/replay": { roles: EDIT, audit: "delivery.replay" },
  "POST /deliveries/replay": { roles: EDIT, audit: "delivery.replay" },
  "GET /people/:email/export": { roles: OWNER, audit: "person.export" },
  "DELETE /people/:email": { roles: OWNER, audit: "person.erase" },
  "GET /tokens": { roles: OWNER },
  "POST /tokens": { roles: OWNER, audit: "token.create" },
  "DELETE /tokens/:id": { roles: OWNER, audit: "token.revoke" },
  "GET /members": { roles: OWNER },
  "PUT /members/:email": { roles: OWNER, audit: "member.save" },
  "DELETE /members/:email": { roles: OWNER, audit: "member.remove" },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

/** The role a principal holds on a site: the site's own entry, else the one for every site. */
export function roleOn(roles: SiteRoles, site: string): Role | undefined {
  return Object.hasOwn(roles, site) ? roles[site] : roles["*"];
}

/** Whether `role` may perform `operation` (an unknown operation: nobody may). */
export function allows(role: Role | undefined, operation: string): boolean {
  const op = (OPERATIONS as Record<string, Operation>)[operation];
  return role !== undefined && op?.roles.includes(role) === true;
}

/** Whether the principal may perform `operation` on at least one site (what the console offers). */
export function allowsSomewhere(roles: SiteRoles, operation: string): boolean {
  return Object.values(roles).some((role) => allows(role, operation));
}
