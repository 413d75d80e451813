/**
 * The admin API of the built-in CRM store. Every route is behind a principal (pipeline/auth.ts: an
 * Access sign-in or a bearer token) whose role per site allows the route's operation (pipeline/roles.ts);
 * browsers may call it only from the console origins in ADMIN_ORIGINS.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type * as z from "zod/mini";
import {
  LeadEventsBodySchema,
  LeadQuerySchema,
  OutcomesBodySchema,
  StageBodySchema,
} from "../../../shared/api/requests.ts";
import type { SiteConfig } from "../../../shared/config.ts";
import type { Lead } from "../../../shared/lead.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { adminCors, canSee, requireAdmin } from "../pipeline/auth.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { dayRange } from "../pipeline/day-range.ts";
import { reviseLead } from "../pipeline/lifecycle.ts";
import { authorize } from "../pipeline/roles.ts";
import { siteFromQuery } from "../pipeline/site-query.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { allSites, getSite } from "../sites.ts";
import { storeFor } from "../stores/index.ts";
import type { LeadFilter, LeadSort } from "../stores/ports/leads.ts";
import { captureAdmin } from "./admin-capture.ts";
import { configAdmin } from "./admin-config.ts";
import { deliveriesAdmin } from "./admin-deliveries.ts";
import { peopleAdmin } from "./admin-people.ts";
import { accessAdmin } from "./admin-people-access.ts";

export const admin = new Hono<AppEnv>();

admin.use("*", adminCors());
admin.use("*", requireAdmin());
// Every route's operation checked against the role table, and audited when the table says so.
admin.use("*", authorize());
admin.route("/", accessAdmin);
admin.route("/", deliveriesAdmin);
admin.route("/", configAdmin);
admin.route("/", peopleAdmin);
admin.route("/", captureAdmin);

/** A lead the token may see; another site's lead is "not found", so ids cannot be probed. */
async function visibleLead(c: Context<AppEnv>, id: string): Promise<Lead> {
  const lead = await storeFor(c.env).getLead(id);
  if (!lead || !canSee(c, lead.site)) throw new ApiError("not_found", "There is no such lead.");
  return lead;
}

/** The leads list's site, filter and sort from the query string (400 with the failing parameters). */
function leadQuery(c: Context<AppEnv>): { site: string; filter: LeadFilter; sort: LeadSort | undefined } {
  const site = siteFromQuery(c).id;
  const parsed = LeadQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    throw new ApiError("invalid_request", "Some filters are not valid.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  const q = parsed.data;
  const list = (value: string | undefined) => (value ? value.split(",") : undefined);
  return {
    site,
    sort: q.sort,
    filter: {
      q: q.q?.trim() || undefined,
      temperatures: list(q.temperature),
      stages: list(q.stage),
      form: q.form,
      channel: q.channel,
      from: q.from,
      to: q.to,
      minScore: q.minScore === undefined ? undefined : Number(q.minScore),
      maxScore: q.maxScore === undefined ? undefined : Number(q.maxScore),
    },
  };
}

admin.get("/leads", async (c) => {
  const { site, filter, sort } = leadQuery(c);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ApiError("invalid_request", "limit must be an integer from 1 to 500.", {
      fields: { limit: "1–500" },
    });
  }
  const page = await storeFor(c.env).listLeads(site, {
    limit,
    cursor: c.req.query("cursor"),
    filter,
    sort,
    withTotal: true,
  });
  return c.json(page);
});

/** CSV of every lead the filter matches (up to 50,000), streamed page by page. */
admin.get("/leads.csv", async (c) => {
  const { site, filter, sort } = leadQuery(c);
  const store = storeFor(c.env);
  const columns = [
    "id",
    "created_at",
    "email",
    "name",
    "company",
    "form",
    "score",
    "temperature",
    "stage",
    "first_channel",
    "first_utm_source",
    "first_utm_campaign",
    "last_channel",
    "last_utm_source",
    "submissions",
    "conversions",
  ];
  const cell = (value: unknown) => {
    const text = value === undefined || value === null ? "" : String(value);
    // Quote when needed; neutralize spreadsheet formulas (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(`${columns.join(",")}\r\n`));
      let cursor: string | undefined;
      let rows = 0;
      do {
        const page = await store.listLeads(site, { limit: 500, cursor, filter, sort });
        for (const lead of page.leads) {
          const line = [
            lead.id,
            lead.createdAt,
            lead.email,
            lead.fields.name,
            lead.fields.company,
            lead.form,
            lead.score,
            lead.temperature,
            lead.stage,
            lead.firstTouch.channel,
            lead.firstTouch.utm_source,
            lead.firstTouch.utm_campaign,
            lead.lastTouch.channel,
            lead.lastTouch.utm_source,
            lead.submissionCount,
            lead.conversions ?? 1,
          ];
          controller.enqueue(encoder.encode(`${line.map(cell).join(",")}\r\n`));
        }
        rows += page.leads.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor && rows < 50_000);
      controller.close();
    },
  });
  return c.body(stream, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="leadcap-${site}-leads.csv"`,
  });
});

admin.get("/leads/:id", async (c) => {
  return c.json(await visibleLead(c, c.req.param("id")));
});

/** The outcome the CRM (or a salesperson in the console) recorded for the lead, or null. */
admin.get("/leads/:id/outcome", async (c) => {
  const lead = await visibleLead(c, c.req.param("id"));
  return c.json({ outcome: await storeFor(c.env).getOutcome(lead.id) });
});

admin.get("/leads/:id/submissions", async (c) => {
  const lead = await visibleLead(c, c.req.param("id"));
  return c.json({ submissions: await storeFor(c.env).listSubmissions(lead.id) });
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
  const body = await jsonBody(c, StageBodySchema);
  const site = await siteOfLead(c, c.req.param("id"));
  const lead = await reviseLead(c.env, storeFor(c.env), site, c.req.param("id"), {
    stage: { to: body.stage, cause: body.reason ?? `set to ${body.stage} through the admin API` },
    cause: "stage set",
  });
  return c.json(lead);
});

/** Product usage and engagement events: stored, the lead re-scored, PQL when the site's rule holds. */
admin.post("/leads/:id/events", async (c) => {
  const body = await jsonBody(c, LeadEventsBodySchema);
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
  const body = await jsonBody(c, OutcomesBodySchema);
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
  const siteId = siteFromQuery(c).id;
  const { from, to } = dayRange(c);
  return c.json(await storeFor(c.env).metrics(siteId, from, to));
});

/** The sites this token may see: for the console's site switcher. */
admin.get("/sites", (c) => {
  const sites = [...allSites(c.env)].filter((site) => canSee(c, site.id));
  return c.json({
    sites: sites.map((site) => ({
      id: site.id,
      name: site.name,
      forms: site.forms.map((f) => ({ id: f.id, title: f.title })),
    })),
  });
});
