/**
 * One form field. Controls are uncontrolled: the form reads them when it is submitted, which also
 * catches values browsers autofill without input events, and keeps what the visitor typed across
 * re-renders and failed attempts.
 */
import type { Field as FieldConfig } from "../../../shared/config.ts";

export interface FieldProps {
  field: FieldConfig;
  /** Unique per form instance, so labels and messages tie to the right control. */
  id: string;
  error: string | undefined;
  onInput: (field: FieldConfig, value: string | boolean) => void;
}

export function Field({ field, id, error, onInput }: FieldProps) {
  const { name, type, label, required } = field;

  if (type === "hidden") return <input type="hidden" name={name} value={field.value ?? ""} />;

  if (type === "honeypot") {
    // Invisible to people and to assistive technology, out of the tab order; bots fill it in.
    return (
      <div class="lc-hp" aria-hidden="true">
        <input type="text" name={name} tabIndex={-1} autoComplete="off" aria-hidden="true" />
      </div>
    );
  }

  const errorId = `${id}-error`;
  const a11y = {
    id,
    name,
    required: Boolean(required),
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": error ? errorId : undefined,
  };
  const labelEl = (
    <label htmlFor={id}>
      {label}
      {required && (
        <span class="lc-req" aria-hidden="true">
          {" *"}
        </span>
      )}
    </label>
  );
  const message = error && (
    <p id={errorId} class="lc-error">
      {error}
    </p>
  );

  if (type === "checkbox" || type === "consent") {
    // Never pre-ticked: consent has to be given, not assumed.
    return (
      <div class="lc-field lc-check">
        <input
          {...a11y}
          type="checkbox"
          onChange={(event) => onInput(field, (event.currentTarget as HTMLInputElement).checked)}
        />
        {labelEl}
        {message}
      </div>
    );
  }

  const common = {
    ...a11y,
    placeholder: field.placeholder,
    autoComplete: field.autocomplete,
    onInput: (event: Event) => onInput(field, (event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="lc-field">
      {labelEl}
      {type === "textarea" ? <textarea {...common} rows={4} /> : <input {...common} type={type as "text"} />}
      {message}
    </div>
  );
}
