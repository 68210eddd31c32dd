import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  attempts: Counter<'outcome'>;
  attemptDuration: Histogram;
  eventsIngested: Counter;
  queueDepth: Gauge;
}

/** A registry of Herald's own; nothing is put on prom-client's global one. */
export function createMetrics(queueDepth: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    attempts: new Counter({
      name: 'herald_delivery_attempts_total',
      help: 'Delivery attempts by outcome: delivered, retrying (failed, will retry) or failed (given up)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'herald_attempt_duration_seconds',
      help: 'Time from sending a request to the end of its response',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'herald_events_ingested_total',
      help: 'Events accepted',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'herald_queue_depth',
      help: 'Deliveries pending or in flight',
      registers: [registry],
      async collect() {
        this.set(await queueDepth());
      },
    }),
  };
}
