/**
 * The session store's cost per operation (a read and a compare-and-set commit with its event, what
 * every answer does) with 100, 10,000 and 100,000 sessions held, memory and Redis; the baseline is
 * the same store holding 100. Then what sealing costs (SECURITY 42): the memory store against its
 * engine alone given text sealed beforehand, with 100 sessions (each read finds the session this
 * instance sealed last) and 10,000 (most reads open and check what they read). Measured in this
 * process, on one session shape the relay produced.
 */
import { randomBytes } from 'node:crypto';
import { createRelay } from '../../src/relay/index.js';
import { silentLogger } from '../../src/relay/logger.js';
import { MemorySessionStore, MemoryStoreEngine, RedisSessionStore, SessionCodec, type SessionStore } from '../../src/relay/store/index.js';
import type { Session } from '../../src/relay/sessions.js';
import { QUICK, row, µs, type Row } from './harness.js';

const SIZES = QUICK ? [100, 10_000] : [100, 10_000, 100_000];
/** Operations per figure: Redis answers in about a millisecond each, memory in microseconds. */
const OPERATIONS = { memory: QUICK ? 1000 : 4000, Redis: QUICK ? 300 : 1000 } as const;
const TTL_SECONDS = 900;

/** One OTP session as the relay stores it: started through the relay itself, on a memory store. */
async function sampleSession(): Promise<{ session: Session; event: string }> {
  const store = new MemorySessionStore();
  const relay = createRelay({
    apiUrl: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/as/token',
    apiKey: 'bench-key',
    clientId: 'bench-client',
    sessionSecret: randomBytes(32).toString('base64url'),
    allowedOrigins: ['http://bench.test'],
    store,
    logger: silentLogger,
  });
  const { handle } = await relay.startChallenge({
    assessment: {
      decision: 'Challenge',
      inquiryId: 'inquiry-bench',
      authenticationId: 'authentication-bench',
      strategy: { strategyName: 'BenchStepUp', actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', sessionId: 'stepup-bench' } }] },
    },
    contact: { phoneNumber: '+14155554567' },
  });
  const sessionId = (JSON.parse(Buffer.from(handle.split('.')[0] ?? '', 'base64url').toString()) as { sid: string }).sid;
  const session = await store.get(sessionId);
  const [event] = await store.events(sessionId);
  if (!session || !event) throw new Error('the relay stored no session');
  return { session, event: event.data };
}

async function fill(store: SessionStore, sample: Session, from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < to) {
        const id = `bench-${next++}`;
        await store.commit({ session: { ...sample, id }, expectedVersion: null, ttlSeconds: TTL_SECONDS, aliases: [], event: null, keepEvents: 50 });
      }
    }),
  );
}

/** Microseconds per read + commit of a random held session, one after another. */
async function operate(store: SessionStore, held: number, event: string, operations: number): Promise<number> {
  const started = performance.now();
  for (let operation = 0; operation < operations; operation += 1) {
    const id = `bench-${Math.floor(Math.random() * held)}`;
    const current = await store.read(id);
    if (!current) throw new Error(`${id} is not held`);
    const committed = await store.commit({ session: current.session, expectedVersion: current.version, ttlSeconds: TTL_SECONDS, aliases: [], event: { id: current.version + 1, data: event }, keepEvents: 50 });
    if (!committed) throw new Error(`${id} moved on`);
  }
  return ((performance.now() - started) * 1000) / operations;
}

/** Microseconds per read + commit of the memory engine alone, given the sealing layer's text made beforehand. */
async function operateEngine(held: number, session: Session, event: string, operations: number): Promise<number> {
  const engine = new MemoryStoreEngine();
  const codec = new SessionCodec(randomBytes(32).toString('base64url'));
  const sealed = Array.from({ length: held }, (_, index) => {
    const id = `bench-${index}`;
    return { id, data: codec.encode({ ...session, id }), event: codec.encodeEvent(id, { id: 1, data: event }) };
  });
  for (const { id, data } of sealed) await engine.commit({ sessionId: id, data, expectedVersion: null, ttlSeconds: TTL_SECONDS, aliases: [], event: null, keepEvents: 50 });
  const run = async (count: number): Promise<number> => {
    const started = performance.now();
    for (let operation = 0; operation < count; operation += 1) {
      const { id, data, event: sealedEvent } = sealed[Math.floor(Math.random() * held)] as (typeof sealed)[number];
      const current = await engine.read(id);
      if (!current) throw new Error(`${id} is not held`);
      const committed = await engine.commit({ sessionId: id, data, expectedVersion: current.version, ttlSeconds: TTL_SECONDS, aliases: [], event: sealedEvent, keepEvents: 50 });
      if (!committed) throw new Error(`${id} moved on`);
    }
    return ((performance.now() - started) * 1000) / count;
  };
  await run(Math.ceil(operations / 4)); // warm-up
  return run(operations);
}

/** The memory store (sealing layer and engine) against its engine alone. */
async function sealingRows(session: Session, event: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const held of [100, 10_000]) {
    const store = new MemorySessionStore();
    await fill(store, session, 0, held);
    await operate(store, held, event, Math.ceil(OPERATIONS.memory / 4)); // warm-up
    const sealedCost = await operate(store, held, event, OPERATIONS.memory);
    const engineCost = await operateEngine(held, session, event, OPERATIONS.memory);
    rows.push(row(`memory store read + commit, sealed (SECURITY 42) vs its engine alone, ${held.toLocaleString('en')} sessions`, µs(sealedCost), µs(engineCost), sealedCost / engineCost));
  }
  return rows;
}

export async function storeRows(redisUrl: string | undefined): Promise<Row[]> {
  const { session, event } = await sampleSession();
  const engines: Array<{ name: keyof typeof OPERATIONS; make: () => SessionStore }> = [{ name: 'memory', make: () => new MemorySessionStore() }];
  if (redisUrl !== undefined) {
    engines.push({
      name: 'Redis',
      make: () => new RedisSessionStore({ url: redisUrl, prefix: `bench-store-${randomBytes(4).toString('hex')}:`, commandTimeoutMs: 5000, sessionSecret: randomBytes(32).toString('base64url'), logger: silentLogger }),
    });
  }
  const rows: Row[] = [];
  for (const engine of engines) {
    const store = engine.make();
    await store.connect();
    const costs = new Map<number, number>();
    let held = 0;
    for (const size of SIZES) {
      await fill(store, session, held, size);
      held = size;
      const operations = OPERATIONS[engine.name];
      await operate(store, held, event, Math.ceil(operations / 4)); // warm-up
      costs.set(size, await operate(store, held, event, operations));
    }
    await store.close();
    const base = costs.get(SIZES[0] ?? 100) ?? 0;
    for (const size of SIZES.slice(1)) {
      const cost = costs.get(size) ?? 0;
      rows.push(row(`${engine.name} store read + commit at ${size.toLocaleString('en')} sessions vs at ${SIZES[0]}`, µs(cost), µs(base), cost / base));
    }
  }
  rows.push(...(await sealingRows(session, event)));
  return rows;
}
