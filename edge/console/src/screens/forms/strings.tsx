/** The language of the widget's built-in messages, and replacements for any of them. */
import { STRING_KEYS } from "../../../../../shared/display.ts";
import type { Path } from "../../config-edit.ts";
import { humanize } from "../../format.ts";
import { Choice, TextInput } from "../../ui/inputs.tsx";

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

export function StringsEditor({ base }: { base: Path }) {
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
