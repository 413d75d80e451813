/**
 * Stands in for @upstash/core-analytics in the Worker bundle (wrangler.toml [alias]): @upstash/ratelimit
 * imports it at the top but constructs it only with `analytics: true`, which Leadcap never sets
 * (upstash/ratelimit.ts). Saves ~1.7 KB gzip of the Worker's budget.
 */
export class Analytics {
  constructor() {
    throw new Error("@upstash/ratelimit analytics are not part of the Leadcap Worker");
  }
}
