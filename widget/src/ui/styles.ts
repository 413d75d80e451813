/**
 * Styles for the shadow root. Theming goes through custom properties: the form config's theme sets
 * them on :host, and the page can set them on the container or any ancestor (a rule on the container
 * beats :host), e.g. `[data-leadcap-form] { --leadcap-accent: #0f766e; --leadcap-radius: 4px; }`.
 * Properties: --leadcap-accent, -accent-text, -text, -muted, -background, -border, -error, -radius,
 * -font, -font-size, -spacing, -padding, -max-width.
 *
 * Isolation: the page's selectors cannot reach inside the shadow root, but a rule the page applies to
 * the host element itself (`div { letter-spacing: 3px }`) beats `:host` and is inherited inward; the
 * inner `.lc { all: initial }` cuts that inheritance too, while layout of the host stays the page's.
 *
 * Light palette on white, WCAG AA: text #1f2937 14.7:1, muted #4b5563 7.6:1, error #b42318 6.5:1,
 * white on accent #1d4ed8 6.7:1, borders #6b7280 4.8:1 (non-text needs 3:1). Dark palette on #111827:
 * text #f3f4f6 16:1, muted #d1d5db 12:1, error #fca5a5 9:1, #111827 on accent #93c5fd 9.7:1,
 * borders #9ca3af 7:1.
 */
import type { Theme } from "../../../shared/display.ts";
import { warn } from "../log.ts";

export const v = (name: string, fallback: string) => `var(--leadcap-${name},${fallback})`;
// Light, then dark: --t text, --m muted, --b border, --bg background, --e error, --a accent, --at accent text.
const palette = (colours: string) =>
  colours
    .split(" ")
    .map(
      (c, i) =>
        `--${"t m b bg e a at".split(" ")[i]}:${v("text muted border background error accent accent-text".split(" ")[i]!, c)}`,
    )
    .join(";");
const dark = palette("#f3f4f6 #d1d5db #9ca3af #111827 #fca5a5 #93c5fd #111827");

// Minified by hand (the minifier leaves template text alone); inside the shadow root everything is ours.
export const css = `:host{all:initial;display:block}.lc{all:initial;display:block;${palette("#1f2937 #4b5563 #6b7280 #fff #b42318 #1d4ed8 #fff")};--r:${v("radius", "8px")};--s:${v("spacing", "1em")};position:relative;max-width:${v("max-width", "512px")};padding:${v("padding", "20px")};background:var(--bg);color:var(--t);font:400 ${v("font-size", "16px")}/1.5 ${v("font", "system-ui,sans-serif")};text-align:start;border-radius:var(--r)}.lc[data-scheme=dark]{${dark}}@media (prefers-color-scheme:dark){.lc[data-scheme=auto]{${dark}}}*{box-sizing:border-box}h2{margin:0 0 .25em;font-size:1.25em;line-height:1.3;font-weight:600}p{margin:0}.lc-desc,.lc-help,::placeholder{color:var(--m);opacity:1}.lc-desc,.lc-field,.lc-alert{margin-bottom:var(--s)}.lc-help,.lc-error{font-size:.875em;margin-top:.25em}fieldset{border:0;margin:0;padding:0;min-width:0}label,legend{display:block;font-weight:500;margin-bottom:.25em;padding:0}input,textarea,select{display:block;font:inherit;color:var(--t);background:var(--bg);width:100%;margin:0;padding:.5em .75em;border:1px solid var(--b);border-radius:calc(var(--r)/2)}textarea{resize:vertical;min-height:6em}:focus-visible{outline:2px solid var(--a);outline-offset:2px}[aria-invalid=true]{border-color:var(--e)}.lc-check{display:flex;flex-wrap:wrap;column-gap:.5em;align-items:flex-start}.lc-check input{width:1.125em;height:1.125em;margin:.1875em 0 0;padding:0;flex:none;accent-color:var(--a)}.lc-check label{flex:1;font-weight:400;margin:0}.lc-check p{flex-basis:100%}.lc-req,.lc-error,.lc-alert{color:var(--e)}.lc-alert{padding-left:.75em;border-left:3px solid var(--e)}.lc-actions{display:flex}button{font:inherit;font-weight:600;color:var(--at);background:var(--a);border:0;border-radius:var(--r);padding:.625em 1.25em;margin:0;cursor:pointer}:disabled button{opacity:.75;cursor:progress}.lc-hp{position:absolute;left:-1e4px;width:1px;height:1px;overflow:hidden}.lc-success{outline:0}`;

/** Parsed once per page, shared by every shadow root (the base sheet and each mode chunk's sheet). */
const sheets = new Map<string, CSSStyleSheet>();

/** The shared sheet: the base CSS and `extra` (a chunk's), parsed on first use. */
export function sheet(extra = ""): CSSStyleSheet {
  const text = css + extra;
  let shared = sheets.get(text);
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(text);
    sheets.set(text, shared);
  }
  return shared;
}

/**
 * Constructable stylesheets: the base sheet shared by every shadow root, plus one per form whose
 * `:host{--leadcap-…}` rule carries the config's theme, set through the CSSOM (never parsed as CSS
 * text); allowed by a strict CSP (no style-src 'unsafe-inline'). Every browser the widget supports
 * has them (Safari since 16.4, March 2023); where they are missing the form shows unstyled.
 */
export function applyStyles(root: ShadowRoot, theme?: Theme, extra = ""): () => void {
  try {
    const shared = sheet(extra);
    const own = new CSSStyleSheet();
    own.replaceSync(":host{}");
    const style = (own.cssRules[0] as CSSStyleRule).style;
    // accentText → --leadcap-accent-text; `scheme` is no custom property (data-scheme does it).
    for (const [key, value] of Object.entries(theme ?? {}))
      if (key !== "scheme" && typeof value === "string")
        style.setProperty(`--leadcap-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
    root.adoptedStyleSheets = [shared, own];
  } catch (error) {
    warn("no styles:", error);
  }
  return () => {
    root.adoptedStyleSheets = [];
  };
}
