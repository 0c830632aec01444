/**
 * The Redis topology fixtures themselves: a Redis Cluster whose slots a cluster-aware client
 * really spreads keys over, a primary stopped and started again behind its replica, and a
 * Sentinel set whose failover() and killPrimary() really move the primary (a Sentinel-aware client
 * following along). Nothing may be left running afterwards.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createClient, createCluster, createSentinel } from '@redis/client';
import { startRedisCluster, startRedisSentinel, type RedisCluster, type RedisSentinelSet } from './topologies.js';

const usedPorts = new Set<number>();
/** How many nodes the topologies reported: a port freed by one topology may be handed to the next, so not `usedPorts.size`. */
let reportedNodes = 0;
const used = (port: number): void => {
  reportedNodes++;
  usedPorts.add(port);
};

const portOf = (url: string): number => Number(new URL(url).port);

/** A plain connection to one node: GET there, or the error it answers with (MOVED from a node that does not own the slot). */
async function getOn(url: string, key: string): Promise<string | null | Error> {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.get(key);
  } catch (error) {
    return error as Error;
  } finally {
    client.destroy();
  }
}

async function roleOf(port: number): Promise<string> {
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return /^role:(\w+)/m.exec(await client.info('replication'))?.[1] ?? 'unknown';
  } finally {
    client.destroy();
  }
}

/**
 * Retries `action` (a client finding its way after a topology change) for up to `timeoutMs`, each
 * try cut off after 2 s: a client whose node is gone may wait for it rather than fail.
 */
async function eventually<T>(what: string, timeoutMs: number, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([action(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000)))]);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${timeoutMs} ms: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(200);
    } finally {
      clearTimeout(timer);
    }
  }
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

describe('startRedisCluster(): 3 primaries', () => {
  let cluster: RedisCluster;
  let startedIn = '';

  before(async () => {
    const since = Date.now();
    cluster = await startRedisCluster();
    startedIn = seconds(since);
    for (const node of cluster.nodes) used(node.port);
  }, { timeout: 40_000 });
  after(() => cluster?.close(), { timeout: 30_000 });

  it('starts 3 primaries on distinct loopback ports; seedUrls names them', (t) => {
    t.diagnostic(`cluster of 3 primaries ready in ${startedIn}`);
    assert.equal(cluster.nodes.length, 3);
    assert.deepEqual(cluster.nodes.map((node) => node.role), ['primary', 'primary', 'primary']);
    assert.equal(new Set(cluster.nodes.map((node) => node.port)).size, 3);
    assert.deepEqual(cluster.seedUrls.split(','), cluster.nodes.map((node) => node.url));
    for (const node of cluster.nodes) assert.match(node.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  });

  it('keys written through a cluster client land on the primary owning their slot, spread over all three', { timeout: 20_000 }, async () => {
    const client = createCluster({ rootNodes: cluster.seedUrls.split(',').map((url) => ({ url })) });
    client.on('error', () => {});
    await client.connect();
    const keys = Array.from({ length: 12 }, (_, index) => `k360:topology:${index}`);
    try {
      for (const key of keys) await client.set(key, `value of ${key}`);
      for (const key of keys) assert.equal(await client.get(key), `value of ${key}`);
    } finally {
      await client.close();
    }
    const owners = new Set<number>();
    for (const key of keys) {
      const answers = await Promise.all(cluster.nodes.map((node) => getOn(node.url, key)));
      const holders = cluster.nodes.filter((_, index) => answers[index] === `value of ${key}`);
      assert.equal(holders.length, 1, `${key} is on exactly one node: ${answers.map(String).join(' | ')}`);
      for (const answer of answers) if (answer instanceof Error) assert.match(answer.message, /^MOVED \d+ 127\.0\.0\.1:\d+$/);
      owners.add(holders[0]!.port);
    }
    assert.equal(owners.size, 3, 'the keys are spread over every primary');
  });
});

describe('startRedisCluster({ replicasPerPrimary: 1 }): a primary stopped and started again', () => {
  let cluster: RedisCluster;
  let startedIn = '';

  before(async () => {
    const since = Date.now();
    cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
    startedIn = seconds(since);
    for (const node of cluster.nodes) used(node.port);
  }, { timeout: 40_000 });
  after(() => cluster?.close(), { timeout: 30_000 });

  it('its replica takes over; started again, the former primary rejoins as a replica', { timeout: 60_000 }, async (t) => {
    t.diagnostic(`cluster of 3 primaries + 3 replicas ready in ${startedIn}`);
    assert.equal(cluster.nodes.filter((node) => node.role === 'primary').length, 3);
    assert.equal(cluster.nodes.filter((node) => node.role === 'replica').length, 3);
    assert.equal(cluster.seedUrls.split(',').length, 3);

    const client = createCluster({ rootNodes: cluster.seedUrls.split(',').map((url) => ({ url })) });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.set('k360:survives', 'yes');
      const answers = await Promise.all(cluster.nodes.map((node) => (node.role === 'primary' ? getOn(node.url, 'k360:survives') : null)));
      const owner = answers.findIndex((answer) => answer === 'yes');
      assert.ok(owner >= 0, 'one primary holds the key');

      let since = Date.now();
      await cluster.stopNode(owner);
      // A fresh client each try (one that is cut off may still be waiting for the stopped node), seeded by the running nodes.
      const checkers: Array<{ destroy(): void }> = [];
      try {
        await eventually('reading the key once the replica took over', 20_000, async () => {
          const checker = createCluster({ rootNodes: cluster.nodes.filter((_, index) => index !== owner).map((node) => ({ url: node.url })) });
          checkers.push(checker);
          checker.on('error', () => {});
          await checker.connect();
          assert.equal(await checker.get('k360:survives'), 'yes');
        });
      } finally {
        for (const checker of checkers) {
          try {
            checker.destroy();
          } catch {
            // never connected
          }
        }
      }
      t.diagnostic(`primary stopped → replica serving its slots in ${seconds(since)}`);

      since = Date.now();
      await cluster.startNode(owner);
      t.diagnostic(`former primary rejoined, cluster whole again in ${seconds(since)}`);
      assert.equal(cluster.nodes[owner]!.role, 'replica');
      assert.equal(cluster.nodes.filter((node) => node.role === 'primary').length, 3);
      assert.equal(await roleOf(cluster.nodes[owner]!.port), 'slave');
    } finally {
      client.destroy();
    }
  });
});

describe('startRedisSentinel(): primary, replica, 3 sentinels', () => {
  let set: RedisSentinelSet;
  let startedIn = '';

  before(async () => {
    const since = Date.now();
    set = await startRedisSentinel();
    startedIn = seconds(since);
    for (const node of set.dataNodes) used(node.port);
    for (const url of set.sentinelUrls.split(',')) used(portOf(url));
  }, { timeout: 40_000 });
  after(() => set?.close(), { timeout: 30_000 });

  const sentinelClient = () => {
    const client = createSentinel({ name: set.name, sentinelRootNodes: set.sentinelUrls.split(',').map((url) => ({ host: '127.0.0.1', port: portOf(url) })) });
    client.on('error', () => {});
    return client;
  };

  it('the first data node is primary, the second replicates from it', { timeout: 10_000 }, async (t) => {
    t.diagnostic(`sentinel set ready in ${startedIn}`);
    assert.equal(set.name, 'k360');
    assert.equal(set.sentinelUrls.split(',').length, 3);
    assert.equal(set.dataNodes.length, 2);
    assert.deepEqual(await set.primary(), { host: '127.0.0.1', port: set.dataNodes[0]!.port });
    assert.equal(await roleOf(set.dataNodes[0]!.port), 'master');
    assert.equal(await roleOf(set.dataNodes[1]!.port), 'slave');
  });

  it('failover() swaps primary and replica; a Sentinel client follows', { timeout: 40_000 }, async (t) => {
    const client = sentinelClient();
    await client.connect();
    try {
      await client.set('k360:before-failover', '1');
      const before = await set.primary();
      const since = Date.now();
      await set.failover();
      t.diagnostic(`failover() took ${seconds(since)}`);
      const now = await set.primary();
      assert.notEqual(now.port, before.port);
      assert.equal(await roleOf(now.port), 'master');
      assert.equal(await roleOf(before.port), 'slave');
      await eventually('writing through the Sentinel client after failover()', 10_000, () => client.set('k360:after-failover', '2'));
      assert.equal(await getOn(`redis://127.0.0.1:${now.port}`, 'k360:after-failover'), '2');
      assert.equal(await getOn(`redis://127.0.0.1:${now.port}`, 'k360:before-failover'), '1');
    } finally {
      await client.destroy();
    }
  });

  it('killPrimary() promotes the replica; restartNode() brings the killed node back as its replica', { timeout: 60_000 }, async (t) => {
    const client = sentinelClient();
    await client.connect();
    try {
      const killed = await set.primary();
      let since = Date.now();
      await set.killPrimary();
      t.diagnostic(`killPrimary() → replica promoted in ${seconds(since)}`);
      const now = await set.primary();
      assert.notEqual(now.port, killed.port);
      assert.equal(await roleOf(now.port), 'master');
      await eventually('writing through the Sentinel client after killPrimary()', 10_000, () => client.set('k360:after-kill', '3'));
      assert.equal(await getOn(`redis://127.0.0.1:${now.port}`, 'k360:after-kill'), '3');

      since = Date.now();
      await set.restartNode(killed.port);
      t.diagnostic(`restartNode() → rejoined as replica in ${seconds(since)}`);
      assert.equal(await roleOf(killed.port), 'slave');
      assert.equal((await set.primary()).port, now.port);
      assert.equal(await getOn(`redis://127.0.0.1:${killed.port}`, 'k360:after-kill'), '3', 'it synced from the new primary');
    } finally {
      await client.destroy();
    }
  });
});

describe('afterwards', () => {
  it('no process is left on any port the topologies used', async () => {
    assert.ok(reportedNodes >= 9 + 5, `the topologies reported their ports (${reportedNodes} nodes on ${usedPorts.size} ports)`);
    const ports = [...usedPorts].join('|');
    try {
      const { stdout } = await promisify(execFile)('pgrep', ['-af', `(127\\.0\\.0\\.1:|--port )(${ports})([^0-9]|$)`]);
      assert.fail(`still running:\n${stdout}`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 1) throw error;
    }
  });
});
