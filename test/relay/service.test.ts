/**
 * The relay as a service (`k360-verify relay`): configuration from files and the environment, the
 * two listeners, readiness that follows the store, and a graceful stop that hands open event
 * streams to another instance. Real processes, a real Redis and the sandbox, on loopback.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { startRedisServer, type RedisServer } from '../../demo/cluster/redis-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../demo/cluster/round-robin-proxy.js';
import { silentLogger } from '../../src/relay/index.js';
import { loadServiceConfig } from '../../src/relay/service/service-config.js';
import { startRelayService, type RunningRelayService } from '../../src/relay/service/relay-service.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_KEY = 'service-admin-key-0123456789-0123456789';
const SECRET = 'service-session-secret-0123456789-abcdef';

let workspace: string;
let sandbox: RunningSandbox;
const children: ChildProcess[] = [];

function loadedRelayOptions() {
  return { apiUrl: sandbox.url, tokenUrl: sandbox.url + SANDBOX_PATHS.token, apiKey: SANDBOX_API_KEY, clientId: SANDBOX_CLIENT_ID, sessionSecret: SECRET, heartbeatSeconds: 1 };
}

function kountEnv(): Record<string, string> {
  return {
    KOUNT_API_URL: sandbox.url,
    KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
    KOUNT_API_KEY: SANDBOX_API_KEY,
    KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
    KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
  };
}

before(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'k360-service-'));
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sandbox?.close();
  await rm(workspace, { recursive: true, force: true });
});

describe('configuration of the service', () => {
  before(async () => {
    sandbox = await startSandbox();
  });

  it('reads any variable from NAME_FILE (one trailing newline trimmed) and refuses NAME and NAME_FILE both set, by name', async () => {
    const secretFile = join(workspace, 'session-secret');
    const keyFile = join(workspace, 'api-key');
    await writeFile(secretFile, `${SECRET}\n`);
    await writeFile(keyFile, `${SANDBOX_API_KEY}\n`);
    const { KOUNT_API_KEY: _apiKey, ...rest } = kountEnv();
    const loaded = await loadServiceConfig({ ...rest, KOUNT_API_KEY_FILE: keyFile, RELAY_SESSION_SECRET_FILE: secretFile, RELAY_ADMIN_API_KEYS: ADMIN_KEY });
    assert.deepEqual(loaded.relay.sessionSecret, [SECRET]);
    assert.equal(loaded.relay.apiKey, SANDBOX_API_KEY);
    await assert.rejects(loadServiceConfig({ ...kountEnv(), KOUNT_API_KEY_FILE: keyFile, RELAY_SESSION_SECRET: SECRET, RELAY_ADMIN_API_KEYS: ADMIN_KEY }), /KOUNT_API_KEY and KOUNT_API_KEY_FILE are both set/);
    const missing = loadServiceConfig({ ...kountEnv(), RELAY_SESSION_SECRET_FILE: join(workspace, 'nope'), RELAY_ADMIN_API_KEYS: ADMIN_KEY });
    await assert.rejects(missing, /RELAY_SESSION_SECRET_FILE names a file that cannot be read \(ENOENT\)/);
  });

  it('takes a JSON file checked by the same schema, the environment over it, and names what is wrong without its value', async () => {
    const file = join(workspace, 'relay.json');
    await writeFile(file, JSON.stringify({ ...Object.fromEntries(Object.entries({ apiUrl: sandbox.url, tokenUrl: sandbox.url + SANDBOX_PATHS.token, apiKey: SANDBOX_API_KEY, clientId: SANDBOX_CLIENT_ID })), sessionSecret: SECRET, adminApiKeys: [ADMIN_KEY], adminPort: 9999, shutdownSeconds: 4 }));
    const loaded = await loadServiceConfig({ RELAY_ADMIN_PORT: '9998' }, file);
    assert.equal(loaded.service.adminPort, 9998, 'the environment wins over the file');
    assert.equal(loaded.service.shutdownSeconds, 4);
    await writeFile(file, JSON.stringify({ sessionSecret: 'short-secret-value', adminApiKeys: [ADMIN_KEY] }));
    const error = await loadServiceConfig(kountEnv(), file).catch((caught: Error) => caught);
    assert.ok(error instanceof Error);
    assert.match(error.message, /sessionSecret must be at least 32 characters/);
    assert.equal(error.message.includes('short-secret-value'), false);
    await writeFile(file, JSON.stringify({ sesionSecret: SECRET }));
    await assert.rejects(loadServiceConfig(kountEnv(), file), /unknown options: sesionSecret/);
    await assert.rejects(loadServiceConfig({ ...kountEnv(), RELAY_SESSION_SECRET: SECRET }), /RELAY_ADMIN_API_KEYS is required/);
    await assert.rejects(loadServiceConfig({ ...kountEnv(), RELAY_SESSION_SECRET: SECRET, RELAY_ADMIN_API_KEYS: 'short', RELAY_PORT: 'abc' }), (caught: Error) => /RELAY_ADMIN_API_KEYS/.test(caught.message) && /RELAY_PORT/.test(caught.message) && !caught.message.includes('abc'));
  });
});

describe('the two listeners', () => {
  let service: RunningRelayService;
  before(async () => {
    const loaded = await loadServiceConfig({ ...kountEnv(), RELAY_SESSION_SECRET: SECRET, RELAY_ADMIN_API_KEYS: ADMIN_KEY, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_ADMIN_PORT: '0' });
    service = await startRelayService({ ...loaded, logger: silentLogger });
  });
  after(() => service.stop('test'));

  it('answers nothing of the admin API or health on the public port, and the browser API nowhere on the admin port', async () => {
    for (const path of ['/admin/v1/openapi.json', '/health/alive', '/health/ready', '/healthz']) {
      assert.equal((await fetch(service.publicUrl + path)).status, 404, path);
    }
    const post = await fetch(`${service.publicUrl}/admin/v1/assessments`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(post.status, 404);
    assert.equal((await fetch(`${service.adminUrl}/verify/session`)).status, 404);
    assert.equal((await fetch(`${service.adminUrl}/health/alive`)).status, 200);
    assert.equal((await fetch(`${service.adminUrl}/admin/v1/openapi.json`)).status, 200);
  });
});

describe('the library: the shutdown docs/relay/operating.md gives', () => {
  it('server.close(), relay.close() and server.closeIdleConnections() end open event streams, so the server closes and the process can exit', async () => {
    const { createServer } = await import('node:http');
    const { createRelay, toNodeListener } = await import('../../src/relay/index.js');
    const relay = createRelay({ ...loadedRelayOptions(), logger: silentLogger });
    const server = createServer(toNodeListener(relay));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    const handles: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const started = await relay.startAssessment({ contact: { email: 'oth@example.com' }, assessment: { strategy: 'CheckoutStepUp', inquiryId: randomUUID(), deviceSessionId: 'd', applicant: { email: 'oth@example.com' } } });
      handles.push(started.challenge!.handle);
    }
    const open = await Promise.all(handles.map((handle) => fetch(`${url}/verify/session/events`, { headers: { cookie: `${SESSION_COOKIE}=${handle}` } })));
    const ended = Promise.all(open.map(readStream));
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal((await relay.health()).status, 'ready');
    await relay.close();
    assert.deepEqual(await relay.health(), { status: 'unavailable', reason: 'shutting_down' });
    for (const text of await ended) assert.match(text, /retry: \d+\n\n$/);
    // The connections the streams used are idle now (keep-alive): the docs' shutdown closes them.
    server.closeIdleConnections();
    const closedInTime = await Promise.race([serverClosed.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 2_000))]);
    assert.equal(closedInTime, true, 'the server closed once the streams ended');
  });
});

describe('readiness follows the store', () => {
  let redis: RedisServer;
  let service: RunningRelayService;
  before(async () => {
    redis = await startRedisServer();
    const loaded = await loadServiceConfig({
      ...kountEnv(),
      RELAY_SESSION_SECRET: SECRET,
      RELAY_ADMIN_API_KEYS: ADMIN_KEY,
      RELAY_PORT: '0',
      RELAY_HOST: '127.0.0.1',
      RELAY_ADMIN_PORT: '0',
      RELAY_STORE_URL: redis.url,
      RELAY_STORE_TIMEOUT_MS: '300',
    });
    service = await startRelayService({ ...loaded, logger: silentLogger });
  });
  after(async () => {
    await service.stop('test');
    await redis.close();
  });

  it('turns 503 with the reason while Redis is down, and 200 again when it is back', async () => {
    assert.equal((await fetch(`${service.adminUrl}/health/ready`)).status, 200);
    await redis.stop();
    const down = await fetch(`${service.adminUrl}/health/ready`);
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { reason: string }).reason, 'store_unavailable');
    assert.equal((await fetch(`${service.adminUrl}/health/alive`)).status, 200, 'alive all the same: a restart would not help');
    await redis.start();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await fetch(`${service.adminUrl}/health/ready`)).status) !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(status, 200);
  });
});

/** Starts `k360-verify relay` as a process and resolves with its URLs once it logs that it listens. */
async function relayProcess(env: Record<string, string>): Promise<{ child: ChildProcess; publicUrl: string; adminUrl: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'relay'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: 'tsconfig.node.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  stopWithParent(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const urls = await new Promise<{ publicUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${output}`)), 30_000);
    const check = (): void => {
      const line = output.split('\n').find((candidate) => candidate.includes('"event":"relay.listening"'));
      if (line === undefined) return;
      clearTimeout(timer);
      const parsed = JSON.parse(line) as { public: string; admin: string };
      resolve({ publicUrl: parsed.public, adminUrl: parsed.admin });
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the relay exited with ${code}:\n${output}`)));
  });
  return { child, ...urls, output: () => output };
}

/** Reads an event stream until it ends; resolves with its text. */
async function readStream(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

describe('graceful stop (SIGTERM) behind a balancer', () => {
  let redis: RedisServer;
  let proxy: RoundRobinProxy;

  before(async () => {
    await sandbox.close();
    redis = await startRedisServer();
  });
  after(async () => {
    await proxy?.close();
    await redis.close();
  });

  it('ends three open streams with a retry hint, exits 0 within RELAY_SHUTDOWN_SECONDS, and the page goes on with the other instance', async (t) => {
    const { freePort } = await import('../../demo/cluster/redis-server.js');
    const proxyPort = await freePort();
    const origin = `http://127.0.0.1:${proxyPort}`;
    sandbox = await startSandbox({ webhookUrl: `${origin}/verify/webhooks/kount`, webhookRetryIntervalMs: 100 });
    const env = { ...kountEnv(), RELAY_SESSION_SECRET: SECRET, RELAY_ADMIN_API_KEYS: ADMIN_KEY, RELAY_STORE_URL: redis.url, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_ADMIN_PORT: '0', RELAY_SHUTDOWN_SECONDS: '3', RELAY_ALLOWED_ORIGINS: origin, RELAY_SSE_HEARTBEAT_SECONDS: '1' };
    const first = await relayProcess(env);
    const second = await relayProcess(env);
    proxy = await startRoundRobinProxy({ targets: [first.publicUrl, second.publicUrl], port: proxyPort });

    const started = await fetch(`${first.adminUrl}/admin/v1/assessments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contact: { email: 'oth@example.com' }, assessment: { strategy: 'CheckoutStepUp', inquiryId: randomUUID(), deviceSessionId: 'd', applicant: { email: 'oth@example.com' } } }),
    });
    const { challenge } = (await started.json()) as { challenge: { handle: string } };
    const headers = { cookie: `${SESSION_COOKIE}=${challenge.handle}`, accept: 'text/event-stream' };

    // Three streams on the first instance (the balancer alternates; those it sends to the second are closed).
    const onFirst: Array<Promise<string>> = [];
    const controllers: AbortController[] = [];
    while (onFirst.length < 3) {
      const controller = new AbortController();
      const response = await fetch(`${origin}/verify/session/events`, { headers, signal: controller.signal });
      assert.equal(response.status, 200);
      if (response.headers.get('x-served-by') === '0') onFirst.push(readStream(response));
      else controller.abort();
      controllers.push(controller);
    }

    const stopAsked = Date.now();
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
    first.child.kill('SIGTERM');
    const streams = await Promise.all(onFirst);
    for (const text of streams) assert.match(text, /retry: \d+\n\n$/, 'each stream ends with a retry hint');
    assert.equal(await exited, 0);
    const tookMs = Date.now() - stopAsked;
    assert.ok(tookMs < 3_000, `stopped in ${tookMs} ms, within RELAY_SHUTDOWN_SECONDS`);
    t.diagnostic(`SIGTERM with 3 open streams: exited 0 after ${tookMs} ms (RELAY_SHUTDOWN_SECONDS=3)`);
    assert.doesNotMatch(first.output(), /relay.shutdown_forced/, 'nothing had to be cut off');
    assert.match(first.output(), /"event":"relay.events.closed_for_shutdown","streams":3/);

    // The page reconnects (as EventSource does after the hint): the balancer finds the other instance.
    const reconnected = await fetch(`${origin}/verify/session/events`, { headers: { ...headers, 'last-event-id': '1' } });
    assert.equal(reconnected.status, 200);
    assert.equal(reconnected.headers.get('x-served-by'), '1');
    const rest = readStream(reconnected);
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
    const text = await rest;
    assert.match(text, /"decision":"ALLOW"/, 'the decision reached the page through the second instance');
    const view = await fetch(`${origin}/verify/session`, { headers: { cookie: headers.cookie, [CSRF_HEADER]: '1' } });
    assert.equal(((await view.json()) as { decision: string }).decision, 'ALLOW');
    second.child.kill('SIGTERM');
    for (const controller of controllers) controller.abort();
  });
});
