-- The PostgreSQL twin of sqlite/migrations/0020_event_types.sql.
ALTER TABLE orgs ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

CREATE TABLE event_types (
  name TEXT COLLATE "C" PRIMARY KEY,
  description TEXT NOT NULL,
  schema TEXT,
  example TEXT,
  deprecated BOOLEAN NOT NULL DEFAULT false,
  built_in BOOLEAN NOT NULL DEFAULT false,
  -- bumped on every edit; validators are cached per (name, version) on every node
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
