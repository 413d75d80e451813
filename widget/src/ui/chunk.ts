/**
 * Entry point of leadcap-ui.js: what `window.__leadcap_ui` holds (see ../host.ts, `UI`), and nothing
 * more (./index.tsx also exports its parts for the tests and the console's preview).
 */
export { mount, p } from "./index.tsx";
export { inline } from "./inline.ts";
