/**
 * Pure helpers for editing a site config as plain JSON: immutable updates at a path, dotted paths of
 * validation issues (the edge answers `fields` in the same form, e.g. `forms.0.fields.2.label`),
 * values typed as text, and a draft kept across a save. The version diff is config-diff.ts, cost per
 * lead spend.ts, the channel tester's touch landing.ts. No DOM, no fetch: tested in
 * tests/widget/console-config.test.tsx.
 */

export type Path = readonly (string | number)[];
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `["forms", 0, "fields", 2, "label"]` → `forms.0.fields.2.label`. */
export const dotted = (path: Path) => path.join(".");

export function getAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/**
 * A copy of `root` with `value` at `path` (objects and arrays on the way copied, the rest shared).
 * `undefined` removes an object key, so optional settings left empty disappear from the config.
 */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const base = root as unknown;
  const current = base !== null && typeof base === "object" ? base : typeof key === "number" ? [] : {};
  const child = setAt((current as Record<string | number, unknown>)[key], rest, value);
  if (Array.isArray(current)) {
    const copy = [...current];
    copy[key as number] = child;
    return copy as T;
  }
  const copy: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  if (child === undefined) delete copy[key];
  else copy[key] = child;
  return copy as T;
}

/** Moves item `from` of a list to index `to` (clamped). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const target = Math.max(0, Math.min(out.length - 1, to));
  if (from < 0 || from >= out.length || from === target) return out;
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

/** Objects with nothing set are left out (`theme: {}` → no theme). */
export function pruneEmpty(value: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  const kept = Object.entries(value).filter(([, v]) => v !== undefined && v !== "");
  return kept.length ? Object.fromEntries(kept) : undefined;
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** zod issues → `{ "dotted.path": "message" }` (the first message per path), as the edge answers them. */
export function issuesToFields(issues: readonly Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    fields[key] ??= issue.message;
  }
  return fields;
}

/** The messages at `path` or below it, for a section that shows what its inputs do not. */
export function errorsUnder(errors: Record<string, string>, path: Path): [string, string][] {
  const prefix = dotted(path);
  return Object.entries(errors).filter(([key]) => key === prefix || key.startsWith(`${prefix}.`));
}

// ——— Values typed as text ———

/** "a, b ,c" → ["a", "b", "c"]. */
export const splitList = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** "12" → 12, "" → undefined, "x" → the text (the schema then says it is not a number). */
export function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

// ——— Keeping unsaved edits across a save of something else ———

/**
 * The draft after `newSaved` replaced `oldSaved`: settings the draft changed (and did not change
 * back) stay as the draft has them, the `replaced` ones and everything unchanged follow `newSaved`.
 * A draft with nothing else changed is `newSaved` itself, so it is not "unsaved".
 */
export function rebaseDraft<T extends object>(
  oldSaved: T,
  draft: T,
  newSaved: T,
  replaced: readonly string[],
): T {
  const before = oldSaved as Record<string, unknown>;
  const mine = draft as Record<string, unknown>;
  const after = newSaved as Record<string, unknown>;
  const edited = (key: string) =>
    !replaced.includes(key) && JSON.stringify(mine[key]) !== JSON.stringify(before[key]);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const value = edited(key) ? mine[key] : after[key];
    if (value !== undefined) out[key] = JSON.parse(JSON.stringify(value));
  }
  for (const key of Object.keys(mine))
    if (!(key in after) && edited(key) && mine[key] !== undefined) out[key] = mine[key];
  return out as T;
}
