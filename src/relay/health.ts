/**
 * Readiness: the configuration was checked when the relay was made, so what is left to ask is
 * whether the store answers in time. A probe read of one key costs the store next to nothing.
 */
import type { HealthAnswer } from '../contract/admin-api.js';
import type { SessionStore } from './store/index.js';

const PROBE_KEY = 'health:probe';

export async function checkHealth({ store, closing, now }: { store: SessionStore; closing: () => boolean; now: () => number }): Promise<HealthAnswer> {
  if (closing()) return { status: 'unavailable', reason: 'shutting_down' };
  const started = now();
  try {
    await store.getValue(PROBE_KEY);
    return { status: 'ready', checks: { store: { ok: true, durationMs: now() - started } } };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The store did not answer.';
    return { status: 'unavailable', reason: 'store_unavailable', checks: { store: { ok: false, durationMs: now() - started, message } } };
  }
}
