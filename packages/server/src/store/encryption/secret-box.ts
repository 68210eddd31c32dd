import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for values Herald must be able to read back (endpoint secrets,
 * auth credentials). A sealed value names the key that sealed it, so a keyring
 * of old keys can still open it after a rotation:
 *
 *   enc:v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>
 *
 * The associated data binds a value to its place (`ep_…/secret`), so a sealed
 * value copied into another row or field does not open.
 */

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Opened values kept in memory, so the delivery hot path decrypts each secret once. */
const CACHE_LIMIT = 10_000;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The active key seals; every key (active first) opens. */
export interface Keyring {
  active: EncryptionKey;
  keys: EncryptionKey[];
}

export class DecryptionError extends Error {}

/** A key's id: a short fingerprint, so operators never name keys and ids never collide by accident. */
export const keyIdOf = (key: Buffer): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Reads a 32-byte key given as base64/base64url (43–44 chars) or hex (64 chars). */
export function parseKey(text: string): EncryptionKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) throw new Error('an encryption key is 32 bytes, base64 or hex encoded');
  return { id: keyIdOf(key), key };
}

export const generateKey = (): string => randomBytes(32).toString('base64');

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

export interface SecretBox {
  readonly activeKeyId: string;
  seal(plaintext: string, context: string): string;
  /** Opens a sealed value; a value stored before encryption existed is returned as it is. */
  open(stored: string, context: string): string;
  /** True when the value is plaintext or sealed by a key other than the active one. */
  needsReseal(stored: string): boolean;
}

export function createSecretBox(keyring: Keyring): SecretBox {
  const byId = new Map(keyring.keys.map((k) => [k.id, k.key]));
  byId.set(keyring.active.id, keyring.active.key);
  const cache = new Map<string, string>();

  return {
    activeKeyId: keyring.active.id,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyring.active.key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
      return `${PREFIX}${keyring.active.id}:${sealed}`;
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      const cacheKey = `${context}\u0000${stored}`;
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const rest = stored.slice(PREFIX.length);
      const colon = rest.indexOf(':');
      const keyId = rest.slice(0, colon);
      const key = byId.get(keyId);
      if (!key)
        throw new DecryptionError(
          `a value is sealed with encryption key ${keyId}, which is not in the keyring (HERALD_PREVIOUS_ENCRYPTION_KEYS)`,
        );
      const raw = Buffer.from(rest.slice(colon + 1), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      let plaintext: string;
      try {
        plaintext = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new DecryptionError(`a value sealed with key ${keyId} does not open (${context})`);
      }
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, plaintext);
      return plaintext;
    },
    needsReseal(stored) {
      return !stored.startsWith(`${PREFIX}${keyring.active.id}:`);
    },
  };
}
