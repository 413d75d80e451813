/**
 * The English validation messages a visitor reads, whichever side caught the error: the widget shows
 * them before sending (its built-in English strings, in leadcap-send.js), the edge answers them in
 * `error.fields` when it refuses a submission (edge/src/pipeline/validate.ts). `{n}` is filled in.
 * Other languages are the widget's (widget/src/ui/i18n.ts); a form may replace any of them with
 * `display.strings` (the keys are display.ts's STRING_KEYS). Reaches the widget: no zod, plain data.
 */
import type { StringKey } from "./display.ts";

export type MessageKey = Extract<
  StringKey,
  | "required"
  | "tick"
  | "email"
  | "url"
  | "tel"
  | "tooShort"
  | "tooLong"
  | "pattern"
  | "number"
  | "min"
  | "max"
  | "increment"
  | "option"
>;

export const MESSAGES_EN: Readonly<Record<MessageKey, string>> = {
  required: "Please fill in this field.",
  tick: "Please tick this box to continue.",
  email: "Please enter a valid email address, like name@example.com.",
  url: "Please enter a full web address, starting with https://.",
  tel: "Please enter a phone number, like +44 20 7946 0958.",
  tooShort: "Please use at least {n} characters.",
  tooLong: "Please use at most {n} characters.",
  pattern: "Please use the format asked for.",
  number: "Please enter a number.",
  min: "Please enter {n} or more.",
  max: "Please enter {n} or less.",
  increment: "Please use a multiple of {n}.",
  option: "Please choose an option.",
};
