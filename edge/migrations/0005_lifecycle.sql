-- The lead's life after capture: product and engagement events, stage changes with their cause,
-- outcomes from the CRM, and which scoring config each lead was last scored with (a rules change
-- re-scores the site's leads in the background, resumably).
CREATE TABLE lead_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  props TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX lead_events_by_lead ON lead_events (lead_id, at);

CREATE TABLE stage_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  cause TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX stage_history_by_lead ON stage_history (lead_id, at);

CREATE TABLE outcomes (
  lead_id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('converted', 'lost')),
  at TEXT NOT NULL,
  value REAL,
  recorded_at TEXT NOT NULL
);

-- rev: bumped by every write of a lead, so read-modify-write updates can be guarded.
ALTER TABLE leads ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN scoring_version TEXT;
CREATE INDEX leads_by_scoring_version ON leads (site, scoring_version);
