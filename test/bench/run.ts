/**
 * `npm run bench`: the relay's figures next to a floor measured side by side in the same run, as
 * ratios (the machines are shared and noisy: absolute numbers differ between runs, ratios much less).
 *
 * - Answer throughput: `POST /verify/session/answer` (a wrong OTP, which reaches Kount), 20
 *   connections, against a bare pass-through proxy, on 1 instance with the memory store, 1 and 2
 *   instances on Redis (through the demo cluster's round-robin balancer), in interleaved rounds.
 * - Cross-instance updates: an answer sent to instance B, until its view arrives on a stream open
 *   on instance A (and on B itself, for comparison), p50 and p99.
 * - Redis memory per session, from `MEMORY USAGE` of each of its keys.
 *
 * Everything runs on this machine on 127.0.0.1: the load generator, the relays, Redis and a Kount
 * stand-in share its cores, so the figures say how the relay compares, not what a fleet can do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from '@redis/client';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { startRedisServer } from '../../demo/cluster/redis-server.js';
import { Shopper, type EventStream } from '../cluster/shopper.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 20;
const BENCH_ORIGIN = 'http://bench.test';
const children: ChildProcess[] = [];
const problems: string[] = [];

interface Started {
  url: string;
}

/** A script of the bench in its own process, ready once it prints its `ready` line. */
function spawnReady(script: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  stopWithParent(child);
  // Warnings and errors: the last ones are shown when a figure comes out wrong.
  child.stderr?.on('data', (chunk: Buffer) => {
    problems.push(...chunk.toString().split('\n').filter(Boolean).map((line) => `${script}: ${line}`));
    problems.splice(0, Math.max(0, problems.length - 20));
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.includes('"event":"ready"'));
      if (!line) {
        // Relay log lines after start-up are read and dropped, as a log shipper would.
        if (buffer.length > 1_000_000) buffer = '';
        return;
      }
      resolve(JSON.parse(line) as Started);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

async function sessions(instance: Started, count: number): Promise<string[]> {
  const { handles } = (await post(`${instance.url}/bench/sessions`, { count })) as { handles: string[] };
  return handles;
}

interface LoadResult {
  requestsPerSecond: number;
  p99: number;
  statuses: Record<string, number>;
}

async function load(url: string, handles: readonly string[]): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/verify/session/answer',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: BENCH_ORIGIN },
        body: JSON.stringify({ method: 'OTP', otp: '000000' }),
        setupRequest: (request) => {
          const handle = handles[next++ % handles.length] ?? '';
          return { ...request, headers: { ...request.headers, cookie: `${SESSION_COOKIE}=${handle}` } };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statuses[code] = count;
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, statuses };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  console.log(`\n${title}\n${line(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |\n${rows.map(line).join('\n')}`);
}

async function answerThroughput(configs: Array<{ name: string; url: string; handles: () => Promise<string[]> }>): Promise<void> {
  const results = new Map<string, LoadResult[]>(configs.map((config) => [config.name, []]));
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const config of configs) {
      const handles = await config.handles();
      results.get(config.name)?.push(await load(config.url, handles));
    }
  }
  const baseline = median(results.get(configs[0]?.name ?? '')?.map((result) => result.requestsPerSecond) ?? []);
  const memory = median(results.get(configs[1]?.name ?? '')?.map((result) => result.requestsPerSecond) ?? []);
  const rows = configs.map(({ name }) => {
    const runs = results.get(name) ?? [];
    const rate = median(runs.map((run) => run.requestsPerSecond));
    const statuses = runs.reduce<Record<string, number>>((sum, run) => {
      for (const [code, count] of Object.entries(run.statuses)) sum[code] = (sum[code] ?? 0) + count;
      return sum;
    }, {});
    return [
      name,
      rate.toFixed(0),
      `${median(runs.map((run) => run.p99)).toFixed(0)} ms`,
      (rate / baseline).toFixed(2),
      (rate / memory).toFixed(2),
      Object.entries(statuses).map(([code, count]) => `${code}×${count}`).join(' '),
    ];
  });
  const unexpected = [...results.values()].flat().some((run) => Object.keys(run.statuses).some((code) => code !== '422' && code !== '200'));
  if (unexpected) console.log(`\nSome answers were not the expected wrong_code (422): the figures below are not comparable.\n${problems.join('\n')}`);
  table(
    `Answer throughput: POST /verify/session/answer (wrong OTP, reaches Kount), ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} interleaved rounds (medians)`,
    ['setup', 'req/s', 'p99', '× pass-through', '× 1 instance, memory', 'statuses'],
    rows,
  );
}

async function crossInstanceLatency(instanceA: Started, instanceB: Started): Promise<void> {
  const perSession = 25;
  const cross: number[] = [];
  const local: number[] = [];
  for (let batch = 0; batch < 4; batch += 1) {
    const handles = await sessions(instanceA, 10);
    await Promise.all(
      handles.map(async (handle) => {
        const shopper = Shopper.withHandle(BENCH_ORIGIN, handle);
        const streams: [EventStream, EventStream] = [await shopper.events(instanceA.url), await shopper.events(instanceB.url)];
        for (const stream of streams) await stream.waitFor((event) => event.id === 0);
        const sentAt: number[] = [];
        for (let answer = 1; answer <= perSession; answer += 1) {
          sentAt[answer] = performance.timeOrigin + performance.now();
          await shopper.answer({ method: 'OTP', otp: '000000' }, instanceB.url);
          await Promise.all(streams.map((stream) => stream.waitFor((event) => event.id === answer)));
        }
        for (const [stream, into] of [[streams[0], cross], [streams[1], local]] as const) {
          for (const event of stream.events) if (event.id > 0) into.push(event.receivedAt - (sentAt[event.id] ?? event.receivedAt));
          await stream.close();
        }
      }),
    );
  }
  table(
    `Live updates: an answer sent to instance B until its view is on a stream (${cross.length} views, 10 sessions at a time; includes B's answer and its Kount call)`,
    ['stream on', 'p50', 'p99', 'max'],
    [
      ['instance A (the other one)', `${percentile(cross, 50).toFixed(1)} ms`, `${percentile(cross, 99).toFixed(1)} ms`, `${Math.max(...cross).toFixed(1)} ms`],
      ['instance B (the same one)', `${percentile(local, 50).toFixed(1)} ms`, `${percentile(local, 99).toFixed(1)} ms`, `${Math.max(...local).toFixed(1)} ms`],
    ],
  );
}

async function redisMemory(redisUrl: string, instance: Started): Promise<void> {
  const fresh = await sessions(instance, 20);
  const busy = await sessions(instance, 20);
  for (const handle of busy) {
    const shopper = Shopper.withHandle(BENCH_ORIGIN, handle);
    for (let answer = 0; answer < 60; answer += 1) await shopper.answer({ method: 'OTP', otp: '000000' }, instance.url);
  }
  const client = createClient({ url: redisUrl });
  await client.connect();
  const idOf = (handle: string): string => (JSON.parse(Buffer.from(handle.split('.')[0] ?? '', 'base64url').toString()) as { sid: string }).sid;
  const aliasesBySession = new Map<string, string[]>();
  for await (const keys of client.scanIterator({ MATCH: 'k360:v:*', COUNT: 1000 })) {
    for (const key of keys) {
      const owner = await client.get(key);
      if (owner !== null) aliasesBySession.set(owner, [...(aliasesBySession.get(owner) ?? []), key]);
    }
  }
  const bytesOf = async (handle: string): Promise<{ total: number; session: number; events: number; aliases: number }> => {
    const id = idOf(handle);
    const session = (await client.memoryUsage(`k360:s:${id}`)) ?? 0;
    const events = (await client.memoryUsage(`k360:e:${id}`)) ?? 0;
    let aliases = 0;
    for (const key of aliasesBySession.get(id) ?? []) aliases += (await client.memoryUsage(key)) ?? 0;
    return { total: session + events + aliases, session, events, aliases };
  };
  const rows: string[][] = [];
  for (const [name, handles] of [['just started (1 view kept)', fresh], ['after 60 wrong codes (50 views kept, the most)', busy]] as const) {
    const sizes = await Promise.all(handles.map(bytesOf));
    const average = (pick: (size: { total: number; session: number; events: number; aliases: number }) => number): string => `${(sizes.reduce((sum, size) => sum + pick(size), 0) / sizes.length / 1024).toFixed(1)} KiB`;
    rows.push([name, average((size) => size.total), average((size) => size.session), average((size) => size.events), average((size) => size.aliases)]);
  }
  await client.close();
  table('Redis memory per OTP session (MEMORY USAGE, average of 20 sessions; every key expires with the session)', ['session', 'total', 'session hash', 'event log', 'aliases'], rows);
}

async function main(): Promise<void> {
  console.log(`k360-verify bench: ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; load generator, relays, Redis and the Kount stand-in share them.`);
  const redis = await startRedisServer();
  try {
    const standIn = await spawnReady('test/bench/kount-stand-in.ts', {});
    const relayEnv = {
      KOUNT_API_URL: standIn.url,
      KOUNT_TOKEN_URL: `${standIn.url}/as/token`,
      KOUNT_VERIFY_PATH: '/verify',
      KOUNT_API_KEY: 'bench-key',
      KOUNT_CLIENT_ID: 'bench-client',
      RELAY_SESSION_SECRET: randomBytes(32).toString('base64url'),
      RELAY_ALLOWED_ORIGINS: BENCH_ORIGIN,
      // The load answers wrong codes on purpose; each session takes 100 before its (short) lockout.
      RELAY_MAX_WRONG_CODES: '100',
      RELAY_OTP_LOCKOUT_SECONDS: '1',
    };
    const passThrough = await spawnReady('test/bench/pass-through.ts', { UPSTREAM_URL: `${standIn.url}/verify` });
    const memory = await spawnReady('test/bench/relay-instance.ts', { ...relayEnv, RELAY_STORE_URL: 'memory:' });
    const [redisA, redisB] = await Promise.all([0, 1].map(() => spawnReady('test/bench/relay-instance.ts', { ...relayEnv, RELAY_STORE_URL: redis.url })));
    if (!redisA || !redisB) throw new Error('the Redis instances did not start');
    const oneBehind = await spawnReady('test/bench/balancer.ts', { TARGETS: redisA.url });
    const twoBehind = await spawnReady('test/bench/balancer.ts', { TARGETS: `${redisA.url},${redisB.url}` });
    const count = 800;
    await answerThroughput([
      { name: 'bare pass-through proxy (floor)', url: passThrough.url, handles: async () => ['none'] },
      { name: '1 instance, memory store', url: memory.url, handles: () => sessions(memory, count) },
      { name: '1 instance, Redis', url: redisA.url, handles: () => sessions(redisA, count) },
      { name: '1 instance, Redis, via balancer', url: oneBehind.url, handles: () => sessions(redisA, count) },
      { name: '2 instances, Redis, via balancer', url: twoBehind.url, handles: () => sessions(redisA, count) },
    ]);
    await crossInstanceLatency(redisA, redisB);
    await redisMemory(redis.url, redisA);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await redis.close();
  }
}

await main();
process.exit(0);
