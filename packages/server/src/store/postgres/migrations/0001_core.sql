-- The PostgreSQL twin of sqlite/migrations/0001_core.sql: same tables and
-- columns; times are epoch milliseconds (BIGINT), JSON is kept as the exact
-- text Herald serialized (payloads are signed byte for byte). Ids use the "C"
-- collation so cursors compare them byte by byte whatever the database locale.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE orgs (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE endpoints (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  event_types TEXT,
  enabled BOOLEAN NOT NULL,
  auth TEXT,
  headers TEXT NOT NULL,
  timeout_ms INTEGER NOT NULL,
  max_concurrency INTEGER NOT NULL,
  retry_policy TEXT NOT NULL,
  payload_format TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX endpoints_org ON endpoints (org_id, id) WHERE deleted_at IS NULL;

CREATE TABLE events (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  idempotency_key TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX events_org ON events (org_id, id);
CREATE UNIQUE INDEX events_idempotency ON events (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE deliveries (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  event_id TEXT COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  endpoint_id TEXT COLLATE "C" NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  status TEXT NOT NULL,
  attempt_count INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  lease_expires_at BIGINT,
  last_status_code INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- The claim walks due deliveries per endpoint; the partial indexes stay as small as the queue.
CREATE INDEX deliveries_due ON deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_sending ON deliveries (endpoint_id, lease_expires_at) WHERE status = 'sending';
CREATE INDEX deliveries_org ON deliveries (org_id, id);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_endpoint_status ON deliveries (endpoint_id, status);

CREATE TABLE attempts (
  id TEXT COLLATE "C" PRIMARY KEY,
  delivery_id TEXT COLLATE "C" NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  duration_ms INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  error_message TEXT,
  response_body TEXT
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, number);

CREATE TABLE endpoint_stats (
  endpoint_id TEXT COLLATE "C" PRIMARY KEY REFERENCES endpoints (id) ON DELETE CASCADE,
  attempts_succeeded BIGINT NOT NULL DEFAULT 0,
  attempts_failed BIGINT NOT NULL DEFAULT 0,
  last_success_at BIGINT,
  last_failure_at BIGINT
);
