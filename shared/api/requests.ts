/**
 * The admin API's request bodies and query strings that the edge parses with. Apart from the shapes
 * the edge answers with (the other files here, which only the console and the OpenAPI document
 * import): the Worker imports this module whole, so everything in it is something it runs.
 */
import * as z from "zod/mini";
import { STAGES } from "../lead.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const LEAD_SORTS = ["-created", "created", "-score", "score"] as const;
export const LeadSortSchema = z.enum(LEAD_SORTS);
export type LeadSort = z.infer<typeof LeadSortSchema>;

/**
 * The query string of `GET /v1/admin/leads` (and `leads.csv`) beside `site`, `limit` and `cursor`:
 * the filters as text, comma lists for temperatures and stages.
 */
export const LeadQuerySchema = z.object({
  /** Contained in the email, name or company (case-insensitive). */
  q: z.optional(z.string().check(z.maxLength(200))),
  temperature: z.optional(
    z.string().check(z.regex(/^(cold|warm|hot)(,(cold|warm|hot))*$/, "cold, warm or hot, comma separated")),
  ),
  stage: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^(IQL|MQL|SQL|PQL|customer)(,(IQL|MQL|SQL|PQL|customer))*$/,
          "IQL, MQL, SQL, PQL or customer, comma separated",
        ),
      ),
  ),
  form: z.optional(z.string().check(z.maxLength(64))),
  /** First-touch channel. */
  channel: z.optional(z.string().check(z.maxLength(41))),
  /** Created on or after this day (YYYY-MM-DD, UTC). */
  from: z.optional(z.string().check(z.regex(DAY, "YYYY-MM-DD"))),
  /** Created before this day (YYYY-MM-DD, UTC). */
  to: z.optional(z.string().check(z.regex(DAY, "YYYY-MM-DD"))),
  minScore: z.optional(z.string().check(z.regex(/^\d{1,3}$/, "0–100"))),
  maxScore: z.optional(z.string().check(z.regex(/^\d{1,3}$/, "0–100"))),
  sort: z.optional(LeadSortSchema),
});

/** `POST /v1/admin/leads/{id}/stage`. */
export const StageBodySchema = z.object({
  stage: z.enum(STAGES),
  /** Who or what decided, shown in the stage history ("accepted by sales", "closed won in HubSpot"). */
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/** `POST /v1/admin/leads/{id}/events`: product usage and engagement events. */
export const LeadEventsBodySchema = z.object({
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

/** `POST /v1/admin/outcomes`: won / lost outcomes from a CRM. */
export const OutcomesBodySchema = z.object({
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

/** The query of `GET /v1/admin/sites/{site}/config/versions`. */
export const VersionsQuerySchema = z.object({
  /** @default 20 */
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, "1–100"))),
  /** `next` of the previous page. */
  cursor: z.optional(z.string().check(z.regex(/^[1-9]\d{0,8}$/, "a cursor from the previous page"))),
});

/** `PUT /v1/admin/sites/{site}/config`: a new version, based on `baseVersion` (409 if someone saved since). */
export const SaveConfigBodySchema = z.object({
  config: z.unknown(),
  baseVersion: z.int().check(z.minimum(0)),
  note: z.optional(z.string().check(z.maxLength(500))),
});

/** `POST /v1/admin/sites/{site}/config/rollback`: save `version`'s config as the newest. */
export const RollbackBodySchema = z.object({
  version: z.int().check(z.minimum(0)),
  baseVersion: z.int().check(z.minimum(0)),
});

/** `POST /v1/admin/sites`: a new site from a config, saved as version 1. */
export const CreateSiteBodySchema = z.object({
  config: z.unknown(),
  note: z.optional(z.string().check(z.maxLength(500))),
});

/** `POST /v1/admin/sites/{site}/calibration`. */
export const CalibrationBodySchema = z.object({
  /** The hot bucket's target conversion rate. @default 0.8 */
  hotConversion: z.optional(z.number().check(z.gt(0), z.lt(1))),
  /** The cold bucket's highest conversion rate. @default 0.05 */
  coldConversion: z.optional(z.number().check(z.gt(0), z.lt(1))),
});

export const PauseBodySchema = z.object({ reason: z.optional(z.string().check(z.maxLength(500))) });

export const BulkReplayBodySchema = z.object({
  site: z.string().check(z.maxLength(64)),
  /** Deliveries created at or after this time ("recover everything failed since T"). */
  since: z.iso.datetime({ offset: true }),
  until: z.optional(z.iso.datetime({ offset: true })),
  destination: z.optional(z.string().check(z.maxLength(64))),
  /** @default dead */
  status: z.optional(z.enum(["dead", "delivered"])),
});
