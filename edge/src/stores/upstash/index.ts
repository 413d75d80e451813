/**
 * The Upstash Redis adapter, for users who run on Upstash: one class per port, made one lead store
 * for the routes; the same behaviour as the D1 adapter (one contract suite checks both,
 * tests/contract). Key layout: layout.ts; the Lua scripts: scripts/, one per file.
 */
import { compose } from "../compose.ts";
import type { LeadStore } from "../ports/index.ts";
import { UpstashIngest } from "./ingest.ts";
import { UpstashLeads } from "./leads.ts";
import { UpstashLifecycle } from "./lifecycle.ts";
import { UpstashMetrics } from "./metrics.ts";
import { UpstashPrivacy } from "./privacy.ts";
import { UpstashRateWindows } from "./ratelimit.ts";
import type { RedisCommands } from "./rest.ts";

/**
 * Over the slim REST client the Worker uses (rest.ts) or @upstash/redis's Redis, created with
 * `automaticDeserialization: false` (scripts answer JSON text).
 */
export function upstashLeadStore(redis: RedisCommands): LeadStore {
  return compose(
    new UpstashIngest(redis),
    new UpstashLeads(redis),
    new UpstashLifecycle(redis),
    new UpstashMetrics(redis),
    new UpstashPrivacy(redis),
    new UpstashRateWindows(),
  );
}
