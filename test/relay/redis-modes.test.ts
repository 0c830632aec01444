/**
 * The Redis store's modes meeting the wrong kind of Redis, and what it checks when it connects:
 * each mistake stops start-up naming the variable to change; a Redis reply is named in the log by
 * its kind; a write that no replica acknowledges is not reported as done; persistence is asked for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRelay, RedisSessionStore, relayOptionsFromEnv, silentLogger } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';
import type { RedisStoreOptions } from '../../src/relay/store/index.js';
import { describeConnectionError } from '../../src/relay/store/redis/topology.js';
import { startRedisServer, type RedisServer } from '../../demo/cluster/redis-server.js';
import { startRedisCluster, startRedisSentinel, type RedisCluster, type RedisSentinelSet } from '../redis/topologies.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from '../../src/sandbox/index.js';
import { createCapturingLogger } from './helpers.js';
import { sessionFixture } from './session-fixture.js';

const SECRET = 'redis-modes-secret-0123456789-abcdefghijk';

let single: RedisServer;
let redisCluster: RedisCluster;
let sentinelSet: RedisSentinelSet;
const opened: RedisSessionStore[] = [];

function store(options: Partial<RedisStoreOptions>): RedisSessionStore {
  const made = new RedisSessionStore({ url: single.url, prefix: 'modes:', commandTimeoutMs: 500, sessionSecret: SECRET, logger: silentLogger, ...options });
  opened.push(made);
  return made;
}

async function connectError(made: RedisSessionStore): Promise<Error> {
  return made.connect().then(
    () => assert.fail('connected to the wrong kind of Redis'),
    (error: unknown) => error as Error,
  );
}

const session = (id: string): Session => sessionFixture(id);

before(async () => {
  [single, redisCluster, sentinelSet] = await Promise.all([startRedisServer(), startRedisCluster(), startRedisSentinel()]);
});
after(async () => {
  await Promise.allSettled(opened.map((made) => made.close()));
  await Promise.allSettled([single.close(), redisCluster.close(), sentinelSet.close()]);
});

describe('the wrong kind of Redis stops start-up, naming what to change', () => {
  it('a cluster node in standalone mode names RELAY_STORE_MODE', async () => {
    const [node] = redisCluster.nodes;
    const error = await connectError(store({ url: node!.url }));
    assert.match(error.message, /^RELAY_STORE_MODE: RELAY_STORE_URL is a node of a Redis Cluster; set RELAY_STORE_MODE=cluster/);
  });

  it('a single primary in cluster mode names RELAY_STORE_MODE', async () => {
    const error = await connectError(store({ mode: 'cluster' }));
    assert.match(error.message, /^RELAY_STORE_MODE is cluster, but RELAY_STORE_URL is not a Redis Cluster node \(cluster support disabled\); set RELAY_STORE_MODE=standalone/);
  });

  it('a replica given as the primary names RELAY_STORE_URL and the way out', async () => {
    const primary = await sentinelSet.primary();
    const replica = sentinelSet.dataNodes.find((node) => node.port !== primary.port);
    const error = await connectError(store({ url: replica!.url }));
    assert.match(error.message, /^RELAY_STORE_URL names a replica, which refuses writes; give the primary, or RELAY_STORE_MODE=sentinel/);
  });

  it('a Sentinel name the sentinels do not know names RELAY_STORE_SENTINEL_NAME', async () => {
    const error = await connectError(store({ mode: 'sentinel', url: sentinelSet.sentinelUrls, sentinelName: 'no-such-primary' }));
    assert.match(error.message, /^RELAY_STORE_SENTINEL_NAME: the sentinels monitor no primary of that name/);
  });

  it('the configuration refuses a database in cluster mode, several URLs in standalone mode and Sentinel without a name, by name', () => {
    const base = { KOUNT_API_URL: 'https://kount.example', KOUNT_TOKEN_URL: 'https://kount.example/token', KOUNT_API_KEY: 'k', KOUNT_CLIENT_ID: 'c', RELAY_SESSION_SECRET: SECRET };
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_STORE_MODE: 'cluster', RELAY_STORE_URL: 'redis://127.0.0.1:7000/2' }), /RELAY_STORE_URL must not name a database \(\/db\) in cluster mode/);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_STORE_URL: 'redis://a:1,redis://b:2' }), /RELAY_STORE_URL lists several URLs, which only RELAY_STORE_MODE=cluster/);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_STORE_MODE: 'sentinel', RELAY_STORE_URL: 'redis://a:26379' }), /RELAY_STORE_SENTINEL_NAME is required with RELAY_STORE_MODE=sentinel/);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_STORE_MODE: 'shards', RELAY_STORE_URL: 'redis://a:1' }), /RELAY_STORE_MODE/);
    assert.doesNotThrow(() => relayOptionsFromEnv({ ...base, RELAY_STORE_MODE: 'cluster', RELAY_STORE_URL: 'redis://a:7000, rediss://b:7001' }));
  });
});

describe('what the store says and does when Redis refuses', () => {
  it('names CROSSSLOT, MOVED, READONLY and NOREPLICAS replies in its log line, never a bare "Error"', () => {
    for (const [reply, name] of [
      ["CROSSSLOT Keys in request don't hash to the same slot", 'CROSSSLOT'],
      ['MOVED 3999 127.0.0.1:6381', 'MOVED'],
      ["READONLY You can't write against a read only replica.", 'READONLY'],
      ['NOREPLICAS Not enough good replicas to write.', 'NOREPLICAS'],
    ] as const) {
      assert.equal(describeConnectionError(new Error(reply)), `Redis refused a command (${name})`);
    }
  });

  it('answers 503 when too few replicas are there to acknowledge a write, writes nothing, and says so in the log', async () => {
    const logger = createCapturingLogger();
    // A primary without replicas, told to wait for one: refused before anything is written.
    const lonely = store({ minReplicasAcked: 1, commandTimeoutMs: 200, logger });
    await lonely.connect();
    assert.ok(logger.entries.some((entry) => entry.event === 'relay.store.too_few_replicas'));
    await assert.rejects(lonely.commit({ session: session('lonely000000000000001'), expectedVersion: null, ttlSeconds: 60, aliases: [], event: null, keepEvents: 10 }), { code: 'store_unavailable', status: 503 });
    const line = logger.entries.find((entry) => entry.event === 'relay.store.not_replicated');
    assert.deepEqual(line?.fields, { operation: 'commit', required: 1, acknowledged: 0, written: false });
    const reader = store({});
    assert.equal(await reader.read('lonely000000000000001'), null, 'nothing was written');
  });

  it('under Sentinel waits for the replica by default, and a write the replica took is reported', async () => {
    const logger = createCapturingLogger();
    const watched = store({ mode: 'sentinel', url: sentinelSet.sentinelUrls, sentinelName: sentinelSet.name, logger, commandTimeoutMs: 1000 });
    await watched.connect();
    assert.deepEqual(logger.entries.find((entry) => entry.event === 'relay.store.connected')?.fields, { engine: 'redis', mode: 'sentinel', replicas: 1, replicasRequired: 1 });
    assert.equal(await watched.commit({ session: session('watched00000000000001'), expectedVersion: null, ttlSeconds: 60, aliases: ['alias:watched'], event: null, keepEvents: 10 }), true);
    assert.equal((await watched.read('watched00000000000001'))?.version, 0);
  });

  it('warns once when the store keeps no AOF or snapshots, and not when it does', async () => {
    const volatile = createCapturingLogger();
    await store({ mode: 'cluster', url: redisCluster.seedUrls, logger: volatile }).connect();
    assert.equal(volatile.entries.filter((entry) => entry.event === 'relay.store.no_persistence').length, 1);
    const durable = createCapturingLogger();
    await store({ logger: durable }).connect();
    assert.equal(durable.entries.filter((entry) => entry.event === 'relay.store.no_persistence').length, 0);
  });
});

describe('Kount is asked only after the store took a write for the start', () => {
  it('a one-call start that counts nothing still needs the store: down, it is 503 and Kount never hears of it', async () => {
    const sandbox = await startSandbox();
    const own = await startRedisServer();
    const relay = createRelay({
      apiUrl: sandbox.url,
      tokenUrl: sandbox.url + SANDBOX_PATHS.token,
      apiKey: SANDBOX_API_KEY,
      clientId: SANDBOX_CLIENT_ID,
      sessionSecret: SECRET,
      storeUrl: own.url,
      storeTimeoutMs: 200,
      logger: silentLogger,
    });
    try {
      await relay.connect();
      await own.stop();
      const before = sandbox.sandbox.stats().assess;
      await assert.rejects(
        relay.startAssessment({ contact: {}, assessment: { strategy: 'CheckoutStepUp', inquiryId: 'no-store-1', deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: '+14155550101' } } }),
        { code: 'store_unavailable', status: 503 },
      );
      assert.equal(sandbox.sandbox.stats().assess, before, 'no assessment, so no code was sent');
    } finally {
      await relay.close();
      await own.close();
      await sandbox.close();
    }
  });
});

describe('a relay on a cluster', () => {
  it('answers /health/ready and starts a challenge on a 3-primary cluster', async () => {
    const relay = createRelay({
      apiUrl: 'https://kount.example',
      tokenUrl: 'https://kount.example/token',
      apiKey: 'k',
      clientId: 'c',
      sessionSecret: SECRET,
      storeMode: 'cluster',
      storeUrl: redisCluster.seedUrls,
      logger: silentLogger,
    });
    try {
      await relay.connect();
      assert.equal((await relay.health()).status, 'ready');
      const admission = await relay.admitChallenge({ clientIp: '203.0.113.9', contact: { phoneNumber: '+14155550100', email: 'a@example.com' } });
      await admission.release();
    } finally {
      await relay.close();
    }
  });
});
