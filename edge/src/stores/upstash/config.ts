/**
 * The SiteConfigStore port on Upstash Redis. Keys:
 *   lc:configs           set   the sites with a saved config
 *   lc:config:<site>     hash  head → newest version; v:<n> → config JSON; m:<n> → {note, author, createdAt}
 * A save is one script (check the head, write the version, move the head): atomic, one round trip.
 */
import type { ConfigVersion, ConfigVersionSummary, SiteConfigStore } from "../ports/config.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { CURRENT_CONFIGS } from "./scripts/current-configs.ts";
import { LIST_CONFIG_VERSIONS } from "./scripts/list-config-versions.ts";
import { SAVE_CONFIG } from "./scripts/save-config.ts";

interface Meta {
  note: string;
  author: string;
  createdAt: string;
}

const key = (site: string) => `lc:config:${site}`;

export class UpstashSiteConfigStore implements SiteConfigStore {
  readonly #redis: RedisCommands;

  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async currentConfigs(): Promise<ConfigVersion[]> {
    const flat = (await runScript(this.#redis, CURRENT_CONFIGS, ["lc:configs"], [])) as string[];
    const out: ConfigVersion[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const meta = JSON.parse(flat[i + 3]!) as Meta;
      out.push({ site: flat[i]!, version: Number(flat[i + 1]), config: JSON.parse(flat[i + 2]!), ...meta });
    }
    return out;
  }

  async saveConfig(entry: ConfigVersion): Promise<boolean> {
    const meta: Meta = { note: entry.note, author: entry.author, createdAt: entry.createdAt };
    const saved = await runScript(
      this.#redis,
      SAVE_CONFIG,
      [key(entry.site), "lc:configs"],
      [entry.version, JSON.stringify(entry.config), JSON.stringify(meta), entry.site],
    );
    return Number(saved) === 1;
  }

  async listConfigVersions(site: string, limit: number, before?: number): Promise<ConfigVersionSummary[]> {
    const flat = (await runScript(
      this.#redis,
      LIST_CONFIG_VERSIONS,
      [key(site)],
      [limit, before ?? 2 ** 52],
    )) as (string | number)[];
    const out: ConfigVersionSummary[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      out.push({ site, version: Number(flat[i]), ...(JSON.parse(String(flat[i + 1])) as Meta) });
    }
    return out;
  }

  async getConfigVersion(site: string, version: number): Promise<ConfigVersion | null> {
    const [config, meta] = (await this.#redis.hmget(key(site), `v:${version}`, `m:${version}`)) as [
      string | null,
      string | null,
    ];
    if (!config || !meta) return null;
    return { site, version, config: JSON.parse(config), ...(JSON.parse(meta) as Meta) };
  }
}
