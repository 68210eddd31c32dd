CREATE TABLE badges (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  rule_type TEXT NOT NULL,
  validity_duration_days INTEGER,
  lesson_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX badges_org ON badges (org_id, id) WHERE deleted_at IS NULL;

-- Per-organization counters (certificate numbers SB-00000001, …); an upsert bumps them race-free.
CREATE TABLE org_sequences (
  org_id TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (org_id, name)
);

CREATE TABLE certificates (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  badge_id TEXT NOT NULL REFERENCES badges (id),
  creation_date INTEGER NOT NULL,
  expires INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0,
  expiry_reminder_sent INTEGER NOT NULL DEFAULT 0,
  -- set by the one transaction that publishes certificate_expired: the exactly-once guard
  expired_published_at INTEGER,
  lesson_active_ids TEXT NOT NULL,
  rule_data TEXT NOT NULL,
  awarded_by TEXT NOT NULL,
  user_info TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, number)
);
CREATE INDEX certificates_org ON certificates (org_id, id);
CREATE INDEX certificates_user ON certificates (org_id, user_id);
CREATE INDEX certificates_badge ON certificates (badge_id);
-- The scheduler's two scans stay as small as the work still to do.
CREATE INDEX certificates_reminder_due ON certificates (expires)
  WHERE expiry_reminder_sent = 0 AND disabled = 0 AND expires IS NOT NULL;
CREATE INDEX certificates_expiry_due ON certificates (expires)
  WHERE expired_published_at IS NULL AND disabled = 0 AND expires IS NOT NULL;
