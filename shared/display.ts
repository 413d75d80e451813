/**
 * How a form is shown on the page: display mode, triggers, URL rules, frequency caps, theme and
 * strings. Read by the widget (types only) and validated by the edge with the rest of the site config.
 */
import * as z from "zod/mini";

export const DISPLAY_MODES = ["inline", "popup", "slide-in", "launcher", "bar"] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];

/** Where a slide-in or launcher sits (a corner), or a bar (top or bottom edge). */
export const POSITIONS = ["bottom-right", "bottom-left", "top", "bottom"] as const;
export type Position = (typeof POSITIONS)[number];

/**
 * When a popup, slide-in or bar opens. Any trigger that fires opens it (once per page view); with
 * none set it opens as soon as the page allows it. A launcher shows its button at once and opens on
 * click. `[data-leadcap-open="<form id>"]` elements always open their form, whatever the mode.
 */
export const TriggersSchema = z.object({
  /** Seconds after the page (or SPA route) loaded. */
  delaySeconds: z.optional(z.number().check(z.minimum(0), z.maximum(3600))),
  /** Percentage of the page scrolled, 0–100. */
  scrollPercent: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  /** Desktop: the pointer leaves through the top of the viewport; mobile: a fast scroll up or the tab hidden. */
  exitIntent: z.optional(z.boolean()),
  /** A CSS selector: a click on a matching element opens the form. */
  click: z.optional(z.string().check(z.maxLength(200))),
});
export type Triggers = z.infer<typeof TriggersSchema>;

/**
 * Page URL rules. A pattern is matched against the path and query (`/pricing*`), or the whole URL
 * when it starts with `http`; `*` matches anything. Exclusions win.
 */
export const UrlRulesSchema = z.object({
  /** @default every page */
  include: z.optional(z.array(z.string().check(z.maxLength(300))).check(z.maxLength(50))),
  exclude: z.optional(z.array(z.string().check(z.maxLength(300))).check(z.maxLength(50))),
});
export type UrlRules = z.infer<typeof UrlRulesSchema>;

/** Frequency caps for forms that open by themselves (popup, slide-in, bar). */
export const FrequencySchema = z.object({
  /** Open at most once per browser session. */
  oncePerSession: z.optional(z.boolean()),
  /** Open at most once every N days. */
  everyDays: z.optional(z.number().check(z.minimum(0), z.maximum(3650))),
  /** Never open again by itself once the visitor submitted it. @default true */
  stopAfterSubmit: z.optional(z.boolean()),
  /** Never open again by itself once the visitor closed it. @default false */
  stopAfterClose: z.optional(z.boolean()),
});
export type Frequency = z.infer<typeof FrequencySchema>;

/** A CSS value: no characters that could end a declaration or a rule. */
const cssValue = z.string().check(z.maxLength(100), z.regex(/^[^;{}<>\\]*$/, "a plain CSS value"));

/**
 * Theme, as CSS custom properties of the form's shadow root (`--leadcap-accent`, …). A page can set
 * the same properties on the form's container, which wins over the config.
 */
export const ThemeSchema = z.object({
  /** light, dark, or auto (follows the visitor's system setting). @default "light" */
  scheme: z.optional(z.enum(["light", "dark", "auto"])),
  accent: z.optional(cssValue),
  accentText: z.optional(cssValue),
  text: z.optional(cssValue),
  muted: z.optional(cssValue),
  background: z.optional(cssValue),
  border: z.optional(cssValue),
  error: z.optional(cssValue),
  radius: z.optional(cssValue),
  font: z.optional(cssValue),
  fontSize: z.optional(cssValue),
  spacing: z.optional(cssValue),
});
export type Theme = z.infer<typeof ThemeSchema>;

/**
 * UI strings the widget has built in (English, German, French, Spanish); the config may replace any.
 * The English validation messages are shared/messages.ts: the edge answers the same ones.
 */
export const STRING_KEYS = [
  "required",
  "tick",
  "email",
  "url",
  "tel",
  "number",
  "tooShort",
  "tooLong",
  "min",
  "max",
  "increment",
  "pattern",
  "option",
  "sending",
  "retry",
  "queued",
  "held",
  "refused",
  "close",
  "next",
  "back",
  "progress",
] as const;
export type StringKey = (typeof STRING_KEYS)[number];

export const DisplaySchema = z.object({
  /** @default "inline" */
  mode: z._default(z.enum(DISPLAY_MODES), "inline"),
  /** @default "bottom-right" (slide-in, launcher), "bottom" (bar) */
  position: z.optional(z.enum(POSITIONS)),
  triggers: z.optional(TriggersSchema),
  urls: z.optional(UrlRulesSchema),
  frequency: z.optional(FrequencySchema),
  /** The launcher button's text. @default the form's title */
  launcherLabel: z.optional(z.string().check(z.maxLength(80))),
  theme: z.optional(ThemeSchema),
  /**
   * Replacements for built-in strings; `{n}` stands for a number (tooLong, min, progress's `{n}`
   * and `{total}`). Rendered as text, never as HTML.
   */
  strings: z.optional(z.partialRecord(z.enum(STRING_KEYS), z.string().check(z.maxLength(300)))),
  /** Language of the built-in strings (en, de, fr, es). @default the page's `<html lang>` */
  language: z.optional(z.string().check(z.maxLength(35))),
});
export type Display = z.infer<typeof DisplaySchema>;
