/**
 * Destinations (where a routed lead is pushed) and routing (which leads and events go where).
 */
import * as z from "zod/mini";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));

/**
 * A webhook destination. `url` and `secret` may name Worker environment variables as `${NAME}`, so
 * the config stays plain data while secrets live in Worker secrets; a destination whose variables
 * are unset is skipped (and says so in the log).
 */
export const DestinationSchema = z.object({
  id,
  type: z.literal("webhook"),
  url: z.string().check(z.maxLength(2000)),
  /** Standard Webhooks secret, `whsec_` + base64. */
  secret: z.string().check(z.maxLength(200)),
});
export type Destination = z.infer<typeof DestinationSchema>;

/** Routing rules. Until a site sets them, every destination receives every lead and event. */
export const RoutingSchema = z.object({});
export type Routing = z.infer<typeof RoutingSchema>;
