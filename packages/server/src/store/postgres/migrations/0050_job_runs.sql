-- One row per (scheduled job, tick) that some node claimed: the primary key
-- makes "run once per tick across the cluster" a single conditional insert.
CREATE TABLE job_runs (
  job TEXT NOT NULL,
  tick BIGINT NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (job, tick)
);
-- Retention walks events oldest first.
CREATE INDEX events_created ON events (created_at);
