/**
 * Inputs bound to a path of the config draft: each reads its value there, writes it back on input,
 * and shows the schema's (or the edge's) message for that path next to itself, tied with
 * aria-describedby and aria-invalid. Lists that reorder are ui/sortable-list.tsx.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { dotted, getAt, type Path } from "../config-edit.ts";
import { formatTime } from "../format.ts";
import {
  dirty,
  discard,
  draft,
  edit,
  ensureConfig,
  errors,
  save,
  saveAttempts,
  saved,
  saveProblem,
  saving,
  view,
} from "../site-config.ts";
import { PageTitle } from "./common.tsx";

/** The element id of the input for `path`: the error summary moves focus there. */
export const idFor = (path: Path) => `cfg-${dotted(path).replace(/[^A-Za-z0-9_-]/g, "-")}`;

const valueAt = (path: Path) => getAt(view.value, path);

/** The message for `path`: the schema's (or the edge's) after a save, else `problem`, seen while typing. */
export function ErrorText({ path, id, problem }: { path: Path; id?: string; problem?: string | undefined }) {
  const message = errors.value[dotted(path)] ?? problem;
  if (!message) return null;
  return (
    <p class="field-error" id={id ?? `${idFor(path)}-error`}>
      {message}
    </p>
  );
}

interface Common {
  label: ComponentChildren;
  path: Path;
  hint?: string;
  /** A narrower layout for numbers and short codes. */
  short?: boolean;
  disabled?: boolean;
  /** A problem seen before saving (a regular expression that does not compile), shown as an error. */
  problem?: string | undefined;
}

const invalid = (path: Path, problem?: string) => !!(errors.value[dotted(path)] ?? problem);

function describedBy(path: Path, hint?: string, problem?: string): string | undefined {
  const ids = [hint ? `${idFor(path)}-hint` : "", invalid(path, problem) ? `${idFor(path)}-error` : ""];
  return ids.filter(Boolean).join(" ") || undefined;
}

function Wrap({ path, label, hint, short, problem, children }: Common & { children: ComponentChildren }) {
  return (
    <div class={`field${short ? " short" : ""}`}>
      <label for={idFor(path)}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${idFor(path)}-hint`}>
          {hint}
        </p>
      )}
      <ErrorText path={path} problem={problem} />
    </div>
  );
}

/**
 * Text in, a value out, and back: `parse` turns what is typed into the config value, `format` the
 * value into text. What is typed stays as typed while it means the same value ("a, " is still ["a"]).
 */
export function CodecInput<T>({
  path,
  parse,
  format,
  type = "text",
  placeholder,
  list,
  inputMode,
  disabled,
  multiline,
  label,
  hint,
  short,
  problem,
}: Common & {
  parse: (text: string) => T;
  format: (value: T) => string;
  type?: string;
  placeholder?: string | undefined;
  list?: string;
  inputMode?: "text" | "decimal" | "numeric" | "url" | "email";
  multiline?: boolean;
}) {
  const value = valueAt(path) as T;
  const [typed, setText] = useState(() => format(value));
  // What was typed, while it still means the value; else someone else changed it (discard, rollback,
  // a reorder): show theirs.
  const text = JSON.stringify(parse(typed)) === JSON.stringify(value) ? typed : format(value);
  const onInput = (event: Event) => {
    const next = (event.currentTarget as HTMLInputElement).value;
    setText(next);
    edit(path, parse(next));
  };
  const props = {
    id: idFor(path),
    value: text,
    placeholder,
    disabled,
    "aria-invalid": invalid(path, problem) ? ("true" as const) : undefined,
    "aria-describedby": describedBy(path, hint, problem),
    onInput,
  };
  return (
    <Wrap path={path} label={label} hint={hint} short={short} problem={problem}>
      {multiline ? (
        <textarea {...props} rows={3} />
      ) : (
        <input {...props} type={type as "text"} list={list} inputMode={inputMode} spellcheck={false} />
      )}
    </Wrap>
  );
}

const textCodec = (optional: boolean) => ({
  parse: (t: string) => (optional && t === "" ? undefined : t),
  format: (v: unknown) => (typeof v === "string" ? v : ""),
});

/** A text setting; empty and `optional` removes it from the config. */
export function TextInput(
  props: Common & {
    optional?: boolean;
    placeholder?: string | undefined;
    list?: string;
    multiline?: boolean;
    type?: string;
  },
) {
  const { optional = true, ...rest } = props;
  return <CodecInput {...rest} {...textCodec(optional)} />;
}

/** A number setting: empty removes it; anything not a number is kept as text for the schema to refuse. */
export function NumberInput(props: Common & { placeholder?: string }) {
  return (
    <CodecInput
      {...props}
      inputMode="decimal"
      parse={(t) => {
        const s = t.trim();
        if (s === "") return undefined;
        const n = Number(s);
        return Number.isFinite(n) ? n : s;
      }}
      format={(v) => (v === undefined || v === null ? "" : String(v))}
    />
  );
}

/** A comma-separated list of texts (or one per line). */
export function ListInput(props: Common & { placeholder?: string; lines?: boolean; optional?: boolean }) {
  const { lines, optional = true, ...rest } = props;
  const sep = lines ? "\n" : ",";
  return (
    <CodecInput
      {...rest}
      multiline={lines}
      parse={(t) => {
        const list = t
          .split(lines ? /\n/ : /,/)
          .map((s) => s.trim())
          .filter(Boolean);
        return list.length || !optional ? list : undefined;
      }}
      format={(v) => (Array.isArray(v) ? v.join(lines ? sep : ", ") : "")}
    />
  );
}

export function Choice({
  path,
  label,
  options,
  optional,
  hint,
  short,
  disabled,
  onChange,
  fallback,
}: Common & {
  options: readonly (readonly [string, string])[];
  /** What an absent setting means (its default), selected when absent. */
  fallback?: string;
  /** The empty choice's label: choosing it removes the setting. */
  optional?: string;
  onChange?: (value: string | undefined) => void;
}) {
  const value = valueAt(path);
  return (
    <Wrap path={path} label={label} hint={hint} short={short}>
      <select
        id={idFor(path)}
        value={typeof value === "string" ? value : (fallback ?? "")}
        disabled={disabled}
        aria-invalid={errors.value[dotted(path)] ? "true" : undefined}
        aria-describedby={describedBy(path, hint)}
        onChange={(e) => {
          const v = e.currentTarget.value || undefined;
          if (onChange) onChange(v);
          else edit(path, v);
        }}
      >
        {optional !== undefined && <option value="">{optional}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

/** A box: ticked writes true; unticked writes `off` (undefined removes the setting). */
export function Check({
  path,
  label,
  hint,
  off,
  defaultOn,
}: Common & { off?: boolean | undefined; defaultOn?: boolean }) {
  const value = valueAt(path);
  const checked = value === undefined ? !!defaultOn : value === true;
  return (
    <div class="field check">
      <span class="check-row">
        <input
          id={idFor(path)}
          type="checkbox"
          checked={checked}
          aria-invalid={errors.value[dotted(path)] ? "true" : undefined}
          aria-describedby={describedBy(path, hint)}
          onChange={(e) => edit(path, e.currentTarget.checked ? true : off)}
        />
        <label for={idFor(path)}>{label}</label>
      </span>
      {hint && (
        <p class="hint" id={`${idFor(path)}-hint`}>
          {hint}
        </p>
      )}
      <ErrorText path={path} />
    </div>
  );
}

/** Messages for a list or object as a whole (e.g. "a form needs a required email field"). */
export function SectionErrors({ path }: { path: Path }) {
  const message = errors.value[dotted(path)];
  if (!message) return null;
  return (
    <p class="field-error section-error" id={`${idFor(path)}-error`}>
      {message}
    </p>
  );
}

/** Loads the site's config; children render once the draft is there. */
export function WithConfig({ children }: { children: () => ComponentChildren }) {
  useEffect(() => {
    void ensureConfig();
  });
  const s = saved.value;
  if (s.state === "error")
    return (
      <p class="error" role="alert">
        Could not load the site's config: {s.message}{" "}
        <button type="button" class="button button-small button-ghost" onClick={() => ensureConfig(true)}>
          Try again
        </button>
      </p>
    );
  if (s.state !== "ready" || !draft.value)
    return (
      <p class="muted" role="status">
        Loading the site's config…
      </p>
    );
  return <>{children()}</>;
}

/** A screen that edits the config: its title, then, once the config is in, the save bar, errors and `children`. */
export function ConfigEditor({ title, children }: { title: string; children: () => ComponentChildren }) {
  return (
    <>
      <div class="page-head">
        <PageTitle title={title}>{title}</PageTitle>
      </div>
      <WithConfig>
        {() => (
          <>
            <SaveBar />
            <ErrorSummary />
            {children()}
          </>
        )}
      </WithConfig>
    </>
  );
}

/** `channels.3.when.0.value` → `channels › 4 › when › 1 › value` (lists counted from 1). */
export function readablePath(path: string): string {
  return (
    path
      .split(".")
      .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part))
      .join(" › ") || "the config"
  );
}

/** Where the problems are, each a button that moves focus to its input (or its section). */
export function ErrorSummary({ labels }: { labels?: (path: string) => string }) {
  const list = Object.entries(errors.value);
  const ref = useRef<HTMLDivElement>(null);
  const count = list.length;
  // Focus moves here after a refused save, never while the marketer types a fix.
  const attempt = saveAttempts.value;
  useEffect(() => {
    if (attempt && ref.current) ref.current.focus();
  }, [attempt]);
  if (!count) return null;
  const focus = (path: string) => {
    let parts = path.split(".");
    while (parts.length) {
      const el = document.getElementById(`cfg-${parts.join("-").replace(/[^A-Za-z0-9_-]/g, "-")}`);
      if (el) {
        // A field inside a closed disclosure: open it first.
        const details = el.closest("details");
        if (details && !details.open) details.open = true;
        el.focus();
        el.scrollIntoView({ block: "center" });
        return;
      }
      parts = parts.slice(0, -1);
    }
  };
  return (
    <div
      class="card error-summary"
      tabIndex={-1}
      ref={ref}
      role="alert"
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">
        {count === 1 ? "One problem to fix before saving" : `${count} problems to fix before saving`}
      </h2>
      <ul>
        {list.map(([path, message]) => (
          <li key={path}>
            <button type="button" class="link-button" onClick={() => focus(path)}>
              {labels?.(path) ?? readablePath(path)}
            </button>
            : {message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Unsaved changes, the note, Save and Discard; the saved version otherwise. */
export function SaveBar() {
  const [note, setNote] = useState("");
  const s = saved.value;
  if (s.state !== "ready") return null;
  const problem = saveProblem.value;
  const { version, updatedAt, source } = s.answer;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await save(note)) setNote("");
  };
  return (
    <form class="savebar card" aria-label="Save changes" onSubmit={submit}>
      <p class="savebar-state" role="status">
        {dirty.value ? (
          <strong>Unsaved changes</strong>
        ) : version === 0 || source === "code" ? (
          <span class="muted">The config from code (never saved here yet)</span>
        ) : (
          <span class="muted">
            Saved · version {version}
            {updatedAt ? ` · ${formatTime(updatedAt)}` : ""}
          </span>
        )}
      </p>
      {dirty.value && (
        <>
          <div class="field inline savebar-note">
            <label for="save-note">Note</label>
            <input
              id="save-note"
              value={note}
              maxLength={200}
              placeholder="What changed (optional)"
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </div>
          <div class="actions">
            <button type="submit" class="button" disabled={saving.value}>
              {saving.value ? "Saving…" : "Save"}
            </button>
            <button type="button" class="button button-ghost" disabled={saving.value} onClick={discard}>
              Discard
            </button>
          </div>
        </>
      )}
      {problem && (
        <p class="error savebar-problem" role="alert">
          {problem.message}{" "}
          {problem.conflict && (
            <button type="button" class="button button-small button-ghost" onClick={() => ensureConfig(true)}>
              Reload (drops your changes)
            </button>
          )}
        </p>
      )}
    </form>
  );
}

/** Boxes for "any of these" settings: one value, a list, or (none ticked) absent. */
export function MultiCheck({
  legend,
  path,
  options,
  single,
}: {
  legend: string;
  path: Path;
  options: readonly (readonly [string, string])[];
  /** Writes a lone value as itself rather than a one-item list. */
  single?: boolean;
}) {
  const raw = valueAt(path);
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...values, value] : values.filter((v) => v !== value);
    const ordered = options.map(([v]) => v).filter((v) => next.includes(v));
    edit(path, ordered.length === 0 ? undefined : single && ordered.length === 1 ? ordered[0] : ordered);
  };
  const base = idFor(path);
  return (
    <fieldset class="group checks" id={base} tabIndex={-1}>
      <legend>{legend}</legend>
      {options.map(([value, label]) => (
        <label key={value}>
          <input
            type="checkbox"
            checked={values.includes(value)}
            onChange={(e) => toggle(value, e.currentTarget.checked)}
          />{" "}
          {label}
        </label>
      ))}
      <ErrorText path={path} />
    </fieldset>
  );
}
