-- Leads, keyed per site by an HMAC of the normalized email (never the raw address).
-- `doc` is the whole Lead as JSON: what the admin API returns and what webhooks carry.
CREATE TABLE leads (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  first_submission_id TEXT NOT NULL,
  form TEXT NOT NULL,
  email TEXT NOT NULL,
  score INTEGER NOT NULL,
  temperature TEXT NOT NULL,
  stage TEXT NOT NULL,
  submission_count INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE (site, dedupe_key)
);
CREATE INDEX leads_by_site_created ON leads (site, created_at DESC, id DESC);

-- One row per accepted submission id: the idempotency record. A retried submission id gets
-- `answer` back verbatim instead of creating or merging anything.
CREATE TABLE submissions (
  site TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  lead_id TEXT,
  answer TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site, submission_id)
);

-- The outbox: one row per (event, destination), written in the same batch as the lead. `id` is the
-- webhook-id, identical on every attempt. `leased_until` is set while a queue message is believed
-- to be in flight; the sweep re-enqueues due rows whose lease ran out.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  leased_until TEXT,
  last_status INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_lead ON outbox (lead_id);

-- Submissions caught by bot checks: answered like a person's, never stored as leads or forwarded.
CREATE TABLE spam (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site TEXT NOT NULL,
  form TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);
