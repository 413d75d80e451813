-- Capture health: submissions refused (or accepted after repairing their signals) per site, day, route
-- (leads / events), reason and origin, so the owner sees what never became a lead. origin is '' for no
-- Origin header and '*' for a day's origins past the per-day limit (the header is the client's to set).
CREATE TABLE capture_health (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  route TEXT NOT NULL,
  reason TEXT NOT NULL,
  origin TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (site, day, route, reason, origin)
) WITHOUT ROWID;

-- Bot submissions are counted from the spam records (one source, no second write): by site and time.
CREATE INDEX spam_by_site ON spam (site, created_at);
