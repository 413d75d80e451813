/**
 * The admin API's configuration shapes: the config being served, saved versions, save / rollback /
 * create bodies, the sites a token may see, and the calibration proposal.
 */
import * as z from "zod/mini";
import { SiteSchema } from "../config.ts";
import { ScoringSchema } from "../scoring-schema.ts";

export {
  CalibrationBodySchema,
  CreateSiteBodySchema,
  RollbackBodySchema,
  SaveConfigBodySchema,
  VersionsQuerySchema,
} from "./requests.ts";

/** One saved version of a site's config (the parsed, normalized config as JSON-ready data). */
export const ConfigVersionSchema = z.object({
  site: z.string(),
  version: z.number(),
  config: z.unknown(),
  note: z.string(),
  /** Who saved it: a fingerprint of the admin token, never the token. */
  author: z.string(),
  createdAt: z.string(),
});
export type ConfigVersion = z.infer<typeof ConfigVersionSchema>;
export const ConfigVersionSummarySchema = z.omit(ConfigVersionSchema, { config: true });
export type ConfigVersionSummary = z.infer<typeof ConfigVersionSummarySchema>;

/** A version as the API lists it: version 0 is the config in code, never saved, so it has no time. */
export const VersionInfoSchema = z.extend(ConfigVersionSummarySchema, { createdAt: z.nullable(z.string()) });
export type VersionInfo = z.infer<typeof VersionInfoSchema>;

/** `GET /v1/admin/sites/{site}/config/versions`: newest first; `next` is the cursor of the next page. */
export const VersionListSchema = z.object({
  versions: z.array(VersionInfoSchema),
  next: z.nullable(z.string()),
});
export type VersionList = z.infer<typeof VersionListSchema>;

/** `GET /v1/admin/sites/{site}/config/versions/{version}`: one version with its config. */
export const VersionDetailSchema = z.extend(VersionInfoSchema, { config: z.unknown() });
export type VersionDetail = z.infer<typeof VersionDetailSchema>;

/** The config being served: its version (0: the config in code), when and where it was saved. */
export const ServedConfigSchema = z.object({
  site: z.string(),
  version: z.number(),
  updatedAt: z.nullable(z.string()),
  source: z.enum(["store", "code"]),
  config: SiteSchema,
});
export type ServedConfig = z.infer<typeof ServedConfigSchema>;

/** `POST /v1/admin/sites/{site}/allowed-origins`: the config served after, and whether it changed. */
export const AllowOriginAnswerSchema = z.extend(ServedConfigSchema, {
  origin: z.string(),
  /** False: it was allowed already, nothing saved. */
  added: z.boolean(),
});
export type AllowOriginAnswer = z.infer<typeof AllowOriginAnswerSchema>;

/** `GET /v1/admin/sites`: the sites this token may see, with their forms. */
export const SiteListSchema = z.object({
  sites: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      forms: z.array(z.object({ id: z.string(), title: z.string() })),
    }),
  ),
});
export type SiteSummary = z.infer<typeof SiteListSchema>["sites"][number];

/** A proposed scoring config fitted to the site's outcomes, and its report; nothing is saved. */
export const CalibrationProposalSchema = z.object({
  site: z.string(),
  /** The config version the proposal was fitted on: save it on this version. */
  baseVersion: z.number(),
  scoring: ScoringSchema,
  /** Leads, ROC AUC, cross-validation, thresholds, buckets and fitted rules (shared/calibration.ts). */
  report: z.record(z.string(), z.unknown()),
});
export type CalibrationProposal = z.infer<typeof CalibrationProposalSchema>;
