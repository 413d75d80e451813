/**
 * The lead store as the wiring hands it out (stores/index.ts): every lead port over one store, so
 * what a request writes commits together. Code that takes a store as a parameter names the narrowest
 * port it uses instead.
 */
import type { IngestStore } from "./ingest.ts";
import type { LeadReader } from "./leads.ts";
import type { LifecycleStore } from "./lifecycle.ts";
import type { MetricsStore } from "./metrics.ts";
import type { PrivacyStore } from "./privacy.ts";
import type { RateWindowStore } from "./ratelimit.ts";

export type LeadStore = IngestStore &
  LeadReader &
  LifecycleStore &
  MetricsStore &
  PrivacyStore &
  RateWindowStore;
