import type {
  EventTypeDefinition,
  EventTypePatch,
  EventTypeSeed,
} from '../../event-types/types.ts';
import type { Db } from './database.ts';

export interface EventTypeRow {
  name: string;
  description: string;
  schema: string | null;
  example: string | null;
  deprecated: number;
  built_in: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export const toEventType = (row: EventTypeRow): EventTypeDefinition => ({
  name: row.name,
  description: row.description,
  schema: row.schema === null ? null : JSON.parse(row.schema),
  example: row.example === null ? null : JSON.parse(row.example),
  deprecated: row.deprecated === 1,
  builtIn: row.built_in === 1,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const json = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value);

export function seedEventTypes(db: Db, seeds: EventTypeSeed[], now: number): void {
  db.transaction(() => {
    for (const seed of seeds) {
      db.run(
        `INSERT INTO event_types (name, description, schema, example, built_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (name) DO NOTHING`,
        seed.name,
        seed.description,
        json(seed.schema),
        json(seed.example),
        now,
        now,
      );
    }
  });
}

export function listEventTypes(db: Db): EventTypeDefinition[] {
  return db.all<EventTypeRow>('SELECT * FROM event_types ORDER BY name').map(toEventType);
}

export function createEventType(
  db: Db,
  type: Omit<EventTypeDefinition, 'version' | 'builtIn' | 'createdAt' | 'updatedAt'>,
  now: number,
): EventTypeDefinition | undefined {
  const row = db.get<EventTypeRow>(
    `INSERT INTO event_types (name, description, schema, example, deprecated, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING *`,
    type.name,
    type.description,
    json(type.schema),
    json(type.example),
    type.deprecated ? 1 : 0,
    now,
    now,
  );
  return row && toEventType(row);
}

export function updateEventType(
  db: Db,
  name: string,
  patch: EventTypePatch,
  now: number,
): EventTypeDefinition | undefined {
  // A key given as null clears it (schema: null accepts any payload); an absent key keeps it.
  const row = db.get<EventTypeRow>(
    `UPDATE event_types SET
       description = coalesce(?, description),
       schema = CASE WHEN ? THEN ? ELSE schema END,
       example = CASE WHEN ? THEN ? ELSE example END,
       deprecated = coalesce(?, deprecated),
       version = version + 1,
       updated_at = ?
     WHERE name = ? RETURNING *`,
    patch.description ?? null,
    'schema' in patch ? 1 : 0,
    json(patch.schema),
    'example' in patch ? 1 : 0,
    json(patch.example),
    patch.deprecated === undefined ? null : patch.deprecated ? 1 : 0,
    now,
    name,
  );
  return row && toEventType(row);
}
