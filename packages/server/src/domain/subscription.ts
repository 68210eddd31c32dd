import type { Endpoint } from './types.ts';

/** Whether an endpoint receives events of this type (null subscribes to all). */
export function subscribes(
  endpoint: Pick<Endpoint, 'enabled' | 'eventTypes'>,
  type: string,
): boolean {
  return endpoint.enabled && (endpoint.eventTypes === null || endpoint.eventTypes.includes(type));
}
