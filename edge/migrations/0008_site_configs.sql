-- Site configurations saved from the console or the admin API, every version kept. The newest version
-- of a site is the one served; version 0 is the config in code (or LEADCAP_SITES), never stored here.
CREATE TABLE site_configs (
  site TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  config TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  PRIMARY KEY (site, version)
) WITHOUT ROWID;
