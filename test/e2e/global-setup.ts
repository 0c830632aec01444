import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WriteStream } from 'node:fs';
import { startCluster } from '../../demo/cluster/cluster.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const demoLogPath = fileURLToPath(new URL('../../test-results/demo-server.log', import.meta.url));

/**
 * The journeys run from one address with the sandbox personas' few numbers and addresses, far more
 * often than a shopper would: the limits across sessions are raised for them (their own tests are
 * `test/relay/send-limits.test.ts` and `test/demo/guards.test.ts`).
 */
const JOURNEY_LIMITS = {
  RELAY_SENDS_PER_DESTINATION_PER_HOUR: '10000',
  RELAY_SENDS_PER_DESTINATION_PER_DAY: '10000',
  RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '10000',
  // Pacing is the same at 10 s as at the default 30 s; the journeys that wait it out finish sooner.
  RELAY_RESEND_INTERVAL_SECONDS: '10',
};

/**
 * Starts the demo exactly as a newcomer does (sandbox + relay + site), on free loopback ports,
 * and keeps its log so a test can check that no secret was written to it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await mkdir(new URL('../../test-results/', import.meta.url), { recursive: true });
  const log = createWriteStream(demoLogPath);
  if (process.env.E2E_CLUSTER === '1') return startClusterForJourneys(log);
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    cwd: root,
    env: { ...process.env, ...JOURNEY_LIMITS, PORT: '0', SANDBOX_PORT: '0', KOUNT_API_URL: '', KOUNT_TOKEN_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log);

  const ready = await new Promise<{ url: string; sandboxUrl: string }>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`The demo did not start in 30 s:\n${buffer}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`The demo exited with ${code}:\n${buffer}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.includes('"demo.ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; sandboxUrl: string });
      }
    });
  });

  process.env.DEMO_URL = ready.url;
  process.env.SANDBOX_URL = ready.sandboxUrl;
  process.env.DEMO_LOG = demoLogPath;

  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    log.end();
  };
}

/**
 * `npm run test:e2e:cluster`: the same journeys through `npm run demo:cluster`'s set-up, two
 * instances on one Redis behind a round-robin balancer; every instance's log goes to the one file.
 */
async function startClusterForJourneys(log: WriteStream): Promise<() => Promise<void>> {
  const cluster = await startCluster({ instances: 2, env: JOURNEY_LIMITS, onOutput: (line) => log.write(`${line}\n`) });
  process.env.DEMO_URL = cluster.url;
  process.env.SANDBOX_URL = cluster.sandbox.url;
  process.env.DEMO_LOG = demoLogPath;
  return async () => {
    const served = cluster.proxy.served;
    await cluster.close();
    log.end();
    // Round robin over the whole run: a journey that never reached one instance proves nothing.
    if (served.some((count) => count === 0)) throw new Error(`An instance served no request: ${served.join(', ')}`);
  };
}
