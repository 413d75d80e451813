/**
 * The site config as loaded from the edge (`saved`, with its version) and the marketer's `draft`,
 * with loading, versions and rollback: everything the console's first screens need (Metrics reads the
 * saved spend, the shell asks before dropping unsaved changes) and nothing that needs the schema.
 * Editing and saving live in site-config.ts, which carries zod/mini and the channel defaults and is
 * loaded with the config screens only.
 */
import { computed, signal } from "@preact/signals";
import type { SiteConfigInput } from "../../../shared/config.ts";
import { api, describeError, type ServedConfig, type VersionDetail, type VersionList } from "./api.ts";
import { session } from "./session.ts";

/** The config as stored: `${VAR}` placeholders unresolved, defaults not filled in. */
export type Config = SiteConfigInput;

export type ConfigLoad =
  | { state: "idle" }
  | { state: "loading"; site: string }
  | { state: "error"; site: string; message: string }
  | { state: "ready"; site: string; answer: ServedConfig };

export const saved = signal<ConfigLoad>({ state: "idle" });
export const draft = signal<Config | null>(null);
/** Messages by dotted path (`forms.0.fields.2.label`), from the schema or the edge. */
export const errors = signal<Record<string, string>>({});
/** A problem with the save itself (conflict, network), shown in the save bar. */
export const saveProblem = signal<{ message: string; conflict: boolean } | null>(null);
export const saving = signal(false);
/** Counts refused saves: the error summary takes focus after each. */
export const saveAttempts = signal(0);

export const encodeSite = (site: string) => encodeURIComponent(site);
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const dirty = computed(() => {
  const s = saved.value;
  return (
    s.state === "ready" &&
    draft.value !== null &&
    JSON.stringify(draft.value) !== JSON.stringify(s.answer.config)
  );
});

/** The edge's answer becomes the saved config and a fresh draft. */
export function acceptAnswer(answer: ServedConfig): void {
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
  pending = api<ServedConfig>(`/v1/admin/sites/${encodeSite(site)}/config`)
    .then(
      (answer) => {
        if (session.value?.site === site) acceptAnswer(answer);
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

export function listVersions(site: string, cursor: string | null, signal?: AbortSignal) {
  const q = new URLSearchParams({ limit: "20" });
  if (cursor) q.set("cursor", cursor);
  return api<VersionList>(`/v1/admin/sites/${encodeSite(site)}/config/versions?${q}`, { signal });
}

export function getVersion(site: string, version: number, signal?: AbortSignal) {
  // The schema leaves a version's config unknown (it may predate today's schema); read as a Config.
  return api<VersionDetail & { config: Config }>(
    `/v1/admin/sites/${encodeSite(site)}/config/versions/${version}`,
    { signal },
  );
}

/** Makes `version`'s config the current one (a new version). */
export async function rollback(version: number): Promise<ServedConfig> {
  const s = saved.value;
  if (s.state !== "ready") throw new Error("The config is not loaded.");
  const answer = await api<ServedConfig>(`/v1/admin/sites/${encodeSite(s.site)}/config/rollback`, {
    method: "POST",
    body: { version, baseVersion: s.answer.version },
  });
  acceptAnswer(answer);
  return answer;
}
