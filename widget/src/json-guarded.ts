/**
 * Stands in for ./json.ts in leadcap.js and leadcap-ui.js (a Vite alias), where every byte is paid by
 * every page with a form: the page's own JSON.stringify, used only when it writes a probe exactly as
 * the standard one does. On a page that broke it (toJSON set on Object or Array; a replaced
 * stringify) it throws instead, and what the loader or the UI meant to store stays in memory for the
 * page's life (attribution and engagement of this visit, a submission kept while offline before
 * leadcap-send.js arrived). What is sent always goes through ./json.ts, in leadcap-send.js.
 */
export function stringify(value: unknown): string {
  // What is stored holds no Date and no boxed primitive: an object and an array are the probe.
  if (JSON.stringify({ a: [0] }) !== '{"a":[0]}') throw 0;
  return JSON.stringify(value);
}
