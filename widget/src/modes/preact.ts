/**
 * Stands in for `preact/jsx-runtime` in the leadcap-modes.js build (a
 * Vite alias): every call goes to the Preact that leadcap-ui.js carries (`__leadcap_ui.p`), so the
 * page runs one Preact. Looked up at call time: triggers run long before the UI is loaded, and
 * shells only render after it is. (Classes get `Component` handed over: see ./Overlay.tsx.)
 */
type Fn = (...args: unknown[]) => unknown;
const preact = (name: string) =>
  (window as unknown as { __leadcap_ui: { p: Record<string, Fn> } }).__leadcap_ui.p[name]!;
const lend =
  (name: string): Fn =>
  (...args) =>
    preact(name)(...args);

export const jsx = lend("jsx");
export const jsxs = jsx;
/** Preact renders a component returning its children exactly like its own Fragment. */
export const Fragment = (props: { children?: unknown }) => props.children;
