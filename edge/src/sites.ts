/**
 * The site registry: the sites in code (shared/sites) plus those in the LEADCAP_SITES variable (a JSON
 * array of site configs, so a deployment adds or changes sites without a code change). Configs are
 * plain data validated with the shared schema once per isolate; `${NAME}` placeholders are resolved
 * from the Worker's variables per request, so secrets and deployment-specific origins never live in
 * the config.
 */
import { type FormConfig, type SiteConfig, SiteSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import type { Env } from "./env.ts";

const BUILT_IN: ReadonlyMap<string, SiteConfig> = new Map(
  [demoSite].map((input) => {
    const site = SiteSchema.parse(input);
    return [site.id, site];
  }),
);

// Parsed LEADCAP_SITES, keyed by its text: parsing is a pure function of the variable.
let parsedFrom: string | undefined;
let parsed: ReadonlyMap<string, SiteConfig> = BUILT_IN;

function registry(env: Env): ReadonlyMap<string, SiteConfig> {
  const raw = typeof env.LEADCAP_SITES === "string" ? env.LEADCAP_SITES : "";
  if (!raw) return BUILT_IN;
  if (raw !== parsedFrom) {
    parsedFrom = raw;
    const sites = new Map(BUILT_IN);
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
      console.error("[leadcap] LEADCAP_SITES is not valid JSON; only built-in sites are served", error);
    }
    parsed = sites;
  }
  return parsed;
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
  return registry(env).get(id);
}

export function allSites(env: Env): Iterable<SiteConfig> {
  return registry(env).values();
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
