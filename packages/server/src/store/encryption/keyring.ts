import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type EncryptionKey, generateKey, type Keyring, parseKey } from './secret-box.ts';

export interface KeyringSettings {
  databaseUrl: string;
  /** HERALD_ENCRYPTION_KEY: the active key. */
  encryptionKey?: string;
  /** HERALD_PREVIOUS_ENCRYPTION_KEYS: keys that still open values, never seal. */
  previousEncryptionKeys: string[];
  /** HERALD_ENCRYPTION_KEY_FILE: where a generated keyring lives. */
  encryptionKeyFile?: string;
}

export interface LoadedKeyring {
  keyring: Keyring;
  /** The key file in use (none when the key comes from the environment or the database is in memory). */
  file?: string;
  /** Set when this start generated the key: the caller logs a warning. */
  generated?: string;
}

/** Beside the SQLite file; for PostgreSQL, in ./data (every node must be given the same key). */
export function defaultKeyFile(databaseUrl: string): string | undefined {
  if (databaseUrl === 'sqlite::memory:') return undefined;
  if (databaseUrl.startsWith('sqlite:'))
    return join(dirname(resolve(databaseUrl.slice('sqlite:'.length))), 'herald.key');
  return resolve('data', 'herald.key');
}

/** A key file holds one key per line, the active one first. */
export function readKeyFile(file: string): EncryptionKey[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map(parseKey);
}

export function writeKeyFile(file: string, keys: string[], exclusive: boolean): void {
  mkdirSync(dirname(file), { recursive: true });
  const text = `# Herald encryption keys: the first seals, all open. Keep this file secret and backed up.\n${keys.join('\n')}\n`;
  writeFileSync(file, text, { mode: 0o600, flag: exclusive ? 'wx' : 'w' });
}

/**
 * The keyring: HERALD_ENCRYPTION_KEY when set, otherwise the key file, which
 * is generated (mode 0600) on first start. Previous keys join from the
 * environment and from the file's later lines.
 */
export function loadKeyring(settings: KeyringSettings): LoadedKeyring {
  const previous = settings.previousEncryptionKeys.map(parseKey);
  const file = settings.encryptionKeyFile ?? defaultKeyFile(settings.databaseUrl);
  const fromFile = file && existsSync(file) ? readKeyFile(file) : [];
  if (settings.encryptionKey) {
    const active = parseKey(settings.encryptionKey);
    return { keyring: { active, keys: [active, ...previous, ...fromFile] } };
  }
  if (fromFile.length > 0) {
    return { keyring: { active: fromFile[0], keys: [...fromFile, ...previous] }, file };
  }
  const text = generateKey();
  const active = parseKey(text);
  if (file) {
    try {
      writeKeyFile(file, [text], true);
    } catch (error) {
      // Another process (a second node, a parallel start) generated it first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const theirs = readWhenWritten(file);
      return { keyring: { active: theirs[0], keys: [...theirs, ...previous] }, file };
    }
  }
  return { keyring: { active, keys: [active, ...previous] }, file, generated: file ?? 'memory' };
}

/** The other process may have created the file and not yet written its key: wait briefly. */
function readWhenWritten(file: string): EncryptionKey[] {
  for (let i = 0; i < 40; i++) {
    const keys = readKeyFile(file);
    if (keys.length > 0) return keys;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  throw new Error(`the encryption key file ${file} exists but holds no key`);
}
