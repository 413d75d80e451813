-- Daily counters of widget events per form (impressions, opens, submits, …): conversion rates
-- without storing anything about a person.
CREATE TABLE form_stats (
  site TEXT NOT NULL,
  form TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, form, day, type)
);
