/** How a form shows: inline or a popup, slide-in, bar or launcher; steps; triggers; how often; on which pages. */
import { DISPLAY_MODES, POSITIONS } from "../../../../../shared/display.ts";
import type { Path } from "../../config-edit.ts";
import { humanize } from "../../format.ts";
import { edit } from "../../site-config.ts";
import { Check, Choice, CodecInput, ListInput, NumberInput, TextInput } from "../../ui/inputs.tsx";
import type { FormInput } from "./model.ts";

export function DisplayEditor({ base, form }: { base: Path; form: FormInput }) {
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
