-- Who may use the admin API, and what they did (edge/src/stores/d1/people.ts, audit.ts).
-- An API token is kept only as the SHA-256 of its secret (shown once, at creation).
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  sites TEXT NOT NULL, -- JSON: "*" or ["site", …]
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
);

-- A member: an email (as Cloudflare Access reports it, lower-cased) with a role per site.
CREATE TABLE members (
  email TEXT PRIMARY KEY,
  roles TEXT NOT NULL, -- JSON: { "<site>" | "*": "owner" | "editor" | "analyst" | "crm" }
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Append-only: config saves, rollbacks, token and member changes, replays, erasures, exports.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY, -- ULID: ordered by time
  site TEXT NOT NULL, -- or '*'
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL
);
CREATE INDEX audit_log_site ON audit_log (site, id);
