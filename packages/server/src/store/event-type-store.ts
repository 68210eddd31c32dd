import type { EventTypeDefinition, EventTypePatch, EventTypeSeed } from '../event-types/types.ts';

/** The event-type catalog, global to the installation. */
export interface EventTypeStore {
  /** Inserts the seeds whose names are missing; existing (possibly edited) types are kept. */
  seedEventTypes(seeds: EventTypeSeed[], now: number): Promise<void>;
  /** The whole catalog by name (it is small: tens of types). */
  listEventTypes(): Promise<EventTypeDefinition[]>;
  getEventType(name: string): Promise<EventTypeDefinition | undefined>;
  /** Undefined when the name is taken. */
  createEventType(
    type: Omit<EventTypeDefinition, 'version' | 'builtIn' | 'createdAt' | 'updatedAt'>,
    now: number,
  ): Promise<EventTypeDefinition | undefined>;
  /** Bumps the version, so every node recompiles the schema. */
  updateEventType(
    name: string,
    patch: EventTypePatch,
    now: number,
  ): Promise<EventTypeDefinition | undefined>;
}
