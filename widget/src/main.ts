/**
 * Entry point of leadcap.js, the eager loader:
 *   <script src="https://edge.example/leadcap.js" data-site="demo" data-form="contact" async></script>
 * Optional `data-*`: endpoint (default: the script's own origin); form may list several ids
 * (`contact,newsletter`) or be left out on pages without a form. Tracking settings come from the
 * site's config (GET /v1/sites/:site); these attributes override them: consent="required"|"off"
 * (consent mode), honor-gpc, honor-dnt (present or "true" / "false"), key-pages (`/pricing*,/docs/*`).
 * Inline forms render into every `[data-leadcap-form="<id>"]`, or right after the script tag.
 *
 * The page may call the API before this arrives through the queue stub:
 *   window.leadcap = window.leadcap || function () { (leadcap.q = leadcap.q || []).push(arguments) };
 */
import { type Leadcap, start } from "./loader.ts";
import { warn } from "./log.ts";

type Api = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean };

// document.currentScript is only set while this top level runs, never in callbacks.
const script = document.currentScript as HTMLScriptElement | null;

function boot() {
  const data = script?.dataset ?? {};
  const w = window as unknown as { leadcap?: Api };
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const forms = list(data.form);
  // A second script tag on the page adds its forms to the running loader instead of a second copy.
  if (w.leadcap?.loaded) {
    w.leadcap("forms", forms);
    return;
  }
  if (!data.site) {
    warn("the script tag needs data-site");
    return;
  }
  const endpoint = (data.endpoint || new URL(script!.src, location.href).origin).replace(/\/+$/, "");
  // An attribute left out leaves the site's setting (GET /v1/sites/:site) in force.
  const flag = (name: string) => (data[name] === undefined ? undefined : data[name] !== "false");
  const queued = Array.from(w.leadcap?.q ?? []);
  const leadcap: Leadcap = start({
    site: data.site,
    forms,
    endpoint,
    script,
    consent: data.consent === undefined ? undefined : data.consent === "required",
    gpc: flag("honorGpc"),
    dnt: flag("honorDnt"),
    keyPages:
      data.keyPages === undefined
        ? undefined
        : Object.fromEntries(list(data.keyPages).map((pattern) => [pattern, pattern])),
  });
  const api: Api = (...args) => leadcap.command(String(args[0]), ...args.slice(1));
  api.loaded = true;
  w.leadcap = api;
  for (const args of queued) api(...Array.from(args));
}

function safeBoot() {
  try {
    boot();
  } catch (error) {
    warn("could not start:", error);
  }
}

try {
  // An async script can run while the page is still parsing: containers below it may not exist yet.
  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", safeBoot, { once: true });
  else safeBoot();
} catch (error) {
  warn("could not start:", error);
}
