/**
 * The shells around a form that is not inline: popup (modal), slide-in, launcher (a floating button
 * that opens a panel) and bar. Dialogs (popup, slide-in, the launcher's panel) are role="dialog",
 * aria-modal, labelled by the form's title, trap focus and give it back on close; Escape and the
 * close button close them; the popup locks the page's scroll while open.
 *
 * Preact comes from leadcap-ui.js at run time (see ./preact.ts): this chunk carries no copy of it,
 * which is why the components are classes made by `overlay()` once the UI has loaded (a class needs
 * its base class when it is defined), and why they use no hooks (leadcap-ui.js ships none).
 */
import type { ComponentChildren, ComponentType } from "preact";
import type { PreactParts, ShellProps } from "../host.ts";

const FOCUSABLE = "button,input:not([type=hidden]),select,textarea,a[href],[tabindex]:not([tabindex='-1'])";

/** The element that has focus, inside shadow roots too. */
function activeElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

interface DialogProps {
  titleId: string;
  label: string;
  className: string;
  scheme: string | undefined;
  /** Lock the page's scroll (popup). */
  lock: boolean;
  onOpen: () => void;
  close: () => void;
  children: ComponentChildren;
}

/** The shell component, made from the page's one Preact. */
export function overlay({ Component, createRef }: PreactParts): ComponentType<ShellProps> {
  class Dialog extends Component<DialogProps> {
    ref = createRef<HTMLDivElement>();
    previous: HTMLElement | null = null;
    overflow = "";

    override componentDidMount() {
      this.previous = activeElement();
      const root = document.documentElement;
      this.overflow = root.style.overflow;
      if (this.props.lock) root.style.overflow = "hidden";
      const dialog = this.ref.current;
      (
        dialog?.querySelector<HTMLElement>("input:not([type=hidden]):not([tabindex='-1']),select,textarea") ??
        dialog
      )?.focus();
      this.props.onOpen();
    }

    override componentWillUnmount() {
      if (this.props.lock) document.documentElement.style.overflow = this.overflow;
      // Back where the visitor was, if that is still on the page.
      if (this.previous?.isConnected) this.previous.focus();
    }

    onKeyDown = (event: KeyboardEvent) => {
      const dialog = this.ref.current;
      if (event.key === "Escape") {
        event.stopPropagation();
        this.props.close();
        return;
      }
      if (event.key !== "Tab" || !dialog) return;
      const items = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => !(el as HTMLInputElement).disabled && el.closest(".lc-hp") === null,
      );
      const first = items[0];
      const lastItem = items[items.length - 1];
      const active = (dialog.getRootNode() as ShadowRoot).activeElement;
      if (event.shiftKey && (active === first || active === dialog)) {
        event.preventDefault();
        lastItem?.focus();
      } else if (!event.shiftKey && active === lastItem) {
        event.preventDefault();
        first?.focus();
      }
    };

    render() {
      const { titleId, label, className, scheme, close, children } = this.props;
      return (
        <div
          ref={this.ref}
          class={`lc lc-dialog ${className}`}
          data-scheme={scheme}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          tabIndex={-1}
          onKeyDown={this.onKeyDown}
        >
          <button type="button" class="lc-x" aria-label={label} onClick={close}>
            ×
          </button>
          {children}
        </div>
      );
    }
  }

  return class Overlay extends Component<ShellProps, { open: boolean }> {
    constructor(props: ShellProps) {
      super(props);
      this.state = { open: props.mode !== "launcher" || Boolean(props.open) };
      props.control.open = () => this.setState({ open: true });
      props.control.close = this.close;
    }

    close = () => {
      if (this.props.mode === "launcher") this.setState({ open: false });
      this.props.onClose();
    };

    override componentDidMount() {
      if (this.props.mode === "bar") this.props.onOpen();
    }

    render() {
      const { config, mode, onOpen, titleId, t, form } = this.props;
      const { open } = this.state;
      // English unless the form's language (leadcap-i18n.js) or its own strings say otherwise.
      const closeLabel = t("close") || "Close";
      const close = this.close;
      const display = config.display;
      const scheme = display?.theme?.scheme;
      const position = display?.position ?? (mode === "bar" ? "bottom" : "bottom-right");
      const side = position === "bottom-left" ? " lc-left" : "";

      if (mode === "bar") {
        return (
          <section
            class={`lc lc-bar lc-${position === "top" ? "top" : "bottom"}`}
            data-scheme={scheme}
            aria-labelledby={titleId}
          >
            {form}
            <button type="button" class="lc-x" aria-label={closeLabel} onClick={close}>
              ×
            </button>
          </section>
        );
      }
      const dialog = (className: string, lock: boolean) => (
        <Dialog
          titleId={titleId}
          label={closeLabel}
          className={className}
          scheme={scheme}
          lock={lock}
          onOpen={onOpen}
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
            onClick={() => (open ? close() : this.setState({ open: true }))}
          >
            {display?.launcherLabel || config.title}
          </button>
        </>
      );
    }
  };
}
