/**
 * The PeopleStore port: API tokens and members, in the same store as the leads (D1 or Upstash).
 * A token is kept only as the SHA-256 of its secret; the secret itself is shown once and never stored.
 */
import type { ApiToken, Member } from "../../../../shared/api/people-access.ts";

export type { ApiToken, Member } from "../../../../shared/api/people-access.ts";

/** A token as stored: what is listed, and the hash its secret is found by. */
export interface StoredToken extends ApiToken {
  /** Hex SHA-256 of the token's secret. */
  hash: string;
}

export interface PeopleStore {
  createToken(token: StoredToken): Promise<void>;
  /** The token whose secret hashes to `hash` (revoked or expired ones too: the caller decides). */
  tokenByHash(hash: string): Promise<StoredToken | null>;
  /** Every token, newest first. */
  listTokens(): Promise<ApiToken[]>;
  getToken(id: string): Promise<ApiToken | null>;
  /** Marks it revoked at `at`; false when there is no such token or it was revoked already. */
  revokeToken(id: string, at: string): Promise<boolean>;
  /** Records a use at `at`, unless one was recorded after `notAfter` (at most one write a minute). */
  touchToken(id: string, at: string, notAfter: string): Promise<void>;
  getMember(email: string): Promise<Member | null>;
  /** Every member, by email. */
  listMembers(): Promise<Member[]>;
  /** Creates or replaces the member (createdAt kept from the first save). */
  saveMember(member: Member): Promise<Member>;
  removeMember(email: string): Promise<boolean>;
}
