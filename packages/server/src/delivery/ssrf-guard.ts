import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard. Endpoint URLs are typed by strangers, so Herald refuses to
 * send into the network it runs in: loopback, private, link-local (the cloud
 * metadata address), CGNAT, multicast, reserved, and every IPv6 spelling of
 * them. A name is judged by every address it resolves to, and the connection
 * is pinned to the addresses that were judged (no DNS-rebinding window).
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses; injectable so tests need no DNS server. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  dnsLookup(hostname, { all: true, order: 'verbatim' });

export interface DestinationPolicy {
  /** HERALD_ALLOW_PRIVATE_NETWORKS: no address is refused (development, tests). */
  allowPrivateNetworks: boolean;
  /** HERALD_REQUIRE_HTTPS: `http:` URLs are refused. */
  requireHttps: boolean;
  /** HERALD_ALLOWED_DESTINATIONS: host names and CIDRs that are let through anyway. */
  allowedDestinations: readonly string[];
}

export class DestinationBlockedError extends Error {
  readonly code = 'WHK_ERR_DESTINATION_BLOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationBlockedError';
  }
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Splits HERALD_ALLOWED_DESTINATIONS into host names and CIDRs; throws on a malformed CIDR. */
export function parseAllowedDestinations(entries: readonly string[]): {
  hosts: Set<string>;
  cidrs: Cidr[];
} {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '');
    if (!entry) continue;
    if (entry.includes('/')) cidrs.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry) && isIP(entry)) {
      const address = ipaddr.parse(entry);
      cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry.replace(/\.$/, ''));
  }
  return { hosts, cidrs };
}

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const range = address.range();
  // NAT64 (64:ff9b::/96) and IPv4-compatible (::a.b.c.d) carry the IPv4 in the last 32 bits.
  if (range === 'rfc6052' || bytes.slice(0, 12).every((b) => b === 0))
    return new ipaddr.IPv4(bytes.slice(12, 16));
  // 6to4 (2002:AABB:CCDD::/48) carries it right after the prefix.
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** Why an address may not be reached (its range's name), or null for a public unicast address. */
export function blockedRange(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return 'invalid';
  const address = ipaddr.process(ip); // ::ffff:a.b.c.d becomes a.b.c.d
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    const inner = embeddedIPv4(v6);
    if (inner && !(v6.range() === 'unspecified' || v6.range() === 'loopback')) {
      const innerRange = blockedRange(inner.toString());
      return innerRange === null ? null : `${v6.range()}:${innerRange}`;
    }
  }
  const range = address.range();
  return range === 'unicast' ? null : range;
}

/** The URL's host as a bare name or address (no IPv6 brackets, no trailing dot). */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

export interface DestinationGuard {
  /** Full check of an endpoint URL, DNS included: endpoint create/update. Throws DestinationBlockedError. */
  check(url: string): Promise<void>;
  /** The checks that need no DNS (scheme, literal addresses): run before every send. */
  checkUrlSync(url: URL): void;
  /** A `net.connect` lookup that resolves, refuses blocked addresses and pins the connection to checked ones. */
  lookup: LookupFunction;
}

export function createDestinationGuard(
  policy: DestinationPolicy,
  resolver: Resolver = systemResolver,
): DestinationGuard {
  const allowed = parseAllowedDestinations(policy.allowedDestinations);

  function addressAllowed(ip: string): boolean {
    if (policy.allowPrivateNetworks) return true;
    const address = ipaddr.process(ip);
    if (
      allowed.cidrs.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits))
    )
      return true;
    return blockedRange(ip) === null;
  }

  function refuse(host: string, ip: string): never {
    throw new DestinationBlockedError(
      `destination ${host} (${ip}) is in a blocked range (${blockedRange(ip)}); see HERALD_ALLOWED_DESTINATIONS`,
    );
  }

  /** Every address of `host`, each checked; throws if any one is blocked. */
  async function resolveChecked(host: string): Promise<ResolvedAddress[]> {
    if (isIP(host)) {
      if (!allowed.hosts.has(host) && !addressAllowed(host)) refuse(host, host);
      return [{ address: host, family: isIP(host) }];
    }
    const addresses = await resolver(host);
    if (addresses.length === 0)
      throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
    if (!allowed.hosts.has(host)) {
      for (const { address } of addresses) if (!addressAllowed(address)) refuse(host, address);
    }
    return addresses;
  }

  function checkUrlSync(url: URL): void {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new DestinationBlockedError(`scheme ${url.protocol} is not allowed`);
    if (policy.requireHttps && url.protocol !== 'https:')
      throw new DestinationBlockedError(
        'only https: destinations are allowed (HERALD_REQUIRE_HTTPS)',
      );
    const host = hostOf(url);
    if (isIP(host) && !allowed.hosts.has(host) && !addressAllowed(host)) refuse(host, host);
  }

  const lookup = ((
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (...args: unknown[]) => void,
  ) => {
    const host = hostname
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
    resolveChecked(host).then(
      (addresses) => {
        const family =
          options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          callback(
            Object.assign(new Error(`${host} has no IPv${family} address`), { code: 'ENOTFOUND' }),
          );
        } else if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error) => callback(error),
    );
  }) as LookupFunction;

  return {
    async check(raw) {
      const url = new URL(raw);
      checkUrlSync(url);
      const host = hostOf(url);
      try {
        await resolveChecked(host);
      } catch (error) {
        // A name that does not resolve yet is not a blocked one; the send-time check judges it then.
        if (error instanceof DestinationBlockedError) throw error;
      }
    },
    checkUrlSync,
    lookup,
  };
}
