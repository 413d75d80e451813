/**
 * Built-in UI strings in English; other languages come from leadcap-i18n.js (./i18n.ts), which the
 * loader fetches for a form whose `display.language` (else the page's `<html lang>`) is not English.
 * The English strings of choice and number fields and multi-step forms come with them, in
 * ./more.tsx; the validation and sending messages with the checks and the outbox, in ../send.ts; the
 * close button's label with the dialogs, in ../modes/Overlay.tsx. Any string can be replaced per
 * form by `display.strings`. `{n}` and `{total}` are filled in. Strings are rendered as text, never
 * as HTML.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { StringKey } from "../../../shared/display.ts";
import type { Strings } from "../host.ts";
import { send } from "../send.ts";
import { more } from "./more.tsx";

export const en: Partial<Strings> = {
  // Kept here, not with the sending ones (../send.ts): said when leadcap-send.js could not be loaded.
  queued: "Your details are saved on this device and will be sent as soon as the connection is back.",
};

export type Translate = (key: StringKey, n?: number, total?: number) => string;

/** `strings`: the built-in strings of the form's language, English when missing. */
export function translator(config: FormConfig, strings: Partial<Strings> = en): Translate {
  const own = config.display?.strings;
  return (key, n, total) =>
    (own?.[key] ?? strings[key] ?? more.strings?.[key] ?? send.strings?.[key] ?? "")
      .replace("{n}", String(n ?? ""))
      .replace("{total}", String(total ?? ""));
}
