/**
 * A draft rebased on a newer saved version: when someone saved the site's config after this draft
 * was started, the draft's changes (base → mine) are replayed on their version (base → theirs).
 * Changes to different parts merge by themselves; a part both changed, differently, is a conflict for
 * the person to decide, with their value in the merged config until then (what is saved is what they
 * saw last). Lists of things with an identity (forms and destinations by `id`, fields by `name`) merge
 * item by item, so adding a form here and editing another there is no conflict; other lists (origins,
 * options, conditions) are one value each. A conflict's path names list items by their identity
 * (`forms.contact.title`), so the person's choices stay attached to the same part whatever the order:
 * merging again with `choices` applies them. Pure: no signals, no I/O.
 */

export interface Conflict {
  /** `forms.contact.title`: keys, and list items by their `id` or `name`. */
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

/** Per conflict path, the side kept; a conflict not named keeps theirs (what the person saw last). */
export type Choices = Readonly<Record<string, "mine" | "theirs">>;

export interface Merged<T> {
  merged: T;
  conflicts: Conflict[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** The key that names an item of a list, if every item has one (ids are unique in a valid config). */
function identity(...lists: unknown[][]): "id" | "name" | undefined {
  const items = lists.flat();
  if (!items.length) return undefined;
  for (const key of ["id", "name"] as const)
    if (items.every((item) => isPlain(item) && typeof item[key] === "string")) return key;
  return undefined;
}

export function mergeConfigs<T>(base: T, mine: T, theirs: T, choices: Choices = {}): Merged<T> {
  const conflicts: Conflict[] = [];
  const merged = merge(base, mine, theirs, "", { conflicts, choices }) as T;
  return { merged, conflicts };
}

interface Run {
  conflicts: Conflict[];
  choices: Choices;
}
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function merge(base: unknown, mine: unknown, theirs: unknown, path: string, run: Run): unknown {
  if (same(mine, base)) return theirs;
  if (same(theirs, base) || same(mine, theirs)) return mine;
  if (isPlain(mine) && isPlain(theirs)) {
    const before = isPlain(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(theirs), ...Object.keys(mine)])) {
      const value = merge(before[key], mine[key], theirs[key], join(path, key), run);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (Array.isArray(mine) && Array.isArray(theirs)) {
    const before = Array.isArray(base) ? base : [];
    const key = identity(before, mine, theirs);
    if (key) return mergeList(before, mine, theirs, key, path, run);
  }
  run.conflicts.push({ path, base, mine, theirs });
  return run.choices[path] === "mine" ? mine : theirs;
}

/**
 * Item by item, by identity, in their order and then what only this draft has. An item one side
 * removed and the other left alone is removed; removed on one side and edited on the other is a
 * conflict like any other.
 */
function mergeList(
  base: unknown[],
  mine: unknown[],
  theirs: unknown[],
  key: "id" | "name",
  path: string,
  run: Run,
): unknown[] {
  const byKey = (list: unknown[]) =>
    new Map(list.map((item) => [(item as Record<string, string>)[key] as string, item]));
  const [b, m, t] = [byKey(base), byKey(mine), byKey(theirs)];
  const out: unknown[] = [];
  for (const k of [...t.keys(), ...[...m.keys()].filter((k) => !t.has(k))]) {
    const value = merge(b.get(k), m.get(k), t.get(k), join(path, k), run);
    if (value !== undefined) out.push(value);
  }
  return out;
}
