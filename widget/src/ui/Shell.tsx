/**
 * The display modes around a form: inline, popup (modal), slide-in, launcher (a floating button that
 * opens a panel) and bar. Dialogs (popup, slide-in, the launcher's panel) are role="dialog",
 * aria-modal, labelled by the form's title, trap focus and give it back on close; Escape and the
 * close button close them; the popup locks the page's scroll while open.
 */
import type { ComponentChildren } from "preact";
import { useErrorBoundary, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { MountOptions } from "../host.ts";
import { warn } from "../log.ts";
import { Form, type FormControl } from "./Form.tsx";
import { type Translate, translator } from "./strings.ts";

export interface ShellControl extends FormControl {
  open?: () => void;
  close?: () => void;
}

let instances = 0;

const FOCUSABLE = "button,input:not([type=hidden]),select,textarea,a[href],[tabindex]:not([tabindex='-1'])";

/** The element that has focus, inside shadow roots too. */
function activeElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

interface DialogProps {
  titleId: string;
  t: Translate;
  className: string;
  scheme: string | undefined;
  /** Lock the page's scroll (popup). */
  lock: boolean;
  onOpen: () => void;
  close: () => void;
  children: ComponentChildren;
}

function Dialog({ titleId, t, className, scheme, lock, onOpen, close, children }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const previous = activeElement();
    const root = document.documentElement;
    const overflow = root.style.overflow;
    if (lock) root.style.overflow = "hidden";
    const dialog = ref.current;
    (
      dialog?.querySelector<HTMLElement>("input:not([type=hidden]):not([tabindex='-1']),select,textarea") ??
      dialog
    )?.focus();
    onOpen();
    return () => {
      if (lock) root.style.overflow = overflow;
      // Back where the visitor was, if that is still on the page.
      if (previous?.isConnected) previous.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      close();
      return;
    }
    if (event.key !== "Tab" || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => !(el as HTMLInputElement).disabled && el.closest(".lc-hp") === null,
    );
    const first = items[0];
    const lastItem = items[items.length - 1];
    const active = (ref.current.getRootNode() as ShadowRoot).activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      lastItem?.focus();
    } else if (!event.shiftKey && active === lastItem) {
      event.preventDefault();
      first?.focus();
    }
  };
  return (
    <div
      ref={ref}
      class={`lc lc-dialog ${className}`}
      data-scheme={scheme}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <button type="button" class="lc-x" aria-label={t("close")} onClick={close}>
        ×
      </button>
      {children}
    </div>
  );
}

export interface ShellProps extends MountOptions {
  control: ShellControl;
}

export function Shell({ config, mode, host, data, onClose, open: startOpen, control }: ShellProps) {
  // A rendering bug must not surface as an uncaught error on the customer's page.
  const [error] = useErrorBoundary((caught) => warn("the form failed:", caught));
  const [open, setOpen] = useState(mode !== "launcher" || Boolean(startOpen));
  const [uid] = useState(() => `lc${++instances}`);
  const t = useMemo(() => translator(config), [config]);
  if (error) return null;

  const display = config.display;
  const titleId = `${uid}-title`;
  const scheme = display?.theme?.scheme;
  const position = display?.position ?? (mode === "bar" ? "bottom" : "bottom-right");
  const side = position === "bottom-left" ? " lc-left" : "";
  const close = () => {
    if (mode === "launcher") setOpen(false);
    onClose();
  };
  control.open = () => setOpen(true);
  control.close = close;
  const emitOpen = () => host.emit("open", config.id);
  const form = <Form config={config} host={host} t={t} data={data} titleId={titleId} control={control} />;

  if (mode === "inline") {
    return (
      <div class="lc" data-scheme={scheme}>
        {form}
      </div>
    );
  }
  if (mode === "bar") {
    return (
      <Bar
        className={`lc lc-bar lc-${position === "top" ? "top" : "bottom"}`}
        scheme={scheme}
        titleId={titleId}
        onOpen={emitOpen}
      >
        {form}
        <button type="button" class="lc-x" aria-label={t("close")} onClick={close}>
          ×
        </button>
      </Bar>
    );
  }
  const dialog = (className: string, lock: boolean) => (
    <Dialog
      titleId={titleId}
      t={t}
      className={className}
      scheme={scheme}
      lock={lock}
      onOpen={emitOpen}
      close={close}
    >
      {form}
    </Dialog>
  );
  if (mode === "popup") {
    return (
      // A click outside the dialog closes it; keyboard users have Escape and the close button.
      // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop is not a control
      // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes the dialog (Dialog's onKeyDown)
      <div
        class="lc-backdrop"
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
      >
        {dialog("lc-modal", true)}
      </div>
    );
  }
  if (mode === "slide-in") return dialog(`lc-slide${side}`, false);
  // Launcher: the button stays; the panel opens above it.
  return (
    <>
      {open && dialog(`lc-slide lc-panel${side}`, false)}
      <button
        type="button"
        class={`lc-launch${side}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => (open ? close() : setOpen(true))}
      >
        {display?.launcherLabel || config.title}
      </button>
    </>
  );
}

function Bar(props: {
  className: string;
  scheme?: string;
  titleId: string;
  onOpen: () => void;
  children: ComponentChildren;
}) {
  useLayoutEffect(props.onOpen, []);
  return (
    <section class={props.className} data-scheme={props.scheme} aria-labelledby={props.titleId}>
      {props.children}
    </section>
  );
}
