import { toSecrets } from '../sqlite/endpoint-secrets.ts';
import type { EndpointSecrets } from '../store.ts';
import type { PgDb } from './database.ts';

export async function listEndpointSecrets(
  db: PgDb,
  afterId: string,
  limit: number,
): Promise<EndpointSecrets[]> {
  const { rows } = await db.query(
    'SELECT id, secret, auth, previous_secrets, headers FROM endpoints WHERE id > $1 ORDER BY id LIMIT $2',
    [afterId, limit],
  );
  return rows.map((row) => toSecrets(row as Parameters<typeof toSecrets>[0]));
}

export async function putEndpointSecrets(db: PgDb, items: EndpointSecrets[]): Promise<void> {
  await db.transaction(async (client) => {
    for (const item of items) {
      await client.query(
        'UPDATE endpoints SET secret = $1, auth = $2, previous_secrets = $3, headers = $4 WHERE id = $5',
        [
          item.secret,
          item.auth === null ? null : JSON.stringify(item.auth),
          JSON.stringify(item.previousSecrets),
          JSON.stringify(item.headers),
          item.id,
        ],
      );
    }
  });
}
