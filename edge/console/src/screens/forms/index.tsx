/**
 * Forms: the site's forms (list.tsx) and the form editor (editor.tsx): fields of every type the
 * widget renders (fields.tsx, options.tsx), display and triggers, theme, strings, translations (a file
 * each), beside a live preview of the real widget (preview.tsx). The model is pure (model.ts). The
 * console's router loads this module for the #/forms and #/forms/:id screens.
 */
export { FormEditorScreen } from "./editor.tsx";
export { FormsScreen } from "./list.tsx";
