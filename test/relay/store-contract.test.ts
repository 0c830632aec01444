/**
 * One contract, two engines, both under the sealing layer (`MemorySessionStore` and
 * `RedisSessionStore` are each engine with `SealedSessionStore` above it): every test here runs
 * against the memory store and against a real redis-server (two store objects on one Redis stand
 * for two relay instances). Then what only a shared store has to show: sessions and views sealed at
 * rest, a TTL on every key, the prefix, and trouble reported as 503 `store_unavailable` with
 * recovery once Redis is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@redis/client';
import * as nodeRedis5 from '@redis/client';
import * as nodeRedis6 from '@redis/client-v6';
import { SealedWithUnknownKey, type RedisModule, type RedisStoreOptions } from '../../src/relay/store/index.js';
import { startRedisCluster, startRedisSentinel, type RedisCluster, type RedisSentinelSet } from '../redis/topologies.js';
import { MemorySessionStore, RedisSessionStore, silentLogger, type SessionStore, type StoredEvent } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';
import type { LeaseChange, StreamLease } from '../../src/relay/store/session-store.js';
import { startRedisServer, type RedisServer } from '../../demo/cluster/redis-server.js';
import { createCapturingLogger } from './helpers.js';
import { FIXTURE_EMAIL, FIXTURE_PHONE, sessionFixture } from './session-fixture.js';

const SECRET = 'store-contract-secret-0123456789-abcdefghij';
const PHONE = FIXTURE_PHONE;
const EMAIL = FIXTURE_EMAIL;

let counter = 0;
function newSession(overrides: Partial<Session> = {}): Session {
  counter += 1;
  return sessionFixture(`session${String(counter).padStart(15, '0')}`, { inquiryId: `inquiry-${counter}`, authenticationId: `auth-${counter}`, actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', sessionId: `stepup-${counter}` } }], ...overrides });
}

function event(id: number): StoredEvent {
  return { id, data: JSON.stringify({ state: 'challenge', revision: id }) };
}

async function create(store: SessionStore, session: Session, ttlSeconds = 60, aliases: string[] = []): Promise<boolean> {
  return store.commit({ session, expectedVersion: null, ttlSeconds, aliases, event: event(session.revision), keepEvents: 50 });
}

interface Engine {
  name: string;
  /** Two stores sharing one backend, as two relay instances would. */
  pair(): Promise<[SessionStore, SessionStore]>;
}

const memory: Engine = {
  name: 'memory',
  async pair() {
    const store = new MemorySessionStore();
    return [store, store];
  },
};

let redisServer: RedisServer;
const opened: SessionStore[] = [];
const redisStore = (prefix = 'k360test:', logger = silentLogger, url = redisServer.url, redis: RedisModule = nodeRedis5 as unknown as RedisModule): RedisSessionStore => {
  const store = new RedisSessionStore({ url, prefix, commandTimeoutMs: 500, sessionSecret: SECRET, logger, redis });
  opened.push(store);
  return store;
};
/** A single primary, through node-redis 5 and through node-redis 6 (both majors are supported). */
const redisEngine = (name: string, redis: RedisModule): Engine => ({
  name,
  async pair() {
    const first = redisStore(undefined, undefined, undefined, redis);
    const second = redisStore(undefined, undefined, undefined, redis);
    await Promise.all([first.connect(), second.connect()]);
    return [first, second];
  },
});
const redis = redisEngine('redis (node-redis 5)', nodeRedis5 as unknown as RedisModule);
const redis6 = redisEngine('redis (node-redis 6)', nodeRedis6 as unknown as RedisModule);

let redisCluster: RedisCluster;
let sentinelSet: RedisSentinelSet;
/** Two stores on a 3-primary Redis Cluster, or on a primary and its replica watched by three sentinels. */
const topologyEngine = (name: string, options: () => Partial<RedisStoreOptions>): Engine => ({
  name,
  async pair() {
    const make = (): RedisSessionStore => {
      const store = new RedisSessionStore({ url: '', prefix: 'k360test:', commandTimeoutMs: 1000, sessionSecret: SECRET, logger: silentLogger, ...options() });
      opened.push(store);
      return store;
    };
    const pair: [RedisSessionStore, RedisSessionStore] = [make(), make()];
    await Promise.all(pair.map((store) => store.connect()));
    return pair;
  },
});
const cluster = topologyEngine('redis cluster (3 primaries)', () => ({ mode: 'cluster', url: redisCluster.seedUrls }));
const sentinel = topologyEngine('redis sentinel (primary, replica, 3 sentinels)', () => ({ mode: 'sentinel', url: sentinelSet.sentinelUrls, sentinelName: sentinelSet.name }));

before(async () => {
  [redisServer, redisCluster, sentinelSet] = await Promise.all([startRedisServer(), startRedisCluster(), startRedisSentinel()]);
});

after(async () => {
  await Promise.allSettled(opened.map((store) => store.close()));
  await Promise.allSettled([redisServer.close(), redisCluster?.close(), sentinelSet?.close()]);
});

for (const engine of [memory, redis, redis6, cluster, sentinel]) {
  describe(`session store contract: ${engine.name}`, () => {
    it('reads back what was created, with version 0; a missing session reads as null', async () => {
      const [store] = await engine.pair();
      const session = newSession();
      assert.equal(await store.read(session.id), null);
      assert.equal(await create(store, session), true);
      const stored = await store.read(session.id);
      assert.deepEqual(stored, { session, version: 0 });
      assert.equal(await create(store, session), false, 'creating it again is a conflict');
    });

    it('compare-and-set: a write from a stale version is refused, from the current one it wins and moves the version on', async () => {
      const [first, second] = await engine.pair();
      const session = newSession();
      await create(first, session);
      const changed = { ...session, failedOtpAttempts: 1 };
      assert.equal(await second.commit({ session: changed, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: null, keepEvents: 50 }), true);
      assert.equal(await first.commit({ session: { ...session, resendCount: 1 }, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: null, keepEvents: 50 }), false);
      assert.deepEqual(await first.read(session.id), { session: changed, version: 1 });
    });

    it('of 20 concurrent writes from one version, on two instances, exactly one wins', async () => {
      const [first, second] = await engine.pair();
      const session = newSession();
      await create(first, session);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 ? first : second).commit({ session: { ...session, failedOtpAttempts: index }, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: null, keepEvents: 50 }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal((await second.read(session.id))?.session.failedOtpAttempts, winner);
    });

    it('writes aliases with the session and keeps the last events, oldest first; a write without an event keeps the log', async () => {
      const [first, second] = await engine.pair();
      const session = newSession();
      await create(first, session, 60, [`step-up:${session.id}`]);
      assert.equal(await second.getValue(`step-up:${session.id}`), session.id);
      let version = 0;
      for (let revision = 1; revision <= 6; revision += 1) {
        const next = { ...session, revision };
        assert.ok(await first.commit({ session: next, expectedVersion: version, ttlSeconds: 60, aliases: [], event: event(revision), keepEvents: 4 }));
        version += 1;
      }
      assert.ok(await first.commit({ session: { ...session, revision: 6, failedOtpAttempts: 2 }, expectedVersion: version, ttlSeconds: 60, aliases: [], event: null, keepEvents: 4 }));
      assert.deepEqual(await second.events(session.id), [event(3), event(4), event(5), event(6)]);
      assert.deepEqual(await second.events('no-such-session'), []);
    });

    it('tells listeners on every instance about each event, in order, and nothing after they stop listening', async () => {
      const [first, second] = await engine.pair();
      const session = newSession();
      await create(first, session);
      const heard: Array<[string, number]> = [];
      const stopFirst = await first.listen(session.id, (stored) => heard.push(['first', stored.id]));
      const stopSecond = await second.listen(session.id, (stored) => heard.push(['second', stored.id]));
      for (let revision = 1; revision <= 3; revision += 1) {
        await first.commit({ session: { ...session, revision }, expectedVersion: revision - 1, ttlSeconds: 60, aliases: [], event: event(revision), keepEvents: 50 });
      }
      await waitFor(() => heard.length === 6);
      assert.deepEqual(heard.filter(([who]) => who === 'second').map(([, id]) => id), [1, 2, 3]);
      assert.deepEqual(heard.filter(([who]) => who === 'first').map(([, id]) => id), [1, 2, 3]);
      stopSecond();
      stopFirst();
      await sleep(50);
      await second.commit({ session: { ...session, revision: 4 }, expectedVersion: 3, ttlSeconds: 60, aliases: [], event: event(4), keepEvents: 50 });
      await sleep(50);
      assert.equal(heard.length, 6);
    });

    it('claims a key once among concurrent claims on two instances; a claim expires', async () => {
      const [first, second] = await engine.pair();
      const key = `claim-${counter++}`;
      const results = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).claim(key, 1)));
      assert.equal(results.filter(Boolean).length, 1);
      await sleep(1100);
      assert.equal(await first.claim(key, 1), true, 'free again once its TTL has passed');
    });

    it('keeps values for their TTL; a TTL of 0 removes one', async () => {
      const [first, second] = await engine.pair();
      const key = `value-${counter++}`;
      await first.setValue(key, 'kept', 1);
      assert.equal(await second.getValue(key), 'kept');
      await first.setValue(`${key}-gone`, 'x', 60);
      await first.setValue(`${key}-gone`, 'x', 0);
      assert.equal(await second.getValue(`${key}-gone`), null);
      await sleep(1100);
      assert.equal(await second.getValue(key), null);
    });

    it('quotas: of 20 concurrent takes on two instances exactly the limit pass, all counters or none, and a window ends', async () => {
      const [first, second] = await engine.pair();
      const hour = { key: `quota-${counter++}:hour`, limit: 3, windowSeconds: 1 };
      const day = { key: `quota-${counter++}:day`, limit: 5, windowSeconds: 60 };
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).takeQuota([hour, day])));
      assert.equal(answers.filter((answer) => answer.taken).length, 3);
      const refused = answers.find((answer) => !answer.taken);
      assert.deepEqual(refused, { taken: false, key: hour.key, retryAfterSeconds: 1 });
      await sleep(1100);
      assert.ok((await first.takeQuota([hour, day])).taken, 'a new hour window');
      assert.ok((await second.takeQuota([hour, day])).taken);
      // The day counter is at its limit of 5 now: the refusal names it, and the hour counter is not counted.
      const dayFull = await first.takeQuota([hour, day]);
      assert.equal(dayFull.taken, false);
      assert.equal(!dayFull.taken && dayFull.key, day.key);
      assert.ok(!dayFull.taken && dayFull.retryAfterSeconds > 50 && dayFull.retryAfterSeconds <= 60, 'until the day window ends');
      await second.returnQuota([day.key]);
      assert.ok((await first.takeQuota([hour, day])).taken, 'the hour counter was not counted by the refused take, and one day take came back');
    });

    it('quotas: a take given back is free again, and giving back never goes below zero', async () => {
      const [first, second] = await engine.pair();
      const quota = { key: `quota-${counter++}`, limit: 1, windowSeconds: 60 };
      assert.ok((await first.takeQuota([quota])).taken);
      assert.equal((await second.takeQuota([quota])).taken, false);
      await second.returnQuota([quota.key]);
      await second.returnQuota([quota.key, `quota-never-taken-${counter++}`]);
      assert.ok((await first.takeQuota([quota])).taken);
      assert.equal((await first.takeQuota([quota])).taken, false, 'two give-backs of one take free one, not two');
    });

    it('forgets a session, its aliases and its events with its TTL', async () => {
      const [first, second] = await engine.pair();
      const session = newSession();
      await create(first, session, 1, [`case:${session.id}`]);
      assert.ok(await second.read(session.id));
      await sleep(1100);
      assert.equal(await second.read(session.id), null);
      assert.equal(await second.getValue(`case:${session.id}`), null);
      assert.deepEqual(await second.events(session.id), []);
    });

    it('SECURITY 43: stream leases: an opening over a set’s limit takes out the oldest, whichever instance opened it; a renewal finds what is gone; a lease not renewed expires', async () => {
      const [first, second] = await engine.pair();
      assert.equal(typeof first.leaseStreams, 'function', 'the store the relay uses keeps stream leases');
      const lease = (store: SessionStore, change: LeaseChange, leases: StreamLease[], ttlSeconds = 60): Promise<string[]> => store.leaseStreams!(change, leases, ttlSeconds);
      const session = { key: `lease-session-${counter++}`, limit: 2 };
      const otherSession = { key: `lease-session-${counter++}`, limit: 2 };
      const network = { key: `net:lease-network-${counter++}`, limit: 3 };
      const inSession = (id: string): StreamLease => ({ id, sets: [session, network] });
      const inOther = (id: string): StreamLease => ({ id, sets: [otherSession, network] });
      assert.deepEqual(await lease(first, 'open', [inSession('a')]), []);
      assert.deepEqual(await lease(second, 'open', [inSession('b')]), []);
      assert.deepEqual(await lease(first, 'open', [inSession('a')]), [], 'a lease held already keeps its place');
      assert.deepEqual(await lease(second, 'open', [inSession('c')]), ['a'], 'over the session’s limit the oldest goes, though another instance opened it');
      assert.deepEqual(await lease(first, 'open', [inOther('d')]), [], 'a went out of the network’s set with its session’s: b, c, d');
      assert.deepEqual(await lease(second, 'open', [inOther('e')]), ['b'], 'over the network’s limit its oldest goes, from another session');
      const all = [inSession('a'), inSession('b'), inSession('c'), inOther('d'), inOther('e')];
      assert.deepEqual((await lease(first, 'renew', all)).sort(), ['a', 'b'], 'a renewal finds the leases taken out of any of their sets');
      await lease(second, 'release', [inSession('b'), inSession('c')]);
      assert.deepEqual(await lease(first, 'open', [inSession('f')]), [], 'released places are free again');
      assert.deepEqual(await lease(first, 'renew', [inSession('f'), inOther('d'), inOther('e')]), []);

      const brief = { key: `lease-session-${counter++}`, limit: 1 };
      assert.deepEqual(await lease(first, 'open', [{ id: 'x', sets: [brief] }], 1), []);
      await sleep(1100);
      assert.deepEqual(await lease(second, 'renew', [{ id: 'x', sets: [brief] }]), ['x'], 'not renewed in time: gone');
      assert.deepEqual(await lease(second, 'open', [{ id: 'y', sets: [brief] }]), [], 'an expired lease holds no place');
    });
  });
}

describe('memory store: sessions are frozen values, not copies', () => {
  it('hands out the value it stored (not opened again while the engine holds what it sealed), which nobody can change behind its back', async () => {
    const store = new MemorySessionStore();
    const session = newSession();
    await create(store, session);
    const read = await store.read(session.id);
    assert.equal(read?.session, session, 'no copy: the stored value itself');
    assert.throws(() => {
      (read!.session as { failedOtpAttempts: number }).failedOtpAttempts = 3;
    }, TypeError);
    assert.throws(() => {
      (read!.session.actions as unknown[]).push({});
    }, TypeError);
    assert.equal((await store.get(session.id))?.failedOtpAttempts, 0);
    assert.equal((await store.get(session.id))?.actions.length, 1);
  });
});

describe('memory store: expiry without a full scan', () => {
  it('drops abandoned sessions a few at a time as others are written, and never a live one', async () => {
    let clock = Date.now();
    const store = new MemorySessionStore({ now: () => clock });
    const abandoned = Array.from({ length: 400 }, () => newSession());
    for (const session of abandoned) await create(store, session, 60);
    const live = newSession();
    await create(store, live, 3600);
    clock += 61_000;
    assert.equal(store.size, 401, 'nothing is dropped before a write looks at it');
    // Each write looks at a few entries: 400 abandoned ones are gone after about 100 writes, not one sweep.
    for (let write = 0; write < 20; write += 1) await store.setValue(`other-${write}`, 'x', 60);
    for (let write = 0; write < 30; write += 1) {
      const current = await store.read(live.id);
      assert.ok(current, 'the live session is kept');
      await store.commit({ session: current.session, expectedVersion: current.version, ttlSeconds: 3600, aliases: [], event: null, keepEvents: 50 });
    }
    assert.ok(store.size < 401 && store.size > 250, `30 writes dropped some, not all (${store.size} held)`);
    for (let write = 0; write < 80; write += 1) {
      const current = await store.read(live.id);
      await store.commit({ session: current!.session, expectedVersion: current!.version, ttlSeconds: 3600, aliases: [], event: null, keepEvents: 50 });
    }
    assert.equal(store.size, 1, 'after 110 writes only the live session is held');
    assert.ok(await store.read(live.id));
  });
});

describe('Redis store: what a shared store has to show', () => {
  it('SECURITY 42: seals each session as a whole and each view on its own, puts the prefix before every key, and gives every key a TTL', async () => {
    const store = redisStore('shop-a:');
    const session = newSession();
    await create(store, session, 120, [`step-up:stepup-${counter}`]);
    await store.commit({ session: { ...session, revision: 1 }, expectedVersion: 0, ttlSeconds: 120, aliases: [], event: event(1), keepEvents: 50 });
    await store.claim('webhook-event:id:1', 60);
    await store.takeQuota([{ key: 'send:destination:hour', limit: 5, windowSeconds: 3600 }]);
    const raw = createClient({ url: redisServer.url });
    await raw.connect();
    try {
      const keys = (await raw.keys('*')).filter((key) => key.startsWith('shop-a:'));
      assert.ok(keys.length >= 5, `session, events, alias, value, quota: ${keys.join(', ')}`);
      for (const key of keys) {
        const ttl = await raw.pTTL(key);
        assert.ok(ttl > 0, `${key} has a TTL (${ttl})`);
      }
      const stored = await raw.hGet(`shop-a:s:{${session.id}}`, 'd');
      assert.ok(stored);
      assert.match(stored, /^s2\.[\w-]{8}\.[\w-]+$/, 'one sealed value, naming its key');
      for (const clear of [PHONE, '4155554567', EMAIL, 'olivia', session.inquiryId, session.authenticationId, 'SMS_OTP']) assert.ok(!stored.includes(clear), `${clear} is not in the clear`);
      const views = await raw.lRange(`shop-a:e:{${session.id}}`, 0, -1);
      assert.equal(views.length, 2);
      for (const view of views) assert.match(view, /^\d+ s2\.[\w-]{8}\.[\w-]+$/, 'the revision, then the view sealed');
      assert.deepEqual((await store.read(session.id))?.session, { ...session, revision: 1 });
      assert.deepEqual(await store.events(session.id), [event(0), event(1)]);
    } finally {
      await raw.close();
    }
  });

  it('SECURITY 38: a session sealed with a secret this instance does not hold throws SealedWithUnknownKey (503) naming the key; one moved to another id reads as no session', async () => {
    const session = newSession();
    const writer = redisStore('shop-b:');
    await create(writer, session);
    const otherSecret = new RedisSessionStore({ url: redisServer.url, prefix: 'shop-b:', commandTimeoutMs: 500, sessionSecret: 'another-secret-0123456789-abcdefghijklmno', logger: silentLogger });
    opened.push(otherSecret);
    const sealedBy = (await writer.read(session.id)) && (await sealedKeyId(`shop-b:s:{${session.id}}`));
    await assert.rejects(otherSecret.read(session.id), (error: unknown) => error instanceof SealedWithUnknownKey && error.keyId === sealedBy && error.status === 503 && error.code === 'store_unavailable');
    await assert.rejects(otherSecret.events(session.id), SealedWithUnknownKey, 'its views too');
    const raw = createClient({ url: redisServer.url });
    await raw.connect();
    try {
      const copy = newSession();
      const data = await raw.hGet(`shop-b:s:{${session.id}}`, 'd');
      await raw.hSet(`shop-b:s:{${copy.id}}`, { r: '0', d: (data ?? '').replace(session.id, copy.id) });
      assert.equal(await writer.read(copy.id), null, 'a sealed session is bound to its id');
    } finally {
      await raw.close();
    }
  });

  it('answers 503 store_unavailable within its time limit while Redis hangs, and works again when it answers', async () => {
    const logger = createCapturingLogger();
    const store = redisStore('hang:', logger);
    const session = newSession();
    await create(store, session);
    redisServer.pause();
    try {
      const startedAt = performance.now();
      await assert.rejects(store.read(session.id), { code: 'store_unavailable', status: 503 });
      assert.ok(performance.now() - startedAt < 1500, 'fails within the command time limit');
    } finally {
      redisServer.resume();
    }
    await waitFor(async () => (await store.read(session.id).catch(() => null)) !== null);
    assert.ok(logger.entries.some((entry) => entry.event === 'relay.store.unavailable'));
    assert.ok(!JSON.stringify(logger.entries).includes(redisServer.url), 'the URL (it may carry a password) is never logged');
  });

  it('fails fast while Redis is down, reconnects by itself once it is back, and keeps what it had', async () => {
    const store = redisStore('down:');
    const session = newSession();
    await create(store, session);
    await redisServer.stop();
    try {
      await assert.rejects(store.read(session.id), { code: 'store_unavailable' });
      const startedAt = performance.now();
      await assert.rejects(store.commit({ session, expectedVersion: 0, ttlSeconds: 60, aliases: [], event: null, keepEvents: 50 }), { code: 'store_unavailable' });
      assert.ok(performance.now() - startedAt < 200, 'no waiting in an offline queue');
    } finally {
      await redisServer.start();
    }
    await waitFor(async () => (await store.read(session.id).catch(() => null)) !== null, 10_000);
    assert.deepEqual((await store.read(session.id))?.session, session);
  });

  it('keeps listening across a Redis restart: events committed afterwards still arrive, and it says events may have been missed', async () => {
    const listener = redisStore('relisten:');
    const writer = redisStore('relisten:');
    const session = newSession();
    await create(writer, session);
    const heard: number[] = [];
    let missed = 0;
    listener.onMissedEvents(() => (missed += 1));
    await listener.listen(session.id, (stored) => heard.push(stored.id));
    assert.equal(missed, 0);
    await redisServer.stop();
    await redisServer.start();
    let revision = 0;
    await waitFor(async () => {
      revision += 1;
      const committed = await writer
        .commit({ session: { ...session, revision }, expectedVersion: revision - 1, ttlSeconds: 60, aliases: [], event: event(revision), keepEvents: 50 })
        .catch(() => {
          revision -= 1;
          return false;
        });
      if (!committed) return false;
      await sleep(100);
      return heard.includes(revision);
    }, 10_000);
    assert.ok(missed >= 1, 'the subscriber came back: what was published meanwhile may be lost, and the relay is told');
  });

  it('stops start-up on a wrong password with a message naming RELAY_STORE_URL and never the password', async () => {
    const guarded = await startRedisServer({ password: 'right-password-1' });
    try {
      const wrongUrl = `redis://:wrong-password-2@127.0.0.1:${guarded.port}`;
      const store = redisStore('auth:', silentLogger, wrongUrl);
      const error = await store.connect().then(
        () => assert.fail('connected with a wrong password'),
        (failure: unknown) => failure as Error,
      );
      assert.match(error.message, /^RELAY_STORE_URL: Redis refused the user name or password/);
      assert.ok(!error.message.includes('wrong-password-2') && !error.message.includes('right-password-1'));
      const nobody = redisStore('auth:', silentLogger, `redis://127.0.0.1:${guarded.port + 1}`);
      await assert.rejects(nobody.connect(), /^Error: RELAY_STORE_URL: nothing is listening at that host and port/);
      const right = redisStore('auth:', silentLogger, guarded.url);
      await right.connect();
    } finally {
      await guarded.close();
    }
  });
});

/** The key id a sealed session in Redis names (`s2.<key id>.…`). */
async function sealedKeyId(key: string): Promise<string | undefined> {
  const raw = createClient({ url: redisServer.url });
  await raw.connect();
  try {
    return (await raw.hGet(key, 'd'))?.split('.')[1];
  } finally {
    await raw.close();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await sleep(20);
  }
}
