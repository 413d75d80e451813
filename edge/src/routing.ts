/**
 * Routing: which destinations receive a lead or a lead event. The ingest and lifecycle paths ask
 * here which outbox rows to write; the delivery side asks how to reach a destination.
 */
import type { SiteConfig } from "../../shared/config.ts";
import { type Destination, type Route, type RouteWhen, routeConditions } from "../../shared/destinations.ts";
import type { Lead, LeadEventType } from "../../shared/lead.ts";
import { allHold, type Read } from "../../shared/rules.ts";
import { emailDomainType, type ScoringInput, signalOf } from "../../shared/scoring-input.ts";
import type { Env } from "./env.ts";
import { getForm, resolvePlaceholders } from "./sites.ts";

/** A destination with its `${NAME}` placeholders replaced by the Worker's variables. */
export type ResolvedDestination = Destination;

/** Resolves every text value (and header value) of a destination; undefined when a variable is unset. */
export function resolveDestination(destination: Destination, env: Env): ResolvedDestination | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(destination)) {
    if (typeof value === "string") {
      const resolved = resolvePlaceholders(value, env);
      if (resolved === undefined) return undefined;
      out[key] = resolved;
    } else if (key === "headers" && value && typeof value === "object") {
      const headers: Record<string, string> = {};
      for (const [name, v] of Object.entries(value as Record<string, string>)) {
        const resolved = resolvePlaceholders(v, env);
        if (resolved === undefined) return undefined;
        headers[name] = resolved;
      }
      out[key] = headers;
    } else {
      out[key] = value;
    }
  }
  return out as ResolvedDestination;
}

/** Destinations whose variables are all set; the others are skipped with a log line. */
export function activeDestinations(site: SiteConfig, env: Env): ResolvedDestination[] {
  const out: ResolvedDestination[] = [];
  for (const destination of site.destinations) {
    const resolved = resolveDestination(destination, env);
    if (!resolved) {
      console.warn(`[leadcap] destination ${site.id}/${destination.id} skipped: its variables are not set`);
      continue;
    }
    out.push(resolved);
  }
  return out;
}

export function findDestination(site: SiteConfig, id: string, env: Env): ResolvedDestination | undefined {
  const destination = site.destinations.find((d) => d.id === id);
  return destination && resolveDestination(destination, env);
}

/** What routing conditions (the `when` shorthand and `conditions`) look at. */
export function routingInput(site: SiteConfig, lead: Lead, eventType: LeadEventType | undefined) {
  const domain = lead.email.slice(lead.email.lastIndexOf("@") + 1);
  return {
    id: lead.id,
    event: eventType,
    temperature: lead.temperature,
    stage: lead.stage,
    score: lead.score,
    form: { id: lead.form, intent: getForm(site, lead.form)?.intent ?? "other" },
    fields: lead.fields,
    email: { domain, domainType: emailDomainType(domain) },
    engagement: lead.engagement,
    keyPages: lead.engagement.keyPages,
    firstTouch: lead.firstTouch,
    lastTouch: lead.lastTouch,
    channel: lead.lastTouch.channel,
    components: lead.components,
  };
}
export type RoutingInput = ReturnType<typeof routingInput>;

/** Reads a signal of the routing input: scoring's signals, and temperature, stage, score, event. */
function reader(input: RoutingInput): Read {
  return (signal) =>
    // A submission becomes lead.created or lead.merged inside the store's atomic write, so before
    // it (no event yet) it is both, and a route for either event applies.
    signal === "event" && input.event === undefined
      ? ["lead.created", "lead.merged"]
      : signalOf(input as Partial<ScoringInput>, signal);
}

export function routeMatches(when: RouteWhen | undefined, input: RoutingInput): boolean {
  return !when || allHold(routeConditions(when), reader(input));
}

/** The routes a lead (or event) matches, in order, honouring `stop`. */
export function matchingRoutes(
  site: SiteConfig,
  lead: Lead,
  eventType?: LeadEventType,
): { routes: Route[]; destinationIds: string[] } {
  const routing = site.routing;
  if (!routing) return { routes: [], destinationIds: site.destinations.map((d) => d.id) };
  const input = routingInput(site, lead, eventType);
  const routes: Route[] = [];
  for (const route of routing.routes) {
    if (!routeMatches(route.when, input)) continue;
    routes.push(route);
    if (route.stop) break;
  }
  const ids = routes.length ? routes.flatMap((r) => r.to) : (routing.default ?? []);
  return { routes, destinationIds: [...new Set(ids)] };
}

/**
 * A submission's destinations. Whether it is a new lead (lead.created) or a repeat (lead.merged) is
 * decided inside the store's atomic write, so it is routed as both: a destination both reach gets
 * a row for either, one only a route for new leads (or repeats) reaches gets a row written only
 * for that event.
 */
export function submissionDestinations(
  site: SiteConfig,
  lead: Lead,
  env: Env,
): { destination: string; when?: "lead.created" | "lead.merged" }[] {
  const created = new Set(matchingRoutes(site, lead, "lead.created").destinationIds);
  const merged = new Set(matchingRoutes(site, lead, "lead.merged").destinationIds);
  return activeDestinations(site, env).flatMap((d) => {
    if (created.has(d.id) && merged.has(d.id)) return [{ destination: d.id }];
    if (created.has(d.id)) return [{ destination: d.id, when: "lead.created" as const }];
    if (merged.has(d.id)) return [{ destination: d.id, when: "lead.merged" as const }];
    return [];
  });
}

/**
 * The destinations a lead (or an event about it) is routed to. `eventType` is undefined for a
 * submission, which becomes lead.created or lead.merged inside the store's atomic write. Paused
 * destinations are routed too: their deliveries wait in the outbox until they are resumed.
 */
export function destinationsFor(
  site: SiteConfig,
  lead: Lead,
  env: Env,
  eventType?: LeadEventType,
): ResolvedDestination[] {
  const wanted = new Set(matchingRoutes(site, lead, eventType).destinationIds);
  return activeDestinations(site, env).filter((d) => wanted.has(d.id));
}
