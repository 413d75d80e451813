/**
 * leadcap-modes.js: popups, slide-ins, launchers and bars. The loader fetches it only when the page
 * has a form that is not inline (or a `[data-leadcap-open]` click / `leadcap('open')` asks for one),
 * so pages with inline forms only never download triggers, frequency caps or dialog code.
 *
 * Each form gets one host element at the end of <body>, with its own shadow root. Auto-opening forms
 * go through URL rules, frequency caps, then triggers; an SPA route change disarms what was armed for
 * the old page and evaluates everything again.
 */

import type { ComponentType } from "preact";
import type { DisplayMode } from "../../../shared/display.ts";
import type { Modes, ModesContext, MountedForm, PreactParts, ShellProps } from "../host.ts";
import { urlAllowed } from "../urls.ts";
import { capsAllow, capsMark, trackedBy } from "./caps.ts";
import { overlay } from "./Overlay.tsx";
import { css } from "./styles.ts";
import { arm as armTriggers } from "./triggers.ts";

let Shell: ComponentType<ShellProps> | undefined;
/** The shell, made once from the Preact leadcap-ui.js lends. */
const shell = (preact: PreactParts) => (Shell ??= overlay(preact));

interface Shown {
  el: HTMLElement;
  mode: DisplayMode;
  auto: boolean;
  /** The page it was opened for: a popup never appears on a page the visitor already left. */
  href: string;
  mounted?: MountedForm;
}

export function modes({ host, config, prepare, clicked, gone, on }: ModesContext): Modes {
  trackedBy(on);
  const shown = new Map<string, Shown>();
  const armed = new Set<string>();
  const disarms = new Map<string, () => void>();

  // Never again after a submit (the default cap), whichever way the form was shown.
  const onSuccess = (event: Event) =>
    capsMark((event as CustomEvent<{ form: string }>).detail.form, "submitted");
  document.addEventListener("leadcap:success", onSuccess);

  const remove = (id: string) => {
    const current = shown.get(id);
    shown.delete(id);
    current?.mounted?.unmount();
    current?.el.remove();
  };

  const open = async (id: string, auto = false) => {
    const existing = shown.get(id);
    if (existing) return existing.mounted?.open();
    const form = await config(id);
    if (!form || gone() || shown.has(id)) return;
    const configured = form.display?.mode ?? "inline";
    // An inline form opened through the API or a click shows as a popup.
    const mode: DisplayMode = configured === "inline" ? "popup" : configured;
    const el = document.createElement("div");
    el.setAttribute("data-leadcap-overlay", id);
    const entry: Shown = { el, mode, auto, href: location.href };
    shown.set(id, entry);
    const mount = await prepare(form);
    if (shown.get(id) !== entry || gone() || (auto && location.href !== entry.href)) {
      if (shown.get(id) === entry) shown.delete(id);
      return;
    }
    document.body.append(el);
    entry.mounted = mount(el.attachShadow({ mode: "open" }), {
      mode,
      shell,
      css,
      open: mode !== "launcher" || !auto,
      onClose() {
        host.emit("close", id);
        if (entry.auto) capsMark(id, "closed");
        if (mode !== "launcher") remove(id);
      },
    });
    host.emit("impression", id);
    if (auto && mode !== "launcher") capsMark(id, "shown");
  };

  const arm = async (id: string) => {
    const form = await config(id);
    const display = form?.display;
    if (!form || gone() || (display?.mode ?? "inline") === "inline") return;
    armed.add(id);
    if (!urlAllowed(display?.urls, location.href)) return;
    if (display?.mode === "launcher") return open(id, true);
    if (shown.has(id) || !capsAllow(id, display?.frequency)) return;
    disarms.get(id)?.();
    const fire = () => {
      disarms.delete(id);
      if (capsAllow(id, display?.frequency)) void open(id, true);
    };
    disarms.set(id, armTriggers(display?.triggers, fire));
    // The visitor clicked a matching element before this chunk had armed the trigger.
    const selector = display?.triggers?.click;
    try {
      if (selector && clicked()?.closest?.(selector)) {
        disarms.get(id)?.();
        fire();
      }
    } catch {
      // Not a valid selector: that trigger never fires.
    }
  };

  const disarmAll = () => {
    for (const disarm of disarms.values()) disarm();
    disarms.clear();
  };

  return {
    arm,
    open,
    close(id) {
      for (const [form, entry] of shown) {
        if (id !== undefined && form !== id) continue;
        if (entry.mode === "launcher")
          entry.mounted?.close(); // The button stays.
        else {
          remove(form);
          host.emit("close", form);
        }
      }
    },
    route() {
      disarmAll();
      for (const [id, entry] of shown)
        void config(id).then((form) => {
          if (entry.auto && !urlAllowed(form?.display?.urls, location.href)) remove(id);
        });
      for (const id of armed) void arm(id);
    },
    destroy() {
      disarmAll();
      for (const id of [...shown.keys()]) remove(id);
      document.removeEventListener("leadcap:success", onSuccess);
    },
  };
}
