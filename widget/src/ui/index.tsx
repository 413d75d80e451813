/**
 * The lazily loaded form UI (leadcap-ui.js, whose entry point ./chunk.ts defines
 * `window.__leadcap_ui`, which the loader picks up): `mount` renders one form into a shadow root the
 * loader created, inline or inside the shell leadcap-modes.js hands it. Nothing here runs until the
 * loader asks. ./inline.ts imports `mount` from here, never the other way: no import cycle.
 */
import { Component, type ComponentChildren, createRef, render } from "preact";
import { jsx } from "preact/jsx-runtime";
import type { Control, MountedForm, MountOptions, ShellProps } from "../host.ts";
import { warn } from "../log.ts";
import { Form } from "./Form.tsx";
import { more } from "./more.tsx";
import { translator } from "./strings.ts";
import { applyStyles } from "./styles.ts";

/** Preact, lent to leadcap-modes.js (see ../modes/preact.ts): one copy on the page. */
export const p = { jsx, Component, createRef };

let instances = 0;

/** A rendering bug must not surface as an uncaught error on the customer's page: no form instead. */
class Boundary extends Component<{ children: ComponentChildren }, { failed?: boolean }> {
  override componentDidCatch(error: unknown) {
    warn("the form failed:", error);
    this.setState({ failed: true });
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** One form in its mode: inline in a `.lc` box, or inside the mode's shell. */
export function Widget(options: MountOptions & { control: Control; titleId: string }) {
  const { config, host, control, titleId } = options;
  const Shell = options.shell?.(p);
  const t = translator(config, options.strings);
  const form = (
    <Form config={config} host={host} t={t} data={options.data} titleId={titleId} control={control} />
  );
  return (
    <Boundary>
      {Shell ? (
        // leadcap-modes.js gives every shell its mode and onClose; the shell ignores what it does not use.
        <Shell
          {...(options as unknown as ShellProps)}
          onOpen={() => host.emit("open", config.id)}
          t={t}
          form={form}
        />
      ) : (
        <div class="lc" data-scheme={config.display?.theme?.scheme}>
          {form}
        </div>
      )}
    </Boundary>
  );
}

export function mount(root: ShadowRoot, options: MountOptions): MountedForm {
  const unstyle = applyStyles(root, options.config.display?.theme, (options.css ?? "") + (more.css ?? ""));
  const control: Control = {};
  const safely = (action: () => void) => {
    try {
      action();
    } catch (error) {
      warn("the form failed:", error);
    }
  };
  const titleId = `lc${++instances}-title`;
  safely(() => render(<Widget {...options} control={control} titleId={titleId} />, root));
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
