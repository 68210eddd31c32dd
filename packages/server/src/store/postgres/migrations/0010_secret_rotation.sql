-- Secrets replaced by a rotation, still signing until their grace period ends:
-- a JSON array of {"secret", "expiresAt"} (epoch ms).
ALTER TABLE endpoints ADD COLUMN previous_secrets TEXT NOT NULL DEFAULT '[]';
