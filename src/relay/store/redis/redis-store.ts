/**
 * The shared store on Redis (node-redis 5 or 6), for several relay instances behind one load
 * balancer: on a single primary, on a Redis Cluster, or on a primary watched by Sentinel.
 *
 * It is an engine (`StoreEngine`): sessions and views reach it sealed (`SealedSessionStore` above it;
 * `RedisSessionStore` is the two together). Keys (`keys.ts`), all under the configured prefix and
 * all with a TTL:
 * - `s:{<session id>}`: hash `{ r: version, d: the sealed session }`;
 * - `e:{<session id>}`: list of the session's last views (`<revision> <sealed view>`), the replay
 *   window for `Last-Event-ID`;
 * - `v:<key>`: small values (aliases from Kount's ids to the session id, webhook event ids, claims);
 * - `q:{<group>}:<window>`: rate-limit counters, each living for its window from the first take.
 * - `l:{<set>}`: hash of open event streams' leases (`<lease id>` -> `<opened> <expires>`), per
 *   session and per client network (SECURITY 43).
 * A commit is one Lua script on the session's slot: compare the version, write the session and its
 * event, and publish the event on the session's channel (`PUBLISH`, or sharded `SPUBLISH` on a
 * cluster), which every instance with a stream open for that session listens to. Aliases are
 * written just before, outside the script (each may live in another slot): an alias whose session
 * was never written leads nowhere and expires.
 *
 * Writes that must survive a failover (every session commit: a counted wrong code, a decision, a
 * confirmation) wait for `minReplicasAcked` replicas (`WAIT`) before they count as done; when too
 * few acknowledge in time the request gets `503 store_unavailable` and the change is not reported.
 *
 * Every command has a time limit and the offline queue is off, so when Redis is down or slow a
 * request fails at once with `503 store_unavailable` instead of waiting; the client reconnects by
 * itself (and, under Sentinel, follows the new primary) and the next request works again.
 */
import { RelayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { SealedSessionStore } from '../sealed-store.js';
import type { EventListener, LeaseChange, LeaseSet, Quota, QuotaAnswer, RecordCommit, StoreEngine, StoredEvent, StoredRecord, StreamLease } from '../session-store.js';
import { TopologyMismatch, openConnection, type RedisConnection, type RedisModule, type StoreMode } from './connection.js';
import { RedisKeys } from './keys.js';
import { COMMIT, LEASE_STREAMS, RETURN_QUOTA, TAKE_QUOTA, runScript } from './scripts.js';
import { checkTopology, describeConnectionError } from './topology.js';

export interface RedisEngineOptions {
  /**
   * Standalone: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Cluster: seed nodes,
   * comma-separated. Sentinel: the sentinels, comma-separated.
   */
  url: string;
  /** `standalone` (default), `cluster` or `sentinel`. */
  mode?: StoreMode;
  /** Sentinel: the name of the monitored primary. */
  sentinelName?: string;
  /** Sentinel: credentials of the data nodes (the URLs carry the sentinels'). */
  nodeUsername?: string;
  nodePassword?: string;
  /** Put before every key and channel, so several relays (or other programs) can share one Redis. */
  prefix: string;
  /** Time limit of every command, in milliseconds (a `WAIT` for replicas included). */
  commandTimeoutMs: number;
  /** Replicas that must acknowledge a session's write; by default 1 where the primary has replicas, else 0. */
  minReplicasAcked?: number;
  logger: Logger;
  /** node-redis as the host installed it (another major version, say); loaded from `@redis/client` otherwise. */
  redis?: RedisModule;
}

/** Reconnection after a drop: quick at first, then every 2 s at most, for as long as it takes. */
const reconnectDelayMs = (retries: number): number => Math.min(50 * 2 ** retries, 2000) * (0.8 + Math.random() * 0.4);
/** Connection attempts at start-up before `connect()` gives up with the reason. */
const STARTUP_ATTEMPTS = 4;

interface Channel {
  listeners: Set<EventListener>;
  subscribed: boolean;
  /** Subscribe and unsubscribe calls for one channel run one after the other. */
  queue: Promise<void>;
}

export class RedisStoreEngine implements StoreEngine {
  readonly #options: RedisEngineOptions;
  readonly #mode: StoreMode;
  readonly #keys: RedisKeys;
  readonly #channels = new Map<string, Channel>();
  #connection: Promise<RedisConnection> | null = null;
  #replicasRequired = 0;
  readonly #missedEventListeners = new Set<() => void>();
  #closed = false;
  #lastFailureLogAt = 0;
  #suppressedFailures = 0;

  constructor(options: RedisEngineOptions) {
    this.#options = options;
    this.#mode = options.mode ?? 'standalone';
    this.#keys = new RedisKeys(options.prefix);
  }

  async connect(): Promise<void> {
    await this.#connected();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connection = await this.#connection?.catch(() => null);
    this.#connection = null;
    await connection?.close();
  }

  async read(id: string): Promise<StoredRecord | null> {
    const key = this.#keys.session(id);
    const [version, data] = (await this.#run('read', (redis, signal) => redis.command(key, ['HMGET', key, 'r', 'd'], signal))) as [unknown, unknown];
    return typeof version === 'string' && typeof data === 'string' ? { data, version: Number(version) } : null;
  }

  async commit(change: RecordCommit): Promise<boolean> {
    const { sessionId, data, expectedVersion, ttlSeconds, aliases, event, keepEvents } = change;
    const ttlMs = Math.floor(ttlSeconds * 1000);
    const sessionKey = this.#keys.session(sessionId);
    return this.#run('commit', async (redis, signal) => {
      // Each alias may sit in another slot: written first, idempotently, with the session's life.
      if (ttlMs > 0 && aliases.length > 0) {
        await Promise.all(
          aliases.map((alias) => {
            const key = this.#keys.value(alias);
            return redis.command(key, ['SET', key, sessionId, 'PX', String(ttlMs)], signal);
          }),
        );
      }
      const args = [
        expectedVersion === null ? '' : String(expectedVersion),
        data,
        String(ttlMs),
        event === null ? '' : String(event.id),
        event?.data ?? '',
        String(keepEvents),
        this.#keys.channel(sessionId),
        redis.publishCommand,
        String(this.#replicasRequired),
      ];
      const { reply, acknowledged } = await redis.durable(sessionKey, (send) => runScript(send, COMMIT, [sessionKey, this.#keys.events(sessionId)], args), this.#replicasRequired, this.#options.commandTimeoutMs, signal);
      if (reply === -1 || (reply === 1 && acknowledged < this.#replicasRequired)) {
        // -1: refused before writing (too few replicas connected); otherwise written on the primary but not acknowledged in time.
        this.#options.logger.warn('relay.store.not_replicated', { operation: 'commit', required: this.#replicasRequired, acknowledged: reply === -1 ? 0 : acknowledged, written: reply === 1 });
        throw new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
      }
      return reply === 1;
    });
  }

  async events(sessionId: string): Promise<StoredEvent[]> {
    const key = this.#keys.events(sessionId);
    const entries = (await this.#run('events', (redis) => redis.command(key, ['LRANGE', key, '0', '-1']))) as string[];
    return entries.flatMap((entry) => {
      const parsed = parseEvent(entry);
      return parsed === null ? [] : [parsed];
    });
  }

  async listen(sessionId: string, listener: EventListener): Promise<() => void> {
    const name = this.#keys.channel(sessionId);
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: false, queue: Promise.resolve() };
      this.#channels.set(name, channel);
    }
    const entry: EventListener = (event) => listener(event);
    channel.listeners.add(entry);
    try {
      await this.#sync(name, channel);
    } catch (error) {
      channel.listeners.delete(entry);
      void this.#sync(name, channel).catch(() => undefined);
      throw error;
    }
    return () => {
      channel.listeners.delete(entry);
      this.#sync(name, channel).catch((error: unknown) => this.#options.logger.warn('relay.store.unsubscribe_failed', { error }));
    };
  }

  onMissedEvents(listener: () => void): void {
    this.#missedEventListeners.add(listener);
  }

  async claim(key: string, ttlSeconds: number, value = '1'): Promise<boolean> {
    const name = this.#keys.value(key);
    const reply = await this.#run('claim', (redis) => redis.command(name, ['SET', name, value, 'NX', 'PX', String(Math.max(1, Math.floor(ttlSeconds * 1000)))]));
    return reply === 'OK';
  }

  async getValue(key: string): Promise<string | null> {
    const name = this.#keys.value(key);
    const value = await this.#run('getValue', (redis) => redis.command(name, ['GET', name]));
    return typeof value === 'string' ? value : null;
  }

  async setValue(key: string, value: string, ttlSeconds: number): Promise<void> {
    const name = this.#keys.value(key);
    const ttlMs = Math.floor(ttlSeconds * 1000);
    await this.#run('setValue', (redis) => redis.command(name, ttlMs <= 0 ? ['DEL', name] : ['SET', name, value, 'PX', String(ttlMs)]));
  }

  /**
   * One group of counters at a time (a group shares a slot); when a later group is used up, the
   * groups taken before are given back, so no limit is ever passed and nothing is counted.
   */
  async takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer> {
    const groups = this.#quotaGroups(quotas);
    const taken: string[][] = [];
    for (const group of groups) {
      const keys = group.map(({ key }) => key);
      const args = group.flatMap(({ quota }) => [String(quota.limit), String(Math.max(1, Math.floor(quota.windowSeconds * 1000)))]);
      const [index, msLeft] = (await this.#run('takeQuota', (redis) => runScript((args) => redis.command(keys[0], args), TAKE_QUOTA, keys, args))) as [number, number];
      const refused = group[index - 1]?.quota;
      if (refused !== undefined) {
        await this.#giveBack(taken);
        // PTTL is negative only for a key without a TTL, which this store never writes: the whole window then.
        return { taken: false, key: refused.key, retryAfterSeconds: msLeft > 0 ? Math.ceil(msLeft / 1000) : refused.windowSeconds };
      }
      taken.push(keys);
    }
    return { taken: true };
  }

  async returnQuota(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const placed = this.#keys.quota(key);
      groups.set(placed.group, [...(groups.get(placed.group) ?? []), placed.key]);
    }
    await this.#giveBack([...groups.values()]);
  }

  async #giveBack(groups: readonly string[][]): Promise<void> {
    await Promise.all(groups.map((keys) => this.#run('returnQuota', (redis) => runScript((args) => redis.command(keys[0], args), RETURN_QUOTA, keys, []))));
  }

  #quotaGroups(quotas: readonly Quota[]): Array<Array<{ quota: Quota; key: string }>> {
    const groups = new Map<string, Array<{ quota: Quota; key: string }>>();
    for (const quota of quotas) {
      const placed = this.#keys.quota(quota.key);
      groups.set(placed.group, [...(groups.get(placed.group) ?? []), { quota, key: placed.key }]);
    }
    return [...groups.values()];
  }

  /** One subscription per channel while it has listeners; calls for a channel queue behind each other. */
  #sync(name: string, channel: Channel): Promise<void> {
    const run = async (): Promise<void> => {
      const wanted = channel.listeners.size > 0;
      if (wanted === channel.subscribed) {
        if (!wanted && this.#channels.get(name) === channel) this.#channels.delete(name);
        return;
      }
      await this.#run(wanted ? 'subscribe' : 'unsubscribe', async (redis) => {
        if (wanted) await redis.subscribe(name, (message) => this.#deliver(channel, message));
        else await redis.unsubscribe(name);
      });
      channel.subscribed = wanted;
      if (!wanted && channel.listeners.size === 0 && this.#channels.get(name) === channel) this.#channels.delete(name);
    };
    const next = channel.queue.then(run, run);
    channel.queue = next.catch(() => undefined);
    return next;
  }

  #deliver(channel: Channel, message: string): void {
    const parsed = parseEvent(message);
    if (parsed === null) return;
    for (const listener of [...channel.listeners]) {
      try {
        listener(parsed);
      } catch {
        // Listeners handle their own trouble (LiveUpdates logs it).
      }
    }
  }

  /** Runs one step; any failure (down, slow, refused, a failover under way) becomes `503 store_unavailable`. */
  async #run<Result>(operation: string, step: (redis: RedisConnection, signal: AbortSignal) => Promise<Result>): Promise<Result> {
    const giveUp = new AbortController();
    try {
      const connection = await this.#connected();
      return await withDeadline(step(connection, giveUp.signal), this.#options.commandTimeoutMs * 2, giveUp);
    } catch (error) {
      if (error instanceof RelayError) throw error;
      this.#logFailure(operation, error);
      throw new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
    }
  }

  #connected(): Promise<RedisConnection> {
    if (this.#closed) return Promise.reject(new Error('The session store is closed.'));
    this.#connection ??= this.#open().catch((error: unknown) => {
      // Tried again by the next command: a Redis that comes back later is found.
      this.#connection = null;
      throw error;
    });
    return this.#connection;
  }

  async #open(): Promise<RedisConnection> {
    const redis = this.#options.redis ?? (await loadRedis());
    let connectedOnce = false;
    const connectTimeoutMs = Math.max(1000, this.#options.commandTimeoutMs * 2);
    const connection = openConnection(redis, {
      mode: this.#mode,
      urls: this.#options.url.split(',').map((url) => url.trim()).filter(Boolean),
      sentinelName: this.#options.sentinelName,
      nodeUsername: this.#options.nodeUsername,
      nodePassword: this.#options.nodePassword,
      connectTimeoutMs,
      socketTimeoutMs: Math.max(3000, this.#options.commandTimeoutMs * 3),
      // At start-up a few quick tries, then `connect()` reports why; once connected, reconnect for ever.
      reconnectDelayMs: (retries, cause, connected) => (connected || connectedOnce || retries < STARTUP_ATTEMPTS - 1 ? reconnectDelayMs(retries) : cause),
    });
    try {
      // A Redis that accepts the connection and then answers nothing would hold `connect()` for ever.
      await withDeadline(connection.connect(), connectTimeoutMs * STARTUP_ATTEMPTS);
      const topology = await withDeadline(checkTopology(connection, this.#mode), connectTimeoutMs * STARTUP_ATTEMPTS);
      this.#replicasRequired = this.#options.minReplicasAcked ?? Math.min(1, topology.replicas);
      if (this.#replicasRequired > topology.replicas) {
        this.#options.logger.warn('relay.store.too_few_replicas', { required: this.#replicasRequired, connected: topology.replicas, hint: 'session writes answer 503 until enough replicas acknowledge (RELAY_STORE_MIN_REPLICAS_ACKED)' });
      }
      if (!topology.persistent) {
        this.#options.logger.warn('relay.store.no_persistence', { hint: 'Redis keeps no AOF or RDB snapshots: a restart without a replica loses every open session, counted wrong code and unconfirmed decision' });
      }
      this.#options.logger.info('relay.store.connected', { engine: 'redis', mode: this.#mode, replicas: topology.replicas, replicasRequired: this.#replicasRequired });
    } catch (error) {
      connection.destroy();
      if (error instanceof TopologyMismatch) throw error;
      throw new Error(`RELAY_STORE_URL: ${describeConnectionError(error, this.#mode)}`, { cause: error });
    }
    connectedOnce = true;
    connection.onInterruption((reason) => {
      this.#options.logger.info('relay.store.reconnected', { reason });
      // What was published while this instance was away never arrives: the streams read the log.
      for (const listener of this.#missedEventListeners) listener();
    });
    return connection;
  }

  /** One log line per failure, at most one every 5 s during an outage (with how many were left out). */
  #logFailure(operation: string, error: unknown): void {
    const now = Date.now();
    if (now - this.#lastFailureLogAt < 5000) {
      this.#suppressedFailures += 1;
      return;
    }
    this.#options.logger.warn('relay.store.unavailable', {
      operation,
      mode: this.#mode,
      reason: describeConnectionError(error, this.#mode),
      ...(this.#suppressedFailures > 0 ? { suppressed: this.#suppressedFailures } : {}),
    });
    this.#lastFailureLogAt = now;
    this.#suppressedFailures = 0;
  }

  /**
   * One script per set (`l:{<set key>}`, a hash of lease ids, in the set's own slot). An opening
   * goes through its sets in turn, so a lease one set took out is taken out of the later ones too;
   * renewals and releases go to every set at once, in one batch.
   */
  async leaseStreams(change: LeaseChange, leases: readonly StreamLease[], ttlSeconds: number): Promise<string[]> {
    const ttlMs = String(Math.max(1, Math.floor(ttlSeconds * 1000)));
    return this.#run('leaseStreams', async (redis) => {
      const inSet = async (set: LeaseSet, ids: readonly string[], dropped: readonly string[]): Promise<string[]> => {
        const key = `${this.#options.prefix}l:{${set.key}}`;
        return (await runScript((args) => redis.command(key, args), LEASE_STREAMS, [key], [change, ttlMs, String(set.limit), String(dropped.length), ...dropped, ...ids])) as string[];
      };
      const ended = new Set<string>();
      if (change === 'open') {
        for (const { id, sets } of leases) {
          const dropped: string[] = [];
          for (const set of sets) {
            for (const gone of await inSet(set, [id], dropped)) {
              ended.add(gone);
              dropped.push(gone);
            }
          }
        }
        return [...ended];
      }
      const bySet = new Map<string, { set: LeaseSet; ids: string[] }>();
      for (const { id, sets } of leases) {
        for (const set of sets) {
          const group = bySet.get(set.key);
          if (group === undefined) bySet.set(set.key, { set, ids: [id] });
          else group.ids.push(id);
        }
      }
      for (const gone of await Promise.all([...bySet.values()].map(({ set, ids }) => inSet(set, ids, [])))) for (const id of gone) ended.add(id);
      return [...ended];
    });
  }
}

export interface RedisStoreOptions extends RedisEngineOptions {
  /** `RELAY_SESSION_SECRET`: derives the keys that seal sessions and views at rest (the first seals, every one opens). */
  sessionSecret: string | readonly string[];
}

/** The Redis engine under the sealing layer: what a Redis `RELAY_STORE_URL` gives. */
export class RedisSessionStore extends SealedSessionStore {
  constructor(options: RedisStoreOptions) {
    const { sessionSecret, ...engine } = options;
    super(new RedisStoreEngine(engine), { sessionSecret, logger: options.logger });
  }
}

async function loadRedis(): Promise<RedisModule> {
  // An optional peer dependency, loaded only by relays that use Redis.
  try {
    return (await import('@redis/client')) as unknown as RedisModule;
  } catch (error) {
    throw new Error('RELAY_STORE_URL names Redis, but the @redis/client package is not installed: npm install @redis/client', { cause: error });
  }
}

/** `<revision> <view JSON>`, as the commit script writes an event to the log and the channel. */
function parseEvent(text: string): StoredEvent | null {
  const space = text.indexOf(' ');
  const id = Number(text.slice(0, space));
  return space > 0 && Number.isSafeInteger(id) ? { id, data: text.slice(space + 1) } : null;
}

class StoreTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function withDeadline<Result>(work: Promise<Result>, timeoutMs: number, giveUp?: AbortController): Promise<Result> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // What the step has not sent yet is never sent: a 503 then means the rest of the change did not happen.
      giveUp?.abort();
      reject(new StoreTimeoutError(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  // A reply that comes after the deadline is dropped; its command may have run (commits are atomic either way).
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
