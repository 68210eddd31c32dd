import type { HeraldEvent, PayloadFormat } from './types.ts';

/**
 * The request body for one event in an endpoint's format. `raw` reuses the
 * bytes serialized at ingest; the wrappers splice them in rather than parse
 * and re-serialize the payload.
 */
export function renderBody(event: HeraldEvent, format: PayloadFormat): string {
  switch (format) {
    case 'raw':
      return event.payloadJson;
    case 'envelope':
      return `{"event":${JSON.stringify(event.type)},"payload":{"data":${event.payloadJson}}}`;
    case 'standard':
      return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(new Date(event.createdAt).toISOString())},"data":${event.payloadJson}}`;
  }
}
