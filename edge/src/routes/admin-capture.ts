/**
 * Capture health through the admin API: what the public write routes refused or repaired for a site,
 * per day and reason, with the origins it came from; and allowing one more origin in one step (a
 * new config version, as the config editor saves one), so a page on a new domain starts being
 * accepted within seconds.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import {
  AllowOriginBodySchema,
  type CaptureHealth,
  type CaptureReason,
  NO_ORIGIN,
} from "../../../shared/capture.ts";
import type { SiteConfig } from "../../../shared/config.ts";
import { originProblem, parseOrigin } from "../../../shared/origins.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { dayRange } from "../pipeline/day-range.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { masked } from "../secrets.ts";
import { builtInSite, getSite, isOriginAllowed } from "../sites.ts";
import { captureStoreFor, configStoreFor } from "../stores/index.ts";
import { MAX_CAPTURE_DAYS } from "../stores/ports/capture.ts";
import { save, validConfig, visibleSite } from "./admin-config.ts";

export const captureAdmin = new Hono<AppEnv>();

/** The most origins one answer lists. */
const MAX_ORIGINS = 200;

const add = (into: Partial<Record<CaptureReason, number>>, reason: CaptureReason, n: number) => {
  into[reason] = (into[reason] ?? 0) + n;
};

captureAdmin.get("/sites/:site/capture-health", async (c) => {
  const id = visibleSite(c);
  const site = getSite(id, c.env)!;
  const { from, to } = dayRange(c, MAX_CAPTURE_DAYS);
  const { rows, bots } = await captureStoreFor(c.env).read(id, from, to);

  const answer: CaptureHealth = {
    site: id,
    from,
    to,
    total: 0,
    byReason: {},
    days: [],
    events: { total: 0, byReason: {} },
    origins: [],
  };
  const days = new Map<string, CaptureHealth["days"][number]>();
  const dayOf = (day: string) => {
    const entry = days.get(day) ?? { day, total: 0, byReason: {} };
    days.set(day, entry);
    return entry;
  };
  const origins = new Map<string, CaptureHealth["origins"][number]>();
  for (const row of rows) {
    if (row.route === "events") {
      answer.events.total += row.count;
      add(answer.events.byReason, row.reason, row.count);
    } else {
      answer.total += row.count;
      add(answer.byReason, row.reason, row.count);
      const day = dayOf(row.day);
      day.total += row.count;
      add(day.byReason, row.reason, row.count);
    }
    if (row.origin === NO_ORIGIN) continue;
    let origin = origins.get(row.origin);
    if (!origin) {
      origin = {
        origin: row.origin,
        submissions: 0,
        events: 0,
        byReason: {},
        lastSeen: row.lastSeen,
        allowed: isOriginAllowed(site, row.origin, c.env),
      };
      origins.set(row.origin, origin);
    }
    if (row.route === "events") origin.events += row.count;
    else origin.submissions += row.count;
    add(origin.byReason, row.reason, row.count);
    if (row.lastSeen > origin.lastSeen) origin.lastSeen = row.lastSeen;
  }
  for (const bot of bots) {
    answer.total += bot.count;
    add(answer.byReason, "bot", bot.count);
    const day = dayOf(bot.day);
    day.total += bot.count;
    add(day.byReason, "bot", bot.count);
  }
  answer.days = [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  // What the owner can act on first: origins refused for not being allowed (and still not), then
  // the busiest, then the most recent.
  const refused = (o: CaptureHealth["origins"][number]) => !o.allowed && !!o.byReason.origin_not_allowed;
  answer.origins = [...origins.values()]
    .sort(
      (a, b) =>
        Number(refused(b)) - Number(refused(a)) ||
        b.submissions + b.events - (a.submissions + a.events) ||
        (a.lastSeen < b.lastSeen ? 1 : -1),
    )
    .slice(0, MAX_ORIGINS);
  return c.json(answer);
});

/** The newest version of the site's config, read from the store (not this isolate's copy of it). */
async function newestConfig(c: Context<AppEnv>, id: string) {
  const store = configStoreFor(c.env);
  const [newest] = await store.listConfigVersions(id, 1);
  const saved = newest && (await store.getConfigVersion(id, newest.version));
  if (saved) return { version: saved.version, updatedAt: saved.createdAt, config: saved.config };
  const code = builtInSite(id, c.env);
  if (!code) throw new ApiError("not_found", `There is no site "${id}".`);
  return { version: 0, updatedAt: null, config: code as unknown };
}

/**
 * Adds one origin to the site's allowed origins, as a new config version (noted "Allowed <origin>",
 * with the acting token, in the history). Read from the newest version and saved on it, so the
 * version check holds; adding is the same whatever was saved in between, so a save that lost to
 * another one is tried again on the newer version instead of answering 409. Already allowed: nothing
 * is saved (`added: false`).
 */
captureAdmin.post("/sites/:site/allowed-origins", async (c) => {
  const id = visibleSite(c);
  const parsed = AllowOriginBodySchema.safeParse(await readJsonBody(c.req.raw, 4 * 1024));
  if (!parsed.success) {
    throw new ApiError("invalid_request", "The request body is not valid.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  const origin = parseOrigin(parsed.data.origin);
  if (!origin) {
    throw new ApiError("validation_failed", "That is not an origin.", {
      fields: { origin: originProblem(parsed.data.origin) ?? "Not an origin." },
    });
  }
  for (let attempt = 1; ; attempt++) {
    const newest = await newestConfig(c, id);
    let config: SiteConfig;
    try {
      config = validConfig(newest.config, id);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(
        "unprocessable",
        "The site's configuration is no longer valid; fix it in the config editor first.",
        { fields: error.fields },
      );
    }
    if (isOriginAllowed(config, origin, c.env)) {
      const source = newest.version === 0 ? ("code" as const) : ("store" as const);
      return c.json({
        site: id,
        ...newest,
        source,
        config: await masked(config, c.env),
        origin,
        added: false,
      });
    }
    const next = validConfig({ ...config, allowedOrigins: [...config.allowedOrigins, origin] }, id);
    try {
      return c.json({ ...(await save(c, next, newest.version, `Allowed ${origin}`)), origin, added: true });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "conflict") || attempt >= 3) throw error;
    }
  }
});
