/**
 * The SiteConfigStore port on Upstash Redis. Keys:
 *   lc:configs           set   the sites with a saved config
 *   lc:config:<site>     hash  head → newest version; v:<n> → config JSON; m:<n> → {note, author, createdAt}
 * A save is one script (check the head, write the version, move the head): atomic, one round trip.
 */
import type { ConfigVersion, ConfigVersionSummary, SiteConfigStore } from "./config-port.ts";
import { type RedisCommands, runScript } from "./upstash-rest.ts";

const SAVE = `
local head = tonumber(redis.call('HGET', KEYS[1], 'head') or '0')
if head ~= tonumber(ARGV[1]) - 1 then return 0 end
redis.call('HSET', KEYS[1], 'head', ARGV[1], 'v:' .. ARGV[1], ARGV[2], 'm:' .. ARGV[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
return 1
`;

const CURRENT = `
local out = {}
for _, site in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = 'lc:config:' .. site
  local head = redis.call('HGET', key, 'head')
  if head then
    local row = redis.call('HMGET', key, 'v:' .. head, 'm:' .. head)
    out[#out + 1] = site
    out[#out + 1] = head
    out[#out + 1] = row[1]
    out[#out + 1] = row[2]
  end
end
return out
`;

const LIST = `
local head = tonumber(redis.call('HGET', KEYS[1], 'head') or '0')
local top = math.min(head, tonumber(ARGV[2]) - 1)
local out = {}
for v = top, math.max(1, top - tonumber(ARGV[1]) + 1), -1 do
  out[#out + 1] = v
  out[#out + 1] = redis.call('HGET', KEYS[1], 'm:' .. v)
end
return out
`;

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
    const flat = (await runScript(this.#redis, CURRENT, ["lc:configs"], [])) as string[];
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
      SAVE,
      [key(entry.site), "lc:configs"],
      [entry.version, JSON.stringify(entry.config), JSON.stringify(meta), entry.site],
    );
    return Number(saved) === 1;
  }

  async listConfigVersions(site: string, limit: number, before?: number): Promise<ConfigVersionSummary[]> {
    const flat = (await runScript(this.#redis, LIST, [key(site)], [limit, before ?? 2 ** 52])) as (
      | string
      | number
    )[];
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
