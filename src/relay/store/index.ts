/** The store the relay's configuration names: `memory:` (one process) or Redis (several instances). */
import type { Logger } from '../logger.js';
import { MemorySessionStore } from './memory-store.js';
import { RedisSessionStore } from './redis-store.js';
import type { SessionStore } from './session-store.js';

export type { EventListener, Quota, QuotaAnswer, SessionCommit, SessionStore, StoredEvent, VersionedSession } from './session-store.js';
export { MemorySessionStore } from './memory-store.js';
export { RedisSessionStore, type RedisStoreOptions } from './redis-store.js';

export interface StoreSettings {
  storeUrl: string;
  storePrefix: string;
  storeTimeoutMs: number;
  sessionSecret: readonly string[];
}

export function createStore(settings: StoreSettings, dependencies: { now: () => number; logger: Logger }): SessionStore {
  if (settings.storeUrl === 'memory:') return new MemorySessionStore({ now: dependencies.now });
  return new RedisSessionStore({
    url: settings.storeUrl,
    prefix: settings.storePrefix,
    commandTimeoutMs: settings.storeTimeoutMs,
    sessionSecret: settings.sessionSecret,
    logger: dependencies.logger,
  });
}
