/**
 * The PeopleStore port on Upstash Redis. Keys:
 *   lc:tokens          hash  id → token JSON (with the secret's hash)
 *   lc:token-hashes    hash  secret hash → id
 *   lc:members         hash  email → member JSON
 * Writes are scripts (one round trip, atomic); reads are plain hash reads.
 */
import type { ApiToken, Member, PeopleStore, StoredToken } from "../ports/people.ts";
import { type RedisCommands, runScript, type ScriptReply } from "./rest.ts";
import { REMOVE_MEMBER } from "./scripts/remove-member.ts";
import { SAVE_MEMBER } from "./scripts/save-member.ts";
import { SAVE_TOKEN } from "./scripts/save-token.ts";
import { UPDATE_TOKEN } from "./scripts/update-token.ts";

const TOKENS = "lc:tokens";
const HASHES = "lc:token-hashes";
const MEMBERS = "lc:members";

/** HGETALL's flat [field, value, …] reply, values only. */
const values = (reply: unknown): string[] =>
  Array.isArray(reply) ? (reply as string[]).filter((_, i) => i % 2 === 1) : Object.values(reply ?? {});

const listed = ({ hash: _hash, ...token }: StoredToken): ApiToken => token;

export class UpstashPeopleStore implements PeopleStore {
  readonly #redis: RedisCommands;

  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async createToken(token: StoredToken): Promise<void> {
    await runScript(this.#redis, SAVE_TOKEN, [TOKENS, HASHES], [token.id, JSON.stringify(token), token.hash]);
  }

  async tokenByHash(hash: string): Promise<StoredToken | null> {
    const id = (await this.#redis.hget(HASHES, hash)) as string | null;
    const raw = id ? ((await this.#redis.hget(TOKENS, id)) as string | null) : null;
    return raw ? (JSON.parse(raw) as StoredToken) : null;
  }

  async listTokens(): Promise<ApiToken[]> {
    return values(await this.#redis.hgetall(TOKENS))
      .map((raw) => listed(JSON.parse(raw) as StoredToken))
      .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? 1 : -1));
  }

  async getToken(id: string): Promise<ApiToken | null> {
    const raw = (await this.#redis.hget(TOKENS, id)) as string | null;
    return raw ? listed(JSON.parse(raw) as StoredToken) : null;
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return Number(await runScript(this.#redis, UPDATE_TOKEN, [TOKENS], [id, "revokedAt", at, ""])) === 1;
  }

  async touchToken(id: string, at: string, notAfter: string): Promise<void> {
    await runScript(this.#redis, UPDATE_TOKEN, [TOKENS], [id, "lastUsedAt", at, notAfter]);
  }

  async getMember(email: string): Promise<Member | null> {
    const raw = (await this.#redis.hget(MEMBERS, email)) as string | null;
    return raw ? (JSON.parse(raw) as Member) : null;
  }

  async listMembers(): Promise<Member[]> {
    return values(await this.#redis.hgetall(MEMBERS))
      .map((raw) => JSON.parse(raw) as Member)
      .sort((a, b) => (a.email < b.email ? -1 : 1));
  }

  async saveMember(member: Member): Promise<Member> {
    const saved = (await runScript(
      this.#redis,
      SAVE_MEMBER,
      [MEMBERS],
      [member.email, JSON.stringify(member)],
    )) as ScriptReply;
    return JSON.parse(String(saved)) as Member;
  }

  async removeMember(email: string): Promise<boolean> {
    return Number(await runScript(this.#redis, REMOVE_MEMBER, [MEMBERS], [email])) === 1;
  }
}
