/** The live preview of the form being edited (the real widget), in its own texts or a translation. */
import { useState } from "preact/hooks";
import { FormSchema, localizeForm } from "../../../../../shared/config.ts";
import { Preview } from "../../ui/preview.tsx";
import { type FormInput, languageName } from "./model.ts";

/** The live preview, in the form's own texts or one of its translations. */
export function PreviewIn({ site, form }: { site: string; form: FormInput }) {
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
