/**
 * Site configuration: forms and fields, scoring rules and destinations. The single source of truth
 * for what a site accepts; the edge validates every submission against it and the widget renders it.
 * The widget imports types only from here.
 */
import * as z from "zod/mini";
import { ScoringSchema } from "./scoring-schema.ts";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));

export const FIELD_TYPES = [
  "text",
  "email",
  "tel",
  "url",
  "textarea",
  "checkbox",
  "consent",
  "hidden",
  "honeypot",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FieldSchema = z.object({
  /** Key of the value in the submission's `fields`. */
  name: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a letter, then letters, digits or _")),
  type: z.enum(FIELD_TYPES),
  /** Visible label. Rendered as text, never as HTML. Not shown for hidden and honeypot fields. */
  label: z._default(z.string().check(z.maxLength(500)), ""),
  required: z.optional(z.boolean()),
  placeholder: z.optional(z.string().check(z.maxLength(200))),
  /** HTML autocomplete token so browsers autofill (e.g. "email", "name", "organization"). */
  autocomplete: z.optional(z.string().check(z.maxLength(60))),
  /** Maximum length of a text value. @default 500 (textarea 5000) */
  maxLength: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  /** Consent fields: the version of the consent text, recorded with the lead. */
  consentVersion: z.optional(z.string().check(z.maxLength(40))),
  /** Hidden fields: a static value the widget sends. */
  value: z.optional(z.string().check(z.maxLength(500))),
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
      (fields) => fields.some((f) => f.type === "email" && f.required),
      "a form needs a required email field",
    ),
    z.refine(
      (fields) => new Set(fields.map((f) => f.name)).size === fields.length,
      "field names must be unique",
    ),
  ),
  submitLabel: z._default(z.string().check(z.maxLength(80)), "Send"),
  successMessage: z._default(z.string().check(z.maxLength(500)), "Thank you! We will be in touch."),
});
export type FormConfig = z.infer<typeof FormSchema>;

/**
 * A webhook destination. `url` and `secret` may name Worker environment variables as `${NAME}`, so
 * the config stays plain data while secrets live in Worker secrets; a destination whose variables
 * are unset is skipped (and says so in the log).
 */
export const DestinationSchema = z.object({
  id,
  type: z.literal("webhook"),
  url: z.string().check(z.maxLength(2000)),
  /** Standard Webhooks secret, `whsec_` + base64. */
  secret: z.string().check(z.maxLength(200)),
});
export type Destination = z.infer<typeof DestinationSchema>;

export const SiteSchema = z.object({
  id,
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
  scoring: ScoringSchema,
  destinations: z.array(DestinationSchema),
});
export type SiteConfig = z.infer<typeof SiteSchema>;
export type SiteConfigInput = z.input<typeof SiteSchema>;

/** What `GET /v1/sites/:site/forms/:form` serves to the widget: the form, nothing secret. */
export interface PublicFormConfig {
  site: string;
  form: FormConfig;
}
