/**
 * The site registry: the sites in the LEADCAP_SITES variable (a JSON array of site configs, so a
 * deployment adds or changes sites without a code change) and, over them, the newest version of each
 * config saved in the store from the console (version 0 is the one in the variable). No site is
 * compiled in: the demo site (shared/sites/demo.ts) reaches the local stack and the tests through
 * LEADCAP_SITES (shared/sites/dev.ts), never a production build. Configs are plain data validated with the shared schema; `${NAME}` placeholders are
 * resolved from the Worker's variables per request, so secrets and deployment-specific origins never
 * live in the config.
 *
 * Saved configs are read once every few seconds per isolate (refreshSites, called before a request is
 * handled), so a save reaches every isolate within SAVED_TTL_MS and costs no store read per lead.
 */
import { type FormConfig, type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { Env } from "./env.ts";
import { configStoreFor, upstashCredentials } from "./stores/index.ts";
import type { ConfigVersion } from "./stores/ports/config.ts";

const NONE: ReadonlyMap<string, SiteConfig> = new Map();

// Parsed LEADCAP_SITES, keyed by its text: parsing is a pure function of the variable.
let parsedFrom: string | undefined;
let parsed: ReadonlyMap<string, SiteConfig> = NONE;

function registry(env: Env): ReadonlyMap<string, SiteConfig> {
  const raw = typeof env.LEADCAP_SITES === "string" ? env.LEADCAP_SITES : "";
  if (!raw) return NONE;
  if (raw !== parsedFrom) {
    parsedFrom = raw;
    const sites = new Map<string, SiteConfig>();
    try {
      const list: unknown = JSON.parse(raw);
      for (const input of Array.isArray(list) ? list : [list]) {
        const result = SiteSchema.safeParse(input);
        if (result.success) sites.set(result.data.id, result.data);
        else
          console.error(
            "[leadcap] LEADCAP_SITES: a site config is invalid and was skipped",
            result.error.issues,
          );
      }
    } catch (error) {
      console.error("[leadcap] LEADCAP_SITES is not valid JSON; no site from it is served", error);
    }
    parsed = sites;
  }
  return parsed;
}

/** How long an isolate serves saved configs before reading them again. */
export const SAVED_TTL_MS = 5_000;

export interface SiteVersion {
  version: number;
  /** When it was saved; null for the config in code. */
  updatedAt: string | null;
  source: "store" | "code";
}

interface Saved extends SiteVersion {
  site: SiteConfig;
}

let saved: ReadonlyMap<string, Saved> = new Map();
let savedFrom: string | undefined;
let savedAt = Number.NEGATIVE_INFINITY;

/** Which store the saved configs came from: a different store (a test, a switch) means read again. */
const storeIdentity = (env: Env) => upstashCredentials(env)?.url ?? "d1";

/** The saved config, or, when it no longer validates (a schema change), the last valid one known here. */
function parseSaved(row: ConfigVersion, previous: Saved | undefined): Saved | undefined {
  const result = SiteSchema.safeParse(row.config);
  if (result.success && result.data.id === row.site)
    return { site: result.data, version: row.version, updatedAt: row.createdAt, source: "store" };
  console.error(
    `[leadcap] saved config ${row.site} v${row.version} does not validate; serving ${previous ? `v${previous.version}` : "the config in code"}`,
    result.success ? "id mismatch" : result.error.issues,
  );
  return previous;
}

/**
 * Reads the saved configs when this isolate's copy is older than SAVED_TTL_MS. A store that cannot be
 * read leaves the last known configs in place (code configs at worst), logged.
 */
export async function refreshSites(env: Env): Promise<void> {
  const identity = storeIdentity(env);
  if (identity === savedFrom && Date.now() - savedAt < SAVED_TTL_MS) return;
  try {
    const rows = await configStoreFor(env).currentConfigs();
    const known = identity === savedFrom ? saved : new Map<string, Saved>();
    const next = new Map<string, Saved>();
    for (const row of rows) {
      const entry = parseSaved(row, known.get(row.site));
      if (entry) next.set(row.site, entry);
    }
    saved = next;
    savedFrom = identity;
    savedAt = Date.now();
  } catch (error) {
    console.error("[leadcap] saved site configs could not be read; serving the last known ones", error);
    if (identity !== savedFrom) {
      saved = new Map();
      savedFrom = identity;
    }
    // Try again on the next request after a short pause, not on every request.
    savedAt = Date.now() - SAVED_TTL_MS + 1_000;
  }
}

/** This isolate serves a config it has just saved at once, without waiting for the next read. */
export function useSaved(env: Env, site: SiteConfig, version: number, updatedAt: string): void {
  if (savedFrom !== storeIdentity(env)) return;
  saved = new Map(saved).set(site.id, { site, version, updatedAt, source: "store" });
}

/** This isolate stops serving a site it has just deleted at once; other isolates within SAVED_TTL_MS. */
export function forgetSite(env: Env, id: string): void {
  if (savedFrom !== storeIdentity(env)) return;
  const next = new Map(saved);
  next.delete(id);
  saved = next;
}

/** The site as LEADCAP_SITES configures it (version 0), whatever is saved over it. */
export function builtInSite(id: string, env: Env): SiteConfig | undefined {
  return registry(env).get(id);
}

function savedFor(env: Env): ReadonlyMap<string, Saved> {
  return savedFrom === storeIdentity(env) ? saved : new Map();
}

/** Which version of the site's config is served, and where it came from. */
export function siteVersion(id: string, env: Env): SiteVersion | undefined {
  const entry = savedFor(env).get(id);
  if (entry) return { version: entry.version, updatedAt: entry.updatedAt, source: "store" };
  return registry(env).has(id) ? { version: 0, updatedAt: null, source: "code" } : undefined;
}

const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;

/** Replaces `${NAME}` with the variable's value; undefined when any named variable is unset or empty. */
export function resolvePlaceholders(value: string, env: Env): string | undefined {
  let missing = false;
  const out = value.replace(PLACEHOLDER, (_, name: string) => {
    const v = env[name];
    if (typeof v !== "string" || v === "") missing = true;
    return typeof v === "string" ? v : "";
  });
  return missing ? undefined : out;
}

export function getSite(id: string, env: Env): SiteConfig | undefined {
  return savedFor(env).get(id)?.site ?? registry(env).get(id);
}

export function allSites(env: Env): Iterable<SiteConfig> {
  const sites = new Map(registry(env));
  for (const [id, entry] of savedFor(env)) sites.set(id, entry.site);
  return sites.values();
}

export function getForm(site: SiteConfig, formId: string): FormConfig | undefined {
  return site.forms.find((form) => form.id === formId);
}

/** Splits a list of origins written with spaces or commas. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}

export function allowedOrigins(site: SiteConfig, env: Env): string[] {
  return site.allowedOrigins.flatMap((entry) => splitList(resolvePlaceholders(entry, env)));
}

/** Exact match only; the literal `null` origin (sandboxed iframes, file://) is never allowed. */
export function isOriginAllowed(site: SiteConfig, origin: string, env: Env): boolean {
  return origin !== "null" && allowedOrigins(site, env).includes(origin);
}
