/**
 * Forms: the site's forms (create, duplicate, delete) and the form editor — fields of every type the
 * widget renders (reorder by drag or by the move buttons), validation, options, conditional
 * visibility, steps, display mode and triggers, theme, language and strings — beside a live preview
 * of the real widget. Every change goes to the shared config draft; the save bar saves it.
 */
import { useEffect, useState } from "preact/hooks";
import {
  FIELD_TYPES,
  type FieldType,
  FORM_INTENTS,
  type FormConfig,
  FormSchema,
  LANGUAGE,
  localizeForm,
  OPTION_TYPES,
} from "../../../../shared/config.ts";
import { DISPLAY_MODES, POSITIONS, STRING_KEYS } from "../../../../shared/display.ts";
import { dotted, errorsUnder, move, type Path } from "../config-edit.ts";
import { humanize } from "../format.ts";
import { href, navigate } from "../router.ts";
import { session } from "../session.ts";
import { draft, edit, editWith, errors } from "../site-config.ts";
import { announce, PageTitle, PanelToggle } from "../ui/common.tsx";
import {
  Check,
  Choice,
  CodecInput,
  DragHandle,
  dragHandlers,
  ErrorSummary,
  idFor,
  ListInput,
  MoveButtons,
  NumberInput,
  SaveBar,
  SectionErrors,
  TextInput,
  WithConfig,
} from "../ui/inputs.tsx";
import { Preview } from "../ui/preview.tsx";

type FormInput = Partial<FormConfig> & { id: string; fields: FieldInput[] };
type FieldInput = Partial<FormConfig["fields"][number]> & { name: string; type: FieldType };

const forms = () => (draft.value?.forms ?? []) as FormInput[];

const TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  email: "Email",
  tel: "Phone",
  url: "Web address",
  number: "Number",
  textarea: "Long text",
  select: "Drop-down",
  radio: "Radio buttons",
  checkbox: "Checkbox",
  checkboxes: "Checkboxes (several answers)",
  consent: "Consent",
  hidden: "Hidden value",
  honeypot: "Honeypot (bot trap)",
};
const TEXT_TYPES: ReadonlySet<FieldType> = new Set(["text", "email", "tel", "url", "textarea"]);

/** An id not taken yet: `base`, else `base-2`, `base-3`, … */
export function freeId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

export function newForm(taken: readonly string[]): FormInput {
  return {
    id: freeId("new-form", taken),
    title: "New form",
    intent: "contact",
    submitLabel: "Send",
    successMessage: "Thank you! We will be in touch.",
    fields: [
      {
        name: "email",
        type: "email",
        label: "Work email",
        required: true,
        autocomplete: "email",
      },
    ],
  };
}

export function duplicateForm(form: FormInput, taken: readonly string[]): FormInput {
  const copy = JSON.parse(JSON.stringify(form)) as FormInput;
  copy.id = freeId(`${form.id}-copy`.slice(0, 63), taken);
  copy.title = `${form.title ?? form.id} (copy)`;
  return copy;
}

/** A new field of `type`, named so it does not clash. */
export function newField(type: FieldType, taken: readonly string[]): FieldInput {
  const name = freeId(type === "honeypot" ? "website" : type, taken).replace(/-/g, "_");
  const field: FieldInput = {
    name,
    type,
    label: type === "hidden" || type === "honeypot" ? "" : TYPE_LABELS[type],
  };
  if (OPTION_TYPES.has(type))
    field.options = [
      { value: "option_1", label: "Option 1" },
      { value: "option_2", label: "Option 2" },
    ];
  if (type === "consent") field.label = "I agree that you may contact me about my request.";
  return field;
}

export function FormsScreen() {
  return (
    <>
      <div class="page-head">
        <PageTitle title="Forms">Forms</PageTitle>
      </div>
      <WithConfig>{() => <FormList />}</WithConfig>
    </>
  );
}

function FormList() {
  const list = forms();
  const [confirming, setConfirming] = useState<string | null>(null);
  const ids = list.map((f) => f.id);
  const create = () => {
    const form = newForm(ids);
    edit(["forms"], [...list, form]);
    announce(`Form ${form.id} added. Save to publish it.`);
    navigate(href(`forms/${encodeURIComponent(form.id)}`));
  };
  const duplicate = (index: number) => {
    const copy = duplicateForm(list[index]!, ids);
    edit(["forms"], [...list.slice(0, index + 1), copy, ...list.slice(index + 1)]);
    announce(`Form ${copy.id} added as a copy of ${list[index]!.id}.`);
  };
  const remove = (index: number) => {
    const id = list[index]!.id;
    edit(
      ["forms"],
      list.filter((_, i) => i !== index),
    );
    setConfirming(null);
    announce(`Form ${id} deleted. Save to publish, or discard to keep it.`);
    requestAnimationFrame(() => document.getElementById("new-form")?.focus());
  };
  return (
    <>
      <SaveBar />
      <ErrorSummary />
      <p class="muted lede">
        Each form is what a script tag with <code>data-form</code> renders. Changes are kept here until you
        save; the widget uses a saved form within seconds.
      </p>
      <div class="actions list-actions">
        <button type="button" id="new-form" class="button" onClick={create}>
          New form
        </button>
      </div>
      <ul class="form-list">
        {list.map((form, index) => {
          const problems = errorsUnder(errors.value, ["forms", index]).length;
          return (
            <li key={`${form.id}-${index}`} class="card form-card">
              <div class="form-card-main">
                <h2>
                  <a href={href(`forms/${encodeURIComponent(form.id)}`)}>{form.title || form.id}</a>
                </h2>
                <p class="muted small">
                  <code>{form.id}</code> · {humanize(form.intent ?? "other")} · {form.fields.length} fields ·{" "}
                  {humanize(form.display?.mode ?? "inline")}
                  {problems ? <span class="error"> · {problems} to fix</span> : null}
                </p>
              </div>
              <div class="actions">
                <a
                  class="button button-ghost button-small"
                  href={href(`forms/${encodeURIComponent(form.id)}`)}
                >
                  Edit<span class="visually-hidden"> {form.id}</span>
                </a>
                <button
                  type="button"
                  class="button button-ghost button-small"
                  aria-label={`Duplicate ${form.id}`}
                  onClick={() => duplicate(index)}
                >
                  Duplicate
                </button>
                {confirming === form.id ? (
                  <>
                    <button
                      type="button"
                      class="button button-danger button-small"
                      onClick={() => remove(index)}
                    >
                      Delete {form.id}
                    </button>
                    <button
                      type="button"
                      class="button button-ghost button-small"
                      onClick={() => setConfirming(null)}
                    >
                      Keep it
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    class="button button-ghost button-small"
                    aria-label={`Delete ${form.id}…`}
                    disabled={list.length === 1}
                    title={list.length === 1 ? "A site needs at least one form" : undefined}
                    onClick={() => setConfirming(form.id)}
                  >
                    Delete…
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export function FormEditorScreen({ id }: { id: string }) {
  return <WithConfig>{() => <FormEditor id={id} />}</WithConfig>;
}

function FormEditor({ id }: { id: string }) {
  const list = forms();
  const [index, setIndex] = useState(() => list.findIndex((f) => f.id === id));
  // The route names another form than the one in hand (a link, Back): follow it.
  useEffect(() => {
    if (list[index]?.id !== id) {
      const found = list.findIndex((f) => f.id === id);
      if (found >= 0) setIndex(found);
    }
  }, [id]);
  const form = list[index];
  if (!form)
    return (
      <>
        <PageTitle title="Form not found">Form not found</PageTitle>
        <p>
          There is no form “{id}” on this site. <a href={href("forms")}>All forms</a>
        </p>
      </>
    );
  const base: Path = ["forms", index];
  const p = (...rest: (string | number)[]): Path => [...base, ...rest];
  const onIdInput = (next: string) => {
    edit(p("id"), next);
    // Keep the address on this form (without a new history step).
    history.replaceState(history.state, "", href(`forms/${encodeURIComponent(next)}`));
  };
  const site = session.value!.site;
  return (
    <>
      <p class="crumbs">
        <a href={href("forms")}>← All forms</a>
      </p>
      <div class="page-head">
        <PageTitle title={`Form ${form.title || form.id}`}>{form.title || form.id}</PageTitle>
      </div>
      <SaveBar />
      <ErrorSummary labels={(path) => describePath(path, list)} />
      <div class="editor">
        <div class="editor-main">
          <section class="card" aria-labelledby="fe-form">
            <h2 id="fe-form">Form</h2>
            <div class="grid two-cols tight">
              <div class="field">
                <label for={idFor(p("id"))}>Form id</label>
                <input
                  id={idFor(p("id"))}
                  value={form.id}
                  spellcheck={false}
                  aria-invalid={errors.value[dotted(p("id"))] ? "true" : undefined}
                  aria-describedby={`${idFor(p("id"))}-hint${errors.value[dotted(p("id"))] ? ` ${idFor(p("id"))}-error` : ""}`}
                  onInput={(e) => onIdInput(e.currentTarget.value)}
                />
                <p class="hint" id={`${idFor(p("id"))}-hint`}>
                  In the script tag's data-form; changing it breaks pages that use the old one.
                </p>
                <SectionErrors path={p("id")} />
              </div>
              <Choice
                label="Intent"
                path={p("intent")}
                options={FORM_INTENTS.map((i) => [i, humanize(i)] as const)}
                hint="What the visitor asks for: drives scoring and temperature."
              />
            </div>
            <TextInput label="Title" path={p("title")} optional={false} />
            <TextInput label="Description" path={p("description")} multiline />
            <div class="grid two-cols tight">
              <TextInput label="Submit button" path={p("submitLabel")} placeholder="Send" />
              <TextInput
                label="Success message"
                path={p("successMessage")}
                placeholder="Thank you! We will be in touch."
              />
            </div>
          </section>
          <FieldsEditor formIndex={index} form={form} />
          <DisplayEditor base={base} form={form} />
          <ThemeEditor base={base} />
          <StringsEditor base={base} />
          <TranslationsEditor base={base} form={form} />
          <section class="card" aria-labelledby="fe-bot">
            <h2 id="fe-bot">Bot defence</h2>
            <p class="muted small">Every form has a honeypot field if you add one; these go further.</p>
            <div class="grid two-cols tight">
              <NumberInput
                label="Minimum fill time (ms)"
                path={p("bot", "minFillMs")}
                hint="Faster submissions are recorded as spam."
              />
              <TextInput
                label="Turnstile secret"
                path={p("bot", "turnstileSecret")}
                placeholder="${TURNSTILE_SECRET}"
                hint="Usually a ${VARIABLE} naming a Worker secret."
              />
            </div>
          </section>
        </div>
        <div class="editor-side">
          <PreviewIn site={site} form={form} />
        </div>
      </div>
    </>
  );
}

/** "forms.0.fields.2.label" → "Field “company”: label". */
export function describePath(path: string, list: readonly FormInput[]): string {
  const parts = path.split(".");
  if (parts[0] !== "forms") return path;
  const form = list[Number(parts[1])];
  if (parts[2] === "fields" && parts[3] !== undefined) {
    const field = form?.fields[Number(parts[3])];
    const rest = parts.slice(4).join(" ");
    return `Field “${field?.label || field?.name || Number(parts[3]) + 1}”${rest ? `: ${rest}` : ""}`;
  }
  return parts.slice(2).join(" ") || `Form ${form?.id ?? ""}`;
}

function FieldsEditor({ formIndex, form }: { formIndex: number; form: FormInput }) {
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
      <ol class="sortable fields-list">
        {fields.map((field, i) => {
          const drag = dragHandlers("fields", i, moveField);
          const what = field.label || field.name;
          const problems = errorsUnder(errors.value, [...base, i]).length;
          return (
            <li key={`${i}`} class="sortable-item" {...drag.item}>
              <div class="sortable-head">
                <DragHandle {...drag.handle} />
                <PanelToggle
                  open={open === i}
                  panel={`field-panel-${i}`}
                  onToggle={() => setOpen(open === i ? null : i)}
                >
                  <span class="field-title">{what || "(no label)"}</span>{" "}
                  <span class="muted small">
                    {TYPE_LABELS[field.type]}
                    {field.required ? " · required" : ""}
                    {field.showWhen ? " · conditional" : ""}
                  </span>
                  {problems > 0 && <span class="error small"> · {problems} to fix</span>}
                </PanelToggle>
                <MoveButtons index={i} count={fields.length} what={what} onMove={moveField} idBase="field" />
                <button
                  type="button"
                  class="button button-ghost button-small"
                  aria-label={`Remove field ${what}`}
                  onClick={() => remove(i)}
                >
                  Remove
                </button>
              </div>
              {open === i && (
                <div class="field-panel" id={`field-panel-${i}`}>
                  <FieldSettings path={[...base, i]} field={field} fields={fields} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
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

/** Renames a field, and the conditions of other fields that name it. */
export function renameFields(fields: FieldInput[], index: number, from: string, to: string): FieldInput[] {
  return fields.map((f, i) =>
    i === index
      ? { ...f, name: to }
      : f.showWhen?.field === from
        ? { ...f, showWhen: { ...f.showWhen, field: to } }
        : f,
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

function OptionsEditor({ path, field }: { path: Path; field: FieldInput }) {
  const options = field.options ?? [];
  const moveOption = (from: number, to: number) => editWith<typeof options>(path, (l) => move(l, from, to));
  return (
    <fieldset class="group">
      <legend>Options</legend>
      <SectionErrors path={path} />
      <ol class="sortable options-list">
        {options.map((o, i) => {
          const drag = dragHandlers(`options-${dotted(path)}`, i, moveOption);
          return (
            <li key={`${i}`} class="option-row" {...drag.item}>
              <DragHandle {...drag.handle} />
              <TextInput label={`Option ${i + 1} label`} path={[...path, i, "label"]} optional={false} />
              <TextInput label="Value" path={[...path, i, "value"]} optional={false} short />
              <MoveButtons
                index={i}
                count={options.length}
                what={`option ${o.label || o.value}`}
                onMove={moveOption}
                idBase={`opt-${dotted(path).replace(/\./g, "-")}`}
              />
              <button
                type="button"
                class="button button-ghost button-small"
                aria-label={`Remove option ${o.label || o.value}`}
                onClick={() =>
                  edit(
                    path,
                    options.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        class="button button-ghost button-small"
        onClick={() => {
          const n = options.length + 1;
          edit(path, [...options, { value: `option_${n}`, label: `Option ${n}` }]);
        }}
      >
        Add option
      </button>
    </fieldset>
  );
}

function DisplayEditor({ base, form }: { base: Path; form: FormInput }) {
  const p = (...rest: (string | number)[]): Path => [...base, "display", ...rest];
  const mode = form.display?.mode ?? "inline";
  const auto = mode === "popup" || mode === "slide-in" || mode === "bar";
  return (
    <section class="card" aria-labelledby="fe-display">
      <h2 id="fe-display">Display and triggers</h2>
      <div class="grid two-cols tight">
        <Choice
          label="Display mode"
          path={p("mode")}
          fallback="inline"
          options={DISPLAY_MODES.map((m) => [m, humanize(m)] as const)}
          onChange={(v) => edit(p("mode"), v === "inline" ? undefined : v)}
        />
        {mode !== "inline" && mode !== "popup" && (
          <Choice
            label="Position"
            path={p("position")}
            optional="Default"
            options={POSITIONS.map((m) => [m, humanize(m)] as const)}
          />
        )}
      </div>
      <CodecInput
        label="Steps of a multi-step form (one name per line)"
        path={[...base, "steps"]}
        multiline
        hint="Fields name their step (from 0) in their settings."
        parse={(text: string) => {
          const titles = text.split("\n").map((t) => t.trim());
          return titles.some(Boolean) ? titles.filter(Boolean).map((title) => ({ title })) : undefined;
        }}
        format={(v: unknown) => (Array.isArray(v) ? v.map((s: { title: string }) => s.title).join("\n") : "")}
      />
      {mode === "launcher" && <TextInput label="Launcher button text" path={p("launcherLabel")} />}
      {auto && (
        <fieldset class="group">
          <legend>Opens when any of these happens</legend>
          <div class="grid three-cols tight">
            <NumberInput label="After (seconds)" path={p("triggers", "delaySeconds")} short />
            <NumberInput label="Scrolled (%)" path={p("triggers", "scrollPercent")} short />
            <TextInput label="Click on (CSS selector)" path={p("triggers", "click")} placeholder=".cta" />
          </div>
          <Check label="Exit intent" path={p("triggers", "exitIntent")} off={undefined} />
        </fieldset>
      )}
      {auto && (
        <fieldset class="group">
          <legend>How often</legend>
          <Check label="At most once per session" path={p("frequency", "oncePerSession")} off={undefined} />
          <NumberInput label="At most every (days)" path={p("frequency", "everyDays")} short />
          <Check
            label="Never again after a submit"
            path={p("frequency", "stopAfterSubmit")}
            off={false}
            defaultOn
          />
          <Check label="Never again once closed" path={p("frequency", "stopAfterClose")} off={undefined} />
        </fieldset>
      )}
      <div class="grid two-cols tight">
        <ListInput
          label="Only on pages (one pattern per line)"
          path={p("urls", "include")}
          lines
          placeholder="/pricing*"
        />
        <ListInput
          label="Never on pages (one pattern per line)"
          path={p("urls", "exclude")}
          lines
          placeholder="/checkout*"
        />
      </div>
    </section>
  );
}

const THEME_KEYS = [
  ["accent", "Accent (buttons, focus)", "#1d4ed8"],
  ["accentText", "Text on the accent", "#fff"],
  ["text", "Text", "#1f2937"],
  ["muted", "Muted text", "#4b5563"],
  ["background", "Background", "#fff"],
  ["border", "Borders", "#6b7280"],
  ["error", "Errors", "#b42318"],
  ["radius", "Corner radius", "8px"],
  ["font", "Font family", "system-ui"],
  ["fontSize", "Font size", "16px"],
  ["spacing", "Spacing", "1em"],
] as const;

function ThemeEditor({ base }: { base: Path }) {
  const p = (...rest: string[]): Path => [...base, "display", "theme", ...rest];
  return (
    <section class="card" aria-labelledby="fe-theme">
      <h2 id="fe-theme">Theme</h2>
      <p class="muted small">Any CSS value; empty keeps the widget's default (shown greyed).</p>
      <Choice
        label="Colour scheme"
        path={p("scheme")}
        optional="Light (default)"
        options={[
          ["dark", "Dark"],
          ["auto", "Follow the visitor's system"],
        ]}
      />
      <div class="grid three-cols tight">
        {THEME_KEYS.map(([key, label, fallback]) => (
          <TextInput key={key} label={label} path={p(key)} placeholder={fallback} short />
        ))}
      </div>
    </section>
  );
}

const LANGUAGES = [
  ["en", "English"],
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
] as const;

const STRING_HINTS: Partial<Record<(typeof STRING_KEYS)[number], string>> = {
  tooShort: "{n} is the length",
  tooLong: "{n} is the length",
  min: "{n} is the minimum",
  max: "{n} is the maximum",
  increment: "{n} is the step",
  progress: "{n} of {total}",
};

function StringsEditor({ base }: { base: Path }) {
  const p = (...rest: string[]): Path => [...base, "display", ...rest];
  return (
    <section class="card" aria-labelledby="fe-strings">
      <h2 id="fe-strings">Language and strings</h2>
      <Choice
        label="Language of the built-in messages"
        path={p("language")}
        optional="The page's language"
        options={LANGUAGES}
      />
      <details class="strings">
        <summary>Replace built-in messages ({STRING_KEYS.length})</summary>
        <p class="muted small">
          Empty keeps the built-in message in the form's language. Replacements apply to this form whatever
          the language.
        </p>
        <div class="grid two-cols tight">
          {STRING_KEYS.map((key) => (
            <TextInput
              key={key}
              label={humanize(key.replace(/([A-Z])/g, " $1").toLowerCase())}
              path={p("strings", key)}
              hint={STRING_HINTS[key]}
            />
          ))}
        </div>
      </details>
    </section>
  );
}

/** Languages a form is often translated into; any other code can be typed. */
const TRANSLATION_LANGUAGES: readonly (readonly [string, string])[] = [
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
  ["it", "Italian"],
  ["nl", "Dutch"],
  ["pt", "Portuguese"],
  ["en", "English"],
];
const languageName = (code: string) => TRANSLATION_LANGUAGES.find(([c]) => c === code)?.[1] ?? code;

/** The form's texts per language: served to pages whose `<html lang>` is that language. */
function TranslationsEditor({ base, form }: { base: Path; form: FormInput }) {
  const translations = (form.translations ?? {}) as Record<string, unknown>;
  const languages = Object.keys(translations);
  const choices = TRANSLATION_LANGUAGES.filter(([code]) => !languages.includes(code));
  const [adding, setAdding] = useState(choices[0]?.[0] ?? "");
  const t = (lang: string, ...rest: string[]): Path => [...base, "translations", lang, ...rest];
  const add = () => {
    const code = adding.trim().toLowerCase();
    if (!LANGUAGE.test(code) || languages.includes(code)) return;
    edit(t(code), {});
    announce(`${languageName(code)} translation added.`);
  };
  const remove = (lang: string) => {
    editWith<Record<string, unknown> | undefined>([...base, "translations"], (current) => {
      const { [lang]: _gone, ...rest } = current ?? {};
      return Object.keys(rest).length ? rest : undefined;
    });
    announce(`${languageName(lang)} translation removed.`);
  };
  const texts = form.fields.filter((f) => f.type !== "hidden" && f.type !== "honeypot");
  return (
    <section class="card" aria-labelledby="fe-translations">
      <h2 id="fe-translations">Translations</h2>
      <p class="muted small">
        Visitors whose page is in one of these languages (its <code>lang</code>) see these texts and the
        widget's messages in that language; anything left empty stays as written above.
      </p>
      {languages.map((lang) => (
        <details key={lang} class="translation" open>
          <summary>
            {languageName(lang)} ({lang})
          </summary>
          <div class="grid two-cols tight">
            <TextInput label={`Title (${lang})`} path={t(lang, "title")} placeholder={form.title} />
            <TextInput
              label={`Submit button (${lang})`}
              path={t(lang, "submitLabel")}
              placeholder={form.submitLabel ?? "Send"}
            />
          </div>
          <TextInput
            label={`Description (${lang})`}
            path={t(lang, "description")}
            placeholder={form.description}
            multiline
          />
          <TextInput
            label={`Success message (${lang})`}
            path={t(lang, "successMessage")}
            placeholder={form.successMessage}
          />
          {texts.map((f) => (
            <fieldset key={f.name} class="group">
              <legend>{f.label || f.name}</legend>
              <div class="grid two-cols tight">
                <TextInput
                  label={`Label of ${f.name} (${lang})`}
                  path={t(lang, "fields", f.name, "label")}
                  placeholder={f.label}
                />
                <TextInput
                  label={`Help of ${f.name} (${lang})`}
                  path={t(lang, "fields", f.name, "help")}
                  placeholder={f.help}
                />
              </div>
              {(f.options ?? []).map((o) => (
                <TextInput
                  key={o.value}
                  label={`Option “${o.label}” (${lang})`}
                  path={t(lang, "fields", f.name, "options", o.value)}
                  placeholder={o.label}
                />
              ))}
            </fieldset>
          ))}
          <button type="button" class="button button-ghost button-small" onClick={() => remove(lang)}>
            Remove the {languageName(lang)} translation
          </button>
        </details>
      ))}
      <div class="actions add-row">
        <div class="field inline">
          <label for={`add-translation-${form.id}`}>Language</label>
          <input
            id={`add-translation-${form.id}`}
            list={`translation-languages-${form.id}`}
            value={adding}
            size={6}
            onInput={(e) => setAdding(e.currentTarget.value)}
          />
          <datalist id={`translation-languages-${form.id}`}>
            {choices.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
        </div>
        <button type="button" class="button button-small" onClick={add}>
          Add a translation
        </button>
      </div>
    </section>
  );
}

/** The live preview, in the form's own texts or one of its translations. */
function PreviewIn({ site, form }: { site: string; form: FormInput }) {
  const languages = Object.keys(form.translations ?? {});
  const [lang, setLang] = useState("");
  const shown = lang && languages.includes(lang) ? localized(form, lang) : form;
  return (
    <>
      {languages.length > 0 && (
        <div class="field inline preview-language">
          <label for="preview-language">Preview in</label>
          <select id="preview-language" value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
            <option value="">The form's own texts</option>
            {languages.map((code) => (
              <option key={code} value={code}>
                {languageName(code)} ({code})
              </option>
            ))}
          </select>
        </div>
      )}
      <Preview site={site} form={shown} />
    </>
  );
}

/** The form as a page in `lang` gets it from the edge (shared localizeForm), when the draft parses. */
function localized(form: FormInput, lang: string): unknown {
  const parsed = FormSchema.safeParse(form);
  return parsed.success ? localizeForm(parsed.data, lang) : form;
}
