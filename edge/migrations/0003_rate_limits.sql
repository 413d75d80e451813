-- Rate-limit windows per (site, client). The CHECK makes the limit part of the ingest transaction:
-- the increment that would pass `max` fails, and the whole batch (lead included) rolls back.
-- `max` is what the current window may still hold: for a sliding window, the limit less the
-- weighted count of the previous window.
CREATE TABLE rate_limits (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  max INTEGER NOT NULL,
  PRIMARY KEY (key, window_start),
  CHECK (count <= max)
);
