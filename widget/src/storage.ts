/**
 * Web Storage that never throws. Safari private mode, storage disabled by the visitor, a full quota
 * or a sandboxed iframe all make `localStorage` throw — even reading the property can. Attribution
 * and engagement are nice to have; losing them must never cost a lead.
 */

import { stringify } from "./json.ts";

/** The narrow slice of Storage we use, so tests can pass a plain object. */
export type KeyValue = Pick<Storage, "getItem" | "setItem">;

/**
 * Consent mode (and GPC/DNT when honoured) turns tracking storage off: attribution, engagement and
 * frequency caps then live in memory only. The outbox asks with `always`: it holds only a submission
 * the visitor made themselves, until the edge has it (strictly necessary storage).
 */
let allowed = true;

export function allowStorage(value: boolean): void {
  allowed = value;
}

export function storageArea(kind: "localStorage" | "sessionStorage", always?: boolean): KeyValue | undefined {
  if (allowed || always)
    try {
      return window[kind];
    } catch {
      // Blocked: as if there were none.
    }
}

export function readJson<T>(area: KeyValue | undefined, key: string): T | undefined {
  try {
    const raw = area?.getItem(key);
    if (raw) return JSON.parse(raw) as T;
  } catch {
    // Unreadable or not JSON: as if there were nothing.
  }
}

/** Whether it was written: false when storage is off, blocked or full. */
export function writeJson(area: KeyValue | undefined, key: string, value: unknown): boolean {
  try {
    area!.setItem(key, stringify(value));
    return true;
  } catch {
    // Quota exceeded, storage blocked or off: keep going without persistence.
    return false;
  }
}
