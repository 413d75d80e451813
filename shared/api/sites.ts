/** The public site and form settings the widget reads (`GET /v1/sites/{site}`, `…/forms/{form}`). */
import * as z from "zod/mini";
import { FormSchema, TrackingSchema } from "../config.ts";

export const PublicSiteConfigSchema = z.object({
  site: z.string(),
  tracking: TrackingSchema,
  /** The site's forms and how each is displayed (inline, modal, slide-in, …). */
  forms: z.array(z.object({ id: z.string(), mode: z.string() })),
});
export type PublicSiteConfig = z.infer<typeof PublicSiteConfigSchema>;

/**
 * What `GET /v1/sites/:site/forms/:form` serves to the widget: the form, nothing secret, and the
 * site's tracking settings, so a page whose script tag names a form needs no second request for them.
 */
export const PublicFormConfigSchema = z.object({
  site: z.string(),
  /** The form, in the page's language when it has a translation for it. */
  form: FormSchema,
  tracking: TrackingSchema,
});
export type PublicFormConfig = z.infer<typeof PublicFormConfigSchema>;
