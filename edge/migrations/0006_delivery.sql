-- Delivery: every attempt logged, per-destination state (paused with a reason, failing since), and
-- dead letters that can be found by time and replayed. Added columns have defaults, so the outbox
-- INSERTs of the ingest and lifecycle paths are unchanged.
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN dead_at TEXT;
-- How many times the row was replayed from the admin API (its attempts start again at 0).
ALTER TABLE outbox ADD COLUMN replays INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_by_site_status ON outbox (site, status, created_at);
CREATE INDEX outbox_by_destination ON outbox (site, destination, status);

-- One row per attempt: what the receiver answered, how long it took, and what happens next.
CREATE TABLE delivery_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id TEXT NOT NULL,
  site TEXT NOT NULL,
  destination TEXT NOT NULL,
  at TEXT NOT NULL,
  ok INTEGER NOT NULL,
  status INTEGER,
  latency_ms INTEGER NOT NULL,
  error TEXT,
  response_excerpt TEXT,
  -- null: delivered, dead-lettered, or held (the destination is paused)
  next_attempt_at TEXT,
  outcome TEXT NOT NULL
);
CREATE INDEX delivery_attempts_by_outbox ON delivery_attempts (outbox_id, id);
CREATE INDEX delivery_attempts_by_at ON delivery_attempts (at);

-- Per destination: paused (by a person, by a 410 Gone, or after failing for days) and its health.
CREATE TABLE destination_state (
  site TEXT NOT NULL,
  destination TEXT NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  paused_reason TEXT,
  paused_at TEXT,
  failing_since TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_success_at TEXT,
  last_failure_at TEXT,
  PRIMARY KEY (site, destination)
);
