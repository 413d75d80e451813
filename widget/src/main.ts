/**
 * Entry point of leadcap.js, the eager loader:
 *   <script src="https://edge.example/leadcap.js" data-site="demo" data-form="contact" async></script>
 * Optional `data-*`: endpoint (default: the folder the script was served from — the edge's origin, or
 * a path of the site's own, `https://example.com/lc/w.js` → `https://example.com/lc`, where the site
 * serves Leadcap first-party, out of ad blockers' way); form may list several ids
 * (`contact,newsletter`) or be left out on pages without a form. Tracking settings come from the
 * site's config (GET /v1/sites/:site); these attributes override them: consent="required"|"off"
 * (consent mode), honor-gpc, honor-dnt (present or "true" / "false"), key-pages (`/pricing*,/docs/*`).
 * Inline forms render into every `[data-leadcap-form="<id>"]`, or right after the script tag.
 *
 * The page may call the API before this arrives through the queue stub:
 *   window.leadcap = window.leadcap || function () { (leadcap.q = leadcap.q || []).push(arguments) };
 */
import { start } from "./loader.ts";
import { warn } from "./log.ts";

type Api = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean };

// document.currentScript is only set while this top level runs, never in callbacks.
const script = document.currentScript as HTMLScriptElement | null;

function boot() {
  const data = script?.dataset ?? {};
  const w = window as unknown as { leadcap?: Api };
  const list = (value = "") =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const forms = list(data.form);
  // A second script tag on the page adds its forms to the running loader instead of a second copy.
  if (w.leadcap?.loaded) return w.leadcap("forms", forms);
  if (!data.site) return warn("data-site missing");
  // An attribute left out leaves the site's setting (GET /v1/sites/:site) in force.
  const flag = (value?: string) => (value === undefined ? value : value !== "false");
  const leadcap = start({
    site: data.site,
    forms,
    endpoint: (data.endpoint || new URL(".", script!.src).href).replace(/\/+$/, ""),
    script,
    consent: data.consent as "required" | "off" | undefined,
    gpc: flag(data.honorGpc),
    dnt: flag(data.honorDnt),
    keyPages:
      data.keyPages === undefined ? undefined : Object.fromEntries(list(data.keyPages).map((p) => [p, p])),
  });
  const queued = w.leadcap?.q ?? [];
  // The command itself (it needs no `this`): it checks its arguments inside its own try.
  const api: Api = leadcap.command as Api;
  api.loaded = true;
  w.leadcap = api;
  for (const args of Array.from(queued)) api(...Array.from(args));
}

// At once, even while the page is still parsing: the form's config and the UI leave now; the loader
// looks for containers once the page is parsed.
try {
  boot();
} catch (error) {
  warn(error);
}
