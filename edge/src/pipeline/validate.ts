/**
 * Validation of a submission against the site's own form config, with zod. Messages are written for
 * the visitor: the widget shows them next to the field.
 */
import * as z from "zod/mini";
import { type Field, type FormConfig, OPTION_TYPES } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import type { FieldValue, LeadSubmission } from "../../../shared/lead.ts";
import { MESSAGES_EN } from "../../../shared/messages.ts";
import { PATTERN_FLAGS } from "../../../shared/rules.ts";
import { isEmpty, isVisible } from "../../../shared/visibility.ts";
import { ApiError } from "../errors.ts";
import { toE164 } from "./contact.ts";

const fill = (message: string, n: number) => message.replace("{n}", String(n));

/**
 * The messages of the field errors: the visitor reads them in the widget, next to the field. Those
 * the widget also checks are its own English strings (shared/messages.ts), so an error reads the
 * same whichever side caught it; the rest only a client other than the widget can cause.
 */
export const MESSAGES = {
  required: MESSAGES_EN.required,
  /** A required checkbox or consent left unticked. */
  tick: MESSAGES_EN.tick,
  email: MESSAGES_EN.email,
  url: MESSAGES_EN.url,
  tel: MESSAGES_EN.tel,
  tooLong: (max: number) => fill(MESSAGES_EN.tooLong, max),
  tooShort: (min: number) => fill(MESSAGES_EN.tooShort, min),
  pattern: MESSAGES_EN.pattern,
  number: MESSAGES_EN.number,
  min: (min: number) => fill(MESSAGES_EN.min, min),
  max: (max: number) => fill(MESSAGES_EN.max, max),
  increment: (step: number) => fill(MESSAGES_EN.increment, step),
  option: MESSAGES_EN.option,
  /** The consent left unticked: the widget says `tick` for it too. */
  consent: MESSAGES_EN.tick,
  notText: "Expected text.",
  notBoolean: "Expected a checkbox value (true or false).",
  notList: "Expected a list of options.",
  unknown: "This form has no such field.",
} as const;

/** Pragmatic email syntax: one @, a dotted domain, no spaces. Deliverability is not checked here. */
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]{2,}$/;
/** Digits with the usual separators, an optional leading +, 6–20 digits in all. */
const TEL = /^\+?[\d\s().\-/]{6,30}$/;

type Schema = z.ZodMiniType<FieldValue | undefined>;

function textSchema(field: Field): Schema {
  const max = field.maxLength ?? (field.type === "textarea" ? 5000 : field.type === "email" ? 254 : 500);
  const checks: z.core.$ZodCheck<string>[] = [
    z.normalize("NFC"),
    z.trim(),
    z.maxLength(max, MESSAGES.tooLong(max)),
  ];
  // Empty optional answers are fine; format checks apply to what was given.
  const given = (check: (v: string) => boolean, message: string) =>
    z.refine<string>((v) => v === "" || check(v), message);
  if (field.minLength)
    checks.push(given((v) => v.length >= field.minLength!, MESSAGES.tooShort(field.minLength)));
  if (field.type === "email") checks.push(given((v) => EMAIL.test(v), MESSAGES.email));
  if (field.type === "url") checks.push(given((v) => /^https?:\/\/\S+$/i.test(v), MESSAGES.url));
  if (field.type === "tel")
    checks.push(given((v) => TEL.test(v) && v.replace(/\D/g, "").length >= 6, MESSAGES.tel));
  if (field.pattern) {
    const pattern = new RegExp(`^(?:${field.pattern})$`, PATTERN_FLAGS);
    checks.push(given((v) => pattern.test(v), field.patternMessage ?? MESSAGES.pattern));
  }
  return z.optional(z.string(MESSAGES.notText).check(...checks));
}

function numberSchema(field: Field): Schema {
  const checks: z.core.$ZodCheck<number>[] = [];
  if (field.min !== undefined) checks.push(z.minimum(field.min, MESSAGES.min(field.min)));
  if (field.max !== undefined) checks.push(z.maximum(field.max, MESSAGES.max(field.max)));
  if (field.increment) {
    const step = field.increment;
    const base = field.min ?? 0;
    // Tolerate binary floating point: 0.1 + 0.2 is a multiple of 0.1.
    checks.push(
      z.refine(
        (v) => Math.abs((v - base) / step - Math.round((v - base) / step)) < 1e-9,
        MESSAGES.increment(step),
      ),
    );
  }
  return z.optional(z.number(MESSAGES.number).check(...checks));
}

function optionSchema(field: Field): Schema {
  const allowed = new Set((field.options ?? []).map((o) => o.value));
  if (field.type === "checkboxes") {
    return z.optional(
      z
        .array(z.string(MESSAGES.option), MESSAGES.notList)
        .check(z.refine((list) => list.every((v) => allowed.has(v)), MESSAGES.option)),
    );
  }
  return z.optional(
    z.string(MESSAGES.option).check(z.refine((v) => v === "" || allowed.has(v), MESSAGES.option)),
  );
}

function fieldSchema(field: Field): Schema {
  if (OPTION_TYPES.has(field.type)) return optionSchema(field);
  switch (field.type) {
    case "number":
      return numberSchema(field);
    case "checkbox":
    case "consent":
      return z.optional(z.boolean(MESSAGES.notBoolean));
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
    const shape: Record<string, Schema> = {};
    for (const field of form.fields) shape[field.name] = fieldSchema(field);
    // Strict: an unknown field is rejected, never silently stored or dropped.
    schema = z.strictObject(shape, { error: MESSAGES.unknown });
    formSchemas.set(form, schema);
  }
  return schema;
}

export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= MESSAGES.unknown;
      continue;
    }
    const name = issue.path.length ? issue.path.map(String).join(".") : "_";
    fields[name] ??= issue.message;
  }
  return fields;
}

/**
 * Validates and normalizes the field values against the form: types, formats, options, required
 * (for visible fields only). Values of fields hidden by `showWhen` are dropped. Consent alone missing
 * is 422 (well-formed, refused by a rule); anything else wrong is 400 with every failing field.
 */
export function validateFields(
  form: FormConfig,
  fields: LeadSubmission["fields"],
): Record<string, FieldValue> {
  const result = formSchema(form).safeParse(fields);
  const errors: FieldErrors = result.success ? {} : fieldErrors(result.error.issues);
  const values: Record<string, FieldValue | undefined> = result.success ? result.data : fields;
  const out: Record<string, FieldValue> = {};
  for (const field of form.fields) {
    if (!isVisible(form.fields, field, values)) continue;
    const value = values[field.name];
    if (field.required && isEmpty(value) && !errors[field.name]) {
      // The message the widget gives for the same empty answer (widget/src/validate.ts).
      errors[field.name] =
        field.type === "consent"
          ? MESSAGES.consent
          : field.type === "checkbox"
            ? MESSAGES.tick
            : OPTION_TYPES.has(field.type)
              ? MESSAGES.option
              : MESSAGES.required;
    }
    if (value === undefined) continue;
    // Phone numbers in E.164 where the field names a country (what the visitor typed if it cannot tell).
    out[field.name] =
      field.type === "tel" && typeof value === "string" && value
        ? (toE164(value, field.country) ?? value)
        : value;
  }
  const names = Object.keys(errors);
  if (names.length > 0) {
    const consentOnly = names.every(
      (name) =>
        form.fields.find((f) => f.name === name)?.type === "consent" && errors[name] === MESSAGES.consent,
    );
    if (consentOnly)
      throw new ApiError("unprocessable", "Consent is required to send this form.", { fields: errors });
    throw new ApiError("validation_failed", "Some fields need attention.", { fields: errors });
  }
  return out;
}
