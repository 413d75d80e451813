/**
 * Editing and saving the site config shared by the Forms, Channels, Scoring and Routing screens, so one
 * save (with a note) keeps every change together as one version. Saving validates with the edge's own
 * schema first (errors inline, by dotted path), then PUTs the whole config with the version it was
 * based on; the edge's 400 `fields` land in the same place, a 409 says someone else saved meanwhile.
 * The state itself (saved, draft, loading, versions) is config-store.ts, re-exported here: this module
 * carries zod/mini and the channel defaults, so only the config screens load it.
 */
import { computed } from "@preact/signals";
import { DEFAULT_CHANNEL_RULES } from "../../../shared/channels.ts";
import { SiteSchema } from "../../../shared/config.ts";
import type { ScoringConfigInput } from "../../../shared/scoring-schema.ts";
import { ApiFailure, api, describeError, type ServedConfig } from "./api.ts";
import { issuesToFields, type Path, rebaseDraft, setAt } from "./config-edit.ts";
import {
  acceptAnswer,
  type Config,
  clone,
  draft,
  encodeSite,
  errors,
  saveAttempts,
  saved,
  saveProblem,
  saving,
} from "./config-store.ts";
import { announce } from "./ui/common.tsx";

export * from "./config-store.ts";

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
  const answer = await put(s.site, config, s.answer.version, note);
  if (!answer) return false;
  acceptAnswer(answer);
  announce(`Saved as version ${answer.version}. The widget uses it within seconds.`);
  return true;
}

/**
 * Saves the saved config with `scoring` replaced (an accepted calibration proposal) as a new version,
 * on top of `baseVersion`: the version the proposal was fitted on, which must be the one loaded here.
 * The draft's other unsaved changes stay in the draft, unsaved; its unsaved scoring edits give way to
 * the accepted scoring (the screen says so before). True when saved.
 */
export async function saveScoring(
  scoring: ScoringConfigInput,
  baseVersion: number,
  note: string,
): Promise<boolean> {
  const s = saved.value;
  if (s.state !== "ready") return false;
  saveProblem.value = null;
  if (baseVersion !== s.answer.version) {
    saveProblem.value = {
      message: `The proposal was made from version ${baseVersion}, but version ${s.answer.version} is loaded here. Reload, then propose again.`,
      conflict: true,
    };
    announce("Not saved: the proposal was made from another version.");
    return false;
  }
  const config = { ...s.answer.config, scoring } as Config;
  const found = validate(config);
  if (Object.keys(found).length) {
    saveProblem.value = {
      message: `Not saved: the proposal does not pass the config schema (${Object.entries(found)
        .map(([path, message]) => `${path}: ${message}`)
        .join("; ")}).`,
      conflict: false,
    };
    announce("Not saved: the proposal does not pass the config schema.");
    return false;
  }
  const before = { saved: s.answer.config, draft: draft.value };
  const answer = await put(s.site, config, s.answer.version, note);
  if (!answer) return false;
  acceptAnswer(answer);
  if (before.draft) draft.value = rebaseDraft(before.saved, before.draft, answer.config, ["scoring"]);
  announce(`Saved as version ${answer.version}. New leads are scored with it within seconds.`);
  return true;
}

/** PUTs a whole config on top of `baseVersion`; the edge's answer, or null with the problem shown. */
async function put(site: string, config: Config, baseVersion: number, note: string) {
  saving.value = true;
  try {
    return await api<ServedConfig>(`/v1/admin/sites/${encodeSite(site)}/config`, {
      method: "PUT",
      body: { config, baseVersion, ...(note.trim() ? { note: note.trim() } : {}) },
    });
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
    return null;
  } finally {
    saving.value = false;
  }
}
