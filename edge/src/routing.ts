/**
 * Routing: which destinations receive a lead or a lead event. The ingest and lifecycle paths ask
 * here which outbox rows to write; the delivery side asks how to reach a destination.
 */
import type { SiteConfig } from "../../shared/config.ts";
import type { Destination } from "../../shared/destinations.ts";
import type { Lead, LeadEventType } from "../../shared/lead.ts";
import type { Env } from "./env.ts";
import { resolvePlaceholders } from "./sites.ts";

export interface ResolvedDestination extends Destination {}

/** Destinations whose variables are all set; the others are skipped with a log line. */
export function activeDestinations(site: SiteConfig, env: Env): ResolvedDestination[] {
  const out: ResolvedDestination[] = [];
  for (const destination of site.destinations) {
    const url = resolvePlaceholders(destination.url, env);
    const secret = resolvePlaceholders(destination.secret, env);
    if (!url || !secret) {
      console.warn(`[leadcap] destination ${site.id}/${destination.id} skipped: its variables are not set`);
      continue;
    }
    out.push({ ...destination, url, secret });
  }
  return out;
}

export function findDestination(site: SiteConfig, id: string, env: Env): ResolvedDestination | undefined {
  return activeDestinations(site, env).find((d) => d.id === id);
}

/**
 * The destinations a lead (or an event about it) is routed to. `eventType` is undefined for a
 * submission, which becomes lead.created or lead.merged inside the store's atomic write.
 */
export function destinationsFor(
  site: SiteConfig,
  _lead: Lead,
  env: Env,
  _eventType?: LeadEventType,
): ResolvedDestination[] {
  return activeDestinations(site, env);
}
