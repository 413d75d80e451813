/**
 * The OpenAPI 3.1 document of the public and admin API, generated from the zod schemas in shared/
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Built at build time into the Worker's static
 * assets (tests/tools/build-openapi.ts) and served by the edge at /v1/openapi.json: none of the
 * response schemas below reach the Worker's bundle.
 *
 * Every operation documents every body it takes and every answer it gives (status, content type,
 * schema); tests/edge/openapi-setup.ts checks each answer the edge tests receive against it.
 */
import * as z from "zod/mini";
import {
  AllowOriginAnswerSchema,
  CalibrationBodySchema,
  CalibrationProposalSchema,
  CreateSiteBodySchema,
  RollbackBodySchema,
  SaveConfigBodySchema,
  ServedConfigSchema,
  SiteListSchema,
  VersionDetailSchema,
  VersionListSchema,
  VersionsQuerySchema,
} from "./api/config.ts";
import {
  AttemptSchema,
  BulkReplayAnswerSchema,
  BulkReplayBodySchema,
  DeliveryDetailSchema,
  DeliveryPageSchema,
  DeliveryQuerySchema,
  DeliverySummarySchema,
  DestinationHealthSchema,
  DestinationListSchema,
  PauseAnswerSchema,
  PauseBodySchema,
  ReplayAnswerSchema,
  ResumeAnswerSchema,
  TestResultSchema,
} from "./api/deliveries.ts";
import {
  LeadEventListSchema,
  LeadEventRecordSchema,
  LeadEventsBodySchema,
  LeadPageSchema,
  LeadQuerySchema,
  OutcomeAnswerSchema,
  OutcomeSchema,
  OutcomesAnswerSchema,
  OutcomesBodySchema,
  StageBodySchema,
  StageChangeSchema,
  StageHistorySchema,
  SubmissionListSchema,
} from "./api/leads.ts";
import { DayRangeQuerySchema, SiteMetricsSchema } from "./api/metrics.ts";
import { ErasureReceiptSchema, PersonExportAnswerSchema } from "./api/people.ts";
import {
  ApiTokenSchema,
  AuditPageSchema,
  AuditQuerySchema,
  CreatedTokenSchema,
  CreateTokenBodySchema,
  MemberListSchema,
  MemberSchema,
  MeSchema,
  SaveMemberBodySchema,
  TokenListSchema,
} from "./api/people-access.ts";
import { DeleteSiteBodySchema, SiteRemovalSchema } from "./api/site-removal.ts";
import { PublicFormConfigSchema, PublicSiteConfigSchema } from "./api/sites.ts";
import { AllowOriginBodySchema, CaptureHealthSchema } from "./capture.ts";
import { FormSchema, SiteSchema } from "./config.ts";
import { SECRET_SCHEMAS } from "./destinations.ts";
import { ERROR_STATUS, type ErrorCode } from "./errors.ts";
import { EventBatchSchema, EventsAnswerSchema } from "./events.ts";
import {
  LeadSchema,
  LeadSubmissionSchema,
  RepairNoteSchema,
  SubmissionRecordSchema,
  SubmitAnswerSchema,
} from "./lead.ts";
import { ScoringSchema } from "./scoring-schema.ts";

const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    /** Per-field messages, keyed by the form field's name (validation errors). */
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});

/** `GET /v1/health`: up, or the store misconfiguration that keeps the Worker from working (503). */
export const HealthSchema = z.object({ ok: z.boolean(), error: z.optional(z.string()) });
/** `GET /v1/access`: a member's Access sign-in on this request, if any. */
export const AccessProbeSchema = z.object({ signedIn: z.boolean(), email: z.optional(z.string()) });

export { LeadPageSchema, SubmissionListSchema };

type JsonSchema = Record<string, unknown>;
const schema = (s: z.core.$ZodType, io: "input" | "output" = "output"): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

/**
 * The named schemas: answers as the edge writes them (output), bodies as a client may send them
 * (input: defaults and repairs make fields optional).
 */
const SCHEMAS = {
  ErrorBody: [ErrorBodySchema, "output"],
  Health: [HealthSchema, "output"],
  AccessProbe: [AccessProbeSchema, "output"],
  LeadSubmission: [LeadSubmissionSchema, "input"],
  SubmitAnswer: [SubmitAnswerSchema, "output"],
  RepairNote: [RepairNoteSchema, "output"],
  SubmissionRecord: [SubmissionRecordSchema, "output"],
  SubmissionList: [SubmissionListSchema, "output"],
  EventBatch: [EventBatchSchema, "input"],
  EventsAnswer: [EventsAnswerSchema, "output"],
  Form: [FormSchema, "output"],
  PublicSiteConfig: [PublicSiteConfigSchema, "output"],
  PublicFormConfig: [PublicFormConfigSchema, "output"],
  Lead: [LeadSchema, "output"],
  LeadPage: [LeadPageSchema, "output"],
  LeadEventList: [LeadEventListSchema, "output"],
  LeadEventsBody: [LeadEventsBodySchema, "input"],
  StageHistory: [StageHistorySchema, "output"],
  StageBody: [StageBodySchema, "input"],
  OutcomeAnswer: [OutcomeAnswerSchema, "output"],
  OutcomesBody: [OutcomesBodySchema, "input"],
  OutcomesAnswer: [OutcomesAnswerSchema, "output"],
  SiteMetrics: [SiteMetricsSchema, "output"],
  PersonExport: [PersonExportAnswerSchema, "output"],
  ErasureReceipt: [ErasureReceiptSchema, "output"],
  SiteList: [SiteListSchema, "output"],
  ServedConfig: [ServedConfigSchema, "output"],
  SaveConfigBody: [SaveConfigBodySchema, "input"],
  CreateSiteBody: [CreateSiteBodySchema, "input"],
  RollbackBody: [RollbackBodySchema, "input"],
  VersionList: [VersionListSchema, "output"],
  VersionDetail: [VersionDetailSchema, "output"],
  CalibrationBody: [CalibrationBodySchema, "input"],
  CalibrationProposal: [CalibrationProposalSchema, "output"],
  CaptureHealth: [CaptureHealthSchema, "output"],
  AllowOriginBody: [AllowOriginBodySchema, "input"],
  AllowOriginAnswer: [AllowOriginAnswerSchema, "output"],
  DestinationList: [DestinationListSchema, "output"],
  DestinationHealth: [DestinationHealthSchema, "output"],
  PauseBody: [PauseBodySchema, "input"],
  PauseAnswer: [PauseAnswerSchema, "output"],
  ResumeAnswer: [ResumeAnswerSchema, "output"],
  TestResult: [TestResultSchema, "output"],
  DeliveryPage: [DeliveryPageSchema, "output"],
  DeliveryDetail: [DeliveryDetailSchema, "output"],
  ReplayAnswer: [ReplayAnswerSchema, "output"],
  BulkReplayBody: [BulkReplayBodySchema, "input"],
  BulkReplayAnswer: [BulkReplayAnswerSchema, "output"],
  Me: [MeSchema, "output"],
  TokenList: [TokenListSchema, "output"],
  CreateTokenBody: [CreateTokenBodySchema, "input"],
  CreatedToken: [CreatedTokenSchema, "output"],
  MemberList: [MemberListSchema, "output"],
  SaveMemberBody: [SaveMemberBodySchema, "input"],
  AuditPage: [AuditPageSchema, "output"],
  DeleteSiteBody: [DeleteSiteBodySchema, "input"],
  SiteRemoval: [SiteRemovalSchema, "output"],
  // Parts of the answers above, named so that each is described once and referred to.
  SiteConfig: [SiteSchema, "output"],
  Scoring: [ScoringSchema, "output"],
  LeadEventRecord: [LeadEventRecordSchema, "output"],
  StageChange: [StageChangeSchema, "output"],
  Outcome: [OutcomeSchema, "output"],
  DeliverySummary: [DeliverySummarySchema, "output"],
  Attempt: [AttemptSchema, "output"],
  ApiToken: [ApiTokenSchema, "output"],
  Member: [MemberSchema, "output"],
} as const satisfies Record<string, readonly [z.core.$ZodType, "input" | "output"]>;
type SchemaName = keyof typeof SCHEMAS;

/**
 * A secret field (shared/secrets.ts): a string either way, so editors and scripts keep working on
 * plain strings, and a mask cannot be mistaken for a secret (no secret starts with U+2022).
 */
const SECRET_DESCRIPTION =
  "Write-only secret. Answers carry it masked: `••••` and its last 4 characters (`••••` alone for a short one); send the mask back unchanged to keep the saved secret, a new value to replace it, or `${NAME}` to name a Worker secret (shown as written). Stored encrypted.";

/**
 * The components: one JSON Schema per name, a named schema inside another one as a `$ref` to it
 * (per direction: an answer refers to answers' parts, a body to bodies').
 */
function componentSchemas(): Record<string, JsonSchema> {
  // Described here, not in the schemas: the Worker carries them, and a description costs it bytes.
  for (const secret of SECRET_SCHEMAS) z.globalRegistry.add(secret, { description: SECRET_DESCRIPTION });
  const converted: Record<string, JsonSchema> = {};
  for (const io of ["output", "input"] as const) {
    const registry = z.registry<{ id: string }>();
    for (const [id, [s, kind]] of Object.entries(SCHEMAS)) if (kind === io) registry.add(s, { id });
    const { schemas } = z.toJSONSchema(registry, {
      io,
      unrepresentable: "any",
      uri: (id) => `#/components/schemas/${id}`,
    });
    for (const [id, { $schema: _schema, $id: _id, ...rest }] of Object.entries(schemas)) converted[id] = rest;
  }
  return Object.fromEntries(Object.keys(SCHEMAS).map((name) => [name, converted[name]!]));
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ "application/json": { schema: ref(name) } });

/** The no-JS form post answers a person, not a program: readable pages (pipeline/form-post.ts). */
const HTML_FOR_FORM_POSTS = {
  "text/html": {
    schema: { type: "string" },
    description: "To an `application/x-www-form-urlencoded` post (a plain HTML form): a page for the person",
  },
};

function errors(codes: ErrorCode[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: `Error: ${list.join(", ")}`, content: { ...json("ErrorBody"), ...extra } },
    ]),
  );
}

type Parameter = {
  name: string;
  in: "query" | "path";
  required?: boolean;
  description?: string;
  schema: unknown;
};

/** One query parameter per property of a zod object (the query schemas the edge parses with). */
function queryParameters(query: z.core.$ZodType, descriptions: Record<string, string> = {}): Parameter[] {
  const properties = (schema(query, "input").properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: "query",
    schema: s,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
  }));
}

/** Every admin route that reads a site's data names it: none falls back to a default site. */
const siteQuery = (): Parameter => ({
  name: "site",
  in: "query",
  required: true,
  description: "The site's id",
  schema: { type: "string" },
});
const pageQuery = (max: number, fallback: number): Parameter[] => [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: max, default: fallback } },
  { name: "cursor", in: "query", description: "The cursor of the previous page", schema: { type: "string" } },
];
const dayRangeQuery = queryParameters(DayRangeQuerySchema, {
  from: "First day, YYYY-MM-DD (UTC; default: 29 days before today)",
  to: "Day after the last, YYYY-MM-DD (excluded; default: tomorrow)",
});

const adminAuth = [{ bearer: [] }];
/** Every admin route: a token (401), for this site (403), browsers only from the console origins. */
const ADMIN_ERRORS: ErrorCode[] = ["unauthorized", "forbidden", "not_found"];
/** A JSON body: unreadable or the wrong shape (400), too large (413), not JSON (415). */
const BODY_ERRORS: ErrorCode[] = ["invalid_request", "payload_too_large", "unsupported_media_type"];

interface AdminSpec {
  summary: string;
  description?: string;
  query?: Parameter[];
  /** The component schema of the JSON body. */
  body?: SchemaName;
  /** The body may be left out (pause: a reason is optional). */
  bodyOptional?: boolean;
  /** The answer's component schema (or content, when not JSON), and its status when not 200. */
  answer: SchemaName | Record<string, unknown>;
  status?: number;
  /** More answers, by status. */
  also?: Record<string, unknown>;
  errors?: ErrorCode[];
}

/** An admin operation; path parameters come from the path's template. */
function admin(path: string, spec: AdminSpec): Record<string, unknown> {
  const parameters: Parameter[] = [
    ...[...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
      name: name!,
      in: "path" as const,
      required: true,
      schema: { type: "string" },
    })),
    ...(spec.query ?? []),
  ];
  const codes = [...ADMIN_ERRORS, ...(spec.query ? (["invalid_request"] as const) : [])];
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: adminAuth,
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: !spec.bodyOptional, content: json(spec.body) } } : {}),
    responses: {
      [String(spec.status ?? 200)]: {
        description: "OK",
        content: typeof spec.answer === "string" ? json(spec.answer) : spec.answer,
      },
      ...spec.also,
      ...errors([...codes, ...(spec.body ? BODY_ERRORS : []), ...(spec.errors ?? [])]),
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
        '`{ "error": { "code", "message", "fields"? } }`. A path named here with a method it does not list ' +
        "answers 405 `method_not_allowed` with an `Allow` header. Webhook deliveries follow Standard Webhooks.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (`lc_…`, made by an owner, with a role and its sites), or ADMIN_TOKEN / ADMIN_TOKENS (owners). " +
            "Behind Cloudflare Access (ACCESS_TEAM_DOMAIN and ACCESS_AUD set), the Access JWT (`Cf-Access-Jwt-Assertion` " +
            "or the `CF_Authorization` cookie) signs in as the member with its email instead.",
        },
      },
      schemas: componentSchemas(),
    },
    paths: withFirstPartyAliases({
      "/v1/leads": {
        post: {
          summary: "Submit a lead",
          description:
            "Validated against the site's form; deduplicated per site on the normalized email; scored; stored " +
            "with its outbox rows in one atomic write before the answer. A retried `submissionId` gets the first " +
            "answer again (`Idempotent-Replayed: true`). `text/plain` JSON avoids a CORS preflight; " +
            "`application/x-www-form-urlencoded` is the no-JS fallback form: it is answered for the person who " +
            "posted it, with a 303 redirect to the thank-you page, or an HTML page (the thank-you message, or " +
            "what to correct), never JSON. Body ≤ 32 KiB. " +
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
                  properties: {
                    site: { type: "string" },
                    form: { type: "string" },
                    redirect: { type: "string", description: "The thank-you page (an allowed origin)" },
                    submissionId: { type: "string" },
                  },
                  required: ["site", "form"],
                  additionalProperties: { type: "string" },
                },
              },
            },
          },
          responses: {
            "201": {
              description:
                "A new lead (a form post: the thank-you page, when there is nowhere to redirect to)",
              content: { ...json("SubmitAnswer"), ...HTML_FOR_FORM_POSTS },
            },
            "200": {
              description: "Merged into an existing lead (duplicate: true), or a replayed submission id",
              content: json("SubmitAnswer"),
            },
            "303": { description: "No-JS fallback: redirect to the thank-you page" },
            ...errors(
              [
                "invalid_request",
                "validation_failed",
                "origin_not_allowed",
                "not_found",
                "payload_too_large",
                "unsupported_media_type",
                "unprocessable",
                "rate_limited",
                "internal",
                "unavailable",
              ],
              HTML_FOR_FORM_POSTS,
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
            ...errors([
              "invalid_request",
              "origin_not_allowed",
              "not_found",
              "payload_too_large",
              "unsupported_media_type",
              "unavailable",
            ]),
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
            {
              name: "lang",
              in: "query",
              required: false,
              description: "The page's language (BCP 47; only the primary subtag is used)",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": { description: "The form", content: json("PublicFormConfig") },
            // 503 while the site is paused (`disabled`): no form is shown until it accepts leads again.
            ...errors(["not_found", "unavailable"]),
          },
        },
      },
      "/v1/sites/{site}": {
        get: {
          summary: "A site's public settings for the widget (tracking, forms)",
          parameters: [{ name: "site", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The site's public settings", content: json("PublicSiteConfig") },
            ...errors(["not_found"]),
          },
        },
      },
      "/v1/admin/leads": {
        get: admin("/v1/admin/leads", {
          summary: "List leads, newest first (or as sorted), filtered; with how many the filter matches",
          query: [siteQuery(), ...pageQuery(500, 50), ...queryParameters(LeadQuerySchema, LEAD_QUERY_HELP)],
          answer: "LeadPage",
        }),
      },
      "/v1/admin/leads.csv": {
        get: admin("/v1/admin/leads.csv", {
          summary: "Every lead the filter matches (up to 50,000) as CSV with a header row, for a spreadsheet",
          query: [siteQuery(), ...queryParameters(LeadQuerySchema, LEAD_QUERY_HELP)],
          answer: { "text/csv": { schema: { type: "string" } } },
        }),
      },
      "/v1/admin/leads/{id}": {
        get: admin("/v1/admin/leads/{id}", { summary: "One lead", answer: "Lead" }),
      },
      "/v1/admin/leads/{id}/outcome": {
        get: admin("/v1/admin/leads/{id}/outcome", {
          summary: "The outcome recorded for the lead (won or lost), or null",
          answer: "OutcomeAnswer",
        }),
      },
      "/v1/admin/leads/{id}/submissions": {
        get: admin("/v1/admin/leads/{id}/submissions", {
          summary:
            "The submissions merged into a lead, with their touches and the notes of what was repaired in each",
          answer: "SubmissionList",
        }),
      },
      "/v1/admin/leads/{id}/events": {
        get: admin("/v1/admin/leads/{id}/events", {
          summary: "The lead's product and engagement events",
          answer: "LeadEventList",
        }),
        post: admin("/v1/admin/leads/{id}/events", {
          summary:
            "Report product usage or engagement events: the lead is re-scored; the site's PQL rule may make it a PQL",
          body: "LeadEventsBody",
          answer: "Lead",
        }),
      },
      "/v1/admin/leads/{id}/stages": {
        get: admin("/v1/admin/leads/{id}/stages", {
          summary: "The lead's stage history, each change with its cause",
          answer: "StageHistory",
        }),
      },
      "/v1/admin/leads/{id}/stage": {
        post: admin("/v1/admin/leads/{id}/stage", {
          summary: "Set the stage (SQL when sales accepts, customer on close), with a reason",
          body: "StageBody",
          answer: "Lead",
        }),
      },
      "/v1/admin/outcomes": {
        post: admin("/v1/admin/outcomes", {
          summary: "Report won/lost outcomes from a CRM (a win makes the lead a customer)",
          description: "404 (with the same answer) when none of the leads is known to this token.",
          body: "OutcomesBody",
          answer: "OutcomesAnswer",
          also: { "404": { description: "None of the leads is known", content: json("OutcomesAnswer") } },
        }),
      },
      "/v1/admin/people/{email}/export": {
        get: admin("/v1/admin/people/{email}/export", {
          summary: "Everything stored about a person on a site",
          query: [siteQuery()],
          answer: "PersonExport",
        }),
      },
      "/v1/admin/people/{email}": {
        delete: admin("/v1/admin/people/{email}", {
          summary:
            "Erase everything stored about a person on a site; the erasure is recorded without the address",
          query: [siteQuery()],
          answer: "ErasureReceipt",
        }),
      },
      "/v1/admin/metrics": {
        get: admin("/v1/admin/metrics", {
          summary:
            "A site's numbers: leads by day, temperature, stage, channel, campaign and form (with impressions), spam",
          query: [siteQuery(), ...dayRangeQuery],
          answer: "SiteMetrics",
        }),
      },
      "/v1/admin/sites": {
        get: admin("/v1/admin/sites", {
          summary: "The sites this token may see, with their forms",
          answer: "SiteList",
        }),
        post: admin("/v1/admin/sites", {
          summary: "Create a site from a config (version 1); only a token for every site may",
          body: "CreateSiteBody",
          answer: "ServedConfig",
          status: 201,
          errors: ["validation_failed", "conflict"],
        }),
      },
      "/v1/admin/sites/{site}": {
        delete: admin("/v1/admin/sites/{site}", {
          summary:
            "Delete a site and everything stored for it (configs, leads, deliveries, counters; the site from tokens and members); the audit log is kept. 409 for a site in LEADCAP_SITES",
          description:
            "The body repeats the site's id (`confirm`); 400 with `fields.confirm` when it does not match. Export the leads first (`GET /v1/admin/leads.csv?site=…`): nothing can be restored.",
          body: "DeleteSiteBody",
          answer: "SiteRemoval",
          errors: ["conflict"],
        }),
      },
      "/v1/admin/sites/{site}/config": {
        get: admin("/v1/admin/sites/{site}/config", {
          summary:
            "The config being served: its version (0 = the config in code), when and where it was saved",
          answer: "ServedConfig",
        }),
        put: admin("/v1/admin/sites/{site}/config", {
          summary:
            "Save a new version, validated as the edge runs it (400 with every failing path); 409 when someone saved since baseVersion",
          body: "SaveConfigBody",
          answer: "ServedConfig",
          errors: ["validation_failed", "conflict"],
        }),
      },
      "/v1/admin/sites/{site}/config/versions": {
        get: admin("/v1/admin/sites/{site}/config/versions", {
          summary: "The config's versions, newest first, without their configs",
          query: queryParameters(VersionsQuerySchema, {
            limit: "1–100 (default 20)",
            cursor: "`next` of the previous page",
          }),
          answer: "VersionList",
        }),
      },
      "/v1/admin/sites/{site}/config/versions/{version}": {
        get: admin("/v1/admin/sites/{site}/config/versions/{version}", {
          summary: "One version, with its config",
          answer: "VersionDetail",
        }),
      },
      "/v1/admin/sites/{site}/config/rollback": {
        post: admin("/v1/admin/sites/{site}/config/rollback", {
          summary: "Save an earlier version's config as the newest version",
          body: "RollbackBody",
          answer: "ServedConfig",
          errors: ["conflict", "unprocessable"],
        }),
      },
      "/v1/admin/sites/{site}/calibration": {
        post: admin("/v1/admin/sites/{site}/calibration", {
          summary:
            "Fit the site's scoring rules to the outcomes in its store: a proposed scoring config and a report (ROC AUC, buckets, thresholds); nothing is saved",
          body: "CalibrationBody",
          answer: "CalibrationProposal",
          errors: ["unprocessable"],
        }),
      },
      "/v1/admin/sites/{site}/capture-health": {
        get: admin("/v1/admin/sites/{site}/capture-health", {
          summary:
            "Capture health: lead submissions refused or repaired per day and reason, refused analytics batches, and the origins they came from (whether each is allowed now)",
          description:
            "Reasons: origin_not_allowed, invalid_answers (validation_failed, unprocessable), rate_limited, bot " +
            "(honeypot, fill time, Turnstile), repaired (accepted after repairing malformed signals), " +
            "payload_too_large, invalid_request (unreadable body), unknown_form. Days are UTC; `to` is excluded " +
            "(default: the last 30 days); at most 366 days.",
          query: dayRangeQuery,
          answer: "CaptureHealth",
        }),
      },
      "/v1/admin/sites/{site}/allowed-origins": {
        post: admin("/v1/admin/sites/{site}/allowed-origins", {
          summary:
            "Allow one more origin (scheme://host[:port]) to submit: saved as a new config version, served within seconds",
          body: "AllowOriginBody",
          answer: "AllowOriginAnswer",
          errors: ["validation_failed", "conflict", "unprocessable"],
        }),
      },
      "/v1/admin/destinations": {
        get: admin("/v1/admin/destinations", {
          summary: "A site's destinations, without secrets",
          query: [siteQuery()],
          answer: "DestinationList",
        }),
      },
      "/v1/admin/destinations/{id}": {
        get: admin("/v1/admin/destinations/{id}", {
          summary: "A destination's health: state, counts, last attempt",
          query: [siteQuery()],
          answer: "DestinationHealth",
        }),
      },
      "/v1/admin/destinations/{id}/pause": {
        post: admin("/v1/admin/destinations/{id}/pause", {
          summary: "Pause a destination: its deliveries are held",
          query: [siteQuery()],
          body: "PauseBody",
          bodyOptional: true,
          answer: "PauseAnswer",
        }),
      },
      "/v1/admin/destinations/{id}/resume": {
        post: admin("/v1/admin/destinations/{id}/resume", {
          summary: "Resume a destination and send what was held",
          query: [siteQuery()],
          answer: "ResumeAnswer",
        }),
      },
      "/v1/admin/destinations/{id}/test": {
        post: admin("/v1/admin/destinations/{id}/test", {
          summary: "Send a test event and show the receiver's answer",
          query: [siteQuery()],
          answer: "TestResult",
          errors: ["unprocessable"],
        }),
      },
      "/v1/admin/deliveries": {
        get: admin("/v1/admin/deliveries", {
          summary: "Deliveries, newest first",
          query: [siteQuery(), ...pageQuery(500, 50), ...queryParameters(DeliveryQuerySchema)],
          answer: "DeliveryPage",
        }),
      },
      "/v1/admin/deliveries/{id}": {
        get: admin("/v1/admin/deliveries/{id}", {
          summary: "One delivery with every attempt (status, latency, excerpt, next attempt)",
          answer: "DeliveryDetail",
        }),
      },
      "/v1/admin/deliveries/{id}/replay": {
        post: admin("/v1/admin/deliveries/{id}/replay", {
          summary: "Send a delivery again, with the same webhook-id",
          answer: "ReplayAnswer",
        }),
      },
      "/v1/admin/deliveries/replay": {
        post: admin("/v1/admin/deliveries/replay", {
          summary: "Replay in bulk: everything dead-lettered since a time (call again while `more`)",
          body: "BulkReplayBody",
          answer: "BulkReplayAnswer",
        }),
      },
      "/v1/admin/me": {
        get: admin("/v1/admin/me", {
          summary: "Who this request acts as (bootstrap, an API token or a member) and its role per site",
          description:
            "Roles: owner (members, tokens, sites, destinations, erasure), editor (forms, channels, scoring, routing, " +
            "replay), analyst (reads leads and metrics, exports CSV), crm (reports stages, outcomes and product events " +
            "only). A role keyed `*` holds on every site. An operation the role does not allow answers 403 `forbidden`.",
          answer: "Me",
        }),
      },
      "/v1/admin/tokens": {
        get: admin("/v1/admin/tokens", {
          summary: "API tokens for sites you own (never the token itself)",
          answer: "TokenList",
        }),
        post: admin("/v1/admin/tokens", {
          summary: "Create an API token: the answer holds it this once; only its SHA-256 is stored",
          body: "CreateTokenBody",
          answer: "CreatedToken",
          status: 201,
          errors: ["validation_failed"],
        }),
      },
      "/v1/admin/tokens/{id}": {
        delete: admin("/v1/admin/tokens/{id}", {
          summary: "Revoke an API token: it stops working at once",
          answer: "ApiToken",
          errors: ["conflict"],
        }),
      },
      "/v1/admin/members": {
        get: admin("/v1/admin/members", {
          summary: "Members (signing in through Cloudflare Access) of sites you own",
          answer: "MemberList",
        }),
      },
      "/v1/admin/members/{email}": {
        put: admin("/v1/admin/members/{email}", {
          summary: "Add a member, or replace their roles (a role per site; `*` for every site)",
          body: "SaveMemberBody",
          answer: "Member",
          also: { "201": { description: "Added", content: json("Member") } },
          errors: ["validation_failed", "invalid_request"],
        }),
        delete: admin("/v1/admin/members/{email}", {
          summary: "Remove a member",
          answer: "Member",
          errors: ["invalid_request"],
        }),
      },
      "/v1/admin/sites/{site}/audit": {
        get: admin("/v1/admin/sites/{site}/audit", {
          summary:
            "The audit log: who did what, when (config saves, rollbacks, token and member changes, replays, erasures, exports), newest first",
          query: queryParameters(AuditQuerySchema, {
            limit: "1–200 (default 50)",
            cursor: "`next` of the previous page",
          }),
          answer: "AuditPage",
        }),
      },
      "/v1/access": {
        get: {
          summary:
            "Whether this request carries a Cloudflare Access sign-in of a member (public; never an error: the console's sign-in screen asks it)",
          responses: { "200": { description: "Signed in or not", content: json("AccessProbe") } },
        },
      },
      "/v1/health": {
        get: {
          summary: "Liveness: up, and able to reach its store",
          responses: {
            "200": { description: "Up", content: json("Health") },
            "503": { description: "The store is not configured", content: json("Health") },
          },
        },
      },
      "/v1/openapi.json": {
        get: {
          summary: "This document",
          responses: {
            "200": {
              description: "OpenAPI 3.1",
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors(["unavailable"]),
          },
        },
      },
      "/v1/docs": {
        get: {
          summary: "This document as a readable page",
          responses: {
            "200": { description: "HTML", content: { "text/html": { schema: { type: "string" } } } },
            ...errors(["unavailable"]),
          },
        },
      },
    }),
  };
}

const LEAD_QUERY_HELP: Record<string, string> = {
  q: "Contained in the email, name or company (case-insensitive)",
  temperature: "cold, warm or hot, comma separated",
  stage: "IQL, MQL, SQL, PQL or customer, comma separated",
  channel: "First-touch channel",
  from: "Created on or after this day (YYYY-MM-DD, UTC)",
  to: "Created before this day (YYYY-MM-DD, UTC)",
  minScore: "0–100",
  maxScore: "0–100",
};

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

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema?: { $ref?: string } }> }
  >;
};

/** `application/json → <a>Lead</a>, text/html`: the media types, with a link to each named schema. */
const media = (content: Record<string, { schema?: { $ref?: string } }>) =>
  Object.entries(content)
    .map(([type, m]) => {
      const name = m.schema?.$ref?.split("/").pop();
      return `<code>${escapeHtml(type)}</code>${name ? ` → <a href="#${escapeHtml(name)}">${escapeHtml(name)}</a>` : ""}`;
    })
    .join(", ");

/**
 * The document as a readable reference page (served at /v1/docs): every operation with its
 * parameters, bodies and answers linked to their schemas, then the schemas. Built with the document,
 * at build time, so the Worker only serves it. No external script or stylesheet.
 */
export function referencePage(document: Record<string, unknown>): string {
  const doc = document as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  const sections: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""})${p.description ? ` — ${escapeHtml(p.description)}` : ""}</li>`,
        )
        .join("");
      const body = op.requestBody ? `<p>Body: ${media(op.requestBody.content)}</p>` : "";
      const responses = Object.entries(op.responses)
        .map(
          ([status, r]) =>
            `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description)}${r.content ? `: ${media(r.content)}` : ""}</li>`,
        )
        .join("");
      sections.push(
        `<section><h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2><p>${escapeHtml(op.summary ?? "")}${op.security ? " <em>(admin token)</em>" : ""}</p>` +
          `${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}${params ? `<ul>${params}</ul>` : ""}${body}<ul>${responses}</ul></section>`,
      );
    }
  }
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, s]) =>
        `<section id="${escapeHtml(name)}"><h2>${escapeHtml(name)}</h2><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></section>`,
    )
    .join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.info.title)}</title>` +
    `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:13px}section{border-top:1px solid #d0d7de;padding:.5rem 0}code{font-size:.95em}</style></head>` +
    `<body><main><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p><p><a href="openapi.json">openapi.json</a></p>${sections.join("")}<h1>Schemas</h1>${schemas}</main></body></html>`
  );
}
