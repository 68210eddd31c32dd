import { resealSecrets } from '../store/encryption/encrypted-store.ts';
import { loadKeyring, readKeyFile, writeKeyFile } from '../store/encryption/keyring.ts';
import { createSecretBox, generateKey } from '../store/encryption/secret-box.ts';
import { createStore } from '../store/open-store.ts';
import { configOrExit } from './load-config.ts';

/**
 * `herald rotate-encryption-key [--generate]`: re-seals every stored secret
 * under the active key. With HERALD_ENCRYPTION_KEY, set the new key there and
 * the old one in HERALD_PREVIOUS_ENCRYPTION_KEYS, run this, then drop the old
 * one. With the generated key file, `--generate` puts a new key first in the
 * file (the old ones stay below it, still able to open) before re-sealing.
 */
export async function rotateEncryptionKey(argv: string[]): Promise<void> {
  const config = configOrExit(argv);
  let loaded = loadKeyring(config);
  if (argv.includes('--generate')) {
    if (config.encryptionKey || !loaded.file) {
      console.error(
        'herald: --generate rotates the key file; with HERALD_ENCRYPTION_KEY set, put the new key there and the old one in HERALD_PREVIOUS_ENCRYPTION_KEYS',
      );
      process.exit(2);
    }
    const old = readKeyFile(loaded.file).map((k) => k.key.toString('base64'));
    writeKeyFile(loaded.file, [generateKey(), ...old], false);
    loaded = loadKeyring(config);
  }
  const box = createSecretBox(loaded.keyring);
  const store = createStore(config.databaseUrl, { poolSize: 1 });
  await store.open(Date.now());
  try {
    const rewritten = await resealSecrets(store, box, { force: true });
    console.log(
      `re-encrypted the secrets of ${rewritten} endpoint(s) under key ${box.activeKeyId}; older keys are no longer needed`,
    );
  } finally {
    await store.close();
  }
}
