/** The store the relay's configuration names: `memory:` (one process) or Redis (several instances). */
import type { Logger } from '../logger.js';
import { MemorySessionStore } from './memory-store.js';
import { RedisSessionStore } from './redis/redis-store.js';
import type { SessionStore } from './session-store.js';
import type { RedisModule, StoreMode } from './redis/connection.js';

export type { EventListener, Quota, QuotaAnswer, SessionCommit, SessionStore, StoredEvent, VersionedSession } from './session-store.js';
export { MemorySessionStore } from './memory-store.js';
export { RedisSessionStore, type RedisStoreOptions } from './redis/redis-store.js';
export type { RedisModule, StoreMode } from './redis/connection.js';

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

export function createStore(settings: StoreSettings, dependencies: { now: () => number; logger: Logger; redis?: RedisModule | undefined }): SessionStore {
  if (settings.storeUrl === 'memory:') return new MemorySessionStore({ now: dependencies.now });
  return new RedisSessionStore({
    url: settings.storeUrl,
    mode: settings.storeMode,
    ...(settings.storeSentinelName === undefined ? {} : { sentinelName: settings.storeSentinelName }),
    ...(settings.storeNodeUsername === undefined ? {} : { nodeUsername: settings.storeNodeUsername }),
    ...(settings.storeNodePassword === undefined ? {} : { nodePassword: settings.storeNodePassword }),
    ...(settings.storeMinReplicasAcked === undefined ? {} : { minReplicasAcked: settings.storeMinReplicasAcked }),
    ...(dependencies.redis === undefined ? {} : { redis: dependencies.redis }),
    prefix: settings.storePrefix,
    commandTimeoutMs: settings.storeTimeoutMs,
    sessionSecret: settings.sessionSecret,
    logger: dependencies.logger,
  });
}
