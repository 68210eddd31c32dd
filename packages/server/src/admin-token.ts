import { randomBytes } from 'node:crypto';
import { hashToken } from './api/plugins/auth.ts';
import type { Store } from './store/store.ts';

const META_KEY = 'admin_token_sha256';

/**
 * The admin token's hash. A configured token wins; otherwise the first start
 * generates one, stores only its hash and hands the token back to be shown once.
 */
export async function resolveAdminToken(
  store: Store,
  configured: string | undefined,
): Promise<{ hash: Buffer; generated?: string }> {
  if (configured) return { hash: hashToken(configured) };
  const stored = await store.getMeta(META_KEY);
  if (stored) return { hash: Buffer.from(stored, 'hex') };
  const generated = `hadm_${randomBytes(24).toString('base64url')}`;
  const hash = hashToken(generated);
  await store.setMeta(META_KEY, hash.toString('hex'));
  return { hash, generated };
}
