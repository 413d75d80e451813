/** The SiteRemovalStore port on Upstash Redis: one script (scripts/remove-site.ts), atomic. */
import type { SiteRemovalCounts, SiteRemovalStore } from "../ports/site-removal.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { REMOVE_SITE } from "./scripts/remove-site.ts";

export class UpstashSiteRemoval implements SiteRemovalStore {
  readonly #redis: Pick<RedisCommands, "evalsha" | "eval">;

  constructor(redis: Pick<RedisCommands, "evalsha" | "eval">) {
    this.#redis = redis;
  }

  async removeSite(site: string, at: string): Promise<SiteRemovalCounts> {
    const reply = await runScript(
      this.#redis,
      REMOVE_SITE,
      [
        `lc:${site}:leads`,
        `lc:${site}:outbox`,
        "lc:configs",
        `lc:config:${site}`,
        "lc:tokens",
        "lc:members",
        "lc:outbox:due",
      ],
      [site, at],
    );
    return JSON.parse(String(reply)) as SiteRemovalCounts;
  }
}
