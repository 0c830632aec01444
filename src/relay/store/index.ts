/**
 * The store the relay uses: the engine its configuration names (`memory:` for one process, Redis for
 * several instances) or the host's own engine, always under the sealing layer.
 */
import type { Logger } from '../logger.js';
import { MemoryStoreEngine } from './memory-store.js';
import { RedisStoreEngine } from './redis/redis-store.js';
import { SealedSessionStore } from './sealed-store.js';
import type { SessionStore, StoreEngine } from './session-store.js';
import type { RedisModule, StoreMode } from './redis/connection.js';

export type { EventListener, Quota, QuotaAnswer, RecordCommit, SessionCommit, SessionStore, StoreEngine, StoredEvent, StoredRecord, StoreValues, VersionedSession } from './session-store.js';
export { MemorySessionStore, MemoryStoreEngine } from './memory-store.js';
export { RedisSessionStore, RedisStoreEngine, type RedisEngineOptions, type RedisStoreOptions } from './redis/redis-store.js';
export { SealedSessionStore, type SealedStoreOptions } from './sealed-store.js';
export { SealedWithUnknownKey } from './sealing.js';
export { SessionCodec } from './stored-session.js';
export type { RedisModule, StoreMode } from './redis/connection.js';

/**
 * What the relay's `store` option takes: an engine, which the relay puts under the sealing layer
 * with `RELAY_SESSION_SECRET`; or a store already sealing (`MemorySessionStore`,
 * `RedisSessionStore`, `SealedSessionStore`), used as it is (e.g. one store shared by relays in a test).
 */
export type StoreOption = StoreEngine | SealedSessionStore;

export interface StoreSettings {
  storeUrl: string;
  storeMode: StoreMode;
  storeSentinelName?: string | undefined;
  storeNodeUsername?: string | undefined;
  storeNodePassword?: string | undefined;
  storeMinReplicasAcked?: number | undefined;
  storePrefix: string;
  storeTimeoutMs: number;
  sessionSecret: readonly string[];
}

export function createStore(settings: StoreSettings, dependencies: { now: () => number; logger: Logger; redis?: RedisModule | undefined; store?: StoreOption | undefined }): SessionStore {
  const given = dependencies.store;
  if (given instanceof SealedSessionStore) return given;
  return new SealedSessionStore(given ?? createEngine(settings, dependencies), { sessionSecret: settings.sessionSecret, logger: dependencies.logger });
}

function createEngine(settings: StoreSettings, dependencies: { now: () => number; logger: Logger; redis?: RedisModule | undefined }): StoreEngine {
  if (settings.storeUrl === 'memory:') return new MemoryStoreEngine({ now: dependencies.now });
  return new RedisStoreEngine({
    url: settings.storeUrl,
    mode: settings.storeMode,
    ...(settings.storeSentinelName === undefined ? {} : { sentinelName: settings.storeSentinelName }),
    ...(settings.storeNodeUsername === undefined ? {} : { nodeUsername: settings.storeNodeUsername }),
    ...(settings.storeNodePassword === undefined ? {} : { nodePassword: settings.storeNodePassword }),
    ...(settings.storeMinReplicasAcked === undefined ? {} : { minReplicasAcked: settings.storeMinReplicasAcked }),
    ...(dependencies.redis === undefined ? {} : { redis: dependencies.redis }),
    prefix: settings.storePrefix,
    commandTimeoutMs: settings.storeTimeoutMs,
    logger: dependencies.logger,
  });
}
