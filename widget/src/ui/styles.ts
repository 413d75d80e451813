/**
 * Styles for the shadow root. Theming goes through custom properties set on the host element or any
 * ancestor (custom properties inherit into shadow trees), e.g.
 *   [data-leadcap-form] { --leadcap-accent: #0f766e; --leadcap-radius: 4px; }
 * Defaults are var() fallbacks rather than :host declarations, so a value set on :root still wins.
 *
 * Isolation: the page's selectors cannot reach inside the shadow root, but a rule the page applies to
 * the host element itself (`div { letter-spacing: 3px }`) beats `:host` and is inherited inward; the
 * inner `.lc { all: initial }` cuts that inheritance too, while layout of the host stays the page's.
 *
 * Default palette on white, WCAG AA: text #1f2937 14.7:1, muted #4b5563 7.6:1, error #b42318 6.5:1,
 * white on accent #1d4ed8 6.7:1, input borders #6b7280 4.8:1 (non-text needs 3:1).
 */
export const css = `
:host{all:initial;display:block}
.lc{all:initial;display:block;--a:var(--leadcap-accent,#1d4ed8);--at:var(--leadcap-accent-text,#fff);--t:var(--leadcap-text,#1f2937);--m:var(--leadcap-muted,#4b5563);--b:var(--leadcap-border,#6b7280);--bg:var(--leadcap-background,#fff);--e:var(--leadcap-error,#b42318);--r:var(--leadcap-radius,8px);position:relative;box-sizing:border-box;max-width:var(--leadcap-max-width,32rem);padding:var(--leadcap-padding,1.25rem);background:var(--bg);color:var(--t);font:400 var(--leadcap-font-size,1rem)/1.5 var(--leadcap-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);text-align:start;border-radius:var(--r)}
.lc *,.lc *::before,.lc *::after{box-sizing:inherit}
h2{margin:0 0 .25em;font-size:1.25em;line-height:1.3;font-weight:600}
p{margin:0}
.lc-desc{color:var(--m);margin-bottom:1em}
fieldset{border:0;margin:0;padding:0;min-width:0}
.lc-field{margin-bottom:1em}
label{display:block;font-weight:500;margin-bottom:.25em}
input,textarea{font:inherit;color:var(--t);background:var(--bg);width:100%;margin:0;padding:.5em .75em;border:1px solid var(--b);border-radius:calc(var(--r) / 2)}
textarea{resize:vertical;min-height:6em}
::placeholder{color:#6b7280;opacity:1}
input:focus-visible,textarea:focus-visible,button:focus-visible{outline:2px solid var(--a);outline-offset:2px}
[aria-invalid=true]{border-color:var(--e)}
.lc-check{display:flex;flex-wrap:wrap;column-gap:.5em;align-items:flex-start}
.lc-check input{width:1.125em;height:1.125em;margin:.1875em 0 0;padding:0;flex:none;accent-color:var(--a)}
.lc-check label{flex:1;font-weight:400;margin:0}
.lc-check .lc-error{flex-basis:100%}
.lc-req,.lc-error,.lc-alert{color:var(--e)}
.lc-error{font-size:.875em;margin-top:.25em}
.lc-alert{margin-bottom:1em;padding-left:.75em;border-left:3px solid var(--e)}
button{font:inherit;font-weight:600;color:var(--at);background:var(--a);border:0;border-radius:var(--r);padding:.625em 1.25em;cursor:pointer}
fieldset:disabled button{opacity:.75;cursor:progress}
.lc-hp{position:absolute;left:-10000px;top:0;width:1px;height:1px;overflow:hidden}
.lc-loading{color:var(--m)}
.lc-success{outline:0}
`;

let shared: CSSStyleSheet | undefined;

/**
 * A constructable stylesheet, shared by every shadow root and allowed by a strict CSP; a <style>
 * element where constructable sheets are missing (Safari before 16.4).
 */
export function applyStyles(root: ShadowRoot): void {
  try {
    if (!shared) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shared = sheet;
    }
    root.adoptedStyleSheets = [shared];
  } catch {
    const style = document.createElement("style");
    style.textContent = css;
    root.prepend(style);
  }
}
