/**
 * A readable diff between two configs (Versions, and calibration's proposals): JSON paths of what was
 * added, removed or changed, with lists of named items matched by their id or name. Pure.
 */

export type Change =
  | { kind: "added"; path: string[]; after: unknown }
  | { kind: "removed"; path: string[]; before: unknown }
  | { kind: "changed"; path: string[]; before: unknown; after: unknown };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** What identifies an item of a list, so a reordered or inserted item is not "everything changed". */
function itemKey(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  for (const key of ["id", "name"]) if (typeof item[key] === "string") return `${key}=${item[key]}`;
  return undefined;
}

/**
 * The changes from `before` to `after`, as JSON paths. Lists of items with an `id` or `name` (forms,
 * fields, rules, destinations) are matched by it, so a path reads `forms › contact › fields › email`;
 * other lists compare index by index (a reorder shows as changed values).
 */
export function jsonDiff(before: unknown, after: unknown, path: string[] = []): Change[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ kind: "added", path, after }];
  if (after === undefined) return [{ kind: "removed", path, before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => jsonDiff(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keysBefore = before.map(itemKey);
    const keysAfter = after.map(itemKey);
    const keyed =
      keysBefore.every(Boolean) &&
      keysAfter.every(Boolean) &&
      new Set(keysBefore).size === keysBefore.length &&
      new Set(keysAfter).size === keysAfter.length;
    if (keyed) {
      const changes: Change[] = [];
      const label = (k: string) => k.slice(k.indexOf("=") + 1);
      for (const [i, key] of keysBefore.entries()) {
        const j = keysAfter.indexOf(key);
        changes.push(...jsonDiff(before[i], j < 0 ? undefined : after[j], [...path, label(key!)]));
      }
      for (const [j, key] of keysAfter.entries())
        if (!keysBefore.includes(key))
          changes.push({ kind: "added", path: [...path, label(key!)], after: after[j] });
      const common = keysBefore.filter((k) => keysAfter.includes(k));
      const order = keysAfter.filter((k) => keysBefore.includes(k));
      if (common.some((k, i) => k !== order[i]))
        changes.push({
          kind: "changed",
          path: [...path, "(order)"],
          before: common.map((k) => label(k!)),
          after: order.map((k) => label(k!)),
        });
      return changes;
    }
    const changes: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      changes.push(...jsonDiff(before[i], after[i], [...path, String(i + 1)]));
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ kind: "changed", path, before, after }];
}

/** A value as a short readable text for the diff. */
export function showValue(value: unknown, max = 120): string {
  const text = typeof value === "string" ? `“${value}”` : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
