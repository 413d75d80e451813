/**
 * Routing: which destinations receive a lead or a lead event. The ingest and lifecycle paths ask
 * here which outbox rows to write; the delivery side asks how to reach a destination.
 */
import type { SiteConfig } from "../../shared/config.ts";
import type { Destination, Route, RouteWhen } from "../../shared/destinations.ts";
import type { Lead, LeadEventType } from "../../shared/lead.ts";
import { emailDomainType, matches, type ScoringInput } from "../../shared/scoring.ts";
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

const list = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

const same = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string"
    ? a.trim().toLowerCase() === b.trim().toLowerCase()
    : typeof a === "number" || typeof b === "number"
      ? Number(a) === Number(b)
      : a === b;

/** `value` is any of `wanted`; an absent key in the rule always holds. */
function anyOf(actual: unknown, wanted: unknown): boolean {
  const options = list(wanted);
  if (options === undefined) return true;
  // A multi-answer field matches when any of its answers does.
  const values = Array.isArray(actual) ? actual : [actual];
  return options.some((o) => values.some((v) => same(v, o)));
}

/** What routing conditions (and `conditions`, with scoring's operators) look at. */
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

export function routeMatches(when: RouteWhen | undefined, input: ReturnType<typeof routingInput>): boolean {
  if (!when) return true;
  if (when.event !== undefined) {
    const events = list(when.event) ?? [];
    // A submission becomes lead.created or lead.merged inside the store's atomic write, so before
    // it (eventType undefined) a route for either event applies.
    const ok = input.event
      ? events.includes(input.event)
      : events.includes("lead.created") || events.includes("lead.merged");
    if (!ok) return false;
  }
  if (!anyOf(input.temperature, when.temperature)) return false;
  if (!anyOf(input.stage, when.stage)) return false;
  if (when.score?.min !== undefined && input.score < when.score.min) return false;
  if (when.score?.max !== undefined && input.score > when.score.max) return false;
  if (!anyOf(input.form.id, when.form)) return false;
  if (!anyOf(input.form.intent, when.intent)) return false;
  if (!anyOf(input.channel, when.channel)) return false;
  for (const [key, wanted] of Object.entries(when.utm ?? {})) {
    if (!anyOf((input.lastTouch as Record<string, unknown>)[key], wanted)) return false;
  }
  for (const [name, wanted] of Object.entries(when.fields ?? {})) {
    if (!anyOf(input.fields[name], wanted)) return false;
  }
  // Scoring's matcher walks a dotted path into whatever object it is given; the routing input is
  // a superset of the scoring signals (temperature, stage and score added).
  const asSignals = input as unknown as ScoringInput;
  return (when.conditions ?? []).every((condition) => matches(asSignals, condition));
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
