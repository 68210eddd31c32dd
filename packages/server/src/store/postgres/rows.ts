import type { Endpoint } from '../../domain/types.ts';
import { type EndpointRow, toEndpoint } from '../sqlite/rows.ts';

// The row shapes and mappers are shared with SQLite (same columns); only the
// column types differ where PostgreSQL has a better one.
export {
  type AttemptRow,
  type DeliveryRow,
  type EventRow,
  type OrgRow,
  toAttempt,
  toDelivery,
  toEvent,
  toOrg,
  toPage,
} from '../sqlite/rows.ts';

export type PgEndpointRow = Omit<EndpointRow, 'enabled'> & { enabled: boolean };

export const toPgEndpoint = (row: PgEndpointRow): Endpoint =>
  toEndpoint({ ...row, enabled: row.enabled ? 1 : 0 });
