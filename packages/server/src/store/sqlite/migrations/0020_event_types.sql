-- Organization settings as one JSON object (allowFreeFormTypes, …): new settings need no migration.
ALTER TABLE orgs ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

CREATE TABLE event_types (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  schema TEXT,
  example TEXT,
  deprecated INTEGER NOT NULL DEFAULT 0,
  built_in INTEGER NOT NULL DEFAULT 0,
  -- bumped on every edit; validators are cached per (name, version) on every node
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
