/** A form's texts in other languages: title, buttons, messages, labels, help and options per language. */
import { useState } from "preact/hooks";
import { LANGUAGE } from "../../../../../shared/config.ts";
import type { Path } from "../../config-edit.ts";
import { edit, editWith } from "../../site-config.ts";
import { announce } from "../../ui/common.tsx";
import { TextInput } from "../../ui/inputs.tsx";
import { type FormInput, languageName, TRANSLATION_LANGUAGES } from "./model.ts";

/** The form's texts per language: served to pages whose `<html lang>` is that language. */
export function TranslationsEditor({ base, form }: { base: Path; form: FormInput }) {
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
