/**
 * Built-in UI strings in English; other languages come from leadcap-i18n.js (./i18n.ts), which the
 * loader fetches for a form whose `display.language` (else the page's `<html lang>`) is not English.
 * The English strings of choice and number fields and multi-step forms come with them, in
 * ./more.tsx. Any string can be replaced per form by `display.strings`. `{n}` and `{total}` are
 * filled in. Strings are rendered as text, never as HTML.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { StringKey } from "../../../shared/display.ts";
import type { Strings } from "../host.ts";
import { more } from "./more.tsx";

export const en: Partial<Strings> = {
  required: "Please fill in this field.",
  tick: "Please tick this box to continue.",
  email: "Please enter a valid email address, like name@example.com.",
  url: "Please enter a full web address, starting with https://.",
  tel: "Please enter a phone number, like +44 20 7946 0958.",
  tooShort: "Please use at least {n} characters.",
  tooLong: "Please use at most {n} characters.",
  pattern: "Please use the format asked for.",
  sending: "Sending…",
  retry: "We could not send your details. Check your connection and try again.",
  queued: "Your details are saved on this device and will be sent as soon as the connection is back.",
  close: "Close",
};

export type Translate = (key: StringKey, n?: number, total?: number) => string;

/** `strings`: the built-in strings of the form's language, English when missing. */
export function translator(config: FormConfig, strings: Partial<Strings> = en): Translate {
  const own = config.display?.strings;
  return (key, n, total) =>
    (own?.[key] ?? strings[key] ?? more.strings?.[key] ?? "")
      .replace("{n}", String(n ?? ""))
      .replace("{total}", String(total ?? ""));
}
