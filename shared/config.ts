/**
 * Site configuration: forms and fields, scoring rules and destinations. The single source of truth
 * for what a site accepts; the edge validates every submission against it and the widget renders it.
 * The widget imports types only from here.
 */
import * as z from "zod/mini";
import { ChannelRuleSchema, DEFAULT_CHANNEL_RULES } from "./channels.ts";
import { DestinationSchema, RoutingSchema, secretText } from "./destinations.ts";
import { DisplaySchema, STRING_KEYS } from "./display.ts";
import { isRegExp, PATTERN_FLAGS } from "./rules.ts";
import { ScoringSchema } from "./scoring-schema.ts";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));

export const FIELD_TYPES = [
  "text",
  "email",
  "tel",
  "url",
  "number",
  "textarea",
  "select",
  "radio",
  "checkbox",
  /** Several boxes, several answers: the value is the list of ticked option values. */
  "checkboxes",
  "consent",
  "hidden",
  "honeypot",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types whose answer must be one (or, for checkboxes, several) of `options`. */
export const OPTION_TYPES: ReadonlySet<FieldType> = new Set(["select", "radio", "checkboxes"]);

export const OptionSchema = z.object({
  value: z.string().check(z.minLength(1), z.maxLength(200)),
  label: z.string().check(z.maxLength(500)),
});
export type Option = z.infer<typeof OptionSchema>;

/**
 * Show this field only when another field has a value (`notEmpty`, the default) or a given one
 * (`equals`; for checkboxes, when that option is ticked). Hidden fields are not required and their
 * values are not sent.
 */
export const ShowWhenSchema = z.object({
  field: z.string().check(z.maxLength(64)),
  equals: z.optional(z.union([z.string().check(z.maxLength(200)), z.boolean()])),
});
export type ShowWhen = z.infer<typeof ShowWhenSchema>;

/** Names the no-JS fallback form uses for its envelope: never field names. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  "site",
  "form",
  "submissionId",
  "redirect",
]);

export const FieldSchema = z.object({
  /** Key of the value in the submission's `fields`. */
  name: z.string().check(
    z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a letter, then letters, digits or _"),
    z.refine((name) => !RESERVED_FIELD_NAMES.has(name), "site, form, submissionId and redirect are reserved"),
  ),
  type: z.enum(FIELD_TYPES),
  /** Visible label. Rendered as text, never as HTML. Not shown for hidden and honeypot fields. */
  label: z._default(z.string().check(z.maxLength(500)), ""),
  /** Help text under the control, tied to it with aria-describedby. */
  help: z.optional(z.string().check(z.maxLength(500))),
  required: z.optional(z.boolean()),
  placeholder: z.optional(z.string().check(z.maxLength(200))),
  /** HTML autocomplete token so browsers autofill (e.g. "email", "name", "organization"). */
  autocomplete: z.optional(z.string().check(z.maxLength(60))),
  /** Minimum length of a text value. */
  minLength: z.optional(z.int().check(z.minimum(0), z.maximum(10_000))),
  /** Maximum length of a text value. @default 500 (textarea 5000, email 254) */
  maxLength: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  /** A regular expression (JavaScript syntax, whole value) text values must match. */
  pattern: z.optional(z.string().check(z.maxLength(500))),
  /** Message shown when `pattern` does not match. @default "Please use the format asked for." (shared/messages.ts) */
  patternMessage: z.optional(z.string().check(z.maxLength(200))),
  /** Number fields: bounds, and the granularity of accepted values (the input's `step`). */
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  increment: z.optional(z.number().check(z.positive())),
  /** select, radio and checkboxes: the answers offered. */
  options: z.optional(z.array(OptionSchema).check(z.maxLength(200))),
  /** Initial value: text, a ticked box (never for consent), or the ticked options of checkboxes. */
  defaultValue: z.optional(z.union([z.string().check(z.maxLength(500)), z.boolean(), z.array(z.string())])),
  showWhen: z.optional(ShowWhenSchema),
  /** Multi-step forms: the step (0-based) this field is on. @default 0 */
  step: z.optional(z.int().check(z.minimum(0), z.maximum(19))),
  /** tel fields: the ISO 3166 country assumed for numbers without a +country prefix (E.164). */
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
  /**
   * When a person submits again: `newest` (the default) keeps the newest non-empty answer; `first`
   * keeps the first answer given (e.g. "how did you hear about us").
   */
  merge: z.optional(z.enum(["newest", "first"])),
  /** Consent fields: the version of the consent text, recorded with the lead. */
  consentVersion: z.optional(z.string().check(z.maxLength(40))),
  /** Hidden fields: a static value the widget sends. */
  value: z.optional(z.string().check(z.maxLength(500))),
  /** Hidden fields: take the value from this URL query parameter of the page, if present. */
  fromParam: z.optional(z.string().check(z.maxLength(100))),
  /** Hidden fields: take the value from this data attribute of the script tag or container (`data-…`). */
  fromData: z.optional(z.string().check(z.maxLength(100))),
});
export type Field = z.infer<typeof FieldSchema>;

/**
 * What the visitor asked for by filling the form. Drives intent scoring: demo, pricing and contact
 * are hot; content and newsletter are warm.
 */
export const FORM_INTENTS = [
  "demo",
  "pricing",
  "contact",
  "trial",
  "webinar",
  "download",
  "newsletter",
  "other",
] as const;
export type FormIntent = (typeof FORM_INTENTS)[number];

/**
 * A form's texts in another language, for visitors whose page is in it (`<html lang>`): anything left
 * out stays as the form has it. Field texts are keyed by field name, option labels by option value.
 */
export const FormTranslationSchema = z.object({
  title: z.optional(z.string().check(z.maxLength(200))),
  description: z.optional(z.string().check(z.maxLength(1000))),
  submitLabel: z.optional(z.string().check(z.maxLength(80))),
  successMessage: z.optional(z.string().check(z.maxLength(500))),
  fields: z.optional(
    z.record(
      z.string().check(z.maxLength(64)),
      z.object({
        label: z.optional(z.string().check(z.maxLength(300))),
        help: z.optional(z.string().check(z.maxLength(500))),
        placeholder: z.optional(z.string().check(z.maxLength(200))),
        options: z.optional(z.record(z.string().check(z.maxLength(200)), z.string().check(z.maxLength(200)))),
      }),
    ),
  ),
  /** Replacements of the widget's built-in messages in that language. */
  strings: z.optional(z.partialRecord(z.enum(STRING_KEYS), z.string().check(z.maxLength(300)))),
});
export type FormTranslation = z.infer<typeof FormTranslationSchema>;

/** A language as pages name it: the primary subtag of `<html lang>` (de, fr, pt, …). */
export const LANGUAGE = /^[a-z]{2,3}$/;

export const FormSchema = z.object({
  id,
  title: z.string().check(z.maxLength(200)),
  description: z.optional(z.string().check(z.maxLength(1000))),
  intent: z.enum(FORM_INTENTS),
  fields: z.array(FieldSchema).check(
    z.minLength(1),
    z.maxLength(100),
    // The email is the lead's identity (dedupe, CRM matching): every form asks for one.
    z.refine(
      (fields) => fields.some((f) => f.type === "email" && f.required && !f.showWhen),
      "a form needs a required email field that is always shown",
    ),
    z.refine(
      (fields) => new Set(fields.map((f) => f.name)).size === fields.length,
      "field names must be unique",
    ),
    z.refine(
      (fields) => fields.every((f) => !OPTION_TYPES.has(f.type) || (f.options?.length ?? 0) > 0),
      "select, radio and checkboxes fields need options",
    ),
    z.refine(
      (fields) =>
        fields.every(
          (f) => !f.showWhen || fields.some((other) => other.name === f.showWhen?.field && other !== f),
        ),
      "showWhen must name another field of the form",
    ),
    z.refine(
      (fields) => fields.every((f) => f.type !== "consent" || f.defaultValue !== true),
      "consent is never pre-ticked",
    ),
    z.refine(
      (fields) => fields.every((f) => !f.pattern || isRegExp(f.pattern, PATTERN_FLAGS)),
      "pattern must be a valid regular expression",
    ),
  ),
  /** Multi-step forms: a title per step; fields name their step. */
  steps: z.optional(z.array(z.object({ title: z.string().check(z.maxLength(200)) })).check(z.maxLength(20))),
  /** How the form is shown: inline, popup, slide-in, launcher or bar, with triggers and frequency caps. */
  display: z.optional(DisplaySchema),
  /**
   * Bot defence beyond the honeypot. A submission caught by it is answered like a person's, recorded
   * as spam with the reason, and never stored as a lead or forwarded.
   */
  bot: z.optional(
    z.object({
      /** Minimum time from the first interaction with the form to its submission (the widget's formTimeMs). */
      minFillMs: z.optional(z.int().check(z.minimum(0), z.maximum(600_000))),
      /** Cloudflare Turnstile secret (usually `${TURNSTILE_SECRET}`): the submission must carry a valid token. */
      turnstileSecret: z.optional(secretText(200)),
    }),
  ),
  submitLabel: z._default(z.string().check(z.maxLength(80)), "Send"),
  successMessage: z._default(z.string().check(z.maxLength(500)), "Thank you! We will be in touch."),
  /** The form's texts per language (`de`, `fr`, …): served to pages in that language. */
  translations: z.optional(
    z.record(z.string().check(z.regex(LANGUAGE, "a language code like de or fr")), FormTranslationSchema),
  ),
});
export type FormConfig = z.infer<typeof FormSchema>;

/**
 * The form as a page in `language` shows it: its translation applied (texts, field labels, help,
 * placeholders, option labels, built-in messages) and `display.language` set, so the widget's own
 * messages follow. Without a translation for it, the form as written. Translations are not served.
 */
export function localizeForm(form: FormConfig, language: string | undefined): FormConfig {
  const { translations, ...rest } = form;
  const t = language ? translations?.[language] : undefined;
  if (!t) return rest;
  const fields = rest.fields.map((field) => {
    const ft = t.fields?.[field.name];
    if (!ft) return field;
    const { options, ...texts } = ft;
    return {
      ...field,
      ...texts,
      ...(field.options && options
        ? { options: field.options.map((o) => ({ ...o, label: options[o.value] ?? o.label })) }
        : {}),
    };
  });
  return {
    ...rest,
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.submitLabel !== undefined ? { submitLabel: t.submitLabel } : {}),
    ...(t.successMessage !== undefined ? { successMessage: t.successMessage } : {}),
    fields,
    display: {
      // A form without display settings is inline (DisplaySchema's default): said, not implied.
      mode: "inline",
      ...rest.display,
      language: language as string,
      ...(t.strings ? { strings: { ...rest.display?.strings, ...t.strings } } : {}),
    },
  } as FormConfig;
}

/**
 * Submissions allowed per client (IP address, as Cloudflare reports it) and site in a window. A
 * retried submission id never counts. Over the limit: 429 with Retry-After, nothing stored.
 */
export const RateLimitSchema = z.object({
  /** @default 20 */
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 20),
  /** @default 60 */
  windowSeconds: z._default(z.int().check(z.minimum(1), z.maximum(86_400)), 60),
  /** Sliding smooths the edge between windows; fixed is simplest to reason about. @default "sliding" */
  algorithm: z._default(z.enum(["sliding", "fixed"]), "sliding"),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/**
 * What the widget's loader does on every page of the site, before any form: consent, privacy
 * signals, key pages. Public (served to the widget).
 */
export const TrackingSchema = z.object({
  /** `required`: nothing is stored or tracked until the page calls leadcap('consent', true). @default "off" */
  consentMode: z._default(z.enum(["off", "required"]), "off"),
  /** Treat Global Privacy Control as "no tracking". @default true */
  honorGpc: z._default(z.boolean(), true),
  /** Treat Do Not Track as "no tracking". @default false */
  honorDnt: z._default(z.boolean(), false),
  /** Key pages by name, as URL patterns (`*` wildcards, e.g. `/pricing*`), counted in engagement. */
  keyPages: z._default(
    z.record(z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,39}$/)), z.string().check(z.maxLength(300))),
    {},
  ),
});
export type Tracking = z.infer<typeof TrackingSchema>;

/**
 * Marketing spend, per month and channel (optionally one campaign, matched to `utm_campaign`), so the
 * console can show cost per lead. Amounts in the site's currency; no currency conversion.
 */
export const SpendSchema = z.object({
  /** Calendar month, `YYYY-MM`. */
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month like 2026-11")),
  /** A channel name, as the channel rules name them (e.g. paid_search). */
  channel: z.string().check(z.minLength(1), z.maxLength(100)),
  /** One campaign of that channel (its utm_campaign); without it, the channel's whole spend. */
  campaign: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  amount: z.number().check(z.minimum(0), z.maximum(1e12)),
});
export type Spend = z.infer<typeof SpendSchema>;

/**
 * Names a site may not take: the Upstash store keys site data `lc:<site>:…` beside its own
 * `lc:lead:…`, `lc:outbox:…`, `lc:config:…`, `lc:audit:…`, `lc:token:…` (edge/src/stores/upstash/
 * layout.ts), so a site called one of these would share keys with them.
 */
export const RESERVED_SITE_IDS: readonly string[] = [
  "lead",
  "outbox",
  "config",
  "configs",
  "audit",
  "token",
  "tokens",
  "members",
];

export const SiteSchema = z
  .object({
    id: id.check(z.refine((value) => !RESERVED_SITE_IDS.includes(value), "a reserved name; choose another")),
    name: z.string().check(z.maxLength(200)),
    /**
     * Exact origins (scheme://host[:port]) allowed to submit from a browser; `null` is never allowed.
     * An entry may be `${NAME}`: the Worker variable NAME, holding one or more origins separated by
     * spaces or commas (so a deployment sets its origins without editing the config).
     */
    allowedOrigins: z.array(
      z
        .string()
        .check(
          z.regex(
            /^(https?:\/\/[^/\s]+|\$\{[A-Z][A-Z0-9_]*\})$/,
            "an origin like https://example.com, or ${VARIABLE}",
          ),
        ),
    ),
    forms: z.array(FormSchema).check(z.minLength(1)),
    /**
     * Paused: its forms are not shown, and a submission (a form already on a page, a visitor's
     * browser retrying one) is answered 503 with Retry-After, so the browser keeps the lead and sends
     * it once the site takes leads again. Nothing is lost and nothing is stored meanwhile.
     * @default false
     */
    disabled: z.optional(z.boolean()),
    scoring: ScoringSchema,
    tracking: z._default(TrackingSchema, () => TrackingSchema.parse({})),
    /** Ordered channel rules; the first match names a touch's channel. @default DEFAULT_CHANNEL_RULES */
    channels: z._default(z.array(ChannelRuleSchema).check(z.maxLength(200)), () => DEFAULT_CHANNEL_RULES),
    destinations: z.array(DestinationSchema),
    /** Which destinations get which leads and events. @default every destination gets every lead */
    routing: z.optional(RoutingSchema),
    /** Per-client submission limit; `false` turns it off (e.g. a server-to-server integration). */
    rateLimit: z._default(z.union([RateLimitSchema, z.literal(false)]), () => RateLimitSchema.parse({})),
    /**
     * A repeat by the same person within this many days is the same lead again; later, it counts as a
     * new conversion of that person (merged into the same lead either way). @default 30
     */
    /** Spend per month and channel or campaign, for cost per lead. @default [] */
    spend: z._default(z.array(SpendSchema).check(z.maxLength(5000)), () => []),
    /** ISO 4217 code of the spend amounts, for display. @default "USD" */
    currency: z._default(z.string().check(z.regex(/^[A-Z]{3}$/, "a currency code like USD")), "USD"),
    dedupeWindowDays: z._default(z.number().check(z.minimum(0), z.maximum(3650)), 30),
    /** How emails are matched to one person, beyond lower-casing and trimming. */
    identity: z._default(
      z.object({
        /** Gmail ignores dots in the local part: a.b@gmail.com is ab@gmail.com. @default true */
        gmailDots: z._default(z.boolean(), true),
        /** Drop `+tag` from the local part (name+news@x.com is name@x.com). @default true */
        plusTags: z._default(z.boolean(), true),
        /** Refuse addresses at known disposable-mail domains (400 on the email field). @default false */
        rejectDisposable: z._default(z.boolean(), false),
      }),
      () => ({ gmailDots: true, plusTags: true, rejectDisposable: false }),
    ),
  })
  .check(
    z.refine(
      (site) => {
        const ids = new Set(site.destinations.map((d) => d.id));
        const named = [
          ...(site.routing?.routes ?? []).flatMap((route) => route.to),
          ...(site.routing?.default ?? []),
        ];
        return named.every((id) => ids.has(id));
      },
      { message: "routes may only name the site's own destinations", path: ["routing"] },
    ),
  );
export type SiteConfig = z.infer<typeof SiteSchema>;
export type SiteConfigInput = z.input<typeof SiteSchema>;
