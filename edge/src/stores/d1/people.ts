/** The PeopleStore port on D1 (migrations/0011_people_access.sql). */
import type { ApiToken, Member, PeopleStore, StoredToken } from "../ports/people.ts";

interface TokenRow {
  id: string;
  hash: string;
  name: string;
  role: string;
  sites: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

interface MemberRow {
  email: string;
  roles: string;
  created_at: string;
  updated_at: string;
}

const token = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role as ApiToken["role"],
  sites: JSON.parse(row.sites) as ApiToken["sites"],
  createdAt: row.created_at,
  createdBy: row.created_by,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

const member = (row: MemberRow): Member => ({
  email: row.email,
  roles: JSON.parse(row.roles) as Member["roles"],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const TOKEN_COLUMNS =
  "id, hash, name, role, sites, created_at, created_by, expires_at, revoked_at, last_used_at";

export class D1PeopleStore implements PeopleStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async createToken(t: StoredToken): Promise<void> {
    await this.#db
      .prepare(`INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`)
      .bind(
        t.id,
        t.hash,
        t.name,
        t.role,
        JSON.stringify(t.sites),
        t.createdAt,
        t.createdBy,
        t.expiresAt,
        t.revokedAt,
        t.lastUsedAt,
      )
      .run();
  }

  async tokenByHash(hash: string): Promise<StoredToken | null> {
    const row = await this.#db
      .prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?1`)
      .bind(hash)
      .first<TokenRow>();
    return row ? { ...token(row), hash: row.hash } : null;
  }

  async listTokens(): Promise<ApiToken[]> {
    const { results } = await this.#db
      .prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id DESC`)
      .all<TokenRow>();
    return results.map(token);
  }

  async getToken(id: string): Promise<ApiToken | null> {
    const row = await this.#db
      .prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = ?1`)
      .bind(id)
      .first<TokenRow>();
    return row ? token(row) : null;
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const result = await this.#db
      .prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
      .bind(id, at)
      .run();
    return result.meta.changes === 1;
  }

  async touchToken(id: string, at: string, notAfter: string): Promise<void> {
    await this.#db
      .prepare(
        "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?3)",
      )
      .bind(id, at, notAfter)
      .run();
  }

  async getMember(email: string): Promise<Member | null> {
    const row = await this.#db
      .prepare("SELECT email, roles, created_at, updated_at FROM members WHERE email = ?1")
      .bind(email)
      .first<MemberRow>();
    return row ? member(row) : null;
  }

  async listMembers(): Promise<Member[]> {
    const { results } = await this.#db
      .prepare("SELECT email, roles, created_at, updated_at FROM members ORDER BY email")
      .all<MemberRow>();
    return results.map(member);
  }

  async saveMember(m: Member): Promise<Member> {
    const row = await this.#db
      .prepare(
        `INSERT INTO members (email, roles, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (email) DO UPDATE SET roles = excluded.roles, updated_at = excluded.updated_at
         RETURNING email, roles, created_at, updated_at`,
      )
      .bind(m.email, JSON.stringify(m.roles), m.createdAt, m.updatedAt)
      .first<MemberRow>();
    return member(row!);
  }

  async removeMember(email: string): Promise<boolean> {
    const result = await this.#db.prepare("DELETE FROM members WHERE email = ?1").bind(email).run();
    return result.meta.changes === 1;
  }
}
