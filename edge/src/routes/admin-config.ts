/**
 * Site configuration through the admin API, for the console: read the config being served, save a
 * new version (validated with the same schema the edge runs on, optimistic on the version it was
 * based on), list and read versions, roll back, and create a site. Version 0 is the config in code
 * (shared/sites or LEADCAP_SITES): it is never stored and is always there to roll back to.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type * as z from "zod/mini";
import {
  CalibrationBodySchema,
  CreateSiteBodySchema,
  RollbackBodySchema,
  SaveConfigBodySchema,
  VersionsQuerySchema,
} from "../../../shared/api/requests.ts";
import { roleOn } from "../../../shared/api/roles.ts";
import { DeleteSiteBodySchema } from "../../../shared/api/site-removal.ts";
import { calibrate, calibrationReport } from "../../../shared/calibration.ts";
import { type SiteConfig, SiteSchema } from "../../../shared/config.ts";
import { type ScoringInput, scoringInputFor } from "../../../shared/scoring.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { assertSiteAccess } from "../pipeline/auth.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { fromClient, masked, sealed } from "../secrets.ts";
import { builtInSite, forgetSite, getSite, siteVersion, useSaved } from "../sites.ts";
import { configStoreFor, siteRemovalFor, storeFor } from "../stores/index.ts";
import type { ConfigVersionSummary } from "../stores/ports/config.ts";

export const configAdmin = new Hono<AppEnv>();

/** A site config is far below this; the limit keeps a runaway client from filling the store. */
const CONFIG_BODY_LIMIT = 512 * 1024;

async function body<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJsonBody(c.req.raw, CONFIG_BODY_LIMIT));
  if (!parsed.success) {
    throw new ApiError("invalid_request", "The request body is not valid.", {
      fields: fieldErrors(parsed.error.issues),
    });
  }
  return parsed.data;
}

/** The config, validated as the edge will run it: 400 with every failing path otherwise. */
export function validConfig(input: unknown, site?: string): SiteConfig {
  const result = SiteSchema.safeParse(input);
  if (!result.success) {
    throw new ApiError("validation_failed", "The configuration is not valid.", {
      fields: fieldErrors(result.error.issues),
    });
  }
  if (site !== undefined && result.data.id !== site) {
    throw new ApiError("validation_failed", "The configuration is not valid.", {
      fields: { id: `Must stay "${site}": a site's id cannot change.` },
    });
  }
  return result.data;
}

/** A site the token may see (404 for one that does not exist, 403 for one it may not see). */
export function visibleSite(c: Context<AppEnv>): string {
  const id = c.req.param("site") ?? "";
  if (!getSite(id, c.env)) throw new ApiError("not_found", `There is no site "${id}".`);
  assertSiteAccess(c, id);
  return id;
}

/**
 * What only an owner changes in a config: where leads go (destinations, their secrets among them), the
 * site's name, and whether it takes leads (`disabled`). An editor's save or rollback that would change
 * one of them is refused (403, naming them); everything else an editor edits as before.
 */
const OWNER_PARTS = ["destinations", "name", "disabled"] as const;

async function assertOwnerParts(c: Context<AppEnv>, config: SiteConfig, baseVersion: number) {
  const principal = c.get("principal");
  if (!principal || roleOn(principal.roles, config.id) === "owner") return;
  // A site being created has no version to compare with: only an owner creates sites (roles.ts).
  const base = (await readVersion(c, config.id, baseVersion).catch(() => undefined))?.config as
    | SiteConfig
    | undefined;
  if (!base) return;
  const changed = OWNER_PARTS.filter((part) => JSON.stringify(config[part]) !== JSON.stringify(base[part]));
  if (changed.length)
    throw new ApiError("forbidden", `Only an owner may change ${changed.join(", ")}.`, {
      fields: Object.fromEntries(changed.map((part) => [part, "Only an owner may change this."])),
    });
}

/** The config being served, its secrets masked (never answered in clear, nor sealed). */
async function served(c: Context<AppEnv>, id: string) {
  const version = siteVersion(id, c.env)!;
  return { site: id, ...version, config: await masked(getSite(id, c.env)!, c.env) };
}

/**
 * A config a client sent: the masks it sent back keep the secrets of the version it was based on
 * (edge/src/secrets.ts fromClient).
 */
async function clientConfig(c: Context<AppEnv>, input: unknown, id: string | undefined, baseVersion = 0) {
  const config = validConfig(input, id);
  const base = id === undefined ? undefined : await readVersion(c, id, baseVersion).catch(() => undefined);
  return fromClient(config, base?.config, c.env);
}

/**
 * Saves `config` as the version after `baseVersion`; 409 when someone saved since. Its secrets are
 * stored sealed (400 when there is no key to seal them with) and answered masked.
 */
export async function save(c: Context<AppEnv>, input: SiteConfig, baseVersion: number, note: string) {
  await assertOwnerParts(c, input, baseVersion);
  const config = await sealed(input, c.env);
  const createdAt = new Date().toISOString();
  const version = baseVersion + 1;
  const ok = await configStoreFor(c.env).saveConfig({
    site: config.id,
    version,
    config,
    note,
    author: c.get("adminActor") ?? "",
    createdAt,
  });
  if (!ok) {
    throw new ApiError(
      "conflict",
      `This site's configuration was saved by someone else since version ${baseVersion}. Reload it and apply your change again.`,
    );
  }
  useSaved(c.env, config, version, createdAt);
  // What the audit log records for this save (pipeline/roles.ts writes it).
  c.set("auditSites", [config.id]);
  c.set("auditTarget", `version ${version}${note ? `: ${note}` : ""}`);
  const answer = await masked(config, c.env);
  return { site: config.id, version, updatedAt: createdAt, source: "store" as const, config: answer };
}

configAdmin.get("/sites/:site/config", async (c) => c.json(await served(c, visibleSite(c))));

configAdmin.put("/sites/:site/config", async (c) => {
  const id = visibleSite(c);
  const input = await body(c, SaveConfigBodySchema);
  const config = await clientConfig(c, input.config, id, input.baseVersion);
  return c.json(await save(c, config, input.baseVersion, input.note ?? ""));
});

configAdmin.post("/sites/:site/config/rollback", async (c) => {
  const id = visibleSite(c);
  const input = await body(c, RollbackBodySchema);
  const target = (await readVersion(c, id, input.version)).config;
  // Validated again: the schema may have moved on since that version was saved.
  let config: SiteConfig;
  try {
    config = validConfig(target, id);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new ApiError(
      "unprocessable",
      `Version ${input.version} is no longer a valid configuration; edit it and save instead.`,
      { fields: error.fields },
    );
  }
  return c.json(await save(c, config, input.baseVersion, `Rolled back to version ${input.version}`));
});

configAdmin.get("/sites/:site/config/versions", async (c) => {
  const id = visibleSite(c);
  const query = VersionsQuerySchema.safeParse(c.req.query());
  if (!query.success) {
    throw new ApiError("invalid_request", "Some parameters are not valid.", {
      fields: fieldErrors(query.error.issues),
    });
  }
  const limit = Number(query.data.limit ?? 20);
  const before = query.data.cursor === undefined ? undefined : Number(query.data.cursor);
  const versions: (Omit<ConfigVersionSummary, "createdAt"> & { createdAt: string | null })[] =
    await configStoreFor(c.env).listConfigVersions(id, limit, before);
  let next: string | null = null;
  if (versions.length === limit) {
    next = String(versions.at(-1)!.version);
  } else if (builtInSite(id, c.env)) {
    // The bottom of the history: the config in code, which a rollback can always return to.
    versions.push(codeVersion(id));
  }
  return c.json({ versions, next });
});

/** Version 0 of a site: the config in code (or LEADCAP_SITES), never stored. */
const codeVersion = (site: string) => ({
  site,
  version: 0,
  note: "The configuration in code",
  author: "",
  createdAt: null,
});

/** One version with its config (0: the config in code); 404 when the site has no such version. */
async function readVersion(c: Context<AppEnv>, id: string, version: number) {
  if (version === 0) {
    const site = builtInSite(id, c.env);
    if (site) return { ...codeVersion(id), config: site as unknown };
  } else {
    const entry = await configStoreFor(c.env).getConfigVersion(id, version);
    if (entry) return entry;
  }
  throw new ApiError("not_found", `Site "${id}" has no version ${version}.`);
}

configAdmin.get("/sites/:site/config/versions/:version", async (c) => {
  const id = visibleSite(c);
  const raw = c.req.param("version");
  if (!/^\d{1,9}$/.test(raw)) throw new ApiError("not_found", `Site "${id}" has no version ${raw}.`);
  const entry = await readVersion(c, id, Number(raw));
  return c.json({ ...entry, config: await masked(entry.config, c.env) });
});

/** A new site, saved as version 1. Only a token for every site may create one. */
configAdmin.post("/sites", async (c) => {
  if (c.get("adminScope") !== "*") {
    throw new ApiError("forbidden", "Only an admin token for every site may create a site.");
  }
  const input = await body(c, CreateSiteBodySchema);
  const config = await clientConfig(c, input.config, undefined);
  if (getSite(config.id, c.env)) {
    throw new ApiError("conflict", `A site "${config.id}" exists already; edit its configuration instead.`);
  }
  return c.json(await save(c, config, 0, input.note ?? "Created"), 201);
});

/**
 * Deletes a site and everything stored for it (its saved configs, leads, deliveries, counters; the
 * site from tokens and members); the audit log keeps its entries. The body repeats the site's id. A
 * site in LEADCAP_SITES would come back as version 0: it is removed from the variable instead (409).
 */
configAdmin.delete("/sites/:site", async (c) => {
  const id = visibleSite(c);
  if (builtInSite(id, c.env)) {
    throw new ApiError(
      "conflict",
      `Site "${id}" is configured in the LEADCAP_SITES variable: remove it from LEADCAP_SITES to delete it.`,
    );
  }
  const input = await body(c, DeleteSiteBodySchema);
  if (input.confirm !== id) {
    throw new ApiError("invalid_request", "Type the site's id to confirm its deletion.", {
      fields: { confirm: `Must be "${id}".` },
    });
  }
  const removed = await siteRemovalFor(c.env).removeSite(id, new Date().toISOString());
  forgetSite(c.env, id);
  c.set("auditSites", [id]);
  c.set("auditTarget", `site ${id}`);
  return c.json({ site: id, removed });
});

/** The most outcomes one calibration reads, and the fewest of each kind it fits on. */
export const CALIBRATION_MAX_LEADS = 20_000;
export const CALIBRATION_MIN_EACH = 10;

/**
 * Fits the site's own rules to the outcomes in its store and answers a proposal: the scoring config
 * with fitted points and thresholds, and a report. Nothing is saved: the marketer accepts it by
 * saving the config with that scoring (the console does, as a new version).
 */
configAdmin.post("/sites/:site/calibration", async (c) => {
  const id = visibleSite(c);
  const input = await body(c, CalibrationBodySchema);
  const site = getSite(id, c.env)!;
  const store = storeFor(c.env);
  const inputs: ScoringInput[] = [];
  const outcomes: boolean[] = [];
  const page = 500;
  let after: string | undefined;
  while (inputs.length < CALIBRATION_MAX_LEADS) {
    const rows = await store.listOutcomes(id, page, after);
    for (const row of rows) {
      // The lead as it stood before its outcome was known: events up to then, scored at its last conversion.
      const events = row.events.filter((e) => e.at <= row.at);
      const at = row.lead.lastConversionAt ?? row.lead.createdAt;
      inputs.push(scoringInputFor(site, row.lead, events, at));
      outcomes.push(row.outcome === "converted");
    }
    if (rows.length < page) break;
    after = rows.at(-1)!.lead.id;
  }
  const converted = outcomes.filter(Boolean).length;
  const lost = outcomes.length - converted;
  if (converted < CALIBRATION_MIN_EACH || lost < CALIBRATION_MIN_EACH) {
    throw new ApiError(
      "unprocessable",
      `Calibration needs at least ${CALIBRATION_MIN_EACH} converted and ${CALIBRATION_MIN_EACH} lost leads; this site has ${converted} converted and ${lost} lost. Record outcomes from your CRM with POST /v1/admin/outcomes.`,
    );
  }
  const result = calibrate(inputs, outcomes, site.scoring, {
    ...(input.hotConversion !== undefined ? { hotConversion: input.hotConversion } : {}),
    ...(input.coldConversion !== undefined ? { coldConversion: input.coldConversion } : {}),
  });
  return c.json({
    site: id,
    baseVersion: siteVersion(id, c.env)!.version,
    scoring: result.config,
    report: calibrationReport(result, outcomes),
  });
});
