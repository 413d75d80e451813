/**
 * How a form is shown on the page: display mode, triggers, frequency caps, theme and strings.
 * Read by the widget (types only) and validated by the edge with the rest of the site config.
 */
import * as z from "zod/mini";

export const DISPLAY_MODES = ["inline", "popup", "slide-in", "launcher", "bar"] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];

export const DisplaySchema = z.object({
  /** @default "inline" */
  mode: z._default(z.enum(DISPLAY_MODES), "inline"),
});
export type Display = z.infer<typeof DisplaySchema>;
