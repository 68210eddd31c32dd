-- herald:no-transaction
-- An endpoint's activity (endpoint-activity.ts) counts its attempts in a time
-- window. Attempts knew their endpoint only through their delivery, so the
-- query read the endpoint's deliveries, its whole history, and each one's
-- attempts, whatever the window. With the endpoint on the attempt and an index
-- by endpoint and start time, it reads the window's attempts only.
-- Attempts are never updated after their insert, so the backfill blocks no
-- writer; nodes still on the previous version during a rolling upgrade insert
-- attempts without it, which the activity of those minutes leaves out.
ALTER TABLE attempts ADD COLUMN IF NOT EXISTS endpoint_id TEXT;
UPDATE attempts a SET endpoint_id = d.endpoint_id FROM deliveries d WHERE d.id = a.delivery_id AND a.endpoint_id IS NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS attempts_endpoint_started ON attempts (endpoint_id, started_at);
