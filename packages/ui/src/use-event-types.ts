import type { EventType, Organization, Page } from './api/types.ts';
import { useSession } from './session.tsx';
import { type Loaded, useApi } from './use-api.ts';

/** An event type's name as the API accepts it (the EventType pattern of the events routes). */
export const EVENT_TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

const NO_CATALOG: Page<EventType> = { data: [], nextCursor: null };

/**
 * The global event-type catalog, for the pages that offer types to pick.
 * The API returns it whole (tens of types, `nextCursor` always null), so
 * there is nothing to page through. Empty when this Herald has no catalog.
 */
export function useEventTypes(): Loaded<Page<EventType>> {
  const { api, capabilities } = useSession();
  return useApi(
    (signal) =>
      capabilities.eventTypes
        ? api.page<EventType>('/v1/event-types', {}, signal)
        : Promise.resolve(NO_CATALOG),
    [capabilities.eventTypes],
  );
}

/**
 * Whether the organization may use types outside the catalog: undefined until
 * the answer comes, so a form can wait instead of swapping controls under the
 * person's hands. If the read fails, the catalog's rule applies (false).
 */
export function useAllowsFreeFormTypes(orgId: string): boolean | undefined {
  const { api } = useSession();
  const org = useApi((signal) => api.get<Organization>(`/v1/orgs/${orgId}`, {}, signal), [orgId]);
  if (org.error) return false;
  return org.data ? org.data.settings.allowFreeFormTypes : undefined;
}
