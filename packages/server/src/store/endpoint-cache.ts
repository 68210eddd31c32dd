import type { Endpoint } from '../domain/types.ts';

/** Endpoints remembered at most; past it the cache starts over (deleted endpoints leave). */
const LIMIT = 10_000;

/**
 * Parsed endpoints for the claim path. A claim reads the endpoint's row in its
 * own transaction and gets back the endpoint parsed from an identical row, if
 * there was one: any change to the row (an update, a secret rotation, a
 * disable, a delete, a health or rate-window change) makes it a different row,
 * so nothing ever has to be invalidated and nothing stale is ever returned.
 * What it saves: parsing the JSON columns of every claimed endpoint on every
 * cycle, and (being the same object) the encryption layer opening its secrets
 * again.
 */
export class EndpointCache<Row extends object> {
  readonly #parse: (row: Row) => Endpoint;
  readonly #entries = new Map<string, { row: Row; endpoint: Endpoint }>();

  constructor(parse: (row: Row) => Endpoint) {
    this.#parse = parse;
  }

  get(id: string, row: Row): Endpoint {
    const hit = this.#entries.get(id);
    if (hit && sameRow(hit.row, row)) return hit.endpoint;
    const endpoint = this.#parse(row);
    if (this.#entries.size >= LIMIT) this.#entries.clear();
    this.#entries.set(id, { row, endpoint });
    return endpoint;
  }
}

/** Column by column; the columns are strings, numbers, booleans and nulls. */
function sameRow<Row extends object>(a: Row, b: Row): boolean {
  for (const key in b) if (a[key] !== b[key]) return false;
  return true;
}
