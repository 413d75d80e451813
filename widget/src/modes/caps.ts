/**
 * Frequency caps for forms that open by themselves: once per session, once every N days, never again
 * after a submit (default) or a close. Kept in web storage (in memory in consent mode).
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

const load = (): State => readJson<State>(storageArea("localStorage"), CAPS_KEY) ?? memory;
const loadSession = (): string[] =>
  readJson<string[]>(storageArea("sessionStorage"), SESSION_KEY) ?? sessionMemory;

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
  writeJson(storageArea("localStorage"), CAPS_KEY, state);
  if (mark === "shown") {
    const shown = loadSession();
    if (!shown.includes(form)) shown.push(form);
    sessionMemory = shown;
    writeJson(storageArea("sessionStorage"), SESSION_KEY, shown);
  }
}
