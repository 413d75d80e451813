/**
 * Entry point of leadcap-ui.js, the lazily loaded form UI. It defines `window.__leadcapUI` (the IIFE's
 * global name), which the loader picks up: `mount` renders one form, in its display mode, into a
 * shadow root the loader created. Nothing here runs until the loader asks.
 */
import { h, render } from "preact";
import type { MountedForm, MountOptions } from "../host.ts";
import { warn } from "../log.ts";
import { Shell, type ShellControl } from "./Shell.tsx";
import { applyStyles } from "./styles.ts";

export function mount(root: ShadowRoot, options: MountOptions): MountedForm {
  const unstyle = applyStyles(root, options.config.display?.theme, options.nonce);
  const control: ShellControl = {};
  const safely = (action: () => void) => {
    try {
      action();
    } catch (error) {
      warn("the form failed:", error);
    }
  };
  safely(() => render(h(Shell, { ...options, control }), root));
  return {
    set: (name, value) => safely(() => control.set?.(name, value)),
    open: () => safely(() => control.open?.()),
    close: () => safely(() => control.close?.()),
    unmount() {
      safely(() => render(null, root));
      unstyle();
    },
  };
}
