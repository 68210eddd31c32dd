-- The PostgreSQL twin of sqlite/migrations/0021_certificates.sql.
CREATE TABLE badges (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  rule_type TEXT NOT NULL,
  validity_duration_days INTEGER,
  lesson_ids TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX badges_org ON badges (org_id, id) WHERE deleted_at IS NULL;

-- Per-organization counters (certificate numbers SB-00000001, …); the upsert's row lock serializes nodes.
CREATE TABLE org_sequences (
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (org_id, name)
);

CREATE TABLE certificates (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  number BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  badge_id TEXT COLLATE "C" NOT NULL REFERENCES badges (id),
  creation_date BIGINT NOT NULL,
  expires BIGINT,
  disabled BOOLEAN NOT NULL DEFAULT false,
  expiry_reminder_sent BOOLEAN NOT NULL DEFAULT false,
  -- set by the one transaction that publishes certificate_expired: the exactly-once guard
  expired_published_at BIGINT,
  lesson_active_ids TEXT NOT NULL,
  rule_data TEXT NOT NULL,
  awarded_by TEXT NOT NULL,
  user_info TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, number)
);
CREATE INDEX certificates_org ON certificates (org_id, id);
CREATE INDEX certificates_user ON certificates (org_id, user_id);
CREATE INDEX certificates_badge ON certificates (badge_id);
CREATE INDEX certificates_reminder_due ON certificates (expires)
  WHERE NOT expiry_reminder_sent AND NOT disabled AND expires IS NOT NULL;
CREATE INDEX certificates_expiry_due ON certificates (expires)
  WHERE expired_published_at IS NULL AND NOT disabled AND expires IS NOT NULL;
