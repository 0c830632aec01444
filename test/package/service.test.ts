/**
 * The standalone service from the packed package, the way the Dockerfile builds its image and a
 * shop without Node code runs it: `npm pack` of this repository, installed by tarball into an empty
 * folder with production dependencies only (plus the optional peers the service needs: hono and
 * @hono/node-server for its HTTP layer, @redis/client for RELAY_STORE_URL=redis://…, at
 * package-lock.json's versions, from npm's cache), then run as an unprivileged user (`nobody` when
 * this runs as root) that can read the folder but not change it:
 * - `npx k360-verify --help` and `relay --help`;
 * - a bad value stops `k360-verify relay` with exit code 1, naming the variable, not the value;
 * - `npx k360-verify sandbox --print-env` and `npx k360-verify relay` start, turn healthy
 *   (`/health/ready`, and the Dockerfile's own HEALTHCHECK command), and an OTP journey finishes
 *   through them over HTTP only: one admin call starts it, a wrong code, the code from the
 *   sandbox's inbox, a confirmation through the admin API, and a second one refused;
 * - SIGTERM stops the relay gracefully, and the HEALTHCHECK then fails.
 * There is no Docker engine where this runs: the Dockerfile's USER, ENV, HEALTHCHECK, CMD and
 * pinned versions are read from it and used here, so the two cannot drift apart unnoticed.
 * Needs a built `dist/` (`npm run build`).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../demo/cluster/redis-server.js';
import { killGroups, startProgram, type Program } from '../processes.js';
import { CSRF_HEADER } from '../../src/contract/browser.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const lockedVersion = (name: string): string => {
  const found = lock.packages[`node_modules/${name}`]?.version;
  if (!found) throw new Error(`${name} is not in package-lock.json`);
  return found;
};
/**
 * Optional peers the service needs besides the package's own dependencies: Hono and its node:http
 * adapter (the relay's HTTP layer), the Redis client (RELAY_STORE_URL=redis://…), with the
 * Dockerfile's ARG naming each one's version.
 */
const SERVICE_PEERS = { hono: 'HONO_VERSION', '@hono/node-server': 'HONO_NODE_SERVER_VERSION', '@redis/client': 'REDIS_CLIENT_VERSION' } as const;
const PEER_NAMES = Object.keys(SERVICE_PEERS);
/** A page on another origin (bearer mode), as a shop whose relay has its own host name. */
const SHOP_ORIGIN = 'http://shop.test';

// ---------------------------------------------------------------------------------------------
// The Dockerfile, read as Docker reads it (continuation lines joined, comments dropped): the
// runtime stage is what follows the last FROM.

interface Instruction {
  keyword: string;
  args: string;
}

function dockerInstructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

interface RuntimeStage {
  from: string;
  user: string;
  env: Record<string, string>;
  args: Record<string, string>;
  expose: string[];
  healthcheck: string[];
  cmd: string[];
  runs: string[];
}

function runtimeStage(text: string): RuntimeStage {
  const all = dockerInstructions(text);
  const globalArgs = Object.fromEntries(all.slice(0, all.findIndex((entry) => entry.keyword === 'FROM')).filter((entry) => entry.keyword === 'ARG').map((entry) => entry.args.split('=') as [string, string]));
  const lastFrom = all.map((entry) => entry.keyword).lastIndexOf('FROM');
  const stage = all.slice(lastFrom);
  const of = (keyword: string): Instruction[] => stage.filter((entry) => entry.keyword === keyword);
  const env: Record<string, string> = {};
  for (const entry of of('ENV')) for (const [, name = '', value = ''] of entry.args.matchAll(/([A-Z_]+)=(\S+)/g)) env[name] = value;
  const args = Object.fromEntries(of('ARG').map((entry) => entry.args.split('=') as [string, string]));
  const healthcheck = of('HEALTHCHECK').at(-1)?.args ?? '';
  const exec = (value: string): string[] => JSON.parse(value) as string[];
  const from = (stage[0]?.args ?? '').split(/\s+/)[0] ?? '';
  return {
    from: from.replace(/^\$\{(\w+)\}$/, (_, name: string) => globalArgs[name] ?? name),
    user: of('USER').at(-1)?.args ?? '',
    env,
    args,
    expose: of('EXPOSE').flatMap((entry) => entry.args.split(/\s+/)),
    healthcheck: exec(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)),
    cmd: exec(of('CMD').at(-1)?.args ?? '[]'),
    runs: of('RUN').map((entry) => entry.args),
  };
}

const dockerfile = runtimeStage(await readFile(join(root, 'Dockerfile'), 'utf8'));

interface Identity {
  uid: number;
  gid: number;
  name: string;
}

let workspace: string;
let appDir: string;
let npmCache: string;
let userTmp: string;
let user: Identity | undefined;

/**
 * The environment of everything run as the unprivileged user: nothing of this machine's KOUNT_* or
 * RELAY_*, no writable home; npx's cache and TMPDIR are the only places it may write, both under /tmp.
 */
function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C.UTF-8',
    TMPDIR: userTmp,
    npm_config_cache: npmCache,
    // npx finds k360-verify in the folder's node_modules; offline, it could not fetch anything else.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

/** As the Dockerfile's PATH has it: the package's bin folder first, so CMD's first word is found. */
function containerPath(): string {
  const bin = dockerfile.env.PATH?.split(':')[0] ?? '';
  assert.equal(bin, '/app/node_modules/.bin', 'the Dockerfile puts the installed bin folder first on PATH');
  return `${join(appDir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;
}

/** A program run as the unprivileged user, in the installed folder (npx starts node, which may start more: one group). */
function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Program {
  return startProgram(command, command, args, { cwd: appDir, env, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
}

/** Runs to the end (killed after `timeoutMs`): its exit code and what it printed. */
async function complete(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const program = start(command, args, env);
  let stdout = '';
  let stderr = '';
  program.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  program.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => void program.stop(1000), timeoutMs);
  const code = await program.exited;
  clearTimeout(timer);
  await program.stop(2000);
  return { code, stdout, stderr };
}

async function unprivilegedUser(): Promise<Identity | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'nobody']);
  const { stdout: gid } = await run('id', ['-g', 'nobody']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()), name: 'nobody' };
}

before(async () => {
  assert.ok(existsSync(join(root, 'dist', 'npm', 'cli', 'main.js')), 'dist/npm/cli/main.js is missing: run `npm run build` first');
  user = await unprivilegedUser();
  workspace = await mkdtemp(join(tmpdir(), 'k360-package-service-'));
  // The user may enter the workspace and read the install; it owns only npx's cache and its TMPDIR.
  await chmod(workspace, 0o755);
  appDir = join(workspace, 'app');
  npmCache = join(workspace, 'npm-cache');
  userTmp = join(workspace, 'tmp');
  for (const dir of [appDir, npmCache, userTmp]) await mkdir(dir, { mode: 0o755 });
  if (user) for (const dir of [npmCache, userTmp]) await chown(dir, user.uid, user.gid);

  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workspace], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const tarball = join(workspace, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
  // The Dockerfile's runtime stage: an empty project, the tarball and the service's peers, production only.
  await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'k360-verify-relay', private: true }));
  await run(
    'npm',
    ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...PEER_NAMES.map((name) => `${name}@${lockedVersion(name)}`)],
    { cwd: appDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
}, { timeout: 300_000 });

after(async () => {
  killGroups();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

describe('k360-verify as a service, from the packed package (what the Dockerfile builds)', () => {
  it('the Dockerfile runs what this test runs: a Node 20 image, a non-root user, the admin listener on the container network, the HEALTHCHECK and CMD used below', () => {
    assert.match(dockerfile.from, /^node:20[-.\w]*$/, 'the runtime image is an official Node 20 image');
    assert.notEqual(dockerfile.user, '');
    assert.doesNotMatch(dockerfile.user, /^(root|0)(:|$)/, 'the runtime user is not root');
    assert.deepEqual(dockerfile.expose.sort(), ['8080', '8081']);
    assert.equal(dockerfile.env.RELAY_PORT, '8080');
    assert.equal(dockerfile.env.RELAY_ADMIN_PORT, '8081');
    assert.equal(dockerfile.env.RELAY_ADMIN_HOST, '0.0.0.0');
    assert.ok(Number(dockerfile.env.RELAY_SHUTDOWN_SECONDS) < 10, 'a graceful stop fits in `docker stop`\'s 10 s');
    assert.equal(dockerfile.healthcheck[0], 'node', 'the HEALTHCHECK runs node (the slim image has no curl)');
    assert.match(dockerfile.healthcheck.join(' '), /\/health\/alive/);
    assert.deepEqual(dockerfile.cmd, ['k360-verify', 'relay']);
    // The same install as before(): production only, the peers at the locked versions.
    const install = dockerfile.runs.find((command) => command.includes('npm install')) ?? '';
    assert.match(install, /--omit=dev/);
    assert.match(install, /k360-verify\.tgz/);
    for (const [name, arg] of Object.entries(SERVICE_PEERS)) {
      assert.equal(dockerfile.args[arg], lockedVersion(name), `ARG ${arg} is ${name}'s version in package-lock.json`);
      assert.ok(install.includes(`${name}@\${${arg}}`), `the install names ${name}@\${${arg}}`);
    }
  });

  it('installs with production dependencies only, into a folder the user running it cannot change', async (t) => {
    const modules = join(appDir, 'node_modules');
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => !PEER_NAMES.includes(name));
    assert.deepEqual(devOnly.filter((name) => existsSync(join(modules, name))), [], 'no development dependency is installed');
    for (const name of ['k360-verify', 'lit', 'zod', ...PEER_NAMES]) assert.ok(existsSync(join(modules, name)), `${name} is installed`);
    assert.ok(existsSync(join(modules, '.bin', 'k360-verify')));
    if (!user) {
      t.diagnostic('not run as root: the processes run as this user, and the read-only folder is not checked');
      return;
    }
    for (const path of [appDir, modules, join(modules, 'k360-verify'), join(modules, 'k360-verify', 'dist', 'npm', 'cli')]) {
      const info = await stat(path);
      assert.equal(info.uid, 0, `${path} belongs to root`);
      assert.equal(info.mode & 0o022, 0, `${path} is not writable by group or others`);
    }
    t.diagnostic(`processes run as ${user.name} (uid ${user.uid}, gid ${user.gid})`);
  });

  it('`npx k360-verify --help` and `npx k360-verify relay --help` exit 0; the relay lists its variables', { timeout: 60_000 }, async () => {
    const usage = await complete('npx', ['k360-verify', '--help'], userEnvironment());
    assert.equal(usage.code, 0, usage.stderr);
    assert.match(usage.stdout, /Usage: k360-verify <command>/);
    assert.match(usage.stdout, /relay/);
    assert.match(usage.stdout, /sandbox/);
    const relayHelp = await complete('npx', ['k360-verify', 'relay', '--help'], userEnvironment());
    assert.equal(relayHelp.code, 0, relayHelp.stderr);
    for (const variable of ['RELAY_ADMIN_API_KEYS', 'RELAY_SESSION_SECRET', 'RELAY_PORT', 'RELAY_ADMIN_HOST', 'KOUNT_API_URL']) assert.match(relayHelp.stdout, new RegExp(variable));
  });

  it('a bad value stops start-up with exit code 1, a message naming the variable, and never the value', { timeout: 120_000 }, async (t) => {
    const valid = {
      KOUNT_API_URL: 'http://127.0.0.1:9',
      KOUNT_TOKEN_URL: 'http://127.0.0.1:9/as/token',
      KOUNT_API_KEY: 'key',
      KOUNT_CLIENT_ID: 'client',
      RELAY_SESSION_SECRET: randomBytes(32).toString('base64url'),
      RELAY_ADMIN_API_KEYS: randomBytes(32).toString('base64url'),
      RELAY_HOST: '127.0.0.1',
      RELAY_ADMIN_HOST: '127.0.0.1',
      RELAY_PORT: '0',
      RELAY_ADMIN_PORT: '0',
    };
    // Each with a part that must never be printed: the value, or the credential inside it.
    const cases: Array<[variable: string, value: string, secret: string]> = [
      ['RELAY_PORT', 'port-8o8o', 'port-8o8o'],
      ['RELAY_SESSION_SECRET', 'short-Secret-Value-42', 'short-Secret-Value-42'],
      ['RELAY_ADMIN_API_KEYS', 'short-Admin-Key-42', 'short-Admin-Key-42'],
      ['KOUNT_API_URL', 'http://user:Pa55-Word-42@kount.example', 'Pa55-Word-42'],
      // Refused when the store is reached: nothing listens there.
      ['RELAY_STORE_URL', 'redis://user:Pa55-Word-42@127.0.0.1:9', 'Pa55-Word-42'],
    ];
    // As the container starts it: CMD, found on the Dockerfile's PATH.
    const [command = '', ...args] = dockerfile.cmd;
    for (const [variable, value, secret] of cases) {
      const started = await complete(command, args, userEnvironment({ ...valid, PATH: containerPath(), [variable]: value }), 20_000);
      const said = started.stdout + started.stderr;
      assert.equal(started.code, 1, `${variable}=${value}: exit code\n${said}`);
      assert.match(started.stderr, new RegExp(`k360-verify relay: .*${variable}`), `${variable} is named:\n${said}`);
      assert.ok(!said.includes(secret), `${variable}'s value is not printed:\n${said}`);
      assert.doesNotMatch(said, /relay\.listening/);
      t.diagnostic(started.stderr.trim().split('\n').at(-1) ?? '');
    }
  });

  it('`npx k360-verify sandbox` and `npx k360-verify relay` start, turn healthy, and an OTP journey finishes through them over HTTP', { timeout: 120_000 }, async (t) => {
    const began = performance.now();
    const [relayPort, adminPort] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${relayPort}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const sandbox = start('npx', ['k360-verify', 'sandbox', '--port', '0', '--print-env', '--webhook-url', `${publicUrl}/verify/webhooks/kount`], userEnvironment());
    try {
      const kount: Record<string, string> = {};
      await sandbox.line((line) => {
        const variable = /^(KOUNT_[A-Z_]+)=(.+)$/.exec(line);
        if (variable) kount[variable[1] ?? ''] = variable[2] ?? '';
        return line.includes('"sandbox.listening"');
      });
      assert.deepEqual(Object.keys(kount).sort(), ['KOUNT_API_KEY', 'KOUNT_API_URL', 'KOUNT_CLIENT_ID', 'KOUNT_TOKEN_URL', 'KOUNT_WEBHOOK_PUBLIC_KEY']);
      const sandboxUrl = kount.KOUNT_API_URL ?? '';

      const adminKey = randomBytes(32).toString('base64url');
      const relayEnv = userEnvironment({
        ...kount,
        RELAY_SESSION_SECRET: randomBytes(32).toString('base64url'),
        RELAY_ADMIN_API_KEYS: adminKey,
        // The container's addresses (the admin API still wants the key), on free ports.
        RELAY_HOST: dockerfile.env.RELAY_HOST ?? '',
        RELAY_ADMIN_HOST: dockerfile.env.RELAY_ADMIN_HOST ?? '',
        RELAY_PORT: String(relayPort),
        RELAY_ADMIN_PORT: String(adminPort),
        RELAY_ALLOWED_ORIGINS: SHOP_ORIGIN,
        RELAY_SHUTDOWN_SECONDS: dockerfile.env.RELAY_SHUTDOWN_SECONDS ?? '',
      });
      const relay = start('npx', ['k360-verify', ...dockerfile.cmd.slice(1)], relayEnv);
      try {
        const listening = JSON.parse(await relay.line((line) => line.includes('"relay.listening"'))) as { public?: string; admin?: string };
        assert.match(listening.public ?? '', new RegExp(`:${relayPort}$`));
        assert.match(listening.admin ?? '', new RegExp(`:${adminPort}$`));
        if (user) {
          const status = await readFile(`/proc/${relay.child.pid}/status`, 'utf8');
          assert.match(status, new RegExp(`^Uid:\\s+${user.uid}\\s`, 'm'), `the relay runs as ${user.name}`);
        }

        // Healthy: /health/ready answers 200 (the store answers, Kount's token is not needed for that).
        const deadline = Date.now() + 30_000;
        let ready = 0;
        while (ready !== 200 && Date.now() < deadline) {
          ready = await fetch(`${adminUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
            async (response) => (await response.arrayBuffer(), response.status),
            () => 0,
          );
          if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(ready, 200, `/health/ready never answered 200:\n${relay.output()}`);
        const healthy = performance.now();
        // The Dockerfile's HEALTHCHECK, as Docker runs it inside the container (same user, same variables).
        const [probe = '', ...probeArgs] = dockerfile.healthcheck;
        const check = await complete(probe, probeArgs, relayEnv, 10_000);
        assert.equal(check.code, 0, `the Dockerfile's HEALTHCHECK failed against a healthy relay: ${check.stderr}`);

        // One admin call: admit, assess (the sandbox's OTP persona), start the challenge.
        const phone = `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
        const inquiryId = randomUUID();
        const admin = (path: string, body: unknown): Promise<Response> =>
          fetch(`${adminUrl}/admin/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const startResponse = await admin('/assessments', {
          clientIp: '203.0.113.7',
          crossOrigin: true,
          contact: { phoneNumber: phone, email: 'otp@example.com' },
          assessment: { strategy: 'CheckoutStepUp', inquiryId, channel: 'WEB', deviceSessionId: randomBytes(8).toString('hex'), applicant: { email: 'otp@example.com', phoneNumber: phone } },
        });
        const started = (await startResponse.json()) as { decision?: string; inquiryId?: string; challenge?: { handle: string; setCookie: string } | null };
        assert.equal(startResponse.status, 200, JSON.stringify(started));
        assert.equal(started.decision, 'CHALLENGE');
        assert.equal(started.inquiryId, inquiryId);
        const handle = started.challenge?.handle ?? '';
        assert.ok(handle, 'the start answers a session handle');
        assert.equal(started.challenge?.setCookie, '', 'cross-origin: no cookie, the page passes the handle');

        // The page's calls, from the shop's origin to the relay's public port, with the handle.
        const page = { authorization: `Bearer ${handle}`, origin: SHOP_ORIGIN };
        const view = await fetch(`${publicUrl}/verify/session`, { headers: page });
        assert.equal(view.status, 200, await view.clone().text());
        assert.equal(view.headers.get('access-control-allow-origin'), SHOP_ORIGIN);
        assert.match(await view.text(), /"OTP"/);
        const answer = async (otp: string): Promise<{ status: number; body: Record<string, unknown> }> => {
          const response = await fetch(`${publicUrl}/verify/session/answer`, {
            method: 'POST',
            headers: { ...page, 'content-type': 'application/json', [CSRF_HEADER]: '1' },
            body: JSON.stringify({ method: 'OTP', otp }),
          });
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        };

        const inbox = (await (await fetch(`${sandboxUrl}/sandbox/inbox.json?to=${encodeURIComponent(phone)}`)).json()) as { messages: Array<{ code?: string }> };
        const code = inbox.messages[0]?.code ?? '';
        assert.match(code, /^\d{6}$/, 'the sandbox sent a code to the phone');
        const wrong = await answer(code === '000000' ? '111111' : '000000');
        assert.equal(wrong.status, 422);
        assert.equal((wrong.body.error as { code?: string } | undefined)?.code, 'wrong_code');
        const right = await answer(code);
        assert.equal(right.status, 200, JSON.stringify(right.body));
        assert.equal(right.body.state, 'decided');
        assert.equal(right.body.decision, 'ALLOW');

        // The shop's backend confirms once; the outcome cannot be spent twice.
        const confirmed = await admin('/confirmations', { handle, inquiryId });
        const confirmedBody = (await confirmed.json()) as { state?: string; decision?: string; inquiryId?: string };
        assert.equal(confirmed.status, 200, JSON.stringify(confirmedBody));
        assert.deepEqual([confirmedBody.state, confirmedBody.decision, confirmedBody.inquiryId], ['decided', 'ALLOW', inquiryId]);
        const again = await admin('/confirmations', { handle, inquiryId });
        assert.equal(again.status, 409);
        assert.equal(((await again.json()) as { error?: { code?: string } }).error?.code, 'outcome_consumed');
        const journeyDone = performance.now();

        // SIGTERM: a graceful stop, and the HEALTHCHECK then says so.
        await relay.stop();
        assert.match(relay.output(), /"relay\.shutdown_done"/, 'the relay stopped gracefully');
        const down = await complete(probe, probeArgs, relayEnv, 10_000);
        assert.notEqual(down.code, 0, 'the HEALTHCHECK fails once the relay is gone');
        t.diagnostic(`as ${user?.name ?? 'this user'}: healthy ${((healthy - began) / 1000).toFixed(1)} s after the sandbox was started with npx; the journey took ${(journeyDone - healthy).toFixed(0)} ms`);
      } finally {
        await relay.stop();
      }
    } finally {
      await sandbox.stop();
    }
  });
});
