/**
 * `npm run bench` (`-- --quick`: fewer, shorter runs, to check that it works): k360-verify next to
 * floors measured side by side in the same run, as ratios. The machines are shared and noisy, so
 * absolute figures differ between runs; ratios much less. Nothing here passes or fails on a time.
 *
 * - The request path (answer.ts): the answer against a bare pass-through proxy and the Kount
 *   stand-in itself, closed and open loop; the same answer through the standalone relay
 *   (`k360-verify relay`, relay-service.ts); the same relay with the OpenTelemetry SDK registered
 *   against without (telemetry-sdk.ts); the view against constant JSON; on Redis.
 * - Live updates (streams.ts): memory, heartbeat CPU and webhook delivery against plain SSE.
 * - The store (store.ts): operation cost as sessions pile up.
 * - Redis modes (redis-modes.ts): the answer on a Redis Cluster and on Sentinel (with its WAIT for
 *   the replica) against a single primary, interleaved; memory per session on the cluster.
 * - The page (page.ts): the OTP page's bytes and time to a focusable input against a bare Lit element.
 * - Scale-out (scale-out.ts, full runs): cross-instance update latency, Redis memory per session.
 *
 * `-- --only=request,streams` runs only those parts (request, streams, store, redis, page, write-path, scale-out), for
 * a check of one part while working on it; a figure to quote comes from a whole run.
 *
 * Everything runs on this machine on 127.0.0.1: the load generator, the relays, Redis, Chromium and
 * a Kount stand-in share its cores, so the figures say how the relay compares, not what a fleet can do.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { RelayPath, SESSION_COOKIE } from '../../src/contract/browser.js';
import { startRedisServer } from '../../demo/cluster/redis-server.js';
import { answerRows, startSessions } from './answer.js';
import { BENCH_ORIGIN, printRows, progress, QUICK, spawnReady, stopAll, type Row } from './harness.js';
import { pageRows } from './page.js';
import { pageFilesPerWrongCode } from './page-files-per-answer.js';
import { relayFilesPerWrongCode } from './relay-files-per-answer.js';
import { closeRedisModes, redisModeRows } from './redis-modes.js';
import { crossInstanceLatency, redisMemory } from './scale-out.js';
import { storeRows } from './store.js';
import { streamRows } from './streams.js';

const ONLY = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (part: string): boolean => ONLY === undefined || ONLY.includes(part);

async function main(): Promise<void> {
  const began = performance.now();
  const cores = availableParallelism();
  console.log(`k360-verify bench${QUICK ? ' (--quick: fewer, shorter runs; not figures to quote)' : ''}: ${cores} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; load generator, relays, Redis, Chromium and the Kount stand-in share them.`);
  progress('starting Redis and the servers');
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
    const relay = await spawnReady('test/bench/relay-instance.ts', { ...relayEnv, RELAY_STORE_URL: 'memory:' });
    // The same relay with the OpenTelemetry SDK registered before `createRelay`, as a host does: its own process, since registration is global.
    const relayWithTelemetry = await spawnReady('test/bench/relay-instance.ts', { ...relayEnv, RELAY_STORE_URL: 'memory:', BENCH_TELEMETRY: 'memory' });
    const [handle] = (await startSessions(relay, 1)).handles;
    const viewResponse = await fetch(`${relay.url}/verify${RelayPath.view}`, { headers: { cookie: `${SESSION_COOKIE}=${handle ?? ''}`, origin: BENCH_ORIGIN } });
    if (!viewResponse.ok) throw new Error(`the relay's view answered ${viewResponse.status}`);
    const view = await viewResponse.text();
    const passThrough = await spawnReady('test/bench/pass-through.ts', { UPSTREAM_URL: `${standIn.url}/verify`, VIEW_JSON: view, ADAPTER: 'relay' });
    const passThroughOnServe = await spawnReady('test/bench/pass-through.ts', { UPSTREAM_URL: `${standIn.url}/verify`, VIEW_JSON: view, ADAPTER: 'serve' });
    // The standalone relay, configured as `k360-verify relay` is: the same relay variables, its own listeners.
    const adminKey = randomBytes(32).toString('base64url');
    const service = {
      instance: await spawnReady('test/bench/relay-service.ts', {
        ...relayEnv,
        RELAY_STORE_URL: 'memory:',
        RELAY_HOST: '127.0.0.1',
        RELAY_PORT: '0',
        RELAY_ADMIN_HOST: '127.0.0.1',
        RELAY_ADMIN_PORT: '0',
        RELAY_ADMIN_API_KEYS: adminKey,
      }),
      adminKey,
    };

    const rows: Row[] = [];
    const scaleOut = QUICK || !runs('scale-out')
      ? undefined
      : await (async () => {
          const [instanceA, instanceB] = await Promise.all([0, 1].map(() => spawnReady('test/bench/relay-instance.ts', { ...relayEnv, RELAY_STORE_URL: redis.url })));
          if (!instanceA || !instanceB) throw new Error('the Redis instances did not start');
          const oneBehind = await spawnReady('test/bench/balancer.ts', { TARGETS: instanceA.url });
          const twoBehind = await spawnReady('test/bench/balancer.ts', { TARGETS: `${instanceA.url},${instanceB.url}` });
          return { instanceA, instanceB, oneBehind, twoBehind };
        })();
    // A part that fails is reported and the others still run: one broken part does not lose every figure.
    const failures: string[] = [];
    const part = async (name: string, label: string, measure: () => Promise<Row[]>): Promise<void> => {
      if (!runs(name)) return;
      progress(label);
      try {
        rows.push(...(await measure()));
      } catch (error) {
        failures.push(`${label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        progress(`${label}: failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      }
    };
    await part('request', 'the request path', () => answerRows({ relay, relayWithTelemetry, passThrough, passThroughOnServe, standIn, service, ...(scaleOut ? { redis: scaleOut } : {}) }));
    await part('streams', 'live updates', () => streamRows(relayEnv, view));
    await part('store', 'the store', () => storeRows(redis.url));
    await part('redis', 'Redis modes', () => redisModeRows(relayEnv));
    await part('page', 'the page', () => pageRows(view));
    await part('write-path', 'the write path', async () => {
      const relaySide = await relayFilesPerWrongCode();
      const pageSide = await pageFilesPerWrongCode();
      console.log(
        `\nOne wrong OTP code, from the keystrokes to the new count on screen, runs ${pageSide.files.length} of the page's source files and ${relaySide.files.length} of the relay's (contract included), ` +
          `${pageSide.files.length + relaySide.files.length} in all, in ${pageSide.relayRequests.length} HTTP round trips (${pageSide.relayRequests.join(', ')}): coverage counts, not timings; ` +
          '`tsx test/bench/page-files-per-answer.ts` and `tsx test/bench/relay-files-per-answer.ts` list them',
      );
      return [];
    });
    if (scaleOut) {
      await part('scale-out', 'scale-out', async () => {
        await crossInstanceLatency(scaleOut.instanceA, scaleOut.instanceB);
        await redisMemory(redis.url, scaleOut.instanceA);
        return [];
      });
    }
    printRows(`k360-verify against its floors, measured side by side in this run (${cores} cores); the last number of each row is the ratio`, rows);
    console.log(`\nbench: ${rows.length} rows in ${((performance.now() - began) / 1000).toFixed(0)} s`);
    if (failures.length > 0) {
      console.error(`\nbench: ${failures.length} part(s) failed:\n${failures.join('\n\n')}`);
      process.exitCode = 1;
    }
  } finally {
    stopAll();
    await closeRedisModes();
    await redis.close();
  }
}

await main();
process.exit(process.exitCode ?? 0);
