/**
 * The shared store on Redis (node-redis), for several relay instances behind one load balancer.
 *
 * Keys, all under the configured prefix and all with a TTL:
 * - `s:<session id>`: hash `{ r: version, d: session JSON with the contact sealed }`;
 * - `e:<session id>`: list of the session's last views (`<revision> <view JSON>`), the replay window
 *   for `Last-Event-ID`;
 * - `v:<key>`: small values (aliases from Kount's ids to the session id, webhook event ids);
 * - `q:<key>`: rate-limit counters (sends per destination, challenges per client IP), each living
 *   for its window from the first take.
 * A commit is one Lua script: compare the version, write the session, its aliases and its event,
 * and PUBLISH the event on `live:<session id>`, which every instance with a stream open for that
 * session has subscribed to on its own subscriber connection. Pub/sub gives the fan-out (under a
 * millisecond, no connection per waiting stream); a capped list gives the ordered replay window.
 * A Redis Stream would give that window too, but costs about 4.5 KiB for a one-entry stream against
 * a list's few hundred bytes (measured with `npm run bench`), and its consumer groups and blocking
 * reads are not needed: each instance hears every event it waits for through pub/sub.
 *
 * Every command has a time limit and the offline queue is off, so when Redis is down or slow a
 * request fails at once with `503 store_unavailable` instead of waiting; the client reconnects by
 * itself and the next request works again. (node-redis's own command timeout covers only the wait
 * to be written, so the limit is kept here; an idle-socket timeout with a ping drops a connection
 * to a Redis that stopped answering, and the reconnection finds it again once it answers.)
 */
import type { createClient as CreateClient } from '@redis/client';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EventListener, Quota, QuotaAnswer, SessionCommit, SessionStore, StoredEvent, VersionedSession } from './session-store.js';
import { SessionCodec } from './stored-session.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** Put before every key and channel, so several relays (or other programs) can share one Redis. */
  prefix: string;
  /** Time limit of every command, in milliseconds. */
  commandTimeoutMs: number;
  /** Derives the key that seals contacts at rest. */
  sessionSecret: string | readonly string[];
  logger: Logger;
}

type RedisClient = ReturnType<typeof newClient>;
type RedisModule = { createClient: typeof CreateClient };

/** Reconnection after a drop: quick at first, then every 2 s at most, for as long as it takes. */
const reconnectDelayMs = (retries: number): number => Math.min(50 * 2 ** retries, 2000) * (0.8 + Math.random() * 0.4);
/** Connection attempts at start-up before `connect()` gives up with the reason. */
const STARTUP_ATTEMPTS = 4;

/**
 * KEYS: session hash, event stream, aliases. ARGV: expected version ('' when creating), session
 * JSON, TTL in ms, event id ('' for no event), event JSON, events kept, channel, session id.
 */
const COMMIT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'r')
local expected = ARGV[1]
if (current == false and expected ~= '') or (current ~= false and current ~= expected) then return 0 end
local ttl = tonumber(ARGV[3])
if ttl <= 0 then
  redis.call('DEL', unpack(KEYS))
  return 1
end
local version = 0
if current ~= false then version = tonumber(current) + 1 end
redis.call('HSET', KEYS[1], 'r', version, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[8], 'PX', ttl) end
if ARGV[4] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[4] .. ' ' .. ARGV[5])
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
  redis.call('PUBLISH', ARGV[7], ARGV[4] .. ' ' .. ARGV[5])
end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`;

/** KEYS: counters. ARGV: limit and window in ms for each. Counts nothing when one is used up: `{index, ms left}`, else `{0, 0}`. */
const TAKE_QUOTA_SCRIPT = `
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[2 * i - 1]) then return {i, redis.call('PTTL', KEYS[i])} end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
return {0, 0}
`;

/** KEYS: counters to give one back to, never below zero. */
const RETURN_QUOTA_SCRIPT = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

interface Channel {
  listeners: Set<EventListener>;
  subscribed: boolean;
  /** Subscribe and unsubscribe calls for one channel run one after the other. */
  queue: Promise<void>;
}

export class RedisSessionStore implements SessionStore {
  readonly #options: RedisStoreOptions;
  readonly #codec: SessionCodec;
  readonly #channels = new Map<string, Channel>();
  #clients: Promise<{ commands: RedisClient; subscriber: RedisClient }> | null = null;
  readonly #missedEventListeners = new Set<() => void>();
  readonly #scriptShas = new Map<string, string>();
  #closed = false;
  #lastFailureLogAt = 0;
  #suppressedFailures = 0;

  constructor(options: RedisStoreOptions) {
    this.#options = options;
    this.#codec = new SessionCodec(options.sessionSecret);
  }

  async connect(): Promise<void> {
    await this.#connected();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = await this.#clients?.catch(() => null);
    this.#clients = null;
    await Promise.allSettled([clients?.subscriber.close(), clients?.commands.close()].map((closing) => Promise.resolve(closing)));
  }

  async read(id: string): Promise<VersionedSession | null> {
    const [version, text] = await this.#run('read', (redis) => redis.hmGet(this.#key('s', id), ['r', 'd']));
    if (typeof version !== 'string' || typeof text !== 'string') return null;
    const session = this.#codec.decode(id, text);
    if (session === null) {
      this.#options.logger.warn('relay.store.unreadable_session');
      return null;
    }
    return { session, version: Number(version) };
  }

  async commit(change: SessionCommit): Promise<boolean> {
    const { session, expectedVersion, ttlSeconds, aliases, event, keepEvents } = change;
    const keys = [this.#key('s', session.id), this.#key('e', session.id), ...aliases.map((alias) => this.#key('v', alias))];
    const args = [
      expectedVersion === null ? '' : String(expectedVersion),
      this.#codec.encode(session),
      String(Math.floor(ttlSeconds * 1000)),
      event === null ? '' : String(event.id),
      event?.data ?? '',
      String(keepEvents),
      this.#key('live', session.id),
      session.id,
    ];
    const written = await this.#run('commit', (redis) => this.#evalScript(redis, COMMIT_SCRIPT, keys, args));
    return written === 1;
  }

  async events(sessionId: string): Promise<StoredEvent[]> {
    const entries = await this.#run('events', (redis) => redis.lRange(this.#key('e', sessionId), 0, -1));
    return entries.flatMap((entry) => {
      const event = parseEvent(entry);
      return event === null ? [] : [event];
    });
  }

  async listen(sessionId: string, listener: EventListener): Promise<() => void> {
    const name = this.#key('live', sessionId);
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

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.#run('claim', (redis) => redis.set(this.#key('v', key), '1', { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.floor(ttlSeconds * 1000)) } }));
    return reply === 'OK';
  }

  async getValue(key: string): Promise<string | null> {
    const value = await this.#run('getValue', (redis) => redis.get(this.#key('v', key)));
    return value ?? null;
  }

  async setValue(key: string, value: string, ttlSeconds: number): Promise<void> {
    const ttlMs = Math.floor(ttlSeconds * 1000);
    await this.#run('setValue', async (redis) => {
      if (ttlMs <= 0) await redis.del(this.#key('v', key));
      else await redis.set(this.#key('v', key), value, { expiration: { type: 'PX', value: ttlMs } });
    });
  }

  async takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer> {
    if (quotas.length === 0) return { taken: true };
    const keys = quotas.map((quota) => this.#key('q', quota.key));
    const args = quotas.flatMap((quota) => [String(quota.limit), String(Math.max(1, Math.floor(quota.windowSeconds * 1000)))]);
    const reply = (await this.#run('takeQuota', (redis) => this.#evalScript(redis, TAKE_QUOTA_SCRIPT, keys, args))) as [number, number];
    const [index, msLeft] = reply;
    const refused = quotas[index - 1];
    if (refused === undefined) return { taken: true };
    // PTTL is negative only for a key without a TTL, which this store never writes: the whole window then.
    return { taken: false, key: refused.key, retryAfterSeconds: msLeft > 0 ? Math.ceil(msLeft / 1000) : refused.windowSeconds };
  }

  async returnQuota(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#run('returnQuota', (redis) => this.#evalScript(redis, RETURN_QUOTA_SCRIPT, keys.map((key) => this.#key('q', key)), []));
  }

  #key(kind: 's' | 'e' | 'v' | 'q' | 'live', id: string): string {
    return `${this.#options.prefix}${kind}:${id}`;
  }

  /** One subscription per channel while it has listeners; calls for a channel queue behind each other. */
  #sync(name: string, channel: Channel): Promise<void> {
    const run = async (): Promise<void> => {
      const wanted = channel.listeners.size > 0;
      if (wanted === channel.subscribed) {
        if (!wanted && this.#channels.get(name) === channel) this.#channels.delete(name);
        return;
      }
      await this.#run(wanted ? 'subscribe' : 'unsubscribe', async (_redis, subscriber) => {
        if (wanted) await subscriber.subscribe(name, (message) => this.#deliver(channel, message));
        else await subscriber.unsubscribe(name);
      });
      channel.subscribed = wanted;
      if (!wanted && channel.listeners.size === 0 && this.#channels.get(name) === channel) this.#channels.delete(name);
    };
    const next = channel.queue.then(run, run);
    channel.queue = next.catch(() => undefined);
    return next;
  }

  #deliver(channel: Channel, message: string): void {
    const event = parseEvent(message);
    if (event === null) return;
    for (const listener of [...channel.listeners]) {
      try {
        listener(event);
      } catch {
        // Listeners handle their own trouble (LiveUpdates logs it).
      }
    }
  }

  /** EVALSHA, and EVAL when Redis forgot the script (restart, SCRIPT FLUSH), which caches it again. */
  async #evalScript(redis: RedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
    const sha = this.#scriptShas.get(script);
    if (sha !== undefined) {
      try {
        return await redis.evalSha(sha, { keys, arguments: args });
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      }
    }
    const reply = await redis.eval(script, { keys, arguments: args });
    if (sha === undefined) this.#scriptShas.set(script, (await redis.scriptLoad(script)) as string);
    return reply;
  }

  /** Runs one command; any failure (down, slow, refused) becomes `503 store_unavailable`. */
  async #run<Result>(operation: string, command: (redis: RedisClient, subscriber: RedisClient) => Promise<Result>): Promise<Result> {
    try {
      const { commands, subscriber } = await this.#connected();
      return await withDeadline(command(commands, subscriber), this.#options.commandTimeoutMs);
    } catch (error) {
      if (error instanceof RelayError) throw error;
      this.#logFailure(operation, error);
      throw new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
    }
  }

  #connected(): Promise<{ commands: RedisClient; subscriber: RedisClient }> {
    if (this.#closed) return Promise.reject(new Error('The session store is closed.'));
    this.#clients ??= this.#open().catch((error: unknown) => {
      // Tried again by the next command: a Redis that comes back later is found.
      this.#clients = null;
      throw error;
    });
    return this.#clients;
  }

  async #open(): Promise<{ commands: RedisClient; subscriber: RedisClient }> {
    // An optional peer dependency, loaded only by relays that use Redis.
    let redis: RedisModule;
    try {
      redis = (await import('@redis/client')) as RedisModule;
    } catch (error) {
      throw new Error('RELAY_STORE_URL names Redis, but the @redis/client package is not installed: npm install @redis/client', { cause: error });
    }
    const commands = this.#client(redis, 'commands');
    const subscriber = this.#client(redis, 'subscriber');
    try {
      // A Redis that accepts the connection and then answers nothing would hold `connect()` for ever.
      const deadline = connectTimeoutMs(this.#options) * STARTUP_ATTEMPTS;
      await withDeadline(commands.connect(), deadline);
      await withDeadline(subscriber.connect(), deadline);
    } catch (error) {
      for (const client of [commands, subscriber]) {
        try {
          client.destroy();
        } catch {
          // Already closed by its reconnection strategy giving up.
        }
      }
      throw new Error(`RELAY_STORE_URL: ${describeConnectionError(error)}`, { cause: error });
    }
    this.#options.logger.info('relay.store.connected', { engine: 'redis' });
    return { commands, subscriber };
  }

  #client(redis: RedisModule, role: 'commands' | 'subscriber'): RedisClient {
    let connectedOnce = false;
    // At start-up a few quick tries, then `connect()` reports why; once connected, reconnect for ever.
    const client = newClient(redis.createClient, this.#options, role, (retries, cause) => (connectedOnce || retries < STARTUP_ATTEMPTS - 1 ? reconnectDelayMs(retries) : cause));
    client.on('ready', () => {
      if (connectedOnce) {
        this.#options.logger.info('relay.store.reconnected', { role });
        // node-redis subscribes again to what it had; an unsubscribe that failed meanwhile is done now.
        if (role === 'subscriber') {
          for (const [name, channel] of this.#channels) if (channel.listeners.size === 0) void this.#sync(name, channel).catch(() => undefined);
          // What was published while the subscriber was away never arrives: the streams read the log.
          for (const listener of this.#missedEventListeners) listener();
        }
      }
      connectedOnce = true;
    });
    // Without a listener node-redis would throw these; each command's own failure is what gets reported.
    client.on('error', (error: unknown) => {
      if (connectedOnce) this.#logFailure(`${role}.connection`, error);
    });
    return client;
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
      reason: describeConnectionError(error),
      ...(this.#suppressedFailures > 0 ? { suppressed: this.#suppressedFailures } : {}),
    });
    this.#lastFailureLogAt = now;
    this.#suppressedFailures = 0;
  }
}

/** `<revision> <view JSON>`, as the commit script writes an event to the log and the channel. */
function parseEvent(text: string): StoredEvent | null {
  const space = text.indexOf(' ');
  const id = Number(text.slice(0, space));
  return space > 0 && Number.isSafeInteger(id) ? { id, data: text.slice(space + 1) } : null;
}

const connectTimeoutMs = (options: RedisStoreOptions): number => Math.max(1000, options.commandTimeoutMs * 2);

function newClient(createClient: typeof CreateClient, options: RedisStoreOptions, role: 'commands' | 'subscriber', reconnectStrategy: (retries: number, cause: Error) => number | Error) {
  // The command connection pings while quiet, so it is idle only when Redis stopped answering; the
  // subscriber is quiet by nature (a dropped message there is caught up by the streams' heartbeats).
  const watchdog = role === 'commands' ? { pingInterval: 1000 } : {};
  const socketTimeout = role === 'commands' ? { socketTimeout: Math.max(3000, options.commandTimeoutMs * 3) } : {};
  return createClient({
    url: options.url,
    disableOfflineQueue: true,
    ...watchdog,
    socket: { connectTimeout: connectTimeoutMs(options), reconnectStrategy, ...socketTimeout },
  });
}

class StoreTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function withDeadline<Result>(work: Promise<Result>, timeoutMs: number): Promise<Result> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // A reply that comes after the deadline is dropped; its command may have run (commits are atomic either way).
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** What went wrong, in words that never include the URL (it may carry the password). */
export function describeConnectionError(error: unknown): string {
  // node-redis may wrap the socket's error (a reconnection strategy that gave up): look through the causes.
  const chain: unknown[] = [];
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  const text = chain.map((item) => `${(item as { code?: unknown }).code ?? ''} ${item instanceof Error ? `${item.name} ${item.message}` : String(item)}`).join(' ');
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(text)) return 'Redis refused the user name or password (check the credentials in the URL)';
  if (/ECONNREFUSED/.test(text)) return 'nothing is listening at that host and port (is Redis running?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'the host name does not resolve';
  if (/timeout|timed out/i.test(text)) return 'Redis did not answer in time';
  if (/closed|offline/i.test(text)) return 'the connection to Redis is closed';
  const refused = /\b(ERR|NOPERM|WRONGTYPE|READONLY|OOM|LOADING|MISCONF)\b/.exec(text);
  if (refused) return `Redis refused a command (${refused[1]})`;
  return error instanceof Error ? error.name : 'unknown error';
}
