/** The site's forms: create, duplicate, delete (with a confirmation), each linking to its editor. */
import { useState } from "preact/hooks";
import { errorsUnder } from "../../config-edit.ts";
import { humanize } from "../../format.ts";
import { href, navigate } from "../../router.ts";
import { draft, edit, errors } from "../../site-config.ts";
import { announce, PageTitle } from "../../ui/common.tsx";
import { ErrorSummary, SaveBar, WithConfig } from "../../ui/inputs.tsx";
import { duplicateForm, formsOf, newForm } from "./model.ts";

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
  const list = formsOf(draft.value);
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
