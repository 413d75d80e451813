/**
 * The old path of the lead store's types, kept so code written against it still compiles: the ports
 * are now one per capability (ports/*.ts), the composed LeadStore is ports/index.ts. Import from there.
 */
export { RateLimitedError } from "./errors.ts";
export type { LeadStore } from "./ports/index.ts";
export type {
  IngestCommand,
  IngestResult,
  IngestStore,
  SpamEntry,
  SubmissionDelivery,
} from "./ports/ingest.ts";
export type { LeadFilter, LeadPage, LeadReader, LeadSort, ListLeadsOptions } from "./ports/leads.ts";
export type {
  LeadEventRecord,
  LeadRevisions,
  LeadUpdate,
  LifecycleStore,
  Outcome,
  OutcomeRow,
  StageChange,
} from "./ports/lifecycle.ts";
export type { EventCount, MetricsStore, SiteMetrics } from "./ports/metrics.ts";
export type { ErasureReceipt, PersonExport, PrivacyStore } from "./ports/privacy.ts";
export type { RateWindow, RateWindowStore } from "./ports/ratelimit.ts";
