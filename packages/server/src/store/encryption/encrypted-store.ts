import type { Endpoint, EndpointAuth, PreviousSecret } from '../../domain/types.ts';
import type { ClaimedDelivery, Page, Store } from '../store.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * Encryption at the store boundary: whatever the dialect, endpoint secrets,
 * auth credentials and custom header values (a header often carries a token)
 * are sealed on their way into the Store and opened on
 * their way out, so domain code only ever sees plaintext and the database only
 * ever holds ciphertext. Methods that carry no secret pass straight through.
 */

type Box = SecretBox;

// One context for the current and the previous secrets: rotation moves a sealed value between them.
const secretContext = (endpointId: string) => `${endpointId}/secret`;
const authContext = (endpointId: string) => `${endpointId}/auth`;
// Bound to the header's name too, so a stored value cannot be moved to another header.
const headerContext = (endpointId: string, name: string) => `${endpointId}/header/${name}`;

function mapAuth(auth: EndpointAuth | null, f: (value: string) => string): EndpointAuth | null {
  if (auth === null) return null;
  switch (auth.type) {
    case 'bearer':
      return { ...auth, token: f(auth.token) };
    case 'basic':
      return { ...auth, password: f(auth.password) };
    case 'apiKey':
      return { ...auth, value: f(auth.value) };
  }
}

const mapPrevious = (previous: PreviousSecret[], f: (value: string) => string) =>
  previous.map((p) => ({ ...p, secret: f(p.secret) }));

const mapHeaders = (headers: Record<string, string>, f: (value: string, name: string) => string) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, f(value, name)]));

export interface SecretFields {
  id: string;
  secret: string;
  auth: EndpointAuth | null;
  previousSecrets: PreviousSecret[];
  headers: Record<string, string>;
}

/** Applies `f` (seal or open) to every secret field of an endpoint-shaped value. */
export function mapSecrets<T extends Partial<SecretFields>>(
  value: T,
  id: string,
  f: (value: string, context: string) => string,
): T {
  const out = { ...value };
  if (out.secret !== undefined) out.secret = f(out.secret, secretContext(id));
  if (out.auth !== undefined) out.auth = mapAuth(out.auth, (v) => f(v, authContext(id)));
  if (out.previousSecrets !== undefined)
    out.previousSecrets = mapPrevious(out.previousSecrets, (v) => f(v, secretContext(id)));
  if (out.headers !== undefined)
    out.headers = mapHeaders(out.headers, (v, name) => f(v, headerContext(id, name)));
  return out;
}

export function withEncryption(store: Store, box: Box): Store {
  const seal = <T extends Partial<SecretFields>>(value: T, id: string) =>
    mapSecrets(value, id, box.seal);
  const open = (endpoint: Endpoint): Endpoint => mapSecrets(endpoint, endpoint.id, box.open);
  const openMaybe = (endpoint: Endpoint | undefined) => endpoint && open(endpoint);
  // The stores hand claims of an unchanged endpoint the same object (EndpointCache),
  // so its secrets are opened once, not once per delivery.
  const opened = new WeakMap<Endpoint, Endpoint>();
  const openClaim = (claim: ClaimedDelivery): ClaimedDelivery => {
    let endpoint = opened.get(claim.endpoint);
    if (!endpoint) {
      endpoint = open(claim.endpoint);
      opened.set(claim.endpoint, endpoint);
    }
    return { ...claim, endpoint };
  };
  const openClaims = (claims: ClaimedDelivery[]) => claims.map(openClaim);

  const overrides: Partial<Store> = {
    createEndpoint: async (endpoint, now) =>
      open(await store.createEndpoint(seal(endpoint, endpoint.id), now)),
    listEndpoints: async (orgId, page) => {
      const result: Page<Endpoint> = await store.listEndpoints(orgId, page);
      return { ...result, data: result.data.map(open) };
    },
    getEndpoint: async (orgId, id) => openMaybe(await store.getEndpoint(orgId, id)),
    updateEndpoint: async (orgId, id, patch, now) =>
      openMaybe(await store.updateEndpoint(orgId, id, seal(patch, id), now)),
    rotateEndpointSecret: async (orgId, id, rotation, now) =>
      openMaybe(
        await store.rotateEndpointSecret(
          orgId,
          id,
          { ...rotation, secret: box.seal(rotation.secret, secretContext(id)) },
          now,
        ),
      ),
    claimDue: async (request) => openClaims(await store.claimDue(request)),
    recordAndClaim: async (records, now, policy, request) =>
      openClaims(await store.recordAndClaim(records, now, policy, request)),
  };

  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Store];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Meta key: every stored secret is sealed by this key id (so starts skip the
 * scan). Renamed when header values joined the sealed fields, so the first
 * start after that upgrade scans once and seals the plaintext ones.
 */
const SEALED_BY = 'encryption_sealed_by_v2';

/**
 * Re-seals, under the active key, every stored secret that is plaintext (a
 * database from before encryption) or sealed by an older key. Walks every
 * endpoint, deleted ones too. Cheap on a normal start: the meta key says when
 * there is nothing to do. Returns how many endpoints were rewritten.
 */
export async function resealSecrets(
  store: Store,
  box: Box,
  options: { force?: boolean } = {},
): Promise<number> {
  if (!options.force && (await store.getMeta(SEALED_BY)) === box.activeKeyId) return 0;
  let rewritten = 0;
  let after = '';
  for (;;) {
    const batch = await store.listEndpointSecrets(after, 200);
    if (batch.length === 0) break;
    const changed: SecretFields[] = [];
    for (const row of batch) {
      const stale =
        box.needsReseal(row.secret) ||
        row.previousSecrets.some((p) => box.needsReseal(p.secret)) ||
        Object.values(row.headers).some((value) => box.needsReseal(value)) ||
        authNeedsReseal(row.auth, box);
      if (!stale) continue;
      const plain = mapSecrets(row, row.id, box.open);
      changed.push(mapSecrets(plain, row.id, box.seal));
    }
    if (changed.length > 0) await store.putEndpointSecrets(changed);
    rewritten += changed.length;
    after = batch[batch.length - 1].id;
  }
  await store.setMeta(SEALED_BY, box.activeKeyId);
  return rewritten;
}

function authNeedsReseal(auth: EndpointAuth | null, box: Box): boolean {
  let stale = false;
  mapAuth(auth, (value) => {
    stale ||= box.needsReseal(value);
    return value;
  });
  return stale;
}
