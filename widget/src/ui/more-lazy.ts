/**
 * Stands in for ./more.tsx in the leadcap-ui.js build (a Vite alias): empty until leadcap-more.js
 * has loaded, which ./inline.ts does before it renders a form that needs it (`needsMore`).
 */
import type { More } from "./more.tsx";

export const more = { fields: {} } as More;
