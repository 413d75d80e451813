/** Small pieces every screen uses: the page heading (title + focus), badges, copy, load states. */
import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { describeError, isAbort } from "../api.ts";

/** Polite announcements (saved, copied, exported) read by screen readers from one live region. */
export const announcement = signal("");
export function announce(text: string): void {
  // Re-announce the same words: clear first, set on the next frame.
  announcement.value = "";
  requestAnimationFrame(() => {
    announcement.value = text;
  });
}

/** After the first screen, moving to another one puts focus on its heading (as a page load would). */
let firstScreen = true;

export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Leadcap console`;
    if (firstScreen) firstScreen = false;
    else ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Badge({ kind, value }: { kind: "temperature" | "stage" | "status"; value: string }) {
  return <span class={`badge ${kind}-${value.toLowerCase()}`}>{value}</span>;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      announce(`${label} copied to the clipboard.`);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      announce("Copying was not allowed: select the text and press Ctrl+C (⌘C).");
    }
  };
  return (
    <button type="button" class="button button-small" onClick={copy} aria-label={`Copy ${label}`}>
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

/**
 * A region that scrolls sideways (wide tables, long code): focusable so keyboard users can scroll it
 * (WCAG 2.1.1; axe's scrollable-region-focusable), and named for screen readers.
 */
/** The head of a collapsible list item (a form's field, a rule, a destination): a caret and a title. */
export function PanelToggle({
  open,
  panel,
  onToggle,
  children,
}: {
  open: boolean;
  /** The id of the panel it shows and hides. */
  panel: string;
  onToggle: () => void;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class="link-button field-toggle"
      aria-expanded={open}
      aria-controls={panel}
      onClick={onToggle}
    >
      <span class="caret" aria-hidden="true" />
      {children}
    </button>
  );
}

export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard.
    // biome-ignore lint/a11y/useSemanticElements: a <section> would be a landmark for every table.
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Snippet({ id, label, text }: { id: string; label: string; text: string }) {
  return (
    <div class="snippet">
      <div class="snippet-head">
        <span id={`${id}-label`} class="snippet-label">
          {label}
        </span>
        <CopyButton text={text} label={label} />
      </div>
      <ScrollRegion label={label}>
        <pre id={id}>
          <code>{text}</code>
        </pre>
      </ScrollRegion>
    </div>
  );
}

export type Load<T> =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; data: T };

/** Runs `load` whenever `key` changes, aborting the previous request; `reload()` runs it again. */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): [Load<T>, () => void] {
  const [result, setResult] = useState<Load<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  const lastKey = useRef(key);
  // `key` names everything `load` depends on.
  useEffect(() => {
    const controller = new AbortController();
    // A reload keeps showing what is there until the answer comes; a new key shows "loading".
    const sameKey = lastKey.current === key;
    lastKey.current = key;
    setResult((previous) => (previous.state === "ready" && sameKey ? previous : { state: "loading" }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setResult({ state: "ready", data }),
      (error) =>
        !isAbort(error) &&
        !controller.signal.aborted &&
        setResult({ state: "error", message: describeError(error) }),
    );
    return () => controller.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [result, reload];
}

export function LoadState({ load, what }: { load: Load<unknown>; what: string }) {
  if (load.state === "loading")
    return (
      <p class="muted" role="status">
        Loading {what}…
      </p>
    );
  if (load.state === "error")
    return (
      <p class="error" role="alert">
        Could not load {what}: {load.message}
      </p>
    );
  return null;
}
