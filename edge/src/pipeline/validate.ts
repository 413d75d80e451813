/**
 * Validation of a submission against the site's own form config, with zod. Messages are written for
 * the visitor: the widget shows them next to the field.
 */
import * as z from "zod/mini";
import type { Field, FormConfig } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import { type FieldValue, type LeadSubmission, LeadSubmissionSchema } from "../../../shared/lead.ts";
import { ApiError } from "../errors.ts";

export const MESSAGES = {
  required: "This field is required.",
  email: "Enter a valid email address, like name@company.com.",
  url: "Enter a full web address, starting with https://.",
  tooLong: (max: number) => `Use at most ${max} characters.`,
  notText: "Expected text.",
  notBoolean: "Expected a checkbox value (true or false).",
  consent: "Please give your consent to continue.",
  unknown: "This form has no such field.",
} as const;

/** Pragmatic email syntax: one @, a dotted domain, no spaces. Deliverability is not checked here. */
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]{2,}$/;

function textSchema(field: Field) {
  const max = field.maxLength ?? (field.type === "textarea" ? 5000 : field.type === "email" ? 254 : 500);
  const checks: z.core.$ZodCheck<string>[] = [
    z.normalize("NFC"),
    z.trim(),
    z.maxLength(max, MESSAGES.tooLong(max)),
  ];
  if (field.required) checks.push(z.minLength(1, MESSAGES.required));
  if (field.type === "email") checks.push(z.regex(EMAIL, MESSAGES.email));
  if (field.type === "url") checks.push(z.regex(/^(https?:\/\/\S+)?$/i, MESSAGES.url));
  const schema = z.string(MESSAGES.notText).check(...checks);
  return field.required ? schema : z.optional(schema);
}

function fieldSchema(field: Field): z.ZodMiniType<FieldValue | undefined> {
  switch (field.type) {
    case "checkbox":
      return field.required
        ? z.boolean(MESSAGES.notBoolean).check(z.refine((v) => v === true, MESSAGES.required))
        : z.optional(z.boolean(MESSAGES.notBoolean));
    case "consent":
      return field.required
        ? z.boolean(MESSAGES.notBoolean).check(z.refine((v) => v === true, MESSAGES.consent))
        : z.optional(z.boolean(MESSAGES.notBoolean));
    case "honeypot":
      // Any text: a filled honeypot is not a validation error (that would tell the bot), it is spam.
      return z.optional(z.string().check(z.maxLength(10_000)));
    default:
      return textSchema(field);
  }
}

const formSchemas = new WeakMap<FormConfig, z.ZodMiniType<Record<string, FieldValue | undefined>>>();

function formSchema(form: FormConfig) {
  let schema = formSchemas.get(form);
  if (!schema) {
    const shape: Record<string, z.ZodMiniType<FieldValue | undefined>> = {};
    for (const field of form.fields) shape[field.name] = fieldSchema(field);
    // Strict: an unknown field is rejected, never silently stored or dropped.
    schema = z.strictObject(shape, { error: MESSAGES.unknown });
    formSchemas.set(form, schema);
  }
  return schema;
}

function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= MESSAGES.unknown;
      continue;
    }
    const name = issue.path.length ? issue.path.map(String).join(".") : "_";
    // A missing required value arrives as "expected string, received undefined": say "required".
    const message =
      issue.code === "invalid_type" && issue.input === undefined ? MESSAGES.required : issue.message;
    fields[name] ??= message;
  }
  return fields;
}

/** Parses the envelope (ids, attribution, engagement, page) or throws 400 invalid_request. */
export function parseSubmission(body: unknown): LeadSubmission {
  const result = LeadSubmissionSchema.safeParse(body);
  if (!result.success) {
    throw new ApiError("invalid_request", "The submission does not have the expected shape.", {
      fields: fieldErrors(result.error.issues),
    });
  }
  return result.data;
}

/**
 * Validates and normalizes the field values against the form. Consent alone missing is 422 (the
 * request is well-formed, a rule refuses it); anything else wrong is 400 with every failing field.
 */
export function validateFields(
  form: FormConfig,
  fields: LeadSubmission["fields"],
): Record<string, FieldValue> {
  const result = formSchema(form).safeParse(fields);
  if (!result.success) {
    const errors = fieldErrors(result.error.issues);
    const consentOnly = Object.keys(errors).every(
      (name) =>
        form.fields.find((f) => f.name === name)?.type === "consent" && errors[name] === MESSAGES.consent,
    );
    if (consentOnly)
      throw new ApiError("unprocessable", "Consent is required to send this form.", { fields: errors });
    throw new ApiError("validation_failed", "Some fields need attention.", { fields: errors });
  }
  const out: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(result.data)) if (value !== undefined) out[name] = value;
  return out;
}
