/**
 * POST /v1/events: the widget's batched analytics (impressions, opens, submits). Counted per site,
 * form, day and type, and, when the batch carries the visitor's latest touch, per channel and
 * campaign (the touch itself is not stored). Events for forms the site does not have are ignored, not
 * errors: a page may run an older script than the config.
 */
import { Hono } from "hono/tiny";
import { channelOf } from "../../../shared/channels.ts";
import { EventBatchSchema } from "../../../shared/events.ts";
import { TouchSchema } from "../../../shared/signals.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { assertOrigin, siteCors } from "../pipeline/cors.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { getSite } from "../sites.ts";
import { storeFor } from "../stores/index.ts";
import type { EventCount } from "../stores/port.ts";

export const events = new Hono<AppEnv>();

events.use("*", siteCors());

events.post("/", async (c) => {
  const parsed = EventBatchSchema.safeParse(await readJsonBody(c.req.raw, 16 * 1024));
  if (!parsed.success) {
    throw new ApiError("invalid_request", "The events do not have the expected shape.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  const site = getSite(parsed.data.site, c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${parsed.data.site}".`);
  assertOrigin(c, site);

  const parsedTouch = TouchSchema.safeParse(parsed.data.touch);
  const touch = parsedTouch.success ? parsedTouch.data : undefined;
  const campaign = touch?.utm_campaign ?? "";
  const forms = new Map(site.forms.map((f) => [f.id, f]));
  // The visitor's channel, as a lead from this touch would get it (a rule may look at the form's
  // intent): classified once per form the batch names.
  const channels = new Map<string, string>();
  const channelFor = (formId: string) => {
    let channel = channels.get(formId);
    if (touch && channel === undefined) {
      channel = channelOf(touch, site.channels, { formIntent: forms.get(formId)?.intent });
      channels.set(formId, channel);
    }
    return channel;
  };
  const counts = new Map<string, EventCount>();
  for (const event of parsed.data.events) {
    if (!forms.has(event.form)) continue;
    const day = new Date(event.at).toISOString().slice(0, 10);
    const key = `${event.form}\u0000${day}\u0000${event.type}`;
    const entry = counts.get(key) ?? {
      form: event.form,
      day,
      type: event.type,
      count: 0,
      ...(touch ? { channel: channelFor(event.form), campaign } : {}),
    };
    entry.count++;
    counts.set(key, entry);
  }
  if (counts.size > 0) await storeFor(c.env).countEvents(site.id, [...counts.values()]);
  return c.json({ accepted: parsed.data.events.length }, 202);
});
