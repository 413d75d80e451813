/**
 * The site config being edited: what the edge has (`saved`, with its version) and the marketer's
 * `draft`, shared by the Forms, Channels, Scoring and Routing screens, so one save (with a note) keeps
 * every change together as one version. Saving validates with the edge's own schema first (errors
 * inline, by dotted path), then PUTs the whole config with the version it was based on; the edge's 400
 * `fields` land in the same place, a 409 says someone else saved meanwhile.
 */
import { computed, signal } from "@preact/signals";
import { DEFAULT_CHANNEL_RULES } from "../../../shared/channels.ts";
import { type SiteConfigInput, SiteSchema } from "../../../shared/config.ts";
import { ApiFailure, api, describeError } from "./api.ts";
import { issuesToFields, type Path, setAt } from "./config-edit.ts";
import { session } from "./session.ts";
import { announce } from "./ui/common.tsx";

/** The config as stored: `${VAR}` placeholders unresolved, defaults not filled in. */
export type Config = SiteConfigInput;

export interface ConfigAnswer {
  site: string;
  /** 0: the config from code (or LEADCAP_SITES), never saved. */
  version: number;
  updatedAt: string | null;
  source: "store" | "code";
  config: Config;
}

export interface VersionInfo {
  version: number;
  createdAt: string;
  note: string | null;
  author: string | null;
}

export type ConfigLoad =
  | { state: "idle" }
  | { state: "loading"; site: string }
  | { state: "error"; site: string; message: string }
  | { state: "ready"; site: string; answer: ConfigAnswer };

export const saved = signal<ConfigLoad>({ state: "idle" });
export const draft = signal<Config | null>(null);
/** Messages by dotted path (`forms.0.fields.2.label`), from the schema or the edge. */
export const errors = signal<Record<string, string>>({});
/** A problem with the save itself (conflict, network), shown in the save bar. */
export const saveProblem = signal<{ message: string; conflict: boolean } | null>(null);
export const saving = signal(false);
/** Counts refused saves: the error summary takes focus after each. */
export const saveAttempts = signal(0);

const encode = (site: string) => encodeURIComponent(site);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Settings the schema fills in when absent, shown (and edited) as their default: the default channel
 * grouping is a list of rules the marketer edits like any other.
 */
const DEFAULTS: Record<string, () => unknown> = {
  channels: () => DEFAULT_CHANNEL_RULES,
  spend: () => [],
};

export function withDefaults(config: Config): Config {
  const out: Record<string, unknown> = { ...config };
  for (const [key, make] of Object.entries(DEFAULTS)) if (out[key] === undefined) out[key] = clone(make());
  return out as Config;
}

/** The draft as the editors show it (defaults filled in). */
export const view = computed(() => (draft.value ? withDefaults(draft.value) : null));

export const dirty = computed(() => {
  const s = saved.value;
  return (
    s.state === "ready" &&
    draft.value !== null &&
    JSON.stringify(draft.value) !== JSON.stringify(s.answer.config)
  );
});

function accept(answer: ConfigAnswer): void {
  saved.value = { state: "ready", site: answer.site, answer };
  draft.value = clone(answer.config);
  errors.value = {};
  saveProblem.value = null;
}

let pending: Promise<void> | null = null;
let pendingSite = "";

/** Loads the config of the signed-in site unless it is loaded (or loading) already; `force` reloads. */
export function ensureConfig(force = false): Promise<void> {
  const site = session.value?.site;
  if (!site) return Promise.resolve();
  const s = saved.value;
  if (!force && s.state !== "idle" && s.state !== "error" && s.site === site)
    return pending ?? Promise.resolve();
  if (!force && pending && pendingSite === site) return pending;
  saved.value = { state: "loading", site };
  pendingSite = site;
  pending = api<ConfigAnswer>(`/v1/admin/sites/${encode(site)}/config`)
    .then(
      (answer) => {
        if (session.value?.site === site) accept(answer);
      },
      (error) => {
        if (session.value?.site === site) {
          saved.value = { state: "error", site, message: describeError(error) };
          draft.value = null;
        }
      },
    )
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Forgets the loaded config (sign out, another site). */
export function resetConfig(): void {
  saved.value = { state: "idle" };
  draft.value = null;
  errors.value = {};
  saveProblem.value = null;
}

/** Sets the value at `path` of the draft. */
export function edit(path: Path, value: unknown): void {
  if (!draft.value) return;
  setDraft(setAt(materialize(draft.value, path), path, value));
}

/** Editing inside a defaulted setting starts from its default. */
function materialize(config: Config, path: Path): Config {
  const key = String(path[0]);
  const make = DEFAULTS[key];
  const current = (config as Record<string, unknown>)[key];
  return make && current === undefined && path.length > 1
    ? ({ ...config, [key]: clone(make()) } as Config)
    : config;
}

/** After a refused save, the messages follow the marketer's fixes (they go away as each is fixed). */
function setDraft(next: Config): void {
  draft.value = next;
  if (Object.keys(errors.value).length) errors.value = validate(next);
}

/** Replaces the value at `path` with what `update` makes of it. */
export function editWith<T>(path: Path, update: (current: T) => unknown): void {
  if (!draft.value) return;
  const base = materialize(draft.value, path);
  let at: unknown = withDefaults(base);
  for (const key of path) at = (at as Record<string | number, unknown> | undefined)?.[key];
  setDraft(setAt(base, path, update(at as T)));
}

/** The schema's verdict on the draft: `{}` when it would be accepted. */
export function validate(config: Config): Record<string, string> {
  const result = SiteSchema.safeParse(config);
  return result.success ? {} : issuesToFields(result.error.issues);
}

export function discard(): void {
  const s = saved.value;
  if (s.state !== "ready") return;
  draft.value = clone(s.answer.config);
  errors.value = {};
  saveProblem.value = null;
  announce("Changes discarded.");
}

/** Validates, then saves the draft as a new version. True when saved. */
export async function save(note: string): Promise<boolean> {
  const s = saved.value;
  const config = draft.value;
  if (s.state !== "ready" || !config) return false;
  saveProblem.value = null;
  const found = validate(config);
  errors.value = found;
  const count = Object.keys(found).length;
  if (count) {
    saveAttempts.value++;
    announce(`Not saved: ${count === 1 ? "one problem" : `${count} problems`} to fix.`);
    return false;
  }
  saving.value = true;
  try {
    const answer = await api<ConfigAnswer>(`/v1/admin/sites/${encode(s.site)}/config`, {
      method: "PUT",
      body: { config, baseVersion: s.answer.version, ...(note.trim() ? { note: note.trim() } : {}) },
    });
    accept(answer);
    announce(`Saved as version ${answer.version}. The widget uses it within seconds.`);
    return true;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 400 && error.fields) {
      errors.value = error.fields;
      saveAttempts.value++;
      const n = Object.keys(error.fields).length;
      announce(`The edge refused the config: ${n === 1 ? "one problem" : `${n} problems`} to fix.`);
    } else if (error instanceof ApiFailure && error.status === 409) {
      saveProblem.value = {
        message: "Someone saved this site's config since you loaded it. Reload to see their version.",
        conflict: true,
      };
      announce("Not saved: someone else saved first.");
    } else {
      saveProblem.value = { message: `Not saved: ${describeError(error)}`, conflict: false };
      announce(`Not saved: ${describeError(error)}`);
    }
    return false;
  } finally {
    saving.value = false;
  }
}

export function listVersions(site: string, cursor: string | null, signal?: AbortSignal) {
  const q = new URLSearchParams({ limit: "20" });
  if (cursor) q.set("cursor", cursor);
  return api<{ versions: VersionInfo[]; next: string | null }>(
    `/v1/admin/sites/${encode(site)}/config/versions?${q}`,
    { signal },
  );
}

export function getVersion(site: string, version: number, signal?: AbortSignal) {
  return api<VersionInfo & { site: string; config: Config }>(
    `/v1/admin/sites/${encode(site)}/config/versions/${version}`,
    { signal },
  );
}

/** Makes `version`'s config the current one (a new version). */
export async function rollback(version: number): Promise<ConfigAnswer> {
  const s = saved.value;
  if (s.state !== "ready") throw new Error("The config is not loaded.");
  const answer = await api<ConfigAnswer>(`/v1/admin/sites/${encode(s.site)}/config/rollback`, {
    method: "POST",
    body: { version, baseVersion: s.answer.version },
  });
  accept(answer);
  return answer;
}
