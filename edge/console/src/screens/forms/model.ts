/**
 * The forms editor's model, pure: the draft's forms as the editor edits them, new forms and fields
 * that the schema accepts, ids that do not clash, a field renamed with the conditions that name it,
 * readable names for error paths, and the languages translations are offered in.
 */
import { type FieldType, type FormConfig, OPTION_TYPES } from "../../../../../shared/config.ts";

export type FormInput = Partial<FormConfig> & { id: string; fields: FieldInput[] };
export type FieldInput = Partial<FormConfig["fields"][number]> & { name: string; type: FieldType };

/** The forms of a config draft (plain JSON, not yet parsed). */
export const formsOf = (config: { forms?: unknown } | null | undefined) =>
  (config?.forms ?? []) as FormInput[];

export const TYPE_LABELS: Record<FieldType, string> = {
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
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set(["text", "email", "tel", "url", "textarea"]);

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

/** Languages a form is often translated into; any other code can be typed. */
export const TRANSLATION_LANGUAGES: readonly (readonly [string, string])[] = [
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
  ["it", "Italian"],
  ["nl", "Dutch"],
  ["pt", "Portuguese"],
  ["en", "English"],
];
export const languageName = (code: string) => TRANSLATION_LANGUAGES.find(([c]) => c === code)?.[1] ?? code;
