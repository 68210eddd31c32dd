import type {
  EventTypeDefinition,
  EventTypePatch,
  EventTypeSeed,
} from '../../event-types/types.ts';
import { type EventTypeRow, toEventType } from '../sqlite/event-types.ts';
import type { PgDb, Queryable } from './database.ts';

type PgEventTypeRow = Omit<EventTypeRow, 'deprecated' | 'built_in'> & {
  deprecated: boolean;
  built_in: boolean;
};

const toPgEventType = (row: PgEventTypeRow): EventTypeDefinition =>
  toEventType({ ...row, deprecated: row.deprecated ? 1 : 0, built_in: row.built_in ? 1 : 0 });

const json = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value);

export async function seedEventTypes(db: PgDb, seeds: EventTypeSeed[], now: number): Promise<void> {
  // Nodes starting together race here harmlessly: the first insert wins, the rest do nothing.
  await db.query(
    `INSERT INTO event_types (name, description, schema, example, built_in, created_at, updated_at)
     SELECT s.name, s.description, s.schema, s.example, true, $5, $5
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (name, description, schema, example)
     ON CONFLICT (name) DO NOTHING`,
    [
      seeds.map((s) => s.name),
      seeds.map((s) => s.description),
      seeds.map((s) => json(s.schema)),
      seeds.map((s) => json(s.example)),
      now,
    ],
  );
}

export async function listEventTypes(db: Queryable): Promise<EventTypeDefinition[]> {
  const { rows } = await db.query<PgEventTypeRow>('SELECT * FROM event_types ORDER BY name');
  return rows.map(toPgEventType);
}

export async function getEventType(
  db: Queryable,
  name: string,
): Promise<EventTypeDefinition | undefined> {
  const { rows } = await db.query<PgEventTypeRow>('SELECT * FROM event_types WHERE name = $1', [
    name,
  ]);
  return rows[0] && toPgEventType(rows[0]);
}

export async function createEventType(
  db: Queryable,
  type: Omit<EventTypeDefinition, 'version' | 'builtIn' | 'createdAt' | 'updatedAt'>,
  now: number,
): Promise<EventTypeDefinition | undefined> {
  const { rows } = await db.query<PgEventTypeRow>(
    `INSERT INTO event_types (name, description, schema, example, deprecated, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (name) DO NOTHING RETURNING *`,
    [type.name, type.description, json(type.schema), json(type.example), type.deprecated, now],
  );
  return rows[0] && toPgEventType(rows[0]);
}

export async function updateEventType(
  db: Queryable,
  name: string,
  patch: EventTypePatch,
  now: number,
): Promise<EventTypeDefinition | undefined> {
  const { rows } = await db.query<PgEventTypeRow>(
    `UPDATE event_types SET
       description = coalesce($1, description),
       schema = CASE WHEN $2 THEN $3 ELSE schema END,
       example = CASE WHEN $4 THEN $5 ELSE example END,
       deprecated = coalesce($6, deprecated),
       version = version + 1,
       updated_at = $7
     WHERE name = $8 RETURNING *`,
    [
      patch.description ?? null,
      'schema' in patch,
      json(patch.schema),
      'example' in patch,
      json(patch.example),
      patch.deprecated ?? null,
      now,
      name,
    ],
  );
  return rows[0] && toPgEventType(rows[0]);
}
