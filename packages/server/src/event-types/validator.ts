import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { HeraldError } from '../domain/errors.ts';
import type { EventTypeDefinition, JsonSchema } from './types.ts';

// ajv-formats is CommonJS; under Node's ESM loader its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** One failing place in a payload: a JSON pointer (RFC 6901) into it and what is wrong. */
export interface SchemaViolation {
  pointer: string;
  message: string;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function violation(error: ErrorObject): SchemaViolation {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const leaf = params.missingProperty ?? params.additionalProperty;
  const pointer =
    leaf === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(leaf)}`;
  const message =
    error.keyword === 'additionalProperties'
      ? 'is not allowed by the schema'
      : error.keyword === 'required'
        ? 'is required'
        : (error.message ?? 'is invalid');
  return { pointer, message };
}

/**
 * Compiles each event type's schema once and keeps it per (name, version):
 * an edit bumps the version, so the next payload recompiles, on every node.
 */
export class PayloadValidator {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, { version: number; validate: ValidateFunction }>();

  constructor() {
    this.#ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(this.#ajv);
  }

  /**
   * Checks a schema about to be stored: 400 naming `schema` when it is not a
   * valid 2020-12 schema, or naming `example` when the example breaks it.
   * Nothing is cached: the stored version is compiled when first used.
   */
  checkDefinition(schema: JsonSchema, example: unknown): void {
    const validate = this.#compile(schema, 'schema');
    try {
      if (example === undefined || example === null || validate(example)) return;
      const list = (validate.errors ?? []).map(violation);
      throw new HeraldError(
        'WHK_ERR_VALIDATION',
        400,
        `body.example: does not match the schema: ${list.map((v) => `${v.pointer || '/'} ${v.message}`).join('; ')}`,
        { field: 'example', details: list },
      );
    } finally {
      this.#ajv.removeSchema(validate.schema as object);
    }
  }

  /** The payload's violations of the type's schema; empty when it conforms or has no schema. */
  violations(type: EventTypeDefinition, payload: unknown): SchemaViolation[] {
    if (type.schema === null) return [];
    let entry = this.#compiled.get(type.name);
    if (!entry || entry.version !== type.version) {
      if (entry) this.#ajv.removeSchema(entry.validate.schema as object);
      entry = { version: type.version, validate: this.#compile(type.schema, 'schema') };
      this.#compiled.set(type.name, entry);
    }
    if (entry.validate(payload)) return [];
    return (entry.validate.errors ?? []).map(violation);
  }

  /** Throws 422 WHK_ERR_SCHEMA listing every failing pointer. */
  assertValid(type: EventTypeDefinition, payload: unknown): void {
    const found = this.violations(type, payload);
    if (found.length === 0) return;
    const list = found.map((v) => `${v.pointer || '/'} ${v.message}`).join('; ');
    throw new HeraldError(
      'WHK_ERR_SCHEMA',
      422,
      `payload does not match the schema of ${type.name}: ${list}`,
      { field: 'payload', details: found },
    );
  }

  #compile(schema: JsonSchema, field: string): ValidateFunction {
    // A user schema's $id must not collide with an earlier version of itself.
    const { $id: _ignored, ...withoutId } = schema;
    try {
      return this.#ajv.compile(withoutId);
    } catch (error) {
      throw new HeraldError(
        'WHK_ERR_VALIDATION',
        400,
        `body.${field}: not a valid JSON Schema (2020-12): ${(error as Error).message}`,
        { field },
      );
    }
  }
}
