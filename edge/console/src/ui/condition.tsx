/**
 * The one condition editor: a row of signal, operator and value for the one condition language
 * (shared/rules.ts), used by scoring rules (and the PQL rule), channel rules and routes. What a
 * signal may be differs per use and is passed in; the operators, their labels and the value each
 * takes (VALUE_KINDS) are the language's own, so the editor writes only what the schema accepts:
 * no value for `missing` (and `exists`), a list for `in`/`notIn`, a number for `gt`…`lte`, a pair
 * for `between`, text (or a list) for `contains`, a regular expression for `matches`, checked while
 * it is typed.
 */
import type { ComponentChildren } from "preact";
import {
  type Condition,
  isRegExp,
  MATCHES_FLAGS,
  OPERATOR_LABELS,
  OPERATORS,
  type Operator,
  VALUE_KINDS,
} from "../../../../shared/rules.ts";
import { numberOrText, type Path, splitList } from "../config-edit.ts";
import { edit, editWith } from "../site-config.ts";
import { Choice, CodecInput, ErrorText, idFor, NumberInput, SectionErrors, TextInput } from "./inputs.tsx";

/** A condition as the editor finds it in the draft (not yet checked by the schema). */
export type DraftCondition = Pick<Condition, "signal" | "op"> & { value?: unknown };

/** Signal choices: `[signal, label]`. */
export type SignalOptions = readonly (readonly [string, string])[];

/**
 * Signals of the scoring input that rules usually look at (any dotted path into it works). Routing
 * reads the same input, plus the lead's temperature, stage, score and the event.
 */
export const SCORING_SIGNALS: SignalOptions = [
  "form.intent",
  "form.id",
  "fields.role",
  "fields.company",
  "fields.companySize",
  "fields.budget",
  "fields.timeline",
  "email.domainType",
  "email.domain",
  "engagement.activeTimeMs",
  "engagement.visits",
  "engagement.pageViews",
  "engagement.maxScrollPct",
  "keyPages.pricing",
  "events.download",
  "events.webinar",
  "channel",
  "firstTouch.utm_source",
  "lastTouch.utm_campaign",
  "consent.email",
].map((s) => [s, s] as const);

/** A condition's value from what is typed, as the operator wants it (see VALUE_KINDS). */
export function conditionValue(op: Operator, text: string): unknown {
  const t = text.trim();
  switch (VALUE_KINDS[op]) {
    case "list":
      return splitList(t).map((v) => numberOrText(v) ?? v);
    case "range":
      return splitList(t).map((v) => numberOrText(v));
    case "text":
      return t.includes(",") ? splitList(t) : t;
    case "pattern":
      // As typed: spaces may be part of the pattern.
      return text;
    case "number":
      return numberOrText(t);
    case "flag":
      // `exists` with `false` tests absence (an old spelling of `missing`).
      return t === "false" ? false : undefined;
    case "none":
      return undefined;
    default:
      return t === "true" ? true : t === "false" ? false : t;
  }
}

/** A value as text to edit: a list as "a, b". */
export const formatValue = (v: unknown) =>
  v === undefined || v === null ? "" : Array.isArray(v) ? v.join(", ") : String(v);

/**
 * The condition with another operator, its value carried over as far as the new operator takes it:
 * "vp, head" stays a list for `in`, becomes text for `contains`; `exists` and `missing` drop it (the
 * schema refuses a value for `missing`); `between` keeps a pair of numbers, else starts empty.
 */
export function withOperator(condition: DraftCondition, op: Operator): DraftCondition {
  const { signal } = condition;
  const kind = VALUE_KINDS[op];
  if (kind === "none" || kind === "flag") return { signal, op };
  if (kind === "range") {
    const numbers = (Array.isArray(condition.value) ? condition.value : [condition.value]).filter(
      (v): v is number => typeof v === "number",
    );
    return numbers.length === 2 && numbers[0]! < numbers[1]!
      ? { signal, op, value: numbers }
      : { signal, op };
  }
  return { signal, op, value: conditionValue(op, formatValue(condition.value)) };
}

/** Why a `matches` pattern does not compile (the evaluator's flags), or undefined when it does. */
export function patternProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || isRegExp(value, MATCHES_FLAGS)) return undefined;
  try {
    new RegExp(value, MATCHES_FLAGS);
  } catch (error) {
    return `Not a valid regular expression: ${(error as Error).message}`;
  }
  return undefined;
}

const OPERATOR_OPTIONS = OPERATORS.map((op) => [op, OPERATOR_LABELS[op]] as const);

/** The value input(s) the operator asks for. */
function ValueInput({ path, condition }: { path: Path; condition: DraftCondition }) {
  const at: Path = [...path, "value"];
  const { op } = condition;
  switch (VALUE_KINDS[op]) {
    case "none":
      return <span class="condition-spacer" />;
    case "flag":
      return condition.value === false ? (
        <p class="muted small">Given “false”: holds when absent.</p>
      ) : (
        <span class="condition-spacer" />
      );
    case "number":
      return <NumberInput label="Value" path={at} />;
    case "range":
      return (
        <div class="grid two-cols tight">
          <NumberInput label="From" path={[...at, 0]} />
          <NumberInput label="Up to (not included)" path={[...at, 1]} />
        </div>
      );
    case "pattern":
      return (
        <TextInput
          label="Value"
          path={at}
          optional={false}
          placeholder="^(cpc|ppc)$"
          problem={patternProblem(condition.value)}
        />
      );
    case "list":
      return (
        <CodecInput
          label="Values (comma-separated)"
          path={at}
          parse={(t: string) => conditionValue(op, t)}
          format={formatValue}
        />
      );
    default:
      return (
        <CodecInput
          label="Value"
          path={at}
          parse={(t: string) => conditionValue(op, t)}
          format={formatValue}
          hint={VALUE_KINDS[op] === "text" ? "Several: comma-separated, any may match." : undefined}
        />
      );
  }
}

/**
 * One condition at `path`. `signals` are the choices; with `signalList` (the id of a `<datalist>` of
 * them the caller renders once) the signal is free text, a dotted path into the caller's input.
 */
export function ConditionRow({
  path,
  condition,
  signalLabel,
  signals,
  signalList,
  removeLabel,
  canRemove,
  onRemove,
}: {
  path: Path;
  condition: DraftCondition;
  signalLabel: string;
  signals: SignalOptions;
  signalList?: string | undefined;
  removeLabel: string;
  canRemove: boolean;
  onRemove: () => void;
}) {
  // The schema's value check speaks for the condition as a whole: shown beside the value.
  const kind = VALUE_KINDS[condition.op];
  return (
    <li class="condition-row" id={idFor(path)} tabIndex={-1}>
      {signalList ? (
        <TextInput label={signalLabel} path={[...path, "signal"]} list={signalList} optional={false} />
      ) : (
        <Choice label={signalLabel} path={[...path, "signal"]} options={signals} />
      )}
      <Choice
        label="Test"
        path={[...path, "op"]}
        options={OPERATOR_OPTIONS}
        onChange={(op) =>
          editWith<DraftCondition>(path, (cur) => withOperator(cur, (op ?? "eq") as Operator))
        }
      />
      <div class="condition-value">
        <ValueInput path={path} condition={condition} />
        {!(kind === "pattern" && patternProblem(condition.value)) && <ErrorText path={path} />}
      </div>
      <button
        type="button"
        class="button button-ghost button-small"
        aria-label={removeLabel}
        disabled={!canRemove}
        onClick={onRemove}
      >
        Remove
      </button>
    </li>
  );
}

/** A `<datalist>` of signals, for free-text signal inputs (`signalList`). */
export function SignalDatalist({ id, signals }: { id: string; signals: SignalOptions }) {
  return (
    <datalist id={id}>
      {signals.map(([s, label]) => (
        <option key={s} value={s}>
          {label === s ? undefined : label}
        </option>
      ))}
    </datalist>
  );
}

/**
 * "When all of these hold": the conditions at `path`, each a ConditionRow, with Add and Remove.
 * With `min` 0 the list may empty, and an empty list is removed from the config (`pqlWhen` and a
 * route's `conditions` are optional, and `pqlWhen` may not be empty).
 */
export function ConditionList({
  path,
  conditions,
  legend = "When all of these hold",
  signals,
  signalList,
  name,
  removeLabel,
  addLabel,
  min = 1,
  max,
  fresh,
  children,
}: {
  path: Path;
  conditions: readonly DraftCondition[];
  legend?: string;
  signals: SignalOptions;
  signalList?: string;
  /** The signal input's label before ": signal", e.g. `Condition 1` or `Rule 2, condition 1`. */
  name: (i: number) => string;
  removeLabel: (i: number) => string;
  /** The Add button's accessible name when "Add condition" alone is ambiguous: it must contain "Add condition". */
  addLabel?: string;
  min?: number;
  max?: number;
  /** The condition Add appends. */
  fresh: () => DraftCondition;
  children?: ComponentChildren;
}) {
  const remove = (i: number) => {
    const rest = conditions.filter((_, j) => j !== i);
    edit(path, rest.length === 0 && min === 0 ? undefined : rest);
  };
  return (
    <fieldset class="group conditions">
      <legend>{legend}</legend>
      {children}
      <SectionErrors path={path} />
      {conditions.length > 0 && (
        <ul class="plain-list">
          {conditions.map((c, i) => (
            <ConditionRow
              key={`${i}`}
              path={[...path, i]}
              condition={c}
              signalLabel={`${name(i)}: signal`}
              signals={signals}
              signalList={signalList}
              removeLabel={removeLabel(i)}
              canRemove={conditions.length > min}
              onRemove={() => remove(i)}
            />
          ))}
        </ul>
      )}
      {(max === undefined || conditions.length < max) && (
        <button
          type="button"
          class="button button-ghost button-small"
          aria-label={addLabel}
          onClick={() => edit(path, [...conditions, fresh()])}
        >
          Add condition
        </button>
      )}
    </fieldset>
  );
}
