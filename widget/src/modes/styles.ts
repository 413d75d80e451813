/**
 * Styles of the shells leadcap-modes.js draws around a form (popup backdrop and dialog, slide-in,
 * launcher button and panel, bar), added to the base sheet of the form's shadow root.
 */
const v = (name: string, fallback: string) => `var(--leadcap-${name},${fallback})`;

export const css = `
.lc-backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(17,24,39,.6);overflow:auto}
.lc-dialog{width:100%;max-height:calc(100vh - 32px);overflow:auto;box-shadow:0 10px 40px rgba(0,0,0,.35);outline:0}
.lc-slide{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:min(384px,calc(100vw - 32px))}
.lc-panel{bottom:80px}
.lc-left{right:auto;left:16px}
.lc .lc-x{position:absolute;top:8px;right:8px;padding:.25em .6em;color:var(--t);background:transparent;font-size:1.25em;line-height:1}
.lc-launch{position:fixed;z-index:2147483000;right:16px;bottom:16px;padding:.75em 1.25em;border-radius:999px;box-shadow:0 4px 16px rgba(0,0,0,.3);font:600 16px/1.2 system-ui,sans-serif;color:${v("accent-text", "#fff")};background:${v("accent", "#1d4ed8")}}
.lc-bar{position:fixed;z-index:2147483000;left:0;right:0;bottom:0;max-width:none;border-radius:0;padding:12px 48px 12px 16px;box-shadow:0 -2px 16px rgba(0,0,0,.2)}
.lc-top{top:0;bottom:auto}
.lc-bar form{display:flex;flex-wrap:wrap;align-items:flex-end;column-gap:1em}
.lc-bar h2{flex-basis:100%}
.lc-bar .lc-desc{flex-basis:100%;margin-bottom:.5em}
.lc-bar fieldset{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.5em 1em;flex:1}
.lc-bar .lc-field{margin:0;flex:1 1 132px}
`;
