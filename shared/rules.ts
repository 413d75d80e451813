/**
 * The one condition language: scoring rules, channel rules and routing rules (and the nurture and
 * experiment rules to come) are lists of conditions `{ signal, op, value }` that must all hold. What
 * a signal names depends on who asks (a dotted path into the scoring input, a touch's `utm_source`,
 * a lead's `temperature`): the caller gives `holds` a `read(signal)` for its own input, and the
 * operators mean the same everywhere. Pure, no I/O: the console previews with the same code.
 *
 * Where the three evaluators this replaces disagreed, the rules are:
 * - Text compares ignore case and surrounding spaces on both sides (scoring's and routing's rule;
 *   channel rules trimmed and lower-cased the signal only, which every stored rule still satisfies).
 * - Numbers compare with numbers and numeric text ("250" from a form field), as scoring did; routing
 *   used `Number()`, which also read "" as 0: an empty answer no longer equals 0.
 * - A signal may have several values (a checkboxes answer, a touch's click ids, the two events a
 *   submission may become): a condition holds when it holds for any of them, as channel rules and
 *   routing's `when` did. `neq`, `notIn` and `missing` are the negations of `eq`, `in` and `exists`:
 *   "is not X" means none of the values is X. Scoring used to see a list as one value that equalled
 *   nothing, and counted an empty list as present: an empty list is now absent, like empty text.
 */
import * as z from "zod/mini";

/**
 * Whether `source` compiles as a regular expression with `flags`. The flags are the evaluator's,
 * never a guess, because a pattern valid under one set can be invalid under another (`\-` is fine
 * without `u`, an error with it):
 * - `PATTERN_FLAGS` for a form field's `pattern`: the HTML `pattern` attribute's semantics (the
 *   browser compiles it in Unicode mode, anchored as `^(?:…)$`), so the widget, the browser and the
 *   edge agree on what a field accepts;
 * - `MATCHES_FLAGS` for the `matches` operator: case-insensitive, as every text compare here, and
 *   without `u`, so patterns written for the usual analytics tools' channel groupings keep working.
 */
export function isRegExp(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}
export const PATTERN_FLAGS = "u";
export const MATCHES_FLAGS = "i";

/**
 * The operators. Text comparisons (`eq`, `neq`, `in`, `notIn`, `contains`, `matches`) ignore case and
 * surrounding spaces, as a marketer typing "VP" expects it to match "vp ". Number comparisons accept
 * numeric text too, so a form answer "250" passes `gte 100`.
 */
export const OPERATORS = [
  "eq",
  "neq",
  "in",
  "notIn",
  /** Text contains the value, or any of a list of values: `["vp", "head", "chief"]`. */
  "contains",
  /** A case-insensitive regular expression (`MATCHES_FLAGS`), anywhere in the text unless anchored. */
  "matches",
  "gte",
  "gt",
  "lte",
  "lt",
  /** `value: [min, max]`: min ≤ x < max, so consecutive bins never overlap. */
  "between",
  /** Present (not empty text, not an unticked box, not an empty list); `value: false` tests absence. */
  "exists",
  /** Absent: the negation of `exists`. */
  "missing",
] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * What value each operator takes, for an editor to show the right input:
 * `one` a text, number or yes/no; `list` texts or numbers; `text` a text or a list of texts;
 * `pattern` a regular expression; `number` a number; `range` `[min, max]`; `flag` nothing, or
 * `false` to turn the test around; `none` nothing.
 */
export type ValueKind = "one" | "list" | "text" | "pattern" | "number" | "range" | "flag" | "none";
export const VALUE_KINDS: Readonly<Record<Operator, ValueKind>> = {
  eq: "one",
  neq: "one",
  in: "list",
  notIn: "list",
  contains: "text",
  matches: "pattern",
  gte: "number",
  gt: "number",
  lte: "number",
  lt: "number",
  between: "range",
  exists: "flag",
  missing: "none",
};

/** How an editor reads each operator out: "Role contains vp". */
export const OPERATOR_LABELS: Readonly<Record<Operator, string>> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  notIn: "is none of",
  contains: "contains",
  matches: "matches (regular expression)",
  gte: "is at least",
  gt: "is more than",
  lte: "is at most",
  lt: "is less than",
  between: "is from … up to",
  exists: "is present",
  missing: "is absent",
};

/** Catches the marketer's typo at save time rather than a rule that silently never fires. */
export function valueSuitsOperator(c: { op: Operator; value?: unknown }): boolean {
  const { value } = c;
  switch (VALUE_KINDS[c.op]) {
    case "range":
      return (
        Array.isArray(value) &&
        value.length === 2 &&
        typeof value[0] === "number" &&
        typeof value[1] === "number" &&
        value[0] < value[1]
      );
    case "list":
      return Array.isArray(value);
    case "text":
      return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
    case "pattern":
      return typeof value === "string" && isRegExp(value, MATCHES_FLAGS);
    case "flag":
      return value === undefined || typeof value === "boolean";
    case "none":
      return value === undefined;
    default:
      // `one` and `number`: a number operator given text fails at evaluation (never holds), as before.
      return value !== undefined && !Array.isArray(value);
  }
}

const VALUE_MESSAGE =
  "value must suit the operator: [min, max] for between, a list for in/notIn, text or a list for contains, a valid regular expression for matches, none for missing, one value otherwise";

/**
 * The value of a condition: one, or a list (of answers, for `in`: a yes/no answer may be listed too).
 * Text up to 500 characters (channel rules' regular expressions are long).
 */
export const ConditionValueSchema = z.union([
  z.string().check(z.maxLength(500)),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()])).check(z.maxLength(200)),
]);

/** The condition object before the value check, for callers that narrow `signal` (channel rules). */
export function conditionShape<S extends z.ZodMiniType<string>>(signal: S) {
  return z.object({ signal, op: z.enum(OPERATORS), value: z.optional(ConditionValueSchema) });
}

export const valueCheck = z.refine<{ op: Operator; value?: unknown }>(valueSuitsOperator, {
  message: VALUE_MESSAGE,
});

/** A condition; every condition of a rule must hold. */
export const ConditionSchema = conditionShape(
  /**
   * What the condition looks at, named by the caller's input: a dotted path into the scoring input
   * (`form.intent`, `fields.company`, `events.download`), a channel signal (`utm_medium`), …
   */
  z.string().check(z.maxLength(100)),
).check(valueCheck);
export type Condition = z.infer<typeof ConditionSchema>;

/** Reads a signal from the caller's input: one value, a list of values (any may match), or undefined. */
export type Read = (signal: string) => unknown;

/** An empty text, an unticked box or an empty list counts as "not there", as a marketer would expect. */
function present(value: unknown): boolean {
  return (
    value !== undefined &&
    value !== null &&
    value !== false &&
    !(typeof value === "string" && value.trim() === "")
  );
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** Numbers, and text that is a number ("250" from a form field). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim().toLowerCase();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function equal(actual: unknown, expected: unknown): boolean {
  if (typeof expected === "boolean" || typeof actual === "boolean") return actual === expected;
  if (typeof expected === "number") return toNumber(actual) === expected;
  const a = text(actual);
  return a !== undefined && a === text(expected);
}

function compare(actual: unknown, expected: unknown, test: (a: number, e: number) => boolean): boolean {
  const a = toNumber(actual);
  return a !== undefined && typeof expected === "number" && test(a, expected);
}

const regexCache = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  let re = regexCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, MATCHES_FLAGS);
    } catch {
      re = null; // An invalid pattern never matches (the schema refuses them; this is for old data).
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

/** Whether one value satisfies a positive operator. */
function holdsFor(op: Operator, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case "eq":
      return equal(actual, expected);
    case "in":
      return Array.isArray(expected) && expected.some((e) => equal(actual, e));
    case "contains": {
      const a = text(actual);
      if (a === undefined || typeof actual !== "string") return false;
      const needles = Array.isArray(expected) ? expected : [expected];
      return needles.some((n) => typeof n === "string" && a.includes(n.trim().toLowerCase()));
    }
    case "matches": {
      const a = text(actual);
      const re = typeof expected === "string" ? regex(expected) : null;
      return a !== undefined && !!re && re.test(a);
    }
    case "gte":
      return compare(actual, expected, (a, e) => a >= e);
    case "gt":
      return compare(actual, expected, (a, e) => a > e);
    case "lte":
      return compare(actual, expected, (a, e) => a <= e);
    case "lt":
      return compare(actual, expected, (a, e) => a < e);
    case "between": {
      const a = toNumber(actual);
      if (a === undefined || !Array.isArray(expected)) return false;
      const [min, max] = expected;
      return typeof min === "number" && typeof max === "number" && a >= min && a < max;
    }
    default:
      return present(actual);
  }
}

/** The negative operators, as the negation of their positive twin. */
const NEGATION: Partial<Record<Operator, Operator>> = { neq: "eq", notIn: "in", missing: "exists" };

/** Whether the condition holds for the input `read` looks into. */
export function holds(condition: Pick<Condition, "signal" | "op" | "value">, read: Read): boolean {
  const { op, value } = condition;
  const raw = read(condition.signal);
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (op === "exists" && value === false) return !values.some(present);
  const positive = NEGATION[op];
  if (positive) return !values.some((v) => holdsFor(positive, v, value));
  return values.some((v) => holdsFor(op, v, value));
}

/** Whether every condition holds (AND); an empty list always holds. */
export function allHold(
  conditions: readonly Pick<Condition, "signal" | "op" | "value">[],
  read: Read,
): boolean {
  return conditions.every((condition) => holds(condition, read));
}

/**
 * A dotted path into a plain object, own properties only (`__proto__`, `constructor` and methods are
 * never signals). The usual `read` for inputs that are objects.
 */
export function readPath(input: unknown, path: string): unknown {
  let value: unknown = input;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
