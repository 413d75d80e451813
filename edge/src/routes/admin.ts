/**
 * The admin API of the built-in CRM store. Every route is behind a bearer token (pipeline/auth.ts),
 * scoped to sites; browsers may call it only from the console origins in ADMIN_ORIGINS.
 */
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { SiteConfig } from "../../../shared/config.ts";
import { type Lead, STAGES } from "../../../shared/lead.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { adminCors, assertSiteAccess, canSee, requireAdmin } from "../pipeline/auth.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { reviseLead } from "../pipeline/lifecycle.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { getSite } from "../sites.ts";
import { storeFor } from "../stores/index.ts";
import { deliveriesAdmin } from "./admin-deliveries.ts";
import { peopleAdmin } from "./admin-people.ts";

export const admin = new Hono<AppEnv>();

admin.use("*", adminCors());
admin.use("*", requireAdmin());
admin.route("/", deliveriesAdmin);
admin.route("/", peopleAdmin);

/** A lead the token may see; another site's lead is "not found", so ids cannot be probed. */
async function visibleLead(c: Context<AppEnv>, id: string): Promise<Lead> {
  const lead = await storeFor(c.env).getLead(id);
  if (!lead || !canSee(c, lead.site)) throw new ApiError("not_found", "There is no such lead.");
  return lead;
}

admin.get("/leads", async (c) => {
  const siteId = c.req.query("site") ?? "demo";
  if (!getSite(siteId, c.env)) throw new ApiError("not_found", `There is no site "${siteId}".`);
  assertSiteAccess(c, siteId);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ApiError("invalid_request", "limit must be an integer from 1 to 500.", {
      fields: { limit: "1–500" },
    });
  }
  const page = await storeFor(c.env).listLeads(siteId, { limit, cursor: c.req.query("cursor") });
  return c.json(page);
});

admin.get("/leads/:id", async (c) => {
  return c.json(await visibleLead(c, c.req.param("id")));
});

admin.get("/leads/:id/submissions", async (c) => {
  const lead = await visibleLead(c, c.req.param("id"));
  return c.json({ submissions: await storeFor(c.env).listSubmissions(lead.id) });
});

const StageBody = z.object({
  stage: z.enum(STAGES),
  /** Who or what decided, shown in the stage history ("accepted by sales", "closed won in HubSpot"). */
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

const EventsBody = z.object({
  events: z
    .array(
      z.object({
        /** The product's own event name, e.g. `project_created`, or an engagement one (`email_click`). */
        type: z.string().check(z.regex(/^[a-z][a-z0-9_.-]{0,62}$/, "lower-case name, e.g. project_created")),
        at: z.optional(z.iso.datetime({ offset: true })),
        props: z.optional(
          z.record(
            z.string().check(z.maxLength(64)),
            z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]),
          ),
        ),
      }),
    )
    .check(z.minLength(1), z.maxLength(100)),
});

const OutcomesBody = z.object({
  outcomes: z
    .array(
      z.object({
        leadId: z.string().check(z.maxLength(64)),
        outcome: z.enum(["converted", "lost"]),
        at: z.iso.datetime({ offset: true }),
        /** Deal value, for revenue reports. */
        value: z.optional(z.number().check(z.minimum(0))),
      }),
    )
    .check(z.minLength(1), z.maxLength(500)),
});

async function jsonBody<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJsonBody(c.req.raw, 256 * 1024));
  if (!parsed.success) {
    throw new ApiError("invalid_request", "The body does not have the expected shape.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  return parsed.data;
}

async function siteOfLead(c: Context<AppEnv>, leadId: string): Promise<SiteConfig> {
  const lead = await visibleLead(c, leadId);
  const site = getSite(lead.site, c.env);
  if (!site) throw new ApiError("not_found", "There is no such lead.");
  return site;
}

/** SQL when sales accepts, customer on close, or any stage a person decides; recorded with its cause. */
admin.post("/leads/:id/stage", async (c) => {
  const body = await jsonBody(c, StageBody);
  const site = await siteOfLead(c, c.req.param("id"));
  const lead = await reviseLead(c.env, storeFor(c.env), site, c.req.param("id"), {
    stage: { to: body.stage, cause: body.reason ?? `set to ${body.stage} through the admin API` },
    cause: "stage set",
  });
  return c.json(lead);
});

/** Product usage and engagement events: stored, the lead re-scored, PQL when the site's rule holds. */
admin.post("/leads/:id/events", async (c) => {
  const body = await jsonBody(c, EventsBody);
  const site = await siteOfLead(c, c.req.param("id"));
  const now = new Date().toISOString();
  const events = body.events.map((e) => ({
    type: e.type,
    at: e.at ? new Date(e.at).toISOString() : now,
    props: e.props,
  }));
  const lead = await reviseLead(c.env, storeFor(c.env), site, c.req.param("id"), { events, cause: "events" });
  return c.json(lead);
});

admin.get("/leads/:id/events", async (c) => {
  const lead = await visibleLead(c, c.req.param("id"));
  return c.json({ events: await storeFor(c.env).listLeadEvents(lead.id) });
});

admin.get("/leads/:id/stages", async (c) => {
  const lead = await visibleLead(c, c.req.param("id"));
  return c.json({ stages: await storeFor(c.env).listStageHistory(lead.id) });
});

/** Outcomes from a CRM (won / lost): the data calibration learns from. A win makes the lead a customer. */
admin.post("/outcomes", async (c) => {
  const body = await jsonBody(c, OutcomesBody);
  const store = storeFor(c.env);
  const results: { leadId: string; recorded: boolean; stage?: string }[] = [];
  for (const outcome of body.outcomes) {
    const found = await store.getLead(outcome.leadId);
    const lead = found && canSee(c, found.site) ? found : null;
    const site = lead && getSite(lead.site, c.env);
    if (!lead || !site) {
      results.push({ leadId: outcome.leadId, recorded: false });
      continue;
    }
    const revised = await reviseLead(c.env, store, site, lead.id, {
      outcome: { ...outcome, at: new Date(outcome.at).toISOString() },
      ...(outcome.outcome === "converted"
        ? { stage: { to: "customer" as const, cause: "outcome: converted" } }
        : {}),
      cause: `outcome: ${outcome.outcome}`,
    });
    results.push({ leadId: outcome.leadId, recorded: true, ...(revised ? { stage: revised.stage } : {}) });
  }
  const unknown = results.filter((r) => !r.recorded).length;
  return c.json(
    { recorded: results.length - unknown, unknown, results },
    unknown === results.length ? 404 : 200,
  );
});

/** Numbers for dashboards: lead volume, temperature, stages, channels, forms (with impressions), spam. */
admin.get("/metrics", async (c) => {
  const siteId = c.req.query("site") ?? "demo";
  if (!getSite(siteId, c.env)) throw new ApiError("not_found", `There is no site "${siteId}".`);
  assertSiteAccess(c, siteId);
  const day = (value: string | undefined, fallback: Date) => {
    if (value === undefined) return fallback.toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new ApiError("invalid_request", "Dates are YYYY-MM-DD.", {
        fields: { from: "YYYY-MM-DD", to: "YYYY-MM-DD" },
      });
    }
    return value;
  };
  const now = new Date();
  const to = day(c.req.query("to"), new Date(now.getTime() + 86_400_000));
  const from = day(c.req.query("from"), new Date(now.getTime() - 29 * 86_400_000));
  if (from >= to)
    throw new ApiError("invalid_request", "from must be before to.", { fields: { from: "Before to." } });
  return c.json(await storeFor(c.env).metrics(siteId, from, to));
});
