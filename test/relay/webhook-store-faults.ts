/**
 * A store engine that fails when a test says so, for the webhook receiver's store-failure tests
 * (SECURITY 38, 44): a method that throws as a store that is down does, a read that never answers
 * (an instance that died mid-apply), a read that finds nothing (a session this instance cannot
 * open, as an engine sealing on its own reads one), and a claim that times out for its caller but
 * reaches the store later (a hung Redis).
 */
import { RelayError } from '../../src/relay/errors.js';
import type { StoreEngine } from '../../src/relay/store/index.js';

export type EngineMethod = 'claim' | 'getValue' | 'setValue' | 'read' | 'commit' | 'events';

export type Fault = 'throws' | 'hangs' | 'finds_nothing';

export interface FaultyEngine {
  engine: StoreEngine;
  fail(method: EngineMethod, fault?: Fault): void;
  heal(method: EngineMethod): void;
  /** From now on each claim is refused to its caller as a timeout and kept, to reach the store on `landLateClaims()`. */
  delayClaims(): void;
  /** Writes the kept claims, as a store that answers late does; the claims stop being delayed. Resolves with what each claim answered. */
  landLateClaims(): Promise<boolean[]>;
  /** Calls of each method so far. */
  calls: Partial<Record<EngineMethod, number>>;
}

export function faultyEngine(inner: StoreEngine): FaultyEngine {
  const faults = new Map<EngineMethod, Fault>();
  const lateClaims: Array<() => Promise<boolean>> = [];
  const calls: Partial<Record<EngineMethod, number>> = {};
  let delaying = false;
  const storeDown = (): RelayError => new RelayError('store_unavailable', 'The store did not answer in time.', { retryAfterSeconds: 1 });

  const engine = new Proxy(inner, {
    get(target, property, receiver) {
      const original: unknown = Reflect.get(target, property, receiver);
      if (typeof original !== 'function') return original;
      const method = property as EngineMethod;
      return (...args: unknown[]) => {
        calls[method] = (calls[method] ?? 0) + 1;
        const fault = faults.get(method);
        if (fault === 'throws') return Promise.reject(storeDown());
        if (fault === 'hangs') return new Promise(() => undefined);
        if (fault === 'finds_nothing') return Promise.resolve(method === 'events' ? [] : null);
        if (method === 'claim' && delaying) {
          lateClaims.push(() => (original as (...claimArgs: unknown[]) => Promise<boolean>).apply(target, args));
          return Promise.reject(storeDown());
        }
        // The engine's own methods reach its private fields only with the engine itself as `this`.
        return (original as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });

  return {
    engine,
    calls,
    fail: (method, fault = 'throws') => faults.set(method, fault),
    heal: (method) => faults.delete(method),
    delayClaims: () => {
      delaying = true;
    },
    landLateClaims: async () => {
      delaying = false;
      const landed = lateClaims.splice(0).map((land) => land());
      return Promise.all(landed);
    },
  };
}
