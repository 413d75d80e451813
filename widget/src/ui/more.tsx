/**
 * The parts of a form that most forms never use: choice fields (radio, checkboxes, select), number
 * fields, and the progress (and Back button) of multi-step forms, with their strings and CSS (their
 * checks are ../validate.ts's, in leadcap-send.js). In the source (the console's preview, the tests)
 * Field.tsx imports them from here; in the served build they are leadcap-more.js (`__leadcap_more`),
 * which leadcap-ui.js loads only for a form that has one of them (see ./more-lazy.ts), so an inline
 * form of text fields costs none of these bytes.
 */
import type { JSX } from "preact";
import type { Field } from "../../../shared/config.ts";
import type { Strings } from "../host.ts";
import type { Translate } from "./strings.ts";

/** What Field.tsx has worked out for every control: its renderer adds the rest. */
export interface Parts {
  field: Field;
  id: string;
  value: unknown;
  /** The value changes. */
  change: (value: string | string[]) => void;
  /** id, name, required, aria-*, onFocus, onBlur. */
  aria: Record<string, unknown>;
  /** The same, and autoComplete, value, onInput. */
  common: Record<string, unknown>;
  /** Label text and required star, for a legend. */
  label: JSX.Element;
  /** Help and error messages. */
  extras: JSX.Element;
}

type Render = (parts: Parts) => JSX.Element;

const group: Render = ({ field, id, value, change, aria, label, extras }) => {
  const many = field.type === "checkboxes";
  const list = Array.isArray(value) ? (value as string[]) : [];
  return (
    <fieldset class="lc-field lc-group" aria-describedby={aria["aria-describedby"] as string}>
      <legend>{label}</legend>
      {field.options?.map((option, i) => (
        <div class="lc-check" key={option.value}>
          <input
            {...aria}
            id={`${id}-${i}`}
            type={many ? "checkbox" : "radio"}
            value={option.value}
            aria-describedby={undefined}
            checked={many ? list.includes(option.value) : value === option.value}
            required={!many && Boolean(field.required)}
            onChange={(e) =>
              change(
                !many
                  ? option.value
                  : e.currentTarget.checked
                    ? [...list, option.value]
                    : list.filter((v) => v !== option.value),
              )
            }
          />
          <label for={`${id}-${i}`}>{option.label}</label>
        </div>
      ))}
      {extras}
    </fieldset>
  );
};

export const more = {
  fields: {
    radio: group,
    checkboxes: group,
    select: ({ field, common }) => (
      <select {...common} onChange={common.onInput as () => void}>
        <option value="">{field.placeholder ?? "—"}</option>
        {field.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    ),
    number: ({ field, common }) => (
      <input
        {...common}
        type="number"
        inputMode="decimal"
        placeholder={field.placeholder}
        min={field.min}
        max={field.max}
        step={field.increment ?? "any"}
      />
    ),
  } as Partial<Record<Field["type"], Render>>,

  /** Multi-step forms: where the visitor is. */
  progress: (t: Translate, step: number, steps: number, title?: string) => (
    <div class="lc-progress">
      <p>
        {t("progress", step + 1, steps)}
        {title && `: ${title}`}
      </p>
      <div class="lc-track" aria-hidden="true">
        <span style={{ width: `${((step + 1) / steps) * 100}%` }} />
      </div>
    </div>
  ),

  /** Multi-step forms: back to the previous step. */
  back: (t: Translate, onClick: () => void) => (
    <button type="button" class="lc-back" onClick={onClick}>
      {t("back")}
    </button>
  ),

  /** The English strings only these use (./strings.ts has the others, ../send.ts the messages). */
  strings: {
    next: "Next",
    back: "Back",
    progress: "Step {n} of {total}",
  } as Partial<Strings> | undefined,

  css: ".lc-actions{gap:.75em;flex-wrap:wrap}.lc-group .lc-check{margin-top:.25em}.lc-progress{margin-bottom:var(--s);color:var(--m);font-size:.875em}.lc-track{height:4px;margin-top:.25em;background:var(--b);border-radius:2px;overflow:hidden}.lc-track span{display:block;height:100%;background:var(--a)}.lc .lc-back{color:var(--t);background:0;border:1px solid var(--b)}",
};

export type More = typeof more;
