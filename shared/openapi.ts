/**
 * The OpenAPI 3.1 document of the public and admin API, generated from the zod schemas in shared/
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Served by the edge at /v1/openapi.json.
 */
import * as z from "zod/mini";
import { AllowOriginBodySchema, CaptureHealthSchema } from "./capture.ts";
import { FormSchema } from "./config.ts";
import { ERROR_STATUS, type ErrorCode } from "./errors.ts";
import { EventBatchSchema, EventsAnswerSchema } from "./events.ts";
import {
  LeadSchema,
  LeadSubmissionSchema,
  RepairNoteSchema,
  SubmissionRecordSchema,
  SubmitAnswerSchema,
} from "./lead.ts";

const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    /** Per-field messages, keyed by the form field's name (validation errors). */
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});

export const LeadPageSchema = z.object({ leads: z.array(LeadSchema), nextCursor: z.nullable(z.string()) });
export const SubmissionListSchema = z.object({ submissions: z.array(SubmissionRecordSchema) });

type JsonSchema = Record<string, unknown>;
const schema = (s: z.core.$ZodType, io: "input" | "output" = "output"): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });

function errors(...codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: `Error: ${list.join(", ")}`, content: json("ErrorBody") },
    ]),
  );
}

const adminAuth = [{ bearer: [] }];

/** A compact admin operation: path parameters, an example JSON body, the usual admin errors. */
function adminOp(
  method: "get" | "post" | "put" | "delete",
  summary: string,
  options: {
    id?: boolean;
    email?: boolean;
    site?: boolean;
    version?: boolean;
    body?: unknown;
    errors?: ErrorCode[];
    /** The component schema of the 200 answer, when it has one. */
    answer?: string;
  },
): Record<string, unknown> {
  const path = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
  const parameters = [
    ...(options.site ? [path("site")] : []),
    ...(options.id ? [path("id")] : []),
    ...(options.email ? [path("email")] : []),
    ...(options.version ? [path("version")] : []),
  ];
  return {
    [method]: {
      summary,
      security: adminAuth,
      ...(parameters.length ? { parameters } : {}),
      ...(options.body
        ? { requestBody: { required: true, content: { "application/json": { example: options.body } } } }
        : {}),
      responses: {
        "200": { description: "OK", ...(options.answer ? { content: json(options.answer) } : {}) },
        ...errors("invalid_request", "unauthorized", "forbidden", "not_found", ...(options.errors ?? [])),
      },
    },
  };
}

export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Leadcap API",
      version: "1.0.0",
      description:
        "Capture leads from the widget (or any client), read them from the built-in CRM store. Every error is " +
        '`{ "error": { "code", "message", "fields"? } }`. Webhook deliveries follow Standard Webhooks.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Admin token" } },
      schemas: {
        LeadSubmission: schema(LeadSubmissionSchema, "input"),
        SubmitAnswer: schema(SubmitAnswerSchema),
        RepairNote: schema(RepairNoteSchema),
        SubmissionRecord: schema(SubmissionRecordSchema),
        SubmissionList: schema(SubmissionListSchema),
        EventBatch: schema(EventBatchSchema, "input"),
        EventsAnswer: schema(EventsAnswerSchema),
        Form: schema(FormSchema),
        Lead: schema(LeadSchema),
        LeadPage: schema(LeadPageSchema),
        ErrorBody: schema(ErrorBodySchema),
        CaptureHealth: schema(CaptureHealthSchema),
        AllowOriginBody: schema(AllowOriginBodySchema, "input"),
      },
    },
    paths: withFirstPartyAliases({
      "/v1/leads": {
        post: {
          summary: "Submit a lead",
          description:
            "Validated against the site's form; deduplicated per site on the normalized email; scored; stored " +
            "with its outbox rows in one atomic write before the answer. A retried `submissionId` gets the first " +
            "answer again (`Idempotent-Replayed: true`). `text/plain` JSON avoids a CORS preflight; " +
            "`application/x-www-form-urlencoded` is the no-JS fallback form (answered with a 303 redirect). Body ≤ 32 KiB. " +
            "Only `site`, `form` and the answers (`fields`) can make a submission fail: signals around them " +
            "(attribution, engagement, page, `turnstileToken`, `submissionId`) that are malformed, out of range or of " +
            "the wrong type are repaired where the intent is clear (a list sent as JSON text or a comma list, a number " +
            "in a string, a count clamped, text shortened, a touch without a usable time given the receipt time, a " +
            "missing touch rebuilt from the page address) or dropped, and the lead is kept; the answer's `notes` " +
            "(at most 20) say what was changed and why, and are kept with the submission. A missing or malformed " +
            "`submissionId` is derived from the site, form and answers, so a resend of the same body is still a replay.",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: ref("LeadSubmission") },
              "text/plain": { schema: ref("LeadSubmission") },
              "application/x-www-form-urlencoded": {
                schema: {
                  type: "object",
                  description:
                    "site, form, optional redirect and submissionId, then the form's fields by name",
                },
              },
            },
          },
          responses: {
            "201": { description: "A new lead", content: json("SubmitAnswer") },
            "200": {
              description: "Merged into an existing lead (duplicate: true), or a replayed submission id",
              content: json("SubmitAnswer"),
            },
            "303": { description: "No-JS fallback: redirect to the thank-you page" },
            ...errors(
              "invalid_request",
              "validation_failed",
              "origin_not_allowed",
              "not_found",
              "payload_too_large",
              "unsupported_media_type",
              "unprocessable",
              "rate_limited",
              "unavailable",
            ),
          },
        },
      },
      "/v1/events": {
        post: {
          summary: "Report widget events (impressions, opens, submits) for conversion rates",
          description:
            "Counted per site, form, day and type. A batch is never refused for its events: the invalid ones " +
            "(and those past 50) are dropped and counted in `dropped`; `events` sent as JSON text is decoded and " +
            "a single event is a list of one. Only a body that is not JSON or names no known site is refused.",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: ref("EventBatch") },
              "text/plain": { schema: ref("EventBatch") },
            },
          },
          responses: {
            "202": { description: "Counted", content: json("EventsAnswer") },
            ...errors(
              "invalid_request",
              "origin_not_allowed",
              "not_found",
              "payload_too_large",
              "unsupported_media_type",
            ),
          },
        },
      },
      "/v1/sites/{site}/forms/{form}": {
        get: {
          summary:
            "The public config of a form, as the widget renders it (in the page's language when it has a translation)",
          parameters: [
            { name: "site", in: "path", required: true, schema: { type: "string" } },
            { name: "form", in: "path", required: true, schema: { type: "string" } },
            { name: "lang", in: "query", required: false, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "The form",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      site: { type: "string" },
                      form: ref("Form"),
                      tracking: {
                        type: "object",
                        description: "The site's tracking settings, as GET /v1/sites/{site} serves them",
                      },
                    },
                  },
                },
              },
            },
            ...errors("not_found"),
          },
        },
      },
      "/v1/admin/leads": {
        get: {
          summary: "List leads, newest first",
          security: adminAuth,
          parameters: [
            { name: "site", in: "query", schema: { type: "string", default: "demo" } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            },
            {
              name: "cursor",
              in: "query",
              schema: { type: "string" },
              description: "nextCursor of the previous page",
            },
          ],
          responses: {
            "200": { description: "A page of leads", content: json("LeadPage") },
            ...errors("invalid_request", "unauthorized", "forbidden", "not_found"),
          },
        },
      },
      "/v1/admin/leads/{id}": {
        get: {
          summary: "One lead",
          security: adminAuth,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The lead", content: json("Lead") },
            ...errors("unauthorized", "forbidden", "not_found"),
          },
        },
      },
      "/v1/admin/leads/{id}/outcome": adminOp(
        "get",
        "The outcome recorded for the lead (won or lost), or null",
        {
          id: true,
        },
      ),
      "/v1/admin/leads/{id}/submissions": adminOp(
        "get",
        "The submissions merged into a lead, with their touches and the notes of what was repaired in each",
        { id: true, answer: "SubmissionList" },
      ),
      "/v1/admin/leads/{id}/events": {
        ...adminOp("get", "The lead's product and engagement events", { id: true }),
        ...adminOp(
          "post",
          "Report product usage or engagement events: the lead is re-scored; the site's PQL rule may make it a PQL",
          {
            id: true,
            body: { events: [{ type: "project_created", at: "2026-11-20T10:00:00Z", props: {} }] },
          },
        ),
      },
      "/v1/admin/leads/{id}/stages": adminOp("get", "The lead's stage history, each change with its cause", {
        id: true,
      }),
      "/v1/admin/leads/{id}/stage": adminOp(
        "post",
        "Set the stage (SQL when sales accepts, customer on close), with a reason",
        {
          id: true,
          body: { stage: "SQL", reason: "accepted by sales" },
        },
      ),
      "/v1/admin/outcomes": adminOp(
        "post",
        "Report won/lost outcomes from a CRM (a win makes the lead a customer)",
        {
          body: {
            outcomes: [{ leadId: "lead_…", outcome: "converted", at: "2026-11-20T10:00:00Z", value: 1200 }],
          },
        },
      ),
      "/v1/admin/people/{email}/export": adminOp(
        "get",
        "Everything stored about a person on a site (?site=)",
        { email: true },
      ),
      "/v1/admin/people/{email}": adminOp(
        "delete",
        "Erase everything stored about a person on a site (?site=); the erasure is recorded without the address",
        { email: true },
      ),
      "/v1/admin/destinations": adminOp("get", "A site's destinations (?site=), without secrets", {}),
      "/v1/admin/sites": {
        ...adminOp("get", "The sites this token may see, with their forms", {}),
        ...adminOp("post", "Create a site from a config (version 1); only a token for every site may", {
          body: {
            config: { id: "acme", name: "Acme", allowedOrigins: ["https://acme.example"], forms: ["…"] },
          },
          errors: ["validation_failed", "conflict"],
        }),
      },
      "/v1/admin/sites/{site}/config": {
        ...adminOp(
          "get",
          "The config being served: its version (0 = the config in code), when and where it was saved",
          { site: true },
        ),
        ...adminOp(
          "put",
          "Save a new version, validated as the edge runs it (400 with every failing path); 409 when someone saved since baseVersion",
          {
            site: true,
            body: { config: { id: "demo", "…": "…" }, baseVersion: 3, note: "New quote form" },
            errors: ["validation_failed", "conflict"],
          },
        ),
      },
      "/v1/admin/sites/{site}/config/versions": adminOp(
        "get",
        "The config's versions, newest first, without their configs (?limit=&cursor=)",
        { site: true },
      ),
      "/v1/admin/sites/{site}/config/versions/{version}": adminOp("get", "One version, with its config", {
        site: true,
        version: true,
      }),
      "/v1/admin/sites/{site}/calibration": adminOp(
        "post",
        "Fit the site's scoring rules to the outcomes in its store: a proposed scoring config and a report (ROC AUC, buckets, thresholds); nothing is saved",
        { site: true, body: { hotConversion: 0.8, coldConversion: 0.05 }, errors: ["unprocessable"] },
      ),
      "/v1/admin/sites/{site}/config/rollback": adminOp(
        "post",
        "Save an earlier version's config as the newest version",
        { site: true, body: { version: 2, baseVersion: 5 }, errors: ["conflict", "unprocessable"] },
      ),
      "/v1/admin/destinations/{id}": adminOp(
        "get",
        "A destination's health: state, counts, last attempt (?site=)",
        { id: true },
      ),
      "/v1/admin/destinations/{id}/pause": adminOp(
        "post",
        "Pause a destination: its deliveries are held (?site=)",
        { id: true },
      ),
      "/v1/admin/destinations/{id}/resume": adminOp(
        "post",
        "Resume a destination and send what was held (?site=)",
        { id: true },
      ),
      "/v1/admin/destinations/{id}/test": adminOp(
        "post",
        "Send a test event and show the receiver's answer (?site=)",
        { id: true },
      ),
      "/v1/admin/deliveries": adminOp("get", "Deliveries (?site=&status=&destination=&leadId=&cursor=)", {}),
      "/v1/admin/deliveries/{id}": adminOp(
        "get",
        "One delivery with every attempt (status, latency, excerpt, next attempt)",
        { id: true },
      ),
      "/v1/admin/deliveries/{id}/replay": adminOp("post", "Send a delivery again, with the same webhook-id", {
        id: true,
      }),
      "/v1/admin/deliveries/replay": adminOp(
        "post",
        "Replay in bulk: everything dead-lettered since a time",
        {
          body: { site: "demo", since: "2026-11-20T00:00:00Z" },
        },
      ),
      "/v1/admin/metrics": adminOp(
        "get",
        "A site's numbers (?site=&from=YYYY-MM-DD&to=YYYY-MM-DD): leads by day, temperature, stage, channel, campaign and form (with impressions), spam",
        {},
      ),
      "/v1/admin/sites/{site}/capture-health": {
        get: {
          summary:
            "Capture health: lead submissions refused or repaired per day and reason, refused analytics batches, and the origins they came from (whether each is allowed now)",
          description:
            "Reasons: origin_not_allowed, invalid_answers (validation_failed, unprocessable), rate_limited, bot " +
            "(honeypot, fill time, Turnstile), repaired (accepted after repairing malformed signals), " +
            "payload_too_large, invalid_request (unreadable body), unknown_form. Days are UTC; `to` is excluded " +
            "(default: the last 30 days); at most 366 days.",
          security: adminAuth,
          parameters: [
            { name: "site", in: "path", required: true, schema: { type: "string" } },
            { name: "from", in: "query", schema: { type: "string", format: "date" } },
            { name: "to", in: "query", schema: { type: "string", format: "date" } },
          ],
          responses: {
            "200": { description: "The site's capture health", content: json("CaptureHealth") },
            ...errors("invalid_request", "unauthorized", "forbidden", "not_found"),
          },
        },
      },
      "/v1/admin/sites/{site}/allowed-origins": {
        post: {
          summary:
            "Allow one more origin (scheme://host[:port]) to submit: saved as a new config version, served within seconds",
          security: adminAuth,
          parameters: [{ name: "site", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: json("AllowOriginBody") },
          responses: {
            "200": {
              description:
                "The config now served, as PUT /v1/admin/sites/{site}/config answers, with `origin` and `added` (false: it was allowed already, nothing saved)",
            },
            ...errors(
              "invalid_request",
              "validation_failed",
              "unauthorized",
              "forbidden",
              "not_found",
              "conflict",
              "unprocessable",
            ),
          },
        },
      },
      "/v1/sites/{site}": {
        get: {
          summary: "A site's public settings for the widget (tracking, forms)",
          parameters: [{ name: "site", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The site's public settings" }, ...errors("not_found") },
        },
      },
      "/v1/health": { get: { summary: "Liveness", responses: { "200": { description: "Up" } } } },
      "/v1/openapi.json": {
        get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } },
      },
    }),
  };
}

/**
 * The write endpoints again under neutral names, for sites serving the widget first-party (README,
 * "Serve it first-party"): filter lists block request paths with `lead` or `event` in them. Same
 * handlers, bodies and answers; `/v1/leads` and `/v1/events` stay the documented names.
 */
const FIRST_PARTY_ALIASES = { "/v1/answers": "/v1/leads", "/v1/counts": "/v1/events" } as const;

function withFirstPartyAliases(paths: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const aliases = Object.entries(FIRST_PARTY_ALIASES).map(([alias, path]) => {
    const post = paths[path]!.post as { summary: string; description?: string };
    const description = [`POST ${path} under a name ad blockers leave alone.`, post.description]
      .filter(Boolean)
      .join(" ");
    return [alias, { post: { ...post, summary: `${post.summary} (alias of POST ${path})`, description } }];
  });
  return { ...paths, ...Object.fromEntries(aliases) };
}
