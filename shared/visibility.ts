/**
 * Which fields of a form are shown for the answers given: the `showWhen` rules, run by the widget
 * (what to render and send, what to check) and by the edge (what is required, what is kept). One
 * copy, so the two never disagree. Reaches the widget's inline bundle: no zod, and small.
 */
import type { Field } from "./config.ts";

/** No answer: an empty text, an unticked box, no option chosen. */
export const isEmpty = (value: unknown) =>
  value === undefined || value === "" || value === false || (Array.isArray(value) && value.length === 0);

/**
 * Whether a field is shown for these answers: its `showWhen` holds, and so does its controller's.
 * A cycle or a very deep chain counts as hidden rather than looping.
 */
export function isVisible(
  fields: readonly Field[],
  field: Field,
  values: Record<string, unknown>,
  depth = 0,
): boolean {
  const when = field.showWhen;
  if (!when) return true;
  const controller = fields.find((f) => f.name === when.field);
  if (!controller || depth > 20 || !isVisible(fields, controller, values, depth + 1)) return false;
  const value = values[when.field];
  if (when.equals === undefined) return !isEmpty(value);
  return Array.isArray(value) ? value.includes(String(when.equals)) : value === when.equals;
}
