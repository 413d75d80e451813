/**
 * Client-side checks, from the field rules in the form config. No zod in the widget: these are the
 * checks a visitor should hear about before anything is sent; the edge re-validates everything.
 */
import type { Field } from "../../shared/config.ts";
import type { FieldErrors } from "../../shared/errors.ts";

export type FieldValues = Record<string, string | boolean>;

/** Deliberately simple: one @, no spaces, a dot in the domain. The edge has the strict check. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The edge's defaults when a field sets no maxLength. */
export const maxLengthOf = (field: Field) => field.maxLength ?? (field.type === "textarea" ? 5000 : 500);

export const MESSAGES = {
  required: "Please fill in this field.",
  tick: "Please tick this box to continue.",
  email: "Please enter a valid email address, like name@example.com.",
  tooLong: (max: number) => `Please use at most ${max} characters.`,
};

export function validateField(field: Field, value: string | boolean | undefined): string | undefined {
  if (field.type === "hidden" || field.type === "honeypot") return undefined;
  if (typeof value === "boolean" || field.type === "checkbox" || field.type === "consent") {
    return field.required && value !== true ? MESSAGES.tick : undefined;
  }
  const text = (value ?? "").trim();
  if (!text) return field.required ? MESSAGES.required : undefined;
  if (field.type === "email" && !EMAIL.test(text)) return MESSAGES.email;
  const max = maxLengthOf(field);
  if (text.length > max) return MESSAGES.tooLong(max);
  return undefined;
}

export function validateForm(fields: readonly Field[], values: FieldValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const message = validateField(field, values[field.name]);
    if (message) errors[field.name] = message;
  }
  return errors;
}
