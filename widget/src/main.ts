/**
 * Entry point of leadcap.js, loaded by
 *   <script src="https://edge.example/leadcap.js" data-site="demo" data-form="contact" async></script>
 * Optional: data-endpoint (default: the script's own origin). Forms render into every
 * `[data-leadcap-form="<form>"]` on the page, or right after the script tag if there is none.
 */
import { boot, scriptOptions } from "./boot.ts";
import { warn } from "./log.ts";

// document.currentScript is only set while this top level runs, never in callbacks.
const script = document.currentScript as HTMLScriptElement | null;

function start() {
  try {
    const options = scriptOptions(script);
    if (options) boot(options);
  } catch (error) {
    warn("could not start:", error);
  }
}

try {
  // An async script can run while the page is still parsing: containers below it may not exist yet.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
} catch (error) {
  warn("could not start:", error);
}
