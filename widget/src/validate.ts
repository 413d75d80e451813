/**
 * Client-side checks, from the field rules in the form config and the browser's own verdict on what
 * it could not parse (a number input's `validity.badInput`). The checks (`validateField`,
 * `validateForm`, `fixable`) reach the served widget in leadcap-send.js (see ./send.ts); what rendering needs
 * (`isVisible`, `initialValues`, `payload`) in leadcap-ui.js. No zod in the widget: these are the
 * checks a visitor should hear about before anything is sent; the edge re-validates everything with
 * the same rules (edge/src/pipeline/validate.ts).
 */
import type { Field } from "../../shared/config.ts";
import type { FieldErrors } from "../../shared/errors.ts";
import type { FieldValue } from "../../shared/lead.ts";
import { isEmpty, isVisible } from "../../shared/visibility.ts";
import type { Translate } from "./ui/strings.ts";

// The showWhen rules are the edge's too (shared/visibility.ts); the form imports them from here.
export { isEmpty, isVisible };

export type Value = string | boolean | string[];
export type Values = Record<string, Value>;

/** Deliberately simple: one @, no spaces, a dot in the domain. The edge has the strict check. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const URL_RE = /^https?:\/\/\S+$/i;
const TEL = /^\+?[\d\s().\-/]{6,30}$/;

/** The edge's defaults when a field sets no maxLength. */
export const maxLengthOf = (field: Field) =>
  field.maxLength ?? (field.type === "textarea" ? 5000 : field.type === "email" ? 254 : 500);

export function validateField(
  field: Field,
  value: Value | undefined,
  t: Translate,
  badInput = false,
): string | undefined {
  const { type, required } = field;
  if (type === "hidden" || type === "honeypot") return undefined;
  if (type === "checkbox" || type === "consent") return required && value !== true ? t("tick") : undefined;
  if (type === "checkboxes") return required && isEmpty(value) ? t("option") : undefined;
  if (badInput) return t("number");
  const text = typeof value === "string" ? value.trim() : "";
  const choice = type === "select" || type === "radio";
  if (!text) return required ? t(choice ? "option" : "required") : undefined;
  if (choice) return field.options?.some((o) => o.value === text) ? undefined : t("option");
  if (type === "number") {
    const n = Number(text);
    const { min, max, increment: step } = field;
    if (!Number.isFinite(n)) return t("number");
    if (min !== undefined && n < min) return t("min", min);
    if (max !== undefined && n > max) return t("max", max);
    const k = step ? (n - (min ?? 0)) / step : 0;
    return Math.abs(k - Math.round(k)) > 1e-9 ? t("increment", step) : undefined;
  }
  if (field.minLength && text.length < field.minLength) return t("tooShort", field.minLength);
  const max = maxLengthOf(field);
  if (text.length > max) return t("tooLong", max);
  if (type === "email" && !EMAIL.test(text)) return t("email");
  if (type === "url" && !URL_RE.test(text)) return t("url");
  if (type === "tel" && !(TEL.test(text) && text.replace(/\D/g, "").length >= 6)) return t("tel");
  if (field.pattern) {
    // "u": shared/rules.ts's PATTERN_FLAGS, written out so no zod module reaches the widget.
    try {
      if (!new RegExp(`^(?:${field.pattern})$`, "u").test(text)) return field.patternMessage ?? t("pattern");
    } catch {
      // The edge refuses configs with invalid patterns; nothing to check against here.
    }
  }
  return undefined;
}

/** Checks every shown field among `fields`; `badInput` names fields the browser could not parse. */
export function validateForm(
  all: readonly Field[],
  fields: readonly Field[],
  values: Values,
  t: Translate,
  badInput: (name: string) => boolean = () => false,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (!isVisible(all, field, values)) continue;
    const message = validateField(field, values[field.name], t, badInput(field.name));
    if (message) errors[field.name] = message;
  }
  return errors;
}

/** The value of a hidden field: the page URL's parameter, a data attribute, or the static value. */
export function hiddenValue(field: Field, data: Record<string, string>, search = location.search): string {
  const param = field.fromParam ? new URLSearchParams(search).get(field.fromParam) : null;
  const attr = field.fromData ? data[field.fromData.replace(/^data-/, "")] : undefined;
  return (param ?? attr ?? field.value ?? "").slice(0, 500);
}

/** Starting values: prefill from the JS API, then the config's defaults. Consent never starts ticked. */
export function initialValues(
  fields: readonly Field[],
  prefill: Record<string, FieldValue>,
  data: Record<string, string>,
): Values {
  const values: Values = {};
  for (const field of fields) {
    const given = prefill[field.name] ?? field.defaultValue;
    const { type } = field;
    values[field.name] =
      type === "consent"
        ? false
        : type === "checkbox"
          ? given === true
          : type === "checkboxes"
            ? Array.isArray(given)
              ? given.map(String)
              : []
            : type === "hidden"
              ? hiddenValue(field, data)
              : given === undefined || typeof given === "object"
                ? ""
                : String(given);
  }
  return values;
}

/** The submission's `fields`: typed as the edge expects, only for shown fields. */
export function payload(fields: readonly Field[], values: Values): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const field of fields) {
    if (!isVisible(fields, field, values)) continue;
    const value = values[field.name];
    const { type } = field;
    if (type === "checkbox" || type === "consent") out[field.name] = value === true;
    else if (type === "checkboxes") out[field.name] = Array.isArray(value) ? value : [];
    else if (typeof value !== "string") continue;
    // The honeypot goes as-is: whatever a bot put there is the evidence.
    else if (type === "honeypot") out[field.name] = value;
    else if (type === "number") {
      if (value.trim()) out[field.name] = Number(value);
    } else out[field.name] = value.trim();
  }
  return out;
}

/** The edge's field errors the visitor can act on: not a hidden field's or the honeypot's. */
export function fixable(fields: readonly Field[], errors: FieldErrors): FieldErrors {
  const shown: FieldErrors = {};
  for (const { name, type } of fields)
    if (errors[name] && type !== "hidden" && type !== "honeypot") shown[name] = errors[name];
  return shown;
}
