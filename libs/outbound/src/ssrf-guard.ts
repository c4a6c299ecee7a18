import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard of every URL a user gives the system to call (Slack and webhook deliveries): a
 * request may only reach public unicast addresses. Private (RFC 1918), loopback, link-local (the
 * cloud metadata service at 169.254.169.254), unique-local, CGNAT, multicast, reserved and the
 * IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are refused, unless the
 * operator allow-listed the host or the address range. A host name is resolved and *every*
 * address it has is checked, and the connection is made to the addresses that were checked (the
 * check runs as the socket's DNS lookup), so a name cannot pass the check and then resolve
 * elsewhere. Redirects are never followed (outbound-http.ts).
 */

export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

export interface OutboundPolicy {
  /** Lower-case `host` or `host:port` entries whose URLs skip the address check (and may use http). */
  allowedHosts: ReadonlySet<string>;
  /** Address ranges allowed although not public (e.g. a partner's VPN range). */
  allowedRanges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

/** OUTBOUND_ALLOWLIST: comma-separated hosts (`hooks.internal`, `127.0.0.1:8443`) and CIDR ranges (`10.8.0.0/16`). */
export function parseOutboundAllowlist(entries: readonly string[]): OutboundPolicy {
  const allowedHosts = new Set<string>();
  const allowedRanges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      allowedRanges.push(ipaddr.parseCIDR(entry));
      continue;
    }
    allowedHosts.add(entry);
  }
  return { allowedHosts, allowedRanges };
}

export const EMPTY_POLICY: OutboundPolicy = { allowedHosts: new Set(), allowedRanges: [] };

/** Why an address may not be reached, or null when it is public unicast (or allow-listed). */
export function refusalOf(address: string, policy: OutboundPolicy = EMPTY_POLICY): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  for (const [range, bits] of policy.allowedRanges) {
    if (range.kind() === parsed.kind() && parsed.match(range, bits)) return null;
  }
  const range = parsed.range();
  return range === 'unicast' ? null : `${parsed.toString()} is a ${describeRange(range)} address`;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    private: 'private (RFC 1918)', loopback: 'loopback', linkLocal: 'link-local', uniqueLocal: 'unique-local (private IPv6)',
    unspecified: 'unspecified', carrierGradeNat: 'carrier-grade NAT', multicast: 'multicast', broadcast: 'broadcast',
    reserved: 'reserved', rfc6052: 'NAT64', '6to4': '6to4', teredo: 'Teredo',
  };
  return names[range] ?? `non-public (${range})`;
}

export interface CheckedUrl {
  url: URL;
  /** Allow-listed by host: no address check, http allowed. */
  exempt: boolean;
}

/**
 * The checks that need no DNS: an http(s) URL without credentials, https unless allow-listed, and
 * an IP-literal host that is public. Host names are checked when the socket resolves them.
 */
export function checkOutboundUrl(input: string, policy: OutboundPolicy): CheckedUrl {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundRefusedError('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefusedError(`${url.protocol} URLs are not sent to; use https`);
  if (url.username || url.password) throw new OutboundRefusedError('URLs with credentials are refused');
  const exempt = policy.allowedHosts.has(url.host.toLowerCase()) || policy.allowedHosts.has(url.hostname.toLowerCase());
  if (!exempt && url.protocol !== 'https:') throw new OutboundRefusedError('must be https (http only for hosts in OUTBOUND_ALLOWLIST)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!exempt && net.isIP(host)) {
    const refusal = refusalOf(host, policy);
    if (refusal) throw new OutboundRefusedError(`refused: ${refusal}`);
  }
  if (!exempt && /^(localhost|.*\.localhost)$/i.test(host)) throw new OutboundRefusedError('refused: localhost is a loopback name');
  return { url, exempt };
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * A `lookup` for net / tls sockets: resolves every address of the host and refuses the connection
 * when any is not public, so the socket only ever connects to addresses that were checked.
 */
export function guardedLookup(policy: OutboundPolicy, resolve: Resolver = systemResolver) {
  return (host: string, options: LookupOptions | LookupCallback, maybeCallback?: LookupCallback): void => {
    const callback = (typeof options === 'function' ? options : maybeCallback) as LookupCallback;
    const wantsAll = typeof options === 'object' && options.all === true;
    resolve(host).then((addresses) => {
      if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
      for (const { address } of addresses) {
        const refusal = refusalOf(address, policy);
        if (refusal) throw new OutboundRefusedError(`refused: ${host} resolves to ${refusal.replace(' is a ', ', a ')}`);
      }
      if (wantsAll) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    }).catch((error: NodeJS.ErrnoException) => callback(error, wantsAll ? [] : ''));
  };
}
