/** A form's theme: colour scheme and the CSS values the widget's shadow root styles itself with. */
import type { Path } from "../../config-edit.ts";
import { Choice, TextInput } from "../../ui/inputs.tsx";

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

export function ThemeEditor({ base }: { base: Path }) {
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
