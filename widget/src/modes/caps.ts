/**
 * Frequency caps for forms that open by themselves: once per session, once every N days, never again
 * after a submit (default) or a close. Kept in web storage while the visit is tracked, else in memory
 * (consent mode, GPC): asked of the loader each time (`trackedBy`), because this chunk has its own
 * copy of storage.ts, whose switch the loader never turns.
 */
import type { Frequency } from "../../../shared/display.ts";
import { readJson, storageArea, writeJson } from "../storage.ts";

export const CAPS_KEY = "leadcap:caps";
const SESSION_KEY = "leadcap:shown";
const DAY_MS = 24 * 3600_000;

type Mark = "shown" | "closed" | "submitted";
type State = Record<string, Partial<Record<Mark, number>>>;

let memory: State = {};
let sessionMemory: string[] = [];
/** Whether the visit is tracked now: nothing is stored until the loader says so. */
let tracked: () => boolean = () => false;

export function trackedBy(on: () => boolean): void {
  tracked = on;
}

const area = (kind: "localStorage" | "sessionStorage") => (tracked() ? storageArea(kind) : undefined);
const load = (): State => readJson<State>(area("localStorage"), CAPS_KEY) ?? memory;
const loadSession = (): string[] => readJson<string[]>(area("sessionStorage"), SESSION_KEY) ?? sessionMemory;

export function capsAllow(form: string, frequency: Frequency | undefined, now = Date.now()): boolean {
  const f = frequency ?? {};
  const state = load()[form] ?? {};
  if (f.stopAfterSubmit !== false && state.submitted) return false;
  if (f.stopAfterClose && state.closed) return false;
  if (f.oncePerSession && loadSession().includes(form)) return false;
  if (f.everyDays !== undefined && state.shown && now - state.shown < f.everyDays * DAY_MS) return false;
  return true;
}

export function capsMark(form: string, mark: Mark, now = Date.now()): void {
  const state = load();
  state[form] = { ...state[form], [mark]: now };
  memory = state;
  writeJson(area("localStorage"), CAPS_KEY, state);
  if (mark === "shown") {
    const shown = loadSession();
    if (!shown.includes(form)) shown.push(form);
    sessionMemory = shown;
    writeJson(area("sessionStorage"), SESSION_KEY, shown);
  }
}
