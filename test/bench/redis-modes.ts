/**
 * The store's Redis modes side by side in one run: the same answer (`POST /verify/session/answer`,
 * a wrong OTP through the Kount stand-in: two session commits each) against relay instances on a
 * single primary (the baseline), on a Redis Cluster of 3 primaries, and on a primary with a replica
 * under Sentinel (each commit waits for the replica: `WAIT 1`), in interleaved rounds; and Sentinel
 * with RELAY_STORE_MIN_REPLICAS_ACKED=0, which tells the replica's wait from the client's own cost.
 * Then what a session costs in Redis on the cluster against the single primary: the growth of
 * `used_memory` summed over the primaries while fresh sessions are started, per session.
 *
 * Every Redis here is a redis-server of the bench's own on loopback, none persistent (the fixtures'
 * settings, test/redis/topologies.ts): the modes differ in topology only. Answers refused with
 * `503 store_unavailable` (a store that cannot keep up) are counted and left out of the answers/s.
 */
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { createClient, createCluster } from '@redis/client';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { startRedisServer } from '../../demo/cluster/redis-server.js';
import { startRedisCluster, startRedisSentinel } from '../redis/topologies.js';
import { startSessions } from './answer.js';
import { BENCH_ORIGIN, kib, median, ms, printTable, progress, QUICK, recentProblems, row, spawnReady, type Row, type Started } from './harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 2));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const CONNECTIONS = 20;
/**
 * Sessions the load answers in turn, started once per mode (each takes RELAY_MAX_WRONG_CODES=100
 * answers before its lockout): enough for the fastest mode's rounds.
 */
const SESSIONS = QUICK ? 100 : 300;
/** Fresh sessions started for the memory figure. */
const MEMORY_SESSIONS = QUICK ? 200 : 1000;

const closers: Array<() => Promise<void>> = [];

/** Stops the Redis servers this part started; after the relay instances on them (harness `stopAll()`). */
export async function closeRedisModes(): Promise<void> {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
}

/** A single primary with the fixtures' settings (no AOF, no snapshots), so only the topology differs. */
async function startPlainRedis(): Promise<{ url: string; port: number }> {
  const redis = await startRedisServer({ persistence: false });
  closers.push(() => redis.close());
  return { url: redis.url, port: redis.port };
}

/** `used_memory` summed over the given nodes (the primaries). */
async function usedMemory(ports: readonly number[]): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      total += Number(/^used_memory:(\d+)/m.exec(await client.info('memory'))?.[1] ?? 0);
    } finally {
      client.destroy();
    }
  }
  return total;
}

/** Waits for what the load left queued in the instance (autocannon stops without waiting for its answers) to be served. */
async function drain(instance: Started, handle: string): Promise<void> {
  const response = await fetch(`${instance.url}/verify/session`, { headers: { cookie: `${SESSION_COOKIE}=${handle}`, origin: BENCH_ORIGIN } });
  await response.arrayBuffer();
}

/** The session id a handle carries (its first part is base64url JSON). */
const sessionIdOf = (handle: string): string => (JSON.parse(Buffer.from(handle.split('.')[0] ?? '', 'base64url').toString()) as { sid: string }).sid;

interface Load {
  /** Answers the relay gave (200, or 422 for the wrong code) per second; 503s left out. */
  answersPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

async function load(instance: Started, handles: readonly string[], seconds: number): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url: instance.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/verify/session/answer',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: BENCH_ORIGIN },
        body: JSON.stringify({ method: 'OTP', otp: '000000' }),
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: `${SESSION_COOKIE}=${handles[next++ % handles.length] ?? ''}` } }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statuses[code] = count;
  const answered = (statuses['200'] ?? 0) + (statuses['422'] ?? 0);
  return { answersPerSecond: answered / Math.max(0.001, result.duration), p50: result.latency.p50, p99: result.latency.p99, statuses };
}

interface Mode {
  name: string;
  instance: Started;
  handles: string[];
}

/**
 * The rows: each mode's answers/s against the single primary's, and a session's memory on the
 * cluster against on the single primary. `relayEnv`: the bench relays' settings (Kount stand-in,
 * secret, origins, wrong-code limit), to which each mode adds its store.
 */
export async function redisModeRows(relayEnv: Record<string, string>): Promise<Row[]> {
  const cores = availableParallelism();
  progress('Redis modes: starting a single primary, a 3-primary cluster and a Sentinel set');
  const [single, cluster, sentinel] = await Promise.all([startPlainRedis(), startRedisCluster(), startRedisSentinel()]);
  closers.push(() => cluster.close(), () => sentinel.close());
  const sentinelEnv = { RELAY_STORE_MODE: 'sentinel', RELAY_STORE_URL: sentinel.sentinelUrls, RELAY_STORE_SENTINEL_NAME: sentinel.name };
  const stores: Record<string, Record<string, string>> = {
    'single primary': { RELAY_STORE_URL: single.url },
    'cluster, 3 primaries': { RELAY_STORE_MODE: 'cluster', RELAY_STORE_URL: cluster.seedUrls },
    'Sentinel, WAIT 1 replica': sentinelEnv,
    'Sentinel, no WAIT': { ...sentinelEnv, RELAY_STORE_MIN_REPLICAS_ACKED: '0' },
  };
  const modes: Mode[] = [];
  for (const [name, store] of Object.entries(stores)) {
    const instance = await spawnReady('test/bench/relay-instance.ts', { ...relayEnv, ...store });
    modes.push({ name, instance, handles: (await startSessions(instance, SESSIONS)).handles });
  }

  progress('Redis modes: answer throughput, interleaved');
  // Half a second each first, so that no figure includes a process's start-up.
  const measure = async (mode: Mode, seconds: number): Promise<Load> => {
    const result = await load(mode.instance, mode.handles, seconds);
    await drain(mode.instance, mode.handles[0] ?? '');
    return result;
  };
  for (const mode of modes) await measure(mode, QUICK ? 0.5 : 1);
  const runs = new Map<string, Load[]>(modes.map((mode) => [mode.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of modes) runs.get(mode.name)?.push(await measure(mode, SECONDS));
  }
  const results = new Map<string, Load>();
  for (const [name, loads] of runs) {
    const statuses: Record<string, number> = {};
    for (const run of loads) for (const [code, count] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
    const unexpected = Object.keys(statuses).filter((code) => !['200', '422', '503'].includes(code));
    if (unexpected.length > 0) throw new Error(`${name} answered ${unexpected.join(', ')} (expected 200, 422 or 503): the figures would not be comparable.\n${recentProblems()}`);
    results.set(name, {
      answersPerSecond: median(loads.map((run) => run.answersPerSecond)),
      p50: median(loads.map((run) => run.p50)),
      p99: median(loads.map((run) => run.p99)),
      statuses,
    });
  }
  const baseline = results.get('single primary');
  if (!baseline) throw new Error('the single primary load run is missing');
  printTable(
    `Answer throughput by Redis mode (${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} interleaved round(s), medians; ${cores} cores shared by the load, the relays, the stand-in and every Redis)`,
    ['store', 'answers/s', 'p50', 'p99', 'refused (503)', '× single primary'],
    [...results].map(([name, entry]) => [
      name,
      entry.answersPerSecond.toFixed(0),
      ms(entry.p50),
      ms(entry.p99),
      String(entry.statuses['503'] ?? 0),
      (entry.answersPerSecond / baseline.answersPerSecond).toFixed(2),
    ]),
  );
  const perSecond = (entry: Load): string => `${entry.answersPerSecond.toFixed(0)} answers/s${entry.statuses['503'] ? `, ${entry.statuses['503']} refused (503)` : ''}`;
  const rows: Row[] = [];
  for (const [name, entry] of results) {
    if (entry === baseline) continue;
    rows.push(row(`answer on Redis ${name} vs a single primary, ${CONNECTIONS} conns (answers/s; p99 ${ms(entry.p99)} vs ${ms(baseline.p99)})`, perSecond(entry), perSecond(baseline), entry.answersPerSecond / baseline.answersPerSecond));
  }

  progress('Redis modes: memory per session');
  const primaries = cluster.nodes.filter((node) => node.role === 'primary').map((node) => node.port);
  /** used_memory growth per session, and MEMORY USAGE of a session's hash and event log (the average over the sessions started). */
  const perSession = async (name: string, ports: readonly number[], memoryUsage: (key: string) => Promise<number>): Promise<{ growth: number; keys: number }> => {
    const mode = modes.find((candidate) => candidate.name === name);
    if (!mode) throw new Error(`no relay on ${name}`);
    const before = await usedMemory(ports);
    const { handles } = await startSessions(mode.instance, MEMORY_SESSIONS);
    const growth = ((await usedMemory(ports)) - before) / MEMORY_SESSIONS;
    let keys = 0;
    for (const id of handles.map(sessionIdOf)) keys += (await memoryUsage(`k360:s:{${id}}`)) + (await memoryUsage(`k360:e:{${id}}`));
    return { growth, keys: keys / handles.length };
  };
  const singleClient = createClient({ url: single.url });
  const clusterClient = createCluster({ rootNodes: [{ url: cluster.seedUrls.split(',')[0] ?? '' }] });
  singleClient.on('error', () => undefined);
  clusterClient.on('error', () => undefined);
  await singleClient.connect();
  await clusterClient.connect();
  let onSingle: { growth: number; keys: number };
  let onCluster: { growth: number; keys: number };
  try {
    onSingle = await perSession('single primary', [single.port], async (key) => Number((await singleClient.sendCommand(['MEMORY', 'USAGE', key])) ?? 0));
    onCluster = await perSession('cluster, 3 primaries', primaries, async (key) => Number((await clusterClient.sendCommand(key, true, ['MEMORY', 'USAGE', key])) ?? 0));
  } finally {
    singleClient.destroy();
    clusterClient.destroy();
  }
  printTable(
    `Redis memory per just-started OTP session (${MEMORY_SESSIONS} sessions; every key expires with its session)`,
    ['store', 'used_memory growth per session (all its keys)', 'MEMORY USAGE of its hash + event log'],
    [
      ['single primary', kib(onSingle.growth), kib(onSingle.keys)],
      ['cluster, 3 primaries (summed)', kib(onCluster.growth), kib(onCluster.keys)],
    ],
  );
  rows.push(
    row(
      `Redis memory per just-started OTP session, cluster (3 primaries, summed) vs a single primary (used_memory growth over ${MEMORY_SESSIONS} sessions)`,
      kib(onCluster.growth),
      kib(onSingle.growth),
      onCluster.growth / onSingle.growth,
    ),
  );
  return rows;
}
