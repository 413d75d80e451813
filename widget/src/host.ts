/**
 * The contract between the eager loader (leadcap.js) and the lazily loaded form UI (leadcap-ui.js).
 * Two separate scripts: nothing but these shapes crosses between them, so the UI never holds state
 * of its own about the visit (attribution, engagement, the outbox): it asks the loader.
 */
import type { FormConfig } from "../../shared/config.ts";
import type { DisplayMode } from "../../shared/display.ts";
import type { FieldErrors } from "../../shared/errors.ts";
import type { FieldValue, LeadSubmission, Page, SubmitAnswer } from "../../shared/lead.ts";
import type { Attribution, Engagement } from "../../shared/signals.ts";

export interface Signals {
  attribution: Attribution;
  engagement: Engagement;
  page: Page;
}

export type Outcome =
  /** Stored (201) or recognised as already stored (200). */
  | { kind: "sent"; answer: SubmitAnswer | undefined }
  /** The edge refused some fields (400/422): show each message next to its field. */
  | { kind: "invalid"; fields: FieldErrors; message: string }
  /**
   * Not sent yet (offline, 429, 5xx): kept in the outbox and retried, here and on the next page load.
   * `sent` settles with true when the edge stored it (false if it was refused on a later try).
   */
  | { kind: "queued"; sent: Promise<boolean> };

/** Lifecycle events: DOM CustomEvents `leadcap:<type>`, a dataLayer push, and /v1/events. */
export type WidgetEvent = "impression" | "open" | "close" | "submit" | "success" | "error";

export interface Host {
  site: string;
  /** Hands a submission to the outbox (persisted before it is first sent). */
  submit(submission: LeadSubmission): Promise<Outcome>;
  /** What the page knows about the visit right now. */
  signals(): Signals;
  emit(type: WidgetEvent, form: string): void;
  /** Values from `leadcap('identify', …)` and `leadcap('set', …)`, used as defaults. */
  prefill(): Record<string, FieldValue>;
  /** A new idempotency key. */
  newId(): string;
  /** Form interaction: the first focus, and fields left empty after being focused. */
  interacted(form: string, field: string, empty: boolean): void;
}

export interface MountOptions {
  config: FormConfig;
  mode: DisplayMode;
  host: Host;
  /** `data-*` of the script tag and the container, for hidden fields' `fromData`. */
  data: Record<string, string>;
  /** Non-inline modes: the visitor closed it (button, Escape, backdrop). */
  onClose(): void;
  /** Launcher: start with the form open. */
  open?: boolean;
  /** The page's CSP nonce, for the <style> fallback where constructable stylesheets are missing. */
  nonce?: string;
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

/** What leadcap-ui.js defines as `window.__leadcapUI`. */
export interface UI {
  mount(root: ShadowRoot, options: MountOptions): MountedForm;
}
