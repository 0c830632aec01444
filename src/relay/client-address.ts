/**
 * The shopper's address, derived in one place (SECURITY 39): the socket's peer, or, when that peer
 * is a proxy the operator trusts (`RELAY_TRUSTED_PROXIES`), `X-Forwarded-For` read from the right
 * past the trusted proxies only. Entries to the left of the first untrusted one were written by the
 * client and are never read. Addresses come out in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 in
 * RFC 5952 form), and limits count them by network: an IPv4 address, or an IPv6 /64 (one subscriber
 * commonly holds a whole /64, so counting single IPv6 addresses would give them 2^64 allowances).
 */
import { BlockList, isIP } from 'node:net';

/** An IPv6 client is counted by the network it holds. */
const IPV6_NETWORK_PREFIX = 64;

/** `::ffff:` followed by two hextets, as the WHATWG URL serialiser writes an IPv4-mapped address. */
const IPV4_MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * One spelling per address, or undefined for text that is not an IP address. Brackets and an IPv6
 * zone (`%eth0`) are dropped; IPv6 is lower case and compressed as RFC 5952 says (the URL parser's
 * serialiser does exactly that); `::ffff:a.b.c.d` is `a.b.c.d`.
 */
export function canonicalAddress(address: string): string | undefined {
  let text = address.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  // Node refuses leading zeros in IPv4, so a valid one has one spelling already.
  if (family === 4) return text;
  if (family !== 6) return undefined;
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = IPV4_MAPPED.exec(compressed);
  if (mapped === null) return compressed;
  const [high, low] = [parseInt(mapped[1] as string, 16), parseInt(mapped[2] as string, 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The network an address is counted under: the IPv4 address itself, or the IPv6 /64 it is in
 * (`2001:db8:1:2::/64`); undefined for text that is not an IP address.
 */
export function clientNetwork(address: string): string | undefined {
  const canonical = canonicalAddress(address);
  if (canonical === undefined || isIP(canonical) === 4) return canonical;
  const kept = hextets(canonical).slice(0, IPV6_NETWORK_PREFIX / 16);
  return `${canonicalAddress(`${kept.join(':')}::`)}/${IPV6_NETWORK_PREFIX}`;
}

/** The eight hextets of an address in canonical IPv6 form (no dotted part). */
function hextets(canonical: string): string[] {
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array.from({ length: zeros }, () => '0'), ...right];
}

/** Whether `entry` is something `RELAY_TRUSTED_PROXIES` takes: an address, or a CIDR block of either family. */
export function isTrustedProxyEntry(entry: string): boolean {
  return parseEntry(entry) !== undefined;
}

function parseEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const canonical = canonicalAddress(address);
  if (canonical === undefined || extra !== undefined || address.includes('%')) return undefined;
  const family = isIP(canonical) === 4 ? 'ipv4' : 'ipv6';
  const bits = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { address: canonical, prefix: bits, family };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  // A mapped block (`::ffff:10.0.0.0/104`) is written as its IPv4 block, which is what it matches.
  const mappedBits = family === 'ipv4' && isIP(address.trim()) === 6 ? 96 : 0;
  const ownPrefix = prefix - mappedBits;
  if (!Number.isInteger(ownPrefix) || ownPrefix < 0 || ownPrefix > bits) return undefined;
  return { address: canonical, prefix: ownPrefix, family };
}

/**
 * The proxies whose `X-Forwarded-For` entries are believed: addresses and CIDR blocks, IPv4 and
 * IPv6. Empty (the default): the socket's peer is the client and the header is never read.
 */
export class TrustedProxies {
  /** What the operator listed, as given (for messages and the config's JSON form). */
  readonly entries: readonly string[];
  readonly #list = new BlockList();

  /** Throws a TypeError naming the first entry that is neither an address nor a CIDR block. */
  constructor(entries: readonly string[]) {
    this.entries = entries.map((entry) => entry.trim()).filter(Boolean);
    for (const entry of this.entries) {
      const parsed = parseEntry(entry);
      if (parsed === undefined) throw new TypeError(`${entry} is not an IP address or a CIDR block`);
      this.#list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  static readonly none: TrustedProxies = new TrustedProxies([]);

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** `address` in canonical form (see `canonicalAddress`). */
  includes(address: string): boolean {
    return this.entries.length > 0 && this.#list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }

  toJSON(): readonly string[] {
    return this.entries;
  }
}

/**
 * The client's address in canonical form: the socket's peer unless it is a trusted proxy; then
 * `X-Forwarded-For` from the right, skipping trusted proxies, up to the first entry that is not
 * one. An entry that is not an address (a proxy that passes on what clients send) stops the walk
 * at the last proxy believed, so a forged header can never name someone else. Undefined when the
 * socket's address is unknown or not an IP address.
 */
export function clientAddressOf(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedProxies: TrustedProxies): string | undefined {
  const peer = socketAddress === undefined ? undefined : canonicalAddress(socketAddress);
  if (peer === undefined || !trustedProxies.includes(peer) || !forwardedFor) return peer;
  let client = peer;
  const hops = forwardedFor.split(',');
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = canonicalAddress(hops[index] as string);
    if (hop === undefined) return client;
    client = hop;
    if (!trustedProxies.includes(hop)) return hop;
  }
  return client;
}

/** The network `clientAddressOf` counts the request under (see `clientNetwork`): per-client caps use it as their key. */
export function clientNetworkOf(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedProxies: TrustedProxies): string | undefined {
  const address = clientAddressOf(socketAddress, forwardedFor, trustedProxies);
  return address === undefined ? undefined : clientNetwork(address);
}

/** Request headers as a fetch `Request` has them, or as Node's `IncomingMessage.headers` does. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * What `relay.clientAddress` reads of a request: the socket's peer and the headers. A Node
 * `IncomingMessage` (Express's `req`, Fastify's `request.raw`) is one as it is; elsewhere pass
 * `{ socketAddress, headers }` (Hono on Node: `getConnInfo(c).remote.address` and `c.req.raw.headers`).
 */
export type ClientRequest =
  | { socketAddress: string | undefined; headers: HeaderSource }
  | { socket: { remoteAddress?: string | undefined }; headers: HeaderSource };

export function forwardedForOf(headers: HeaderSource): string | null {
  if (headers instanceof Headers) return headers.get('x-forwarded-for');
  const value = headers['x-forwarded-for'];
  // Node joins repeated X-Forwarded-For headers into one; a list given by hand is joined the same way.
  return value === undefined ? null : typeof value === 'string' ? value : value.join(', ');
}

export function clientAddressOfRequest(request: ClientRequest, trustedProxies: TrustedProxies): string | undefined {
  const socketAddress = 'socket' in request ? request.socket.remoteAddress : request.socketAddress;
  return clientAddressOf(socketAddress, forwardedForOf(request.headers), trustedProxies);
}
