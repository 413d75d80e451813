/**
 * The contract between the eager loader (leadcap.js) and the chunks it loads lazily, each a classic
 * script from the loader's own origin that defines one global, `__leadcap_<name>`:
 * - leadcap-ui.js     Preact and the form (inline forms need nothing else to be shown);
 * - leadcap-send.js   the checks, the outbox and analytics, fetched once a form is shown;
 * - leadcap-modes.js  triggers, frequency caps and the popup / slide-in / launcher / bar shells;
 * - leadcap-i18n.js   the built-in strings in languages other than English.
 * Nothing but these shapes crosses between them: the UI never holds state of its own about the visit
 * (attribution, engagement), it asks the loader.
 */
import type { Component, ComponentType, createRef, VNode } from "preact";
import type { FormConfig } from "../../shared/config.ts";
import type { DisplayMode, StringKey } from "../../shared/display.ts";
import type { FieldErrors } from "../../shared/errors.ts";
import type { FieldValue, LeadSubmission, SubmitAnswer } from "../../shared/lead.ts";
import type { Attribution, Engagement } from "../../shared/signals.ts";
import type { Fetch } from "./api.ts";
import type { Send } from "./send.ts";
import type { More } from "./ui/more.tsx";

export interface Signals {
  attribution: Attribution;
  engagement: Engagement;
}

export type Outcome =
  /** Stored (201) or recognised as already stored (200). */
  | { kind: "sent"; answer: SubmitAnswer | undefined }
  /** The edge refused some fields (400/422): show each message next to its field. */
  | { kind: "invalid"; fields: FieldErrors; code: string; message: string }
  /**
   * Not sent yet: kept in the outbox and retried, here and on the next page load. `held`: the edge
   * answered that it cannot take it yet (429, 5xx, an origin the site has not allowed yet), so the
   * visitor is not told to check their connection. `sent` settles with true when the edge stored it
   * (false if it was refused on a later try).
   */
  | { kind: "queued"; sent: Promise<boolean>; held?: boolean };

/** Lifecycle events: DOM CustomEvents `leadcap:<type>`, a dataLayer push, and /v1/events. */
export type WidgetEvent = "impression" | "open" | "close" | "submit" | "success" | "error";

export interface Host {
  site: string;
  /** Hands a submission to the outbox (persisted before it is first sent). The UI emits the events. */
  submit(submission: LeadSubmission): Promise<Outcome>;
  /**
   * Resolves once the checks are here (leadcap-send.js, fetched after the form is shown): true, or
   * false if they could not be loaded (offline), when the form submits unchecked (the edge checks
   * everything again). Left out, they are (the source, the console's preview).
   */
  ready?(): Promise<boolean>;
  /** What the page knows about the visit right now. */
  signals(): Signals;
  emit(type: WidgetEvent, form: string): void;
  /** Values from `leadcap('identify', …)` and `leadcap('set', …)`, used as defaults. */
  prefill: Record<string, FieldValue>;
}

/** Built-in strings of one language. */
export type Strings = Record<StringKey, string>;

/** What a mode's shell gets from the UI: the rendered form and what it needs around it. */
export interface ShellProps {
  config: FormConfig;
  mode: DisplayMode;
  /** Launcher: start with the panel open. */
  open?: boolean;
  onClose(): void;
  onOpen(): void;
  control: Control;
  titleId: string;
  t: (key: StringKey) => string;
  form: VNode;
}

export interface MountOptions {
  config: FormConfig;
  host: Host;
  /** `data-*` of the script tag and the container, for hidden fields' `fromData`. */
  data: Record<string, string>;
  /** The built-in strings of the form's language; English when missing. */
  strings?: Strings;
  /** Non-inline modes (leadcap-modes.js): the shell around the form, and its own CSS. */
  mode?: DisplayMode;
  /** Makes the shell from the page's Preact (leadcap-modes.js carries none). */
  shell?: (preact: PreactParts) => ComponentType<ShellProps>;
  css?: string;
  open?: boolean;
  /** The visitor closed it (button, Escape, backdrop). */
  onClose?(): void;
}

/** Set by the form and its shell, so the loader can act on a rendered form. */
export interface Control {
  set?: (name: string, value: FieldValue) => void;
  open?: () => void;
  close?: () => void;
}

export interface MountedForm {
  /** Sets a field's value (`leadcap('set', …)`). */
  set(name: string, value: FieldValue): void;
  /** Opens a launcher's panel (other modes are open while mounted). */
  open(): void;
  /** Closes a launcher's panel (calls onClose). */
  close(): void;
  unmount(): void;
}

/** What leadcap-ui.js lends leadcap-modes.js of Preact, so there is one copy on the page. */
export interface PreactParts {
  Component: typeof Component;
  createRef: typeof createRef;
}

/** The loader's part of the Host; leadcap-ui.js adds `submit` and `ready` (with leadcap-send.js). */
export type LoaderHost = Omit<Host, "submit">;

/** What the loader hands leadcap-ui.js once it has loaded. */
export interface InlineContext {
  host: LoaderHost;
  endpoint: string;
  fetch: Fetch;
  config(id: string): Promise<FormConfig | undefined>;
  load: Load;
  /** The script tag: `data-*` for hidden fields; an inline form with no container goes after it. */
  script?: HTMLScriptElement | null | undefined;
  /** The script's first form (`data-form`). */
  first?: string | undefined;
  gone(): boolean;
  /**
   * Keeps a submission where the outbox looks for it (outbox.ts `persist`), for when leadcap-send.js
   * cannot be loaded: the loader's, which has storage at hand already, so leadcap-ui.js carries none.
   */
  persist(submission: LeadSubmission): void;
}

/** What leadcap-ui.js does for the loader. */
export interface Inline {
  /** Lifecycle events: DOM CustomEvents, dataLayer, /v1/events (when `track`, the default). */
  emit(type: WidgetEvent, form: string, track?: boolean): void;
  /** Loads what a form needs (its strings); resolves with a synchronous mount. */
  prepare(config: FormConfig): Promise<(root: ShadowRoot, options: Partial<MountOptions>) => MountedForm>;
  /** Resends what the outbox holds (a closed tab's submissions), with leadcap-send.js. */
  resend(): void;
  /** Renders inline forms into containers not yet taken. */
  scan(): Promise<unknown>;
  /** An SPA route change: forget containers that left, look for new ones. */
  route(): void;
  /** `leadcap('set' | 'identify')`: a value for every rendered form. */
  set(name: string, value: FieldValue): void;
  destroy(): void;
}

/** `window.__leadcap_ui`. */
export interface UI {
  inline(context: InlineContext): Inline;
  mount(root: ShadowRoot, options: MountOptions): MountedForm;
  /** Preact's jsx() for leadcap-modes.js (see modes/preact.ts), and its classes' parts. */
  p: PreactParts & { jsx: unknown };
}

/** What the loader hands leadcap-modes.js. */
export interface ModesContext {
  host: LoaderHost;
  config(id: string): Promise<FormConfig | undefined>;
  /** Loads what a form needs (UI, strings); resolves with a synchronous mount. */
  prepare: Inline["prepare"];
  /** What the visitor last clicked on this page, if anything: a click trigger armed late still fires. */
  clicked(): Element | null;
  gone(): boolean;
  /** Whether the visit is tracked now (frequency caps are stored only then): the loader's tracker.on. */
  on(): boolean;
}

export interface Modes {
  /** Arms the triggers of a popup, slide-in or bar; shows a launcher. */
  arm(id: string): Promise<void>;
  open(id: string, auto?: boolean): Promise<void>;
  close(id?: unknown): void;
  /** An SPA route change: URL rules and triggers again. */
  route(): void;
  destroy(): void;
}

/** `window.__leadcap_modes`. */
export interface ModesChunk {
  modes(context: ModesContext): Modes;
}

export interface Chunks {
  ui: UI;
  /** Choice and number fields, multi-step progress: see ui/more.tsx. */
  more: { more: More };
  modes: ModesChunk;
  i18n: Record<string, Strings>;
  /** The checks, the outbox and analytics: see send.ts. */
  send: { send: Send };
}
export type Load = <K extends keyof Chunks>(name: K) => Promise<Chunks[K]>;
