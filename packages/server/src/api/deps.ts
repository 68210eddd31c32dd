import type { Config } from '../config/config.ts';
import type { DestinationGuard } from '../delivery/ssrf-guard.ts';
import type { Clock } from '../domain/clock.ts';
import type { EventCatalog } from '../event-types/catalog.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/store.ts';

/** What the HTTP API is built from; app.ts assembles it. */
export interface ApiDeps {
  store: Store;
  clock: Clock;
  metrics: Metrics;
  config: Config;
  version: string;
  adminTokenHash: Buffer;
  /** The SSRF guard: endpoint URLs are checked when they are set. */
  destinations: DestinationGuard;
  /** Event types: schema validation at ingest. */
  catalog: EventCatalog;
  /** Tells the delivery worker that new work is due. */
  wake(): void;
}
