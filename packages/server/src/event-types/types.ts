/** A JSON Schema (draft 2020-12) as plain JSON. */
export type JsonSchema = Record<string, unknown>;

/**
 * event type  a named kind of event with an optional payload schema; the
 *             catalog is global, organizations read it, the admin edits it.
 */
export interface EventTypeDefinition {
  name: string;
  description: string;
  /** null accepts any JSON object. */
  schema: JsonSchema | null;
  example: unknown;
  deprecated: boolean;
  builtIn: boolean;
  /** Bumped on every edit: compiled validators are cached per (name, version). */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface EventTypeSeed {
  name: string;
  description: string;
  schema: Readonly<JsonSchema> | null;
  example: unknown;
}

export type EventTypePatch = Partial<
  Pick<EventTypeDefinition, 'description' | 'schema' | 'example' | 'deprecated'>
>;
