/**
 * POST /v1/events: the widget's batched analytics (impressions, opens, submits). Counted per site,
 * form, day and type, and, when the batch carries the visitor's latest touch, per channel and
 * campaign (the touch itself is not stored). Events for forms the site does not have are ignored, not
 * errors: a page may run an older script than the config. A batch is never refused for its events:
 * the invalid ones are dropped and counted in the answer (`{ accepted, dropped }`); only a body that
 * is not JSON or names no known site is refused.
 */
import { Hono } from "hono/tiny";
import { channelOf } from "../../../shared/channels.ts";
import type { EventsAnswer } from "../../../shared/events.ts";
import { TouchSchema } from "../../../shared/signals.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { captureHealth } from "../pipeline/capture.ts";
import { assertOrigin, siteCors } from "../pipeline/cors.ts";
import { batchEvents } from "../pipeline/repair.ts";
import { getSite } from "../sites.ts";
import { storeFor } from "../stores/index.ts";
import type { EventCount } from "../stores/ports/metrics.ts";

export const events = new Hono<AppEnv>();

events.use("*", captureHealth());
events.use("*", siteCors());

events.post("/", async (c) => {
  const body = await readJsonBody(c.req.raw, 16 * 1024);
  const batch = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof batch.site !== "string") {
    throw new ApiError("invalid_request", "The events do not name a site.", {
      fields: { site: "Expected the site's id." },
    });
  }
  const site = getSite(batch.site, c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${batch.site}".`);
  // Named before the origin is checked, so capture health can count a refusal against the site.
  c.set("site", site.id);
  assertOrigin(c, site);

  const { events: valid, dropped } = batchEvents(batch.events);
  const parsedTouch = TouchSchema.safeParse(batch.touch);
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
  for (const event of valid) {
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
  return c.json({ accepted: valid.length, dropped } satisfies EventsAnswer, 202);
});
