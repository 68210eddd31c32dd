-- An endpoint's activity (endpoint-activity.ts) counts its attempts in a time
-- window. Attempts knew their endpoint only through their delivery, so the
-- query read every delivery of the endpoint, its whole history, and each one's
-- attempts, whatever the window: 380 ms with 100,000 of them, on the event
-- loop. With the endpoint on the attempt and an index by endpoint and start
-- time, it reads the window's attempts only.
ALTER TABLE attempts ADD COLUMN endpoint_id TEXT;
UPDATE attempts SET endpoint_id = (SELECT d.endpoint_id FROM deliveries d WHERE d.id = attempts.delivery_id);
CREATE INDEX attempts_endpoint_started ON attempts (endpoint_id, started_at);
