/**
 * Stands in for ./send.ts in the leadcap-ui.js build (a Vite alias): empty until leadcap-send.js has
 * loaded, which ui/inline.ts does as soon as a form is shown, and the form awaits before it checks
 * or submits anything (`Host.ready`).
 */
import type { Send } from "./send.ts";

export const send = {} as Send;
