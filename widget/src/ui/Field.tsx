/**
 * One form field, controlled: the form owns the values, so conditional fields and multi-step forms
 * keep what was typed on steps that are not shown. Every control has a label (groups a legend), help
 * and error messages tied with aria-describedby, and the config's autocomplete token.
 */
import type { JSX } from "preact";
import type { Field as FieldConfig } from "../../../shared/config.ts";
import { maxLengthOf, type Value } from "../validate.ts";

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
  const { name, type, label, required, help, options = [] } = field;

  if (type === "hidden") return null; // Its value lives in the form's state and goes with the submission.

  if (type === "honeypot") {
    // Invisible to people and to assistive technology, out of the tab order; bots fill it in.
    return (
      <div class="lc-hp" aria-hidden="true">
        <input
          type="text"
          name={name}
          tabIndex={-1}
          autoComplete="off"
          aria-hidden="true"
          value={value as string}
          onInput={(e) => onChange(field, e.currentTarget.value)}
        />
      </div>
    );
  }

  const helpId = help ? `${id}-help` : "";
  const errorId = error ? `${id}-error` : "";
  const describedBy = `${helpId} ${errorId}`.trim() || undefined;
  const invalid = error ? ("true" as const) : undefined;
  const events = { onFocus: () => onFocus(field), onBlur: () => onBlur(field) };
  const star = required && (
    <span class="lc-req" aria-hidden="true">
      {" *"}
    </span>
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
          id={id}
          name={name}
          type="checkbox"
          required={Boolean(required)}
          checked={value === true}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(field, e.currentTarget.checked)}
          {...events}
        />
        <label for={id}>
          {label}
          {star}
        </label>
        {extras}
      </div>
    );
  }

  if (type === "radio" || type === "checkboxes") {
    const many = type === "checkboxes";
    const list = Array.isArray(value) ? value : [];
    return (
      <fieldset class="lc-field lc-group" aria-describedby={describedBy}>
        <legend>
          {label}
          {star}
        </legend>
        {options.map((option, i) => (
          <div class="lc-check" key={option.value}>
            <input
              id={`${id}-${i}`}
              name={name}
              type={many ? "checkbox" : "radio"}
              value={option.value}
              checked={many ? list.includes(option.value) : value === option.value}
              required={!many && Boolean(required)}
              aria-invalid={invalid}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                if (!many) onChange(field, option.value);
                else onChange(field, on ? [...list, option.value] : list.filter((v) => v !== option.value));
              }}
              {...events}
            />
            <label for={`${id}-${i}`}>{option.label}</label>
          </div>
        ))}
        {extras}
      </fieldset>
    );
  }

  const common = {
    id,
    name,
    required: Boolean(required),
    "aria-invalid": invalid,
    "aria-describedby": describedBy,
    autoComplete: field.autocomplete ?? AUTOCOMPLETE[type],
    value: value as string,
    onInput: (e: { currentTarget: { value: string } }) => onChange(field, e.currentTarget.value),
    ...events,
  };
  let control: JSX.Element;
  if (type === "select") {
    control = (
      <select {...common} onChange={common.onInput}>
        <option value="">{field.placeholder ?? "—"}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (type === "textarea") {
    control = (
      <textarea {...common} placeholder={field.placeholder} maxLength={maxLengthOf(field)} rows={4} />
    );
  } else if (type === "number") {
    control = (
      <input
        {...common}
        type="number"
        inputMode="decimal"
        placeholder={field.placeholder}
        min={field.min}
        max={field.max}
        step={field.increment ?? "any"}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={type as "text"}
        placeholder={field.placeholder}
        minLength={field.minLength}
        maxLength={maxLengthOf(field)}
      />
    );
  }
  return (
    <div class="lc-field">
      <label for={id}>
        {label}
        {star}
      </label>
      {control}
      {extras}
    </div>
  );
}
