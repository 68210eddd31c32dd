import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { createStore } from '../open-store.ts';
import type { Store } from '../store.ts';
import { resealSecrets, withEncryption } from './encrypted-store.ts';
import { loadKeyring } from './keyring.ts';
import { createSecretBox } from './secret-box.ts';

/** Log fields that may carry a credential, censored by pino wherever they appear. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.secret',
  '*.secrets',
  '*.auth',
  '*.token',
  '*.password',
  '*.key',
  '*.encryptionKey',
  '*.adminToken',
  'endpoint.auth',
  'endpoint.secret',
  'endpoint.previousSecrets',
];

/**
 * Opens the configured store behind the encryption boundary: loads (or, on
 * first start, generates) the keyring, then re-seals anything stored in
 * plaintext or under an older key.
 */
export async function openEncryptedStore(
  config: Config,
  logger: Logger,
  now: number,
): Promise<Store> {
  const loaded = loadKeyring(config);
  if (loaded.generated) {
    logger.warn(
      { keyFile: loaded.generated },
      'HERALD_ENCRYPTION_KEY is not set: generated an encryption key for endpoint secrets and credentials and stored it in this file (mode 0600). Back it up with the database, or set HERALD_ENCRYPTION_KEY; without it the stored secrets cannot be read.',
    );
  }
  const box = createSecretBox(loaded.keyring);
  const inner = createStore(config.databaseUrl, { poolSize: config.databasePoolSize });
  await inner.open(now);
  const store = withEncryption(inner, box);
  // A refused start (a value sealed with a key it lacks) must let go of the
  // database, or the SQLite file stays locked for the next try.
  const resealed = await resealSecrets(inner, box).catch(async (error) => {
    await inner.close();
    throw error;
  });
  if (resealed > 0)
    logger.info(
      { endpoints: resealed, keyId: box.activeKeyId },
      're-encrypted endpoint secrets under the active encryption key',
    );
  return store;
}
