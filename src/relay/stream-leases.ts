/**
 * Event streams bounded over every instance sharing the store (SECURITY 43): a session holds at most
 * `MAX_STREAMS_PER_SESSION` open streams and a client network (an IPv4 address or an IPv6 /64) at
 * most `MAX_STREAMS_PER_CLIENT_NETWORK` *(ours)*, wherever they are open. Each open stream holds a
 * lease in the store, in its session's set and in its network's; the stream opened one over a
 * limit takes the oldest lease out of that set, and the instance holding that stream ends it as
 * `superseded`: at once when it is this instance, otherwise at its next renewal, within one
 * heartbeat interval. An instance renews all its leases once per heartbeat in one store call; a
 * lease not renewed for `STREAM_LEASE_SECONDS` (its instance stopped) is dropped.
 *
 * A store that cannot take or renew a lease does not cost the shopper their stream (fail open): it
 * stays open, a line is logged (at most one per kind every 5 s), and the lease is taken again at
 * each heartbeat until the store answers (keeping its place when the store still holds it); until
 * then that stream counts under no bound. Opening a stream reads the session from the store, so
 * while the store is down no stream opens at all (503 `store_unavailable`).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { clientAddressOf, clientNetwork, type TrustedProxies } from './client-address.js';
import { Heartbeat } from './heartbeat.js';
import type { Logger } from './logger.js';
import type { LeaseChange, LeaseSet, SessionStore, StreamLease } from './store/session-store.js';

/** Streams one session may hold open (SECURITY 34, 43); one more closes the oldest. */
export const MAX_STREAMS_PER_SESSION = 4;

/** What `OpenStreams` and `Heartbeat` hold of a stream (the stream itself, not closures made for it). */
export interface ClosableStream {
  end(reason: StreamEnd): void;
  /** Its lease in the store, set by `OpenStreams` while it has one. */
  lease?: Lease | undefined;
}

/** Why the relay ends a stream that is not finished: a newer stream of the session, or the instance stopping. */
export type StreamEnd = 'superseded' | 'shutdown';

/** Streams one client network may hold open over all instances (a household, an office, a carrier's NAT); one more closes the oldest. */
export const MAX_STREAMS_PER_CLIENT_NETWORK = 16;

/** A lease lives this long unless renewed: longer than several heartbeats of the slowest setting (15 s). */
export const STREAM_LEASE_SECONDS = 60;

/** At most one log line per kind of store failure in this time, with how many were left out. */
const FAILURE_LOG_INTERVAL_MS = 5_000;

/**
 * The client network a stream counts under: the client's address as `relay.clientAddress` derives
 * it (the socket, or `X-Forwarded-For` past `RELAY_TRUSTED_PROXIES`), as an IPv4 address or an IPv6
 * /64. Null when unknown (no socket address, as on fetch runtimes) and for a loopback peer: that is
 * a proxy on this host left out of `RELAY_TRUSTED_PROXIES` (or a bench), and counting it would put
 * every shopper behind it under one cap. Then only the per-session bound applies.
 */
export function streamNetworkOf(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxies: TrustedProxies): string | null {
  const address = clientAddressOf(socketAddress, forwardedFor, trustedProxies);
  if (address === undefined || address === '::1' || address.startsWith('127.')) return null;
  return clientNetwork(address) ?? null;
}

export interface StreamLimits {
  perSession: number;
  perClientNetwork: number;
}

export interface StreamLeasesOptions {
  store: SessionStore;
  logger: Logger;
  /** `RELAY_SESSION_SECRET`: the first keys the hash that names a client network in the store. */
  sessionSecret: readonly string[];
  /** How often the leases are renewed: the instance's heartbeat interval. */
  heartbeatMs: number;
  limits?: Partial<StreamLimits>;
}

/**
 * Where a lease stands: being taken; held by the store; lost (the store call about it failed: the
 * next heartbeat takes it again); released (its stream ended).
 */
export type LeaseState = 'taking' | 'held' | 'lost' | 'released';

/** One open stream's lease, as this instance holds it. */
export class Lease {
  readonly id: string;
  readonly stream: ClosableStream;
  readonly sessionId: string;
  /** The network's set key, or null when the client network is unknown. */
  readonly networkKey: string | null;
  state: LeaseState = 'taking';
  /** Its place in the instance's list (moved when another leaves it). */
  index = -1;

  constructor(id: string, stream: ClosableStream, sessionId: string, networkKey: string | null) {
    this.id = id;
    this.stream = stream;
    this.sessionId = sessionId;
    this.networkKey = networkKey;
  }
}

export class StreamLeases {
  readonly limits: StreamLimits;
  /** The store's `leaseStreams`, bound; undefined for an engine that keeps no leases. */
  readonly #leaseStreams: SessionStore['leaseStreams'];
  readonly #logger: Logger;
  readonly #networkHashKey: Buffer;
  readonly #heartbeat: Heartbeat;
  /**
   * The leases this instance holds, in no order: a plain list (a lease knows its index), since a
   * Map by id would cost each stream ~50 bytes for a lookup needed only when one must end.
   */
  readonly #leases: Lease[] = [];
  /** Lease ids are this instance's random prefix and a count: unique over instances, and short enough (under 13 characters) to be one flat string. */
  readonly #idPrefix = randomBytes(6).toString('base64url');
  #issued = 0;
  #renewing = false;
  #saidNoLeases = false;
  readonly #lastFailureLogAt = new Map<string, number>();
  #suppressedFailures = 0;

  constructor(options: StreamLeasesOptions) {
    this.#leaseStreams = options.store.leaseStreams?.bind(options.store);
    this.#logger = options.logger;
    this.#heartbeat = new Heartbeat(options.heartbeatMs);
    this.limits = { perSession: MAX_STREAMS_PER_SESSION, perClientNetwork: MAX_STREAMS_PER_CLIENT_NETWORK, ...options.limits };
    const [secret] = options.sessionSecret;
    this.#networkHashKey = Buffer.from(hkdfSync('sha256', secret ?? '', 'k360-verify/stream-leases', 'client-network-key/v1', 32));
  }

  /** Leases this instance holds. */
  get size(): number {
    return this.#leases.length;
  }

  /** The streams holding them (for a shutdown). */
  streams(): ClosableStream[] {
    return this.#leases.map((lease) => lease.stream);
  }

  /**
   * A lease for a stream that has just opened, taken in the store in the background (the stream
   * does not wait for it); undefined when the store keeps no leases. `release` it when the stream ends.
   */
  take(stream: ClosableStream, sessionId: string, clientNetwork: string | null): Lease | undefined {
    if (this.#leaseStreams === undefined) {
      if (!this.#saidNoLeases) this.#logger.info('relay.events.bounded_per_instance', { hint: 'the store engine has no leaseStreams: event streams are bounded per session on each instance only, not over all instances nor per client network' });
      this.#saidNoLeases = true;
      return undefined;
    }
    this.#issued += 1;
    // The store never holds the network in the clear: a keyed hash names its set.
    const networkKey = clientNetwork === null ? null : `net:${createHmac('sha256', this.#networkHashKey).update(clientNetwork).digest('base64url')}`;
    const lease = new Lease(`${this.#idPrefix}${this.#issued.toString(36)}`, stream, sessionId, networkKey);
    lease.index = this.#leases.push(lease) - 1;
    if (lease.index === 0) this.#heartbeat.add(this);
    this.#open(lease);
    return lease;
  }

  /** The stream has ended: its place is free for another stream. */
  release(lease: Lease): void {
    if (lease.state === 'released' || this.#leases[lease.index] !== lease) return;
    const last = this.#leases.pop() as Lease;
    if (last !== lease) {
      this.#leases[lease.index] = last;
      last.index = lease.index;
    }
    if (this.#leases.length === 0) this.#heartbeat.remove(this);
    const taking = lease.state === 'taking';
    lease.state = 'released';
    // While it is being taken, the taking releases it when done: a release cannot overtake it and leave it behind.
    if (!taking) this.#leaveStore(lease);
  }

  /** Called by the heartbeat: renews every lease held in one store call, and takes again the lost ones. */
  beat(): void {
    if (this.#renewing) return;
    const held: Lease[] = [];
    for (const lease of this.#leases) {
      if (lease.state === 'held') held.push(lease);
      else if (lease.state === 'lost') this.#open(lease);
    }
    if (held.length === 0) return;
    this.#renewing = true;
    this.#call('renew', held).then(
      (gone) => {
        this.#renewing = false;
        this.#end(gone);
      },
      (error: unknown) => {
        this.#renewing = false;
        for (const lease of held) if (lease.state === 'held') lease.state = 'lost';
        this.#logFailure('renew', error);
      },
    );
  }

  #open(lease: Lease): void {
    lease.state = 'taking';
    this.#call('open', [lease]).then(
      (ended) => {
        if (lease.state === 'released') this.#leaveStore(lease);
        else lease.state = 'held';
        this.#end(ended);
      },
      (error: unknown) => {
        if (lease.state === 'taking') lease.state = 'lost';
        this.#logFailure('open', error);
      },
    );
  }

  #leaveStore(lease: Lease): void {
    this.#call('release', [lease]).catch((error: unknown) => this.#logFailure('release', error));
  }

  /**
   * Ends the streams this instance holds among `ids` (the others are ended by their own instances).
   * A walk over the list: ids come back only when a bound was passed (or the store lost its leases).
   */
  #end(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const wanted = new Set(ids);
    const ending = this.#leases.filter((lease) => wanted.has(lease.id));
    for (const lease of ending) lease.stream.end('superseded');
  }

  #call(change: LeaseChange, leases: readonly Lease[]): Promise<string[]> {
    const { perSession, perClientNetwork } = this.limits;
    const asStored = leases.map((lease): StreamLease => {
      // A session's set is named by the session id itself (it holds no ':'), a network's by `net:<hash>`.
      const sessionSet: LeaseSet = { key: lease.sessionId, limit: perSession };
      return { id: lease.id, sets: lease.networkKey === null ? [sessionSet] : [sessionSet, { key: lease.networkKey, limit: perClientNetwork }] };
    });
    try {
      return this.#leaseStreams?.(change, asStored, STREAM_LEASE_SECONDS) ?? Promise.resolve([]);
    } catch (error) {
      // A host's engine that throws instead of rejecting fails the same way, never the stream's opening.
      return Promise.reject(error);
    }
  }

  #logFailure(change: LeaseChange, error: unknown): void {
    const now = Date.now();
    if (now - (this.#lastFailureLogAt.get(change) ?? -Infinity) < FAILURE_LOG_INTERVAL_MS) {
      this.#suppressedFailures += 1;
      return;
    }
    this.#lastFailureLogAt.set(change, now);
    const hint = change === 'release' ? 'the lease expires by itself' : 'the streams stay open, unbounded until their leases are taken again at a next heartbeat';
    this.#logger.warn('relay.events.lease_failed', { change, error, hint, ...(this.#suppressedFailures > 0 ? { suppressed: this.#suppressedFailures } : {}) });
    this.#suppressedFailures = 0;
  }
}
