/**
 * Pure helpers for editing a site config as plain JSON: immutable updates at a path, dotted paths of
 * validation issues (the edge answers `fields` in the same form, e.g. `forms.0.fields.2.label`), a
 * readable diff between two configs, cost per lead from the spend, and a touch from a landing URL for
 * the channel tester. No DOM, no fetch: tested in tests/widget/console-config.test.ts.
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

// ——— Spend and cost per lead ———

export interface SpendRow {
  month: string;
  channel: string;
  campaign?: string | undefined;
  amount: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** The share of a month (YYYY-MM) inside the days [from, to] (both YYYY-MM-DD, both included). */
export function monthShare(month: string, from: string, to: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = Date.UTC(y, m - 1, 1) / DAY_MS;
  const next = Date.UTC(y, m, 1) / DAY_MS;
  const start = Math.max(first, dayNumber(from));
  const end = Math.min(next - 1, dayNumber(to));
  return end < start ? 0 : (end - start + 1) / (next - first);
}

/**
 * Spend in the range, by channel. Each month's amount counts for the share of its days in the range
 * (a 30-day range over two halves of months takes half of each). A channel's month is its row without
 * campaign (the channel's whole spend) when there is one, else the sum of its campaigns' rows.
 */
export function spendByChannel(spend: readonly SpendRow[], from: string, to: string): Map<string, number> {
  const months = new Map<string, { whole?: number; campaigns: number }>();
  for (const row of spend) {
    const key = `${row.channel}\u0000${row.month}`;
    const entry = months.get(key) ?? { campaigns: 0 };
    if (row.campaign) entry.campaigns += row.amount;
    else entry.whole = (entry.whole ?? 0) + row.amount;
    months.set(key, entry);
  }
  const out = new Map<string, number>();
  for (const [key, entry] of months) {
    const [channel, month] = key.split("\u0000") as [string, string];
    const share = monthShare(month, from, to);
    if (share === 0) continue;
    out.set(channel, (out.get(channel) ?? 0) + (entry.whole ?? entry.campaigns) * share);
  }
  return out;
}

/**
 * Spend in the range by campaign (rows that name one), keyed by the campaign's name in lower case: a
 * campaign is its utm_campaign, whatever channel its rows were entered under.
 */
export function spendByCampaign(spend: readonly SpendRow[], from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of spend) {
    if (!row.campaign) continue;
    const share = monthShare(row.month, from, to);
    if (share === 0) continue;
    const key = row.campaign.toLowerCase();
    out.set(key, (out.get(key) ?? 0) + row.amount * share);
  }
  return out;
}

export interface CostRow {
  key: string;
  spend: number;
  leads: number;
  /** Spend ÷ leads; null without leads (spend with no lead is not a cost per lead of 0). */
  costPerLead: number | null;
}

/** Cost per lead for every channel (or campaign) that had spend or leads in the range. */
export function costPerLead(
  spendBy: Map<string, number>,
  leadsBy: { key: string; leads: number }[],
): CostRow[] {
  const leads = new Map(leadsBy.map((r) => [r.key, r.leads]));
  const keys = [...new Set([...spendBy.keys(), ...leads.keys()])];
  return keys
    .map((key) => {
      const s = spendBy.get(key) ?? 0;
      const n = leads.get(key) ?? 0;
      return { key, spend: s, leads: n, costPerLead: n > 0 ? s / n : null };
    })
    .filter((r) => r.spend > 0)
    .sort((a, b) => b.spend - a.spend);
}

export interface CampaignCost extends CostRow {
  /** The campaign as the spend rows name it. */
  campaign: string;
  /** The first-touch channels its leads came from (or, without leads, its spend rows name). */
  channels: string[];
}

/**
 * Cost per lead for every campaign with spend in the range: its spend over the leads whose first touch
 * had that utm_campaign (matched without regard to case, summed over the channels they came from).
 */
export function campaignCosts(
  spend: readonly SpendRow[],
  from: string,
  to: string,
  byCampaign: readonly { channel: string; campaign: string; leads: number }[],
): CampaignCost[] {
  const leads = new Map<string, { leads: number; channels: string[] }>();
  for (const row of byCampaign) {
    const key = row.campaign.toLowerCase();
    const entry = leads.get(key) ?? { leads: 0, channels: [] };
    entry.leads += row.leads;
    if (!entry.channels.includes(row.channel)) entry.channels.push(row.channel);
    leads.set(key, entry);
  }
  const names = new Map<string, { name: string; channels: string[] }>();
  for (const row of spend) {
    if (!row.campaign) continue;
    const key = row.campaign.toLowerCase();
    const entry = names.get(key) ?? { name: row.campaign, channels: [] };
    if (!entry.channels.includes(row.channel)) entry.channels.push(row.channel);
    names.set(key, entry);
  }
  return costPerLead(
    spendByCampaign(spend, from, to),
    [...leads].map(([key, entry]) => ({ key, leads: entry.leads })),
  ).map((row) => ({
    ...row,
    campaign: names.get(row.key)?.name ?? row.key,
    channels: leads.get(row.key)?.channels ?? names.get(row.key)?.channels ?? [],
  }));
}

// ——— The channel tester ———

/** Click-id parameters the widget records (widget/src/attribution.ts). */
export const CLICK_IDS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"] as const;
const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;

export interface TestTouch {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  clickIds?: Record<string, string>;
  referrer?: string;
  landingPage: string;
  at: string;
}

/** The touch the widget would record landing on `url` from `referrer`; null for a URL that is not one. */
export function touchFromUrl(url: string, referrer = ""): TestTouch | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  const touch: TestTouch = { landingPage: parsed.href, at: new Date().toISOString() };
  for (const key of UTM) {
    const value = parsed.searchParams.get(key);
    if (value) touch[key] = value;
  }
  const clickIds: Record<string, string> = {};
  for (const key of CLICK_IDS) {
    const value = parsed.searchParams.get(key);
    if (value) clickIds[key] = value;
  }
  if (Object.keys(clickIds).length) touch.clickIds = clickIds;
  if (referrer.trim()) touch.referrer = referrer.trim();
  return touch;
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
