import type { EndpointSecrets } from '../store.ts';
import type { Db } from './database.ts';

interface SecretRow {
  id: string;
  secret: string;
  auth: string | null;
  previous_secrets: string;
  headers: string;
}

export const toSecrets = (row: SecretRow): EndpointSecrets => ({
  id: row.id,
  secret: row.secret,
  auth: row.auth === null ? null : JSON.parse(row.auth),
  previousSecrets: JSON.parse(row.previous_secrets),
  headers: JSON.parse(row.headers),
});

export function listEndpointSecrets(db: Db, afterId: string, limit: number): EndpointSecrets[] {
  return db
    .all<SecretRow>(
      'SELECT id, secret, auth, previous_secrets, headers FROM endpoints WHERE id > ? ORDER BY id LIMIT ?',
      afterId,
      limit,
    )
    .map(toSecrets);
}

export function putEndpointSecrets(db: Db, items: EndpointSecrets[]): void {
  db.transaction(() => {
    for (const item of items) {
      db.run(
        'UPDATE endpoints SET secret = ?, auth = ?, previous_secrets = ?, headers = ? WHERE id = ?',
        item.secret,
        item.auth === null ? null : JSON.stringify(item.auth),
        JSON.stringify(item.previousSecrets),
        JSON.stringify(item.headers),
        item.id,
      );
    }
  });
}
