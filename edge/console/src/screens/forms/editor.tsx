/**
 * One form's editor: its own settings and bot defence here, then its fields, display and triggers,
 * theme, strings and translations (a file each), beside a live preview of the real widget. Every
 * change goes to the shared config draft; the save bar saves it.
 */
import { useEffect, useState } from "preact/hooks";
import { FORM_INTENTS } from "../../../../../shared/config.ts";
import { dotted, type Path } from "../../config-edit.ts";
import { humanize } from "../../format.ts";
import { href } from "../../router.ts";
import { session } from "../../session.ts";
import { draft, edit, errors } from "../../site-config.ts";
import { PageTitle } from "../../ui/common.tsx";
import {
  Choice,
  ErrorSummary,
  idFor,
  NumberInput,
  SaveBar,
  SectionErrors,
  TextInput,
  WithConfig,
} from "../../ui/inputs.tsx";
import { DisplayEditor } from "./display.tsx";
import { FieldsEditor } from "./fields.tsx";
import { describePath, formsOf } from "./model.ts";
import { PreviewIn } from "./preview.tsx";
import { StringsEditor } from "./strings.tsx";
import { ThemeEditor } from "./theme.tsx";
import { TranslationsEditor } from "./translations.tsx";

export function FormEditorScreen({ id }: { id: string }) {
  return <WithConfig>{() => <FormEditor id={id} />}</WithConfig>;
}

function FormEditor({ id }: { id: string }) {
  const list = formsOf(draft.value);
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
                hint="Stored encrypted, shown masked (leave it to keep it), or a ${VARIABLE} naming a Worker secret."
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
