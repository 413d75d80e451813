/**
 * The outbox: a submission the visitor made is written to localStorage before it is first sent, and
 * stays there until the edge answers 2xx (stored) or 4xx (refused: resending cannot help). Network
 * errors, 408, 429 and 5xx are retried with exponential backoff and full jitter, never sooner than
 * Retry-After; entries left by a closed tab are resent on the next page load. Every attempt carries
 * the same submission id, so the edge stores the lead exactly once however often it arrives (two tabs
 * flushing the same entry included).
 */
import type { LeadSubmission } from "../../shared/lead.ts";
import { browserFetch, type Fetch, type SubmitResult, submitLead } from "./api.ts";
import type { Outcome } from "./host.ts";
import { stringify } from "./json.ts";
import { type KeyValue, readJson, storageArea, writeJson } from "./storage.ts";

export const OUTBOX_KEY = "leadcap:outbox";
/** First retry after about a second, doubling up to five minutes. */
export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 5 * 60_000;
/** An entry older than this is given up (the form's config has surely changed since). */
const MAX_AGE_MS = 30 * 24 * 3600_000;

interface Entry {
  /** The submission id. */
  id: string;
  endpoint: string;
  /** The submission, as sent. */
  body: string;
  tries: number;
  /** Epoch ms of the next attempt. */
  next: number;
  created: number;
}

export interface OutboxOptions {
  fetch?: Fetch;
  /** @default localStorage (even in consent mode: it holds only what the visitor submitted) */
  area?: KeyValue | undefined;
  now?: () => number;
  random?: () => number;
}

export interface Outbox {
  submit(endpoint: string, submission: LeadSubmission): Promise<Outcome>;
  /** Sends every entry that is due (on load, when back online, on its timer). */
  flush(): Promise<void>;
  /** Entries not yet accepted or refused by the edge. */
  pending(): number;
  stop(): void;
}

/** Backoff with full jitter: random in [d/2, d], d doubling per try; Retry-After is a floor. */
export function retryDelay(tries: number, retryAfterS: number | undefined, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(tries, 20));
  return Math.max(ceiling / 2 + random() * (ceiling / 2), (retryAfterS ?? 0) * 1000);
}

const entryOf = (endpoint: string, submission: LeadSubmission, t: number): Entry => ({
  id: submission.submissionId,
  endpoint,
  body: stringify(submission),
  tries: 0,
  next: t,
  created: t,
});

/**
 * Keeps a submission in storage, due at once, unless it is there already: what the UI does when
 * leadcap-send.js (which carries the outbox) cannot be loaded, offline. The outbox sends it once the
 * chunk loads, on this page or the next.
 */
export function persist(endpoint: string, submission: LeadSubmission): void {
  const area = storageArea("localStorage", true);
  const list = readJson<Entry[]>(area, OUTBOX_KEY);
  const entries = Array.isArray(list) ? list : [];
  try {
    if (!entries.some((e) => e?.id === submission.submissionId))
      writeJson(area, OUTBOX_KEY, [...entries, entryOf(endpoint, submission, Date.now())]);
  } catch {
    // Not kept across pages (see ../json-guarded.ts): the UI still holds it until the outbox loads.
  }
}

export function createOutbox(options: OutboxOptions = {}): Outbox {
  const { fetch = browserFetch, now = Date.now, random = Math.random } = options;
  // Looked up when first needed: opening localStorage can block the main thread for a while.
  const store = () => ("area" in options ? options.area : storageArea("localStorage", true));
  // Without (working) storage the outbox still retries for as long as the page lives. Once a write
  // failed (storage full, or blocked after all), memory is the truth: storage may still hold an
  // older list, without the entry that could not be written, and reading it would lose that entry.
  let memory: Entry[] = [];
  let unwritable = false;
  const read = (): Entry[] => {
    const list = unwritable ? undefined : readJson<Entry[]>(store(), OUTBOX_KEY);
    return Array.isArray(list)
      ? list.filter((e) => typeof e?.id === "string" && typeof e.body === "string")
      : memory;
  };
  const write = (list: Entry[]) => {
    memory = list;
    unwritable ||= !writeJson(store(), OUTBOX_KEY, list);
  };
  const update = (id: string, change: (entry: Entry) => Entry | undefined) =>
    write(read().flatMap((entry) => (entry.id === id ? (change(entry) ?? []) : [entry])));

  const inFlight = new Map<string, Promise<SubmitResult>>();
  const waiters = new Map<string, (stored: boolean) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    const list = read();
    if (stopped || list.length === 0) return;
    const due = Math.min(...list.map((e) => e.next));
    timer = setTimeout(() => void flush(), Math.max(0, due - now()));
  };

  const attempt = (entry: Entry): Promise<SubmitResult> => {
    let running = inFlight.get(entry.id);
    if (running) return running; // A double click, or a flush racing a submit: one request.
    running = submitLead(entry.endpoint, entry.body, fetch).then((result) => {
      inFlight.delete(entry.id);
      if (result.kind === "failed") {
        update(entry.id, (e) => ({
          ...e,
          tries: e.tries + 1,
          next: now() + retryDelay(e.tries, result.retryAfter, random),
        }));
      } else {
        update(entry.id, () => undefined);
        waiters.get(entry.id)?.(result.kind === "sent");
        waiters.delete(entry.id);
      }
      schedule();
      return result;
    });
    inFlight.set(entry.id, running);
    return running;
  };

  async function flush(): Promise<void> {
    const t = now();
    const list = read();
    const fresh = list.filter((e) => t - (e.created ?? t) < MAX_AGE_MS);
    if (fresh.length !== list.length) write(fresh);
    // Entries not due yet (a retry the previous page had scheduled) get a timer here.
    schedule();
    await Promise.all(fresh.filter((e) => e.next <= t).map(attempt));
  }

  const online = () => void flush();
  addEventListener("online", online);

  return {
    async submit(endpoint, submission) {
      const id = submission.submissionId;
      let entry = read().find((e) => e.id === id);
      if (!entry) {
        entry = entryOf(endpoint, submission, now());
        // Persisted before the first byte leaves: a tab closed mid-request resends on the next load.
        write([...read(), entry]);
      }
      const result = await attempt(entry);
      if (result.kind !== "failed") return result;
      const sent = new Promise<boolean>((resolve) => waiters.set(id, resolve));
      return { kind: "queued", sent, held: result.status !== undefined };
    },
    flush,
    pending: () => read().length,
    stop() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener("online", online);
    },
  };
}
