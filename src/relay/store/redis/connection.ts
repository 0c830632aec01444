/**
 * One way to talk to Redis whatever its topology: a single primary (`createClient`), a cluster
 * (`createCluster`, commands routed by their first key, sharded pub/sub) or a primary watched by
 * Sentinel (`createSentinel`, which follows a failover by itself). The store above it sends raw
 * commands, so node-redis 5 and 6 behave the same; the protocol (RESP2) and every time limit are
 * set here rather than left to a major version's defaults.
 */

export type StoreMode = 'standalone' | 'cluster' | 'sentinel';

/** A start-up check that found the wrong kind of Redis: its message names the variable to change. */
export class TopologyMismatch extends Error {
  override readonly name = 'TopologyMismatch';
}

/**
 * What the store uses of node-redis, written out here so the package's types do not name
 * `@redis/client` (an optional peer dependency). A host may pass its own (another major version).
 */
export interface RedisModule {
  createClient(options: object): RedisClientLike;
  createCluster?(options: object): RedisClusterLike;
  createSentinel?(options: object): RedisSentinelLike;
}

interface CommandOptions {
  abortSignal: AbortSignal;
}

type PubSubListener = (message: string, channel: string) => void;

interface Connectable {
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export interface RedisClientLike extends Connectable {
  sendCommand(args: string[], options?: CommandOptions): Promise<unknown>;
  subscribe(channel: string, listener: PubSubListener): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

export interface RedisClusterLike extends Connectable {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[], options?: CommandOptions): Promise<unknown>;
  sSubscribe(channel: string, listener: PubSubListener): Promise<unknown>;
  sUnsubscribe(channel: string): Promise<unknown>;
  readonly masters: readonly unknown[];
  nodeClient(node: never): Promise<Pick<RedisClientLike, 'sendCommand'>>;
}

export interface RedisSentinelLike extends Connectable {
  sendCommand(isReadonly: boolean | undefined, args: string[], options?: CommandOptions): Promise<unknown>;
  subscribe(channel: string, listener: PubSubListener): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

export interface RedisTarget {
  mode: StoreMode;
  /** Standalone: one `redis://` URL. Cluster: seed nodes. Sentinel: the sentinels. */
  urls: readonly string[];
  /** Sentinel: the name of the monitored primary. */
  sentinelName?: string | undefined;
  /** Sentinel: credentials of the data nodes (the URLs' own are the sentinels'). */
  nodeUsername?: string | undefined;
  nodePassword?: string | undefined;
  connectTimeoutMs: number;
  /** Idle-socket limit of the command connection (a Redis that stopped answering is dropped and found again). */
  socketTimeoutMs: number;
  reconnectDelayMs(retries: number, cause: Error, connectedOnce: boolean): number | Error;
}

export type MessageListener = (message: string) => void;

export interface RedisConnection {
  readonly mode: StoreMode;
  /** `PUBLISH` on one primary, `SPUBLISH` (sharded, in the channel's slot) on a cluster. */
  readonly publishCommand: 'PUBLISH' | 'SPUBLISH';
  /** One command, routed by `firstKey` on a cluster. */
  command<Reply>(firstKey: string | undefined, args: readonly string[], signal?: AbortSignal): Promise<Reply>;
  /**
   * Runs `write` and then `WAIT replicas timeoutMs` on the same connection (WAIT counts only that
   * connection's writes): the number of replicas that acknowledged. With `replicas` 0 no WAIT is sent.
   */
  durable<Reply>(
    firstKey: string,
    write: (send: (args: readonly string[]) => Promise<unknown>) => Promise<Reply>,
    replicas: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ reply: Reply; acknowledged: number }>;
  subscribe(channel: string, listener: MessageListener): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** Called when events published meanwhile may not have reached this instance (a reconnection, a failover). */
  onInterruption(listener: (reason: string) => void): void;
  /** Each primary's `INFO <section>` text (one for a single primary or Sentinel, one per primary on a cluster). */
  info(section: string): Promise<string[]>;
  connect(): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}


const RESP = 2;

export function openConnection(redis: RedisModule, target: RedisTarget): RedisConnection {
  if (target.mode === 'cluster') return clusterConnection(redis, target);
  if (target.mode === 'sentinel') return sentinelConnection(redis, target);
  return standaloneConnection(redis, target);
}

/** A command given up by the store (its deadline passed) is never sent afterwards, also not by a client's own retry. */
function options(signal: AbortSignal | undefined): { abortSignal: AbortSignal } | undefined {
  return signal === undefined ? undefined : { abortSignal: signal };
}

async function writeThenWait<Reply>(
  send: (args: readonly string[]) => Promise<unknown>,
  write: (send: (args: readonly string[]) => Promise<unknown>) => Promise<Reply>,
  replicas: number,
  timeoutMs: number,
): Promise<{ reply: Reply; acknowledged: number }> {
  const reply = await write(send);
  const acknowledged = replicas > 0 ? Number(await send(['WAIT', String(replicas), String(timeoutMs)])) : 0;
  return { reply, acknowledged };
}

function destroyQuietly(client: { destroy(): void }): void {
  try {
    client.destroy();
  } catch {
    // Never connected, or already closed by its reconnection strategy giving up.
  }
}

function socketOptions(target: RedisTarget, onReady: { connectedOnce: boolean }, idle: boolean) {
  return {
    connectTimeout: target.connectTimeoutMs,
    reconnectStrategy: (retries: number, cause: Error) => target.reconnectDelayMs(retries, cause, onReady.connectedOnce),
    ...(idle ? { socketTimeout: target.socketTimeoutMs } : {}),
  };
}

function standaloneConnection(redis: RedisModule, target: RedisTarget): RedisConnection {
  const [url] = target.urls;
  const state = { connectedOnce: false };
  const subscriberState = { connectedOnce: false };
  const interruptions = new Set<(reason: string) => void>();
  // The command connection pings while quiet, so it is idle only when Redis stopped answering.
  const commands = redis.createClient({ url, RESP, disableOfflineQueue: true, pingInterval: 1000, socket: socketOptions(target, state, true) });
  const subscriber = redis.createClient({ url, RESP, disableOfflineQueue: true, socket: socketOptions(target, subscriberState, false) });
  for (const [client, clientState] of [[commands, state], [subscriber, subscriberState]] as const) {
    client.on('ready', () => {
      if (clientState.connectedOnce && client === subscriber) for (const listener of interruptions) listener('reconnected');
      clientState.connectedOnce = true;
    });
    client.on('error', () => undefined);
  }
  return {
    mode: 'standalone',
    publishCommand: 'PUBLISH',
    command: (_key, args, signal) => commands.sendCommand([...args], options(signal)) as Promise<never>,
    // One socket: the WAIT follows the write on the connection that made it.
    durable: (_key, write, replicas, timeoutMs, signal) => writeThenWait((args) => commands.sendCommand([...args], options(signal)), write, replicas, timeoutMs),
    subscribe: (channel, listener) => subscriber.subscribe(channel, (message: string) => listener(message)) as Promise<void>,
    unsubscribe: (channel) => subscriber.unsubscribe(channel) as Promise<void>,
    onInterruption: (listener) => void interruptions.add(listener),
    info: async (section) => [String(await commands.sendCommand(['INFO', section]))],
    connect: async () => {
      await commands.connect();
      await subscriber.connect();
    },
    close: async () => {
      await Promise.allSettled([subscriber.close(), commands.close()]);
    },
    destroy: () => {
      destroyQuietly(commands);
      destroyQuietly(subscriber);
    },
  };
}

/** True when the first seed answers as a Redis without cluster support. */
async function isPlainRedis(redis: RedisModule, target: RedisTarget): Promise<boolean> {
  const probe = redis.createClient({ url: target.urls[0], RESP, socket: { connectTimeout: target.connectTimeoutMs, reconnectStrategy: false } });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    const info = String(await probe.sendCommand(['INFO', 'cluster']));
    return /^cluster_enabled:0/m.test(info);
  } catch {
    return false;
  } finally {
    destroyQuietly(probe);
  }
}

function nodeOf(url: string): { url: string } {
  return { url };
}

function clusterConnection(redis: RedisModule, target: RedisTarget): RedisConnection {
  if (redis.createCluster === undefined) throw new Error('This @redis/client has no createCluster.');
  const state = { connectedOnce: false };
  const interruptions = new Set<(reason: string) => void>();
  const cluster = redis.createCluster({
    rootNodes: target.urls.map(nodeOf),
    defaults: { RESP, disableOfflineQueue: true, socket: socketOptions(target, state, false) },
    // Every read goes to the slot's primary: a replica may be behind what this instance just wrote.
    useReplicas: false,
  });
  cluster.on('error', () => undefined);
  // A shard's connection came back or moved: what was published on it meanwhile never arrives.
  cluster.on('node-ready', () => {
    if (state.connectedOnce) for (const listener of interruptions) listener('node reconnected');
  });
  return {
    mode: 'cluster',
    publishCommand: 'SPUBLISH',
    command: (key, args, signal) => cluster.sendCommand(key, false, [...args], options(signal)) as Promise<never>,
    // The cluster keeps one connection per primary: WAIT routed by the same key follows the write on it.
    durable: (key, write, replicas, timeoutMs, signal) => writeThenWait((args) => cluster.sendCommand(key, false, [...args], options(signal)), write, replicas, timeoutMs),
    subscribe: (channel, listener) => cluster.sSubscribe(channel, (message: string) => listener(message)) as Promise<void>,
    unsubscribe: (channel) => cluster.sUnsubscribe(channel) as Promise<void>,
    onInterruption: (listener) => void interruptions.add(listener),
    info: async (section) => Promise.all(cluster.masters.map(async (node) => String(await (await cluster.nodeClient(node as never)).sendCommand(['INFO', section])))),
    connect: async () => {
      try {
        await cluster.connect();
      } catch (error) {
        // node-redis says only that no root node answered: ask the first one whether it is a cluster node at all.
        if (await isPlainRedis(redis, target)) {
          throw new TopologyMismatch('RELAY_STORE_MODE is cluster, but RELAY_STORE_URL is not a Redis Cluster node (cluster support disabled); set RELAY_STORE_MODE=standalone');
        }
        throw error;
      }
      state.connectedOnce = true;
    },
    close: async () => {
      await Promise.allSettled([cluster.close()]);
    },
    destroy: () => destroyQuietly(cluster),
  };
}

function sentinelConnection(redis: RedisModule, target: RedisTarget): RedisConnection {
  if (redis.createSentinel === undefined) throw new Error('This @redis/client has no createSentinel.');
  const state = { connectedOnce: false };
  const interruptions = new Set<(reason: string) => void>();
  const sentinelUrls = target.urls.map((url) => new URL(url));
  const [firstSentinel] = sentinelUrls;
  const sentinel = redis.createSentinel({
    name: target.sentinelName ?? '',
    sentinelRootNodes: sentinelUrls.map((url) => ({ host: url.hostname, port: Number(url.port || 26379) })),
    // One connection to the primary: WAIT after a write must run on the connection that wrote.
    masterPoolSize: 1,
    replicaPoolSize: 0,
    scanInterval: 1000,
    maxCommandRediscovers: 4,
    nodeClientOptions: {
      RESP,
      disableOfflineQueue: true,
      ...(target.nodeUsername ? { username: target.nodeUsername } : {}),
      ...(target.nodePassword ? { password: target.nodePassword } : {}),
      socket: socketOptions(target, state, false),
    },
    sentinelClientOptions: {
      RESP,
      ...(firstSentinel?.username ? { username: decodeURIComponent(firstSentinel.username) } : {}),
      ...(firstSentinel?.password ? { password: decodeURIComponent(firstSentinel.password) } : {}),
      socket: { connectTimeout: target.connectTimeoutMs },
    },
  });
  sentinel.on('error', () => undefined);
  let primaryChanges = 0;
  // A new primary: the subscriptions move with it, and what was published meanwhile never arrives.
  sentinel.on('topology-change', ((event: { type?: string }) => {
    if (event?.type !== 'MASTER_CHANGE') return;
    primaryChanges += 1;
    if (state.connectedOnce) for (const listener of interruptions) listener('failover');
  }) as never);
  return {
    mode: 'sentinel',
    publishCommand: 'PUBLISH',
    command: (_key, args, signal) => sentinel.sendCommand(false, [...args], options(signal)) as Promise<never>,
    durable: async (_key, write, replicas, timeoutMs, signal) => {
      // One connection to the primary (masterPoolSize 1) keeps the write and its WAIT in order on it,
      // without a lease per write. A new primary in between means the WAIT counted another node's
      // replicas: the write is then taken as not acknowledged.
      const primaryBefore = primaryChanges;
      const result = await writeThenWait((args) => sentinel.sendCommand(false, [...args], options(signal)), write, replicas, timeoutMs);
      return primaryChanges === primaryBefore ? result : { reply: result.reply, acknowledged: 0 };
    },
    subscribe: (channel, listener) => sentinel.subscribe(channel, (message: string) => listener(message)) as Promise<void>,
    unsubscribe: (channel) => sentinel.unsubscribe(channel) as Promise<void>,
    onInterruption: (listener) => void interruptions.add(listener),
    info: async (section) => [String(await sentinel.sendCommand(false, ['INFO', section]))],
    connect: async () => {
      // node-redis keeps asking the sentinels for an unknown name, reporting each refusal as an error event.
      let unknownName: ((error: Error) => void) | undefined;
      const refused = new Promise<never>((_, reject) => (unknownName = reject));
      const onError = (error: unknown): void => {
        if (/No such master/i.test(String((error as Error)?.message ?? error))) {
          unknownName?.(new TopologyMismatch('RELAY_STORE_SENTINEL_NAME: the sentinels monitor no primary of that name'));
        }
      };
      sentinel.on('error', onError as never);
      refused.catch(() => undefined);
      await Promise.race([sentinel.connect(), refused]);
      state.connectedOnce = true;
    },
    close: async () => {
      await Promise.allSettled([sentinel.close()]);
    },
    destroy: () => destroyQuietly(sentinel),
  };
}
