-- The widget's events counted by the visitor's channel and campaign (from the latest touch the widget
-- sends with each batch), so the console can show visitor → lead conversion per channel and campaign.
-- campaign is '' for visits without one.
CREATE TABLE touch_stats (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  channel TEXT NOT NULL,
  campaign TEXT NOT NULL,
  type TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site, day, channel, campaign, type)
) WITHOUT ROWID;
