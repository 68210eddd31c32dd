import { HeraldError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { EventTypeDefinition } from './types.ts';
import type { PayloadValidator } from './validator.ts';

/** What ingest asks of the catalog: is this type known, and does the payload fit it? */
export class EventCatalog {
  readonly #store: Store;
  readonly validator: PayloadValidator;

  constructor(store: Store, validator: PayloadValidator) {
    this.#store = store;
    this.validator = validator;
  }

  /**
   * Throws 422 WHK_ERR_SCHEMA when the payload breaks the type's schema, and
   * 400 WHK_ERR_UNKNOWN_EVENT_TYPE for a type outside the catalog unless the
   * organization allows free-form types. The definition is read per call (one
   * primary-key lookup) so an edit on any node takes effect everywhere.
   */
  async check(orgId: string, type: string, payload: unknown): Promise<EventTypeDefinition | null> {
    const definition = await this.#store.getEventType(type);
    if (definition) {
      this.validator.assertValid(definition, payload);
      return definition;
    }
    const org = await this.#store.getOrg(orgId);
    if (org?.settings.allowFreeFormTypes) return null;
    throw new HeraldError(
      'WHK_ERR_UNKNOWN_EVENT_TYPE',
      400,
      `body.type: unknown event type "${type}"; register it with POST /v1/event-types or allow free-form types in the organization's settings`,
      { field: 'type' },
    );
  }
}
