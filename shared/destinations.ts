/**
 * Destinations (where a routed lead is pushed) and routing (which leads and events go where).
 *
 * Text values of a destination (urls, secrets, tokens, header values) may name Worker variables as
 * `${NAME}`, so the config stays plain data while secrets live in Worker secrets; a destination whose
 * variables are unset is skipped (and says so in the log).
 */
import * as z from "zod/mini";
import { LEAD_EVENT_TYPES } from "./lead.ts";
import { type Condition, ConditionSchema } from "./rules.ts";
import { isSealed } from "./secrets.ts";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));
const text = (max: number) => z.string().check(z.maxLength(max));
const url = text(2000);

/**
 * A secret: write-only (shared/secrets.ts). Read back as `••••` and its last four characters; sent
 * back unchanged it keeps the stored secret. The edge stores it sealed (`enc:v1:…`), which is longer
 * than the secret, so the stored form has room beyond `max`.
 */
export const secretText = (max: number) => {
  const schema = z.string().check(
    z.maxLength(6 * max + 64),
    z.refine((v) => isSealed(v) || v.length <= max, `At most ${max} characters.`),
  );
  SECRET_SCHEMAS.push(schema);
  return schema;
};
/** Every secret field's schema: the OpenAPI document describes them as write-only (shared/openapi.ts). */
export const SECRET_SCHEMAS: z.ZodMiniString[] = [];

/**
 * A field mapping: the CRM's property name → where its value comes from in the lead. A source is a
 * dotted path into the lead as delivered (`email`, `fields.company`, `score`, `temperature`, `stage`,
 * `firstTouch.utm_source`, `lastTouch.utm_campaign`, `lastTouch.channel`, `page.url`, `id`), one of
 * the derived values `firstName`, `lastName`, `reasons` (the reasons as one line), or `=text`, a
 * literal. An empty source removes a default mapping. Merged over each destination's default mapping.
 */
export const MappingSchema = z.record(text(100), text(200));
export type Mapping = z.infer<typeof MappingSchema>;

const common = {
  id,
  /** A paused destination keeps its deliveries waiting (nothing is dropped) until it is resumed. */
  paused: z.optional(z.boolean()),
  /** Request timeout per attempt, in milliseconds. @default 10000 */
  timeoutMs: z.optional(z.number().check(z.minimum(100), z.maximum(30_000))),
  /**
   * Pause the destination (with the reason) when it has failed without a single success for this
   * many hours. @default 72
   */
  pauseAfterHours: z.optional(z.number().check(z.minimum(0))),
};

/** A signed webhook (Standard Webhooks). */
export const WebhookDestinationSchema = z.object({
  ...common,
  type: z.literal("webhook"),
  url,
  /**
   * Standard Webhooks secret(s), `whsec_` + base64. During a rotation give several, separated by
   * spaces or commas (new first): every delivery carries one signature per secret.
   */
  secret: secretText(1000),
  /** Extra request headers, e.g. an API key the receiver expects; values may use `${NAME}`. */
  headers: z.optional(z.record(text(100), secretText(2000))),
});

/** A Slack incoming webhook: a readable alert (who, company, why hot, source, link). */
export const SlackDestinationSchema = z.object({
  ...common,
  type: z.literal("slack"),
  /** The incoming webhook URL Slack gave you (https://hooks.slack.com/services/…); a secret. */
  url: secretText(2000),
  /** Link to the lead, `{id}` replaced by the lead id, e.g. `https://console.example.com/leads/{id}`. */
  leadUrl: z.optional(url),
  /** Prepended to the alert, e.g. `<!here>` or `<@U123>`. */
  mention: z.optional(text(200)),
});

/** HubSpot: create or update the contact by email (CRM contacts API), or submit a HubSpot form. */
export const HubspotDestinationSchema = z.object({
  ...common,
  type: z.literal("hubspot"),
  /** Private app access token (scope crm.objects.contacts.write); not needed for the forms API. */
  token: z.optional(secretText(500)),
  /** `contacts`: CRM contacts API v3, upsert by email. `forms`: Forms submission API v3. @default contacts */
  api: z.optional(z.enum(["contacts", "forms"])),
  portalId: z.optional(text(50)),
  formGuid: z.optional(text(100)),
  /** @default https://api.hubapi.com (forms: https://api.hsforms.com) */
  baseUrl: z.optional(url),
  mapping: z.optional(MappingSchema),
});

/** Salesforce: Web-to-Lead (no credentials) or the REST API's Lead object. */
export const SalesforceDestinationSchema = z.object({
  ...common,
  type: z.literal("salesforce"),
  /** @default web-to-lead */
  api: z.optional(z.enum(["web-to-lead", "rest"])),
  /** Web-to-Lead: the organization id (`oid`). */
  oid: z.optional(text(50)),
  /** REST: the org's instance URL, e.g. https://acme.my.salesforce.com. */
  instanceUrl: z.optional(url),
  /** REST: an OAuth access token (with a refresh token below, it may be left out or expire). */
  token: z.optional(secretText(2000)),
  /**
   * REST: a refresh token and the connected app's consumer key and secret. When the access token is
   * missing or refused (401), a new one is fetched from `loginUrl`/services/oauth2/token and kept.
   */
  refreshToken: z.optional(secretText(2000)),
  clientId: z.optional(text(500)),
  clientSecret: z.optional(secretText(500)),
  /** REST: where tokens are refreshed. @default https://login.salesforce.com */
  loginUrl: z.optional(url),
  /** REST: an external id field on Lead (e.g. `Leadcap_Id__c`) to upsert on the lead id; else create. */
  externalIdField: z.optional(text(100)),
  /** @default v60.0 */
  apiVersion: z.optional(text(10)),
  /** Web-to-Lead: @default https://webto.salesforce.com */
  baseUrl: z.optional(url),
  mapping: z.optional(MappingSchema),
});

/** Pipedrive: the person (found by email or created) and a lead for them (Leads API). */
export const PipedriveDestinationSchema = z.object({
  ...common,
  type: z.literal("pipedrive"),
  /** API token (Settings → Personal preferences → API). */
  token: secretText(500),
  /** @default https://api.pipedrive.com */
  baseUrl: z.optional(url),
  /** Lead fields: `title` and custom field keys. */
  mapping: z.optional(MappingSchema),
});

export const DestinationSchema = z.discriminatedUnion("type", [
  WebhookDestinationSchema,
  SlackDestinationSchema,
  HubspotDestinationSchema,
  SalesforceDestinationSchema,
  PipedriveDestinationSchema,
]);
export type Destination = z.infer<typeof DestinationSchema>;
export type DestinationType = Destination["type"];

const oneOrMany = <T extends z.ZodMiniType>(schema: T) => z.union([schema, z.array(schema)]);
const value = z.union([text(200), z.number(), z.boolean()]);

/**
 * When a route applies. Every key given must hold; a list means "any of these". Text compares ignore
 * case. The keys are shorthand for conditions of the one rule language (shared/rules.ts; the edge
 * compiles them, edge/src/routing.ts); `conditions` takes such conditions (signal, op, value) on the
 * same lead for anything else: scoring's signals, and `temperature`, `stage`, `score`, `event`.
 */
export const RouteWhenSchema = z.object({
  temperature: z.optional(oneOrMany(z.enum(["cold", "warm", "hot"]))),
  stage: z.optional(oneOrMany(z.enum(["IQL", "MQL", "SQL", "PQL", "customer"]))),
  /** min ≤ score ≤ max. */
  score: z.optional(z.object({ min: z.optional(z.number()), max: z.optional(z.number()) })),
  form: z.optional(oneOrMany(text(64))),
  /** The form's intent: demo, pricing, contact, trial, webinar, download, newsletter, other. */
  intent: z.optional(oneOrMany(text(64))),
  /** The latest touch's channel. */
  channel: z.optional(oneOrMany(text(64))),
  /** UTM values of the latest touch, e.g. `{ "utm_source": ["google", "bing"] }`. */
  utm: z.optional(z.record(text(20), oneOrMany(text(200)))),
  /** Form answers, e.g. `{ "country": ["DE", "AT"] }`. */
  fields: z.optional(z.record(text(64), oneOrMany(value))),
  /** The event being routed. @default every event */
  event: z.optional(oneOrMany(z.enum(LEAD_EVENT_TYPES))),
  conditions: z.optional(z.array(ConditionSchema).check(z.maxLength(20))),
});
export type RouteWhen = z.infer<typeof RouteWhenSchema>;

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * The `when` shorthand as conditions of the one rule language (shared/rules.ts): each key is `in`
 * its list ("any of these"), the score range is `gte`/`lte`, then the route's own `conditions`.
 */
export function routeConditions(when: RouteWhen): Condition[] {
  const out: Condition[] = [];
  const anyOf = (signal: string, wanted: RouteValue | RouteValue[] | undefined) => {
    if (wanted !== undefined) out.push({ signal, op: "in", value: list(wanted) });
  };
  anyOf("event", when.event);
  anyOf("temperature", when.temperature);
  anyOf("stage", when.stage);
  if (when.score?.min !== undefined) out.push({ signal: "score", op: "gte", value: when.score.min });
  if (when.score?.max !== undefined) out.push({ signal: "score", op: "lte", value: when.score.max });
  anyOf("form.id", when.form);
  anyOf("form.intent", when.intent);
  anyOf("channel", when.channel);
  for (const [key, wanted] of Object.entries(when.utm ?? {})) anyOf(`lastTouch.${key}`, wanted);
  for (const [name, wanted] of Object.entries(when.fields ?? {})) anyOf(`fields.${name}`, wanted);
  return [...out, ...(when.conditions ?? [])];
}
type RouteValue = string | number | boolean;

export const RouteSchema = z.object({
  /** Shown in logs and the admin API. */
  name: z.optional(text(100)),
  /** Absent: every lead. */
  when: z.optional(RouteWhenSchema),
  /** Destination ids. */
  to: z.array(id).check(z.minLength(1)),
  /** Stop here: later routes are not tried for a lead this one matched. @default false */
  stop: z.optional(z.boolean()),
});
export type Route = z.infer<typeof RouteSchema>;

/**
 * Routing rules: every matching route adds its destinations (several may match); `default` gets a
 * lead no route matched. Without routing, every destination receives every lead and event.
 *
 * ```ts
 * routing: {
 *   routes: [
 *     { when: { temperature: "hot" }, to: ["slack-sales"] },
 *     { when: { temperature: "warm" }, to: ["nurture"] },
 *     { to: ["hubspot"] },
 *   ],
 * }
 * ```
 */
export const RoutingSchema = z.object({
  routes: z._default(z.array(RouteSchema).check(z.maxLength(100)), []),
  default: z.optional(z.array(id)),
});
export type Routing = z.infer<typeof RoutingSchema>;
