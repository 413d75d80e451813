-- Erasures are recorded without the address: when, which site, and how much was removed.
CREATE TABLE erasures (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  at TEXT NOT NULL,
  removed TEXT NOT NULL
);
