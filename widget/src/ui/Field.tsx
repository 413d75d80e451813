/**
 * One form field, controlled: the form owns the values, so conditional fields and multi-step forms
 * keep what was typed on steps that are not shown. Every control has a label (groups a legend), help
 * and error messages tied with aria-describedby, and the config's autocomplete token. Choice and
 * number fields are drawn by ./more.tsx (a chunk of its own in the served build).
 */
import type { Field as FieldConfig } from "../../../shared/config.ts";
import { maxLengthOf, type Value } from "../validate.ts";
import { more } from "./more.tsx";

export interface FieldProps {
  field: FieldConfig;
  /** Unique per form instance, so labels and messages tie to the right control. */
  id: string;
  value: Value | undefined;
  error: string | undefined;
  onChange: (field: FieldConfig, value: Value) => void;
  onFocus: (field: FieldConfig) => void;
  onBlur: (field: FieldConfig) => void;
}

/** Browsers autofill by these tokens even when the config forgot them. */
const AUTOCOMPLETE: Partial<Record<string, string>> = { email: "email", tel: "tel", url: "url" };

export function Field({ field, id, value, error, onChange, onFocus, onBlur }: FieldProps) {
  const { name, type, label, required, help, placeholder } = field;

  if (type === "hidden") return null; // Its value lives in the form's state and goes with the submission.

  const change = (next: Value) => onChange(field, next);
  if (type === "honeypot") {
    // Invisible to people and to assistive technology, out of the tab order; bots fill it in.
    return (
      <div class="lc-hp" aria-hidden="true">
        <input
          type="text"
          name={name}
          tabIndex={-1}
          aria-hidden="true"
          autoComplete="off"
          value={value as string}
          onInput={(e) => change(e.currentTarget.value)}
        />
      </div>
    );
  }

  const helpId = help && `${id}-help`;
  const errorId = error && `${id}-error`;
  const aria = {
    id,
    name,
    required: Boolean(required),
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": [helpId, errorId].filter(Boolean).join(" ") || undefined,
    onFocus: () => onFocus(field),
    onBlur: () => onBlur(field),
  };
  const common = {
    ...aria,
    autoComplete: field.autocomplete ?? AUTOCOMPLETE[type],
    value: value as string,
    onInput: (e: { currentTarget: { value: string } }) => change(e.currentTarget.value),
  };
  const text = (
    <>
      {label}
      {required && (
        <span class="lc-req" aria-hidden="true">
          {" *"}
        </span>
      )}
    </>
  );
  const extras = (
    <>
      {help && (
        <p id={helpId} class="lc-help">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId} class="lc-error">
          {error}
        </p>
      )}
    </>
  );

  if (type === "checkbox" || type === "consent") {
    // Never pre-ticked for consent: it has to be given, not assumed.
    return (
      <div class="lc-field lc-check">
        <input
          {...aria}
          type="checkbox"
          checked={value === true}
          onChange={(e) => change(e.currentTarget.checked)}
        />
        <label for={id}>{text}</label>
        {extras}
      </div>
    );
  }

  const parts = { field, id, value, change, aria, common, label: text, extras };
  if (type === "radio" || type === "checkboxes") return more.fields[type]?.(parts) ?? null;
  return (
    <div class="lc-field">
      <label for={id}>{text}</label>
      {more.fields[type]?.(parts) ??
        (type === "textarea" ? (
          <textarea {...common} placeholder={placeholder} maxLength={maxLengthOf(field)} rows={4} />
        ) : (
          <input
            {...common}
            type={type as "text"}
            placeholder={placeholder}
            minLength={field.minLength}
            maxLength={maxLengthOf(field)}
          />
        ))}
      {extras}
    </div>
  );
}
