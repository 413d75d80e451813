/**
 * A form's fields: add one of every type the widget renders, reorder (drag or the move buttons),
 * remove, and each field's settings: name, label, validation, options, default, conditional
 * visibility, step and how a repeat submission merges.
 */
import { useState } from "preact/hooks";
import { FIELD_TYPES, type FieldType, OPTION_TYPES } from "../../../../../shared/config.ts";
import { dotted, errorsUnder, move, type Path } from "../../config-edit.ts";
import { edit, editWith, errors } from "../../site-config.ts";
import { announce, PanelToggle } from "../../ui/common.tsx";
import {
  Check,
  Choice,
  CodecInput,
  idFor,
  ListInput,
  NumberInput,
  SectionErrors,
  TextInput,
} from "../../ui/inputs.tsx";
import { SortableList } from "../../ui/sortable-list.tsx";
import { type FieldInput, type FormInput, newField, renameFields, TEXT_TYPES, TYPE_LABELS } from "./model.ts";
import { OptionsEditor } from "./options.tsx";

export function FieldsEditor({ formIndex, form }: { formIndex: number; form: FormInput }) {
  const base: Path = ["forms", formIndex, "fields"];
  const [addType, setAddType] = useState<FieldType>("text");
  const [open, setOpen] = useState<number | null>(null);
  const fields = form.fields;
  const moveField = (from: number, to: number) => {
    editWith<FieldInput[]>(base, (list) => move(list, from, to));
    if (open === from) setOpen(to);
    announce(`${fields[from]?.label || fields[from]?.name} moved to position ${to + 1} of ${fields.length}.`);
  };
  const add = () => {
    const field = newField(
      addType,
      fields.map((f) => f.name),
    );
    edit(base, [...fields, field]);
    setOpen(fields.length);
    announce(`${TYPE_LABELS[addType]} field added at the end.`);
    requestAnimationFrame(() => document.getElementById(idFor([...base, fields.length, "label"]))?.focus());
  };
  const remove = (index: number) => {
    const f = fields[index]!;
    edit(
      base,
      fields.filter((_, i) => i !== index),
    );
    setOpen(null);
    announce(`Field ${f.label || f.name} removed.`);
    requestAnimationFrame(() => document.getElementById("add-field-type")?.focus());
  };
  return (
    <section class="card" aria-labelledby="fe-fields">
      <h2 id="fe-fields">Fields</h2>
      <p class="muted small">
        Drag a field by its handle, or use its arrows, to reorder. Every form needs a required email field
        that is always shown.
      </p>
      <SectionErrors path={base} />
      <SortableList
        items={fields}
        name="fields"
        class="fields-list"
        idBase="field"
        what={(field) => field.label || field.name}
        removeLabel={(field) => `Remove field ${field.label || field.name}`}
        onMove={moveField}
        onRemove={remove}
        head={(field, i) => {
          const problems = errorsUnder(errors.value, [...base, i]).length;
          return (
            <PanelToggle
              open={open === i}
              panel={`field-panel-${i}`}
              onToggle={() => setOpen(open === i ? null : i)}
            >
              <span class="field-title">{field.label || field.name || "(no label)"}</span>{" "}
              <span class="muted small">
                {TYPE_LABELS[field.type]}
                {field.required ? " · required" : ""}
                {field.showWhen ? " · conditional" : ""}
              </span>
              {problems > 0 && <span class="error small"> · {problems} to fix</span>}
            </PanelToggle>
          );
        }}
        body={(field, i) =>
          open === i && (
            <div class="field-panel" id={`field-panel-${i}`}>
              <FieldSettings path={[...base, i]} field={field} fields={fields} />
            </div>
          )
        }
      />
      <div class="actions add-row">
        <div class="field inline">
          <label for="add-field-type">New field</label>
          <select
            id="add-field-type"
            value={addType}
            onChange={(e) => setAddType(e.currentTarget.value as FieldType)}
          >
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" class="button button-small" onClick={add}>
          Add field
        </button>
      </div>
    </section>
  );
}

function renameField(path: Path, from: string, to: string) {
  const index = path.at(-1) as number;
  editWith<FieldInput[]>(path.slice(0, -1), (fields) => renameFields(fields, index, from, to));
}

function FieldSettings({ path, field, fields }: { path: Path; field: FieldInput; fields: FieldInput[] }) {
  const p = (...rest: (string | number)[]): Path => [...path, ...rest];
  const t = field.type;
  const labelled = t !== "hidden" && t !== "honeypot";
  const others = fields.filter((f) => f.name !== field.name && f.type !== "honeypot");
  const changeType = (next: string | undefined) => {
    if (!next) return;
    const type = next as FieldType;
    editWith<FieldInput>(path, (f) => {
      const out: FieldInput = { ...f, type };
      if (OPTION_TYPES.has(type) && !out.options?.length) out.options = newField(type, []).options!;
      if (!OPTION_TYPES.has(type)) delete out.options;
      if (type === "consent" && out.defaultValue === true) delete out.defaultValue;
      return out;
    });
  };
  return (
    <>
      <div class="grid two-cols tight">
        <Choice
          label="Type"
          path={p("type")}
          options={FIELD_TYPES.map((x) => [x, TYPE_LABELS[x]] as const)}
          onChange={changeType}
        />
        <div class="field">
          <label for={idFor(p("name"))}>Name</label>
          <input
            id={idFor(p("name"))}
            value={field.name}
            spellcheck={false}
            aria-invalid={errors.value[dotted(p("name"))] ? "true" : undefined}
            aria-describedby={`${idFor(p("name"))}-hint${errors.value[dotted(p("name"))] ? ` ${idFor(p("name"))}-error` : ""}`}
            onInput={(e) => renameField(path, field.name, e.currentTarget.value)}
          />
          <p class="hint" id={`${idFor(p("name"))}-hint`}>
            The key of the answer in the lead (letters, digits, _).
          </p>
          <SectionErrors path={p("name")} />
        </div>
      </div>
      {labelled && <TextInput label="Label" path={p("label")} optional={false} multiline={t === "consent"} />}
      {labelled && <TextInput label="Help text" path={p("help")} />}
      {labelled && <Check label="Required" path={p("required")} off={undefined} />}
      {(TEXT_TYPES.has(t) || t === "number") && (
        <div class="grid two-cols tight">
          <TextInput label="Placeholder" path={p("placeholder")} />
          {t !== "number" && (
            <TextInput label="Autocomplete" path={p("autocomplete")} placeholder="e.g. name, organization" />
          )}
        </div>
      )}
      {TEXT_TYPES.has(t) && (
        <fieldset class="group">
          <legend>Validation</legend>
          <div class="grid three-cols tight">
            <NumberInput label="Min length" path={p("minLength")} short />
            <NumberInput label="Max length" path={p("maxLength")} short />
          </div>
          <div class="grid two-cols tight">
            <TextInput label="Pattern (regular expression)" path={p("pattern")} placeholder="^[A-Z]{2}\d+$" />
            <TextInput label="Pattern message" path={p("patternMessage")} />
          </div>
        </fieldset>
      )}
      {t === "number" && (
        <fieldset class="group">
          <legend>Validation</legend>
          <div class="grid three-cols tight">
            <NumberInput label="Minimum" path={p("min")} short />
            <NumberInput label="Maximum" path={p("max")} short />
            <NumberInput label="Step" path={p("increment")} short />
          </div>
        </fieldset>
      )}
      {OPTION_TYPES.has(t) && <OptionsEditor path={p("options")} field={field} />}
      {t === "checkbox" && <Check label="Ticked at first" path={p("defaultValue")} off={undefined} />}
      {t === "checkboxes" && (
        <ListInput label="Ticked at first (option values, comma-separated)" path={p("defaultValue")} />
      )}
      {(TEXT_TYPES.has(t) || t === "number" || t === "select" || t === "radio") && (
        <TextInput label="Default value" path={p("defaultValue")} />
      )}
      {t === "tel" && (
        <TextInput label="Country for local numbers" path={p("country")} placeholder="GB" short />
      )}
      {t === "consent" && <TextInput label="Consent text version" path={p("consentVersion")} short />}
      {t === "hidden" && (
        <div class="grid three-cols tight">
          <TextInput label="Value" path={p("value")} />
          <TextInput label="From URL parameter" path={p("fromParam")} placeholder="plan" />
          <TextInput label="From data attribute" path={p("fromData")} placeholder="plan-id" />
        </div>
      )}
      {labelled && (
        <fieldset class="group">
          <legend>Show this field only when…</legend>
          <div class="grid two-cols tight">
            <Choice
              label="Another field"
              path={p("showWhen", "field")}
              optional="(always shown)"
              options={others.map((o) => [o.name, o.label || o.name] as const)}
              onChange={(v) => edit(p("showWhen"), v ? { field: v } : undefined)}
            />
            <CodecInput
              label="…has the value"
              path={p("showWhen", "equals")}
              disabled={!field.showWhen}
              hint="Empty: any value. true/false for a box."
              parse={(text: string) =>
                text === "" ? undefined : text === "true" ? true : text === "false" ? false : text
              }
              format={(v: unknown) => (v === undefined ? "" : String(v))}
            />
          </div>
          <SectionErrors path={p("showWhen")} />
        </fieldset>
      )}
      <div class="grid two-cols tight">
        <NumberInput label="Step (multi-step forms, from 0)" path={p("step")} short />
        <Choice
          label="When the person submits again"
          path={p("merge")}
          optional="Keep the newest answer"
          options={[["first", "Keep the first answer"]]}
        />
      </div>
    </>
  );
}
