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

const v = (name: string, fallback: string) => `var(--leadcap-${name},${fallback})`;
const palette = (t: string, m: string, b: string, bg: string, e: string, a: string, at: string) =>
  `--t:${v("text", t)};--m:${v("muted", m)};--b:${v("border", b)};--bg:${v("background", bg)};--e:${v("error", e)};--a:${v("accent", a)};--at:${v("accent-text", at)}`;
const dark = palette("#f3f4f6", "#d1d5db", "#9ca3af", "#111827", "#fca5a5", "#93c5fd", "#111827");

export const css = `
:host{all:initial;display:block}
.lc{all:initial;display:block;${palette("#1f2937", "#4b5563", "#6b7280", "#fff", "#b42318", "#1d4ed8", "#fff")};--r:${v("radius", "8px")};--s:${v("spacing", "1em")};position:relative;box-sizing:border-box;max-width:${v("max-width", "512px")};padding:${v("padding", "20px")};background:var(--bg);color:var(--t);font:400 ${v("font-size", "16px")}/1.5 ${v("font", 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif')};text-align:start;border-radius:var(--r)}
.lc[data-scheme=dark]{${dark}}
@media (prefers-color-scheme:dark){.lc[data-scheme=auto]{${dark}}}
.lc *,.lc *::before,.lc *::after{box-sizing:inherit}
h2{margin:0 0 .25em;font-size:1.25em;line-height:1.3;font-weight:600}
p{margin:0}
.lc-desc,.lc-help{color:var(--m)}
.lc-desc{margin-bottom:var(--s)}
.lc-help,.lc-error{font-size:.875em;margin-top:.25em}
fieldset{border:0;margin:0;padding:0;min-width:0}
.lc-field{margin-bottom:var(--s)}
label,legend{display:block;font-weight:500;margin-bottom:.25em;padding:0}
input,textarea,select{display:block;font:inherit;color:var(--t);background:var(--bg);width:100%;margin:0;padding:.5em .75em;border:1px solid var(--b);border-radius:calc(var(--r) / 2)}
textarea{resize:vertical;min-height:6em}
::placeholder{color:var(--m);opacity:1}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
[aria-invalid=true]{border-color:var(--e)}
.lc-check{display:flex;flex-wrap:wrap;column-gap:.5em;align-items:flex-start}
.lc-group .lc-check{margin-top:.25em}
.lc-check input{width:1.125em;height:1.125em;margin:.1875em 0 0;padding:0;flex:none;accent-color:var(--a)}
.lc-check label{flex:1;font-weight:400;margin:0}
.lc-check .lc-error,.lc-check .lc-help{flex-basis:100%}
.lc-req,.lc-error,.lc-alert{color:var(--e)}
.lc-alert{margin-bottom:var(--s);padding-left:.75em;border-left:3px solid var(--e)}
button{display:inline-block;font:inherit;font-weight:600;color:var(--at);background:var(--a);border:0;border-radius:var(--r);padding:.625em 1.25em;margin:0;cursor:pointer;width:auto}
.lc-actions{display:flex;gap:.75em;flex-wrap:wrap}
.lc .lc-back{color:var(--t);background:transparent;border:1px solid var(--b)}
fieldset:disabled button{opacity:.75;cursor:progress}
.lc-hp{position:absolute;left:-10000px;top:0;width:1px;height:1px;overflow:hidden}
.lc-success{outline:0}
.lc-progress{margin-bottom:var(--s);color:var(--m);font-size:.875em}
.lc-track{height:4px;margin-top:.25em;background:var(--b);border-radius:2px;overflow:hidden}
.lc-track span{display:block;height:100%;background:var(--a)}
.lc-backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(17,24,39,.6);overflow:auto}
.lc-dialog{width:100%;max-height:calc(100vh - 32px);overflow:auto;box-shadow:0 10px 40px rgba(0,0,0,.35);outline:0}
.lc-slide{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:min(384px,calc(100vw - 32px))}
.lc-panel{bottom:80px}
.lc-left{right:auto;left:16px}
.lc .lc-x{position:absolute;top:.280px;right:.280px;padding:.25em .6em;color:var(--t);background:transparent;font-size:1.25em;line-height:1}
.lc-launch{position:fixed;z-index:2147483000;right:16px;bottom:16px;padding:.75em 1.25em;border-radius:999px;box-shadow:0 4px 16px rgba(0,0,0,.3);font:600 16px/1.2 system-ui,sans-serif;color:${v("accent-text", "#fff")};background:${v("accent", "#1d4ed8")}}
.lc-bar{position:fixed;z-index:2147483000;left:0;right:0;bottom:0;max-width:none;border-radius:0;padding:12px 48px 12px 16px;box-shadow:0 -2px 16px rgba(0,0,0,.2)}
.lc-top{top:0;bottom:auto}
.lc-bar form{display:flex;flex-wrap:wrap;align-items:flex-end;column-gap:1em}
.lc-bar h2{flex-basis:100%}
.lc-bar .lc-desc{flex-basis:100%;margin-bottom:.5em}
.lc-bar fieldset{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.5em 1em;flex:1}
.lc-bar .lc-field{margin:0;flex:1 1 132px}
`;

let shared: CSSStyleSheet | undefined;

const THEME: Array<[keyof Theme, string]> = [
  ["accent", "accent"],
  ["accentText", "accent-text"],
  ["text", "text"],
  ["muted", "muted"],
  ["background", "background"],
  ["border", "border"],
  ["error", "error"],
  ["radius", "radius"],
  ["font", "font"],
  ["fontSize", "font-size"],
  ["spacing", "spacing"],
];

/** `:host{--leadcap-…}` from the config's theme, set through the CSSOM (never parsed as CSS text). */
function themeRule(style: CSSStyleDeclaration, theme: Theme | undefined) {
  for (const [key, name] of THEME) {
    const value = theme?.[key];
    if (typeof value === "string") style.setProperty(`--leadcap-${name}`, value);
  }
}

/**
 * Constructable stylesheets: the base sheet shared by every shadow root, plus one per form for its
 * theme; allowed by a strict CSP (no style-src 'unsafe-inline'). Where they are missing (Safari
 * before 16.4), <style> elements carrying the page's nonce.
 */
export function applyStyles(root: ShadowRoot, theme?: Theme, nonce?: string): () => void {
  try {
    if (!shared) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shared = sheet;
    }
    const own = new CSSStyleSheet();
    own.replaceSync(":host{}");
    themeRule((own.cssRules[0] as CSSStyleRule).style, theme);
    root.adoptedStyleSheets = [shared, own];
    return () => {
      root.adoptedStyleSheets = [];
    };
  } catch {
    const style = document.createElement("style");
    if (nonce) style.nonce = nonce;
    style.textContent = `${css}:host{}`;
    root.prepend(style);
    const rules = style.sheet?.cssRules;
    const last = rules?.[rules.length - 1] as CSSStyleRule | undefined;
    if (last?.style) themeRule(last.style, theme);
    return () => style.remove();
  }
}
