/** The options of a drop-down, radio or checkboxes field: label and value each, reorder, add, remove. */
import { dotted, move, type Path } from "../../config-edit.ts";
import { edit, editWith } from "../../site-config.ts";
import { SectionErrors, TextInput } from "../../ui/inputs.tsx";
import { SortableList } from "../../ui/sortable-list.tsx";
import type { FieldInput } from "./model.ts";

export function OptionsEditor({ path, field }: { path: Path; field: FieldInput }) {
  const options = field.options ?? [];
  const moveOption = (from: number, to: number) => editWith<typeof options>(path, (l) => move(l, from, to));
  return (
    <fieldset class="group">
      <legend>Options</legend>
      <SectionErrors path={path} />
      <SortableList
        items={options}
        name={`options-${dotted(path)}`}
        class="options-list"
        itemClass="option-row"
        flat
        idBase={`opt-${dotted(path).replace(/\./g, "-")}`}
        what={(o) => `option ${o.label || o.value}`}
        onMove={moveOption}
        onRemove={(i) =>
          edit(
            path,
            options.filter((_, j) => j !== i),
          )
        }
        head={(_, i) => (
          <>
            <TextInput label={`Option ${i + 1} label`} path={[...path, i, "label"]} optional={false} />
            <TextInput label="Value" path={[...path, i, "value"]} optional={false} short />
          </>
        )}
      />
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
