/**
 * Fresh consumer projects, as a shop starts one: `npm pack` of this repository, installed by
 * tarball into an empty folder with the framework it uses (from npm's cache, so offline), then
 * type-checked strictly, built, run, and driven through a journey:
 * - plain Node imports every export (what SSR builds do);
 * - node:http, Express 5 (global JSON parser) and Fastify 5 servers finish an OTP challenge and
 *   take a signed webhook from the sandbox;
 * - a plain page with the CDN folder in a script tag, and React 19 and Vue 3 pages (Vite, type-
 *   checked with the shipped types), finish an OTP challenge in Chromium.
 * Needs a built `dist/` (`npm run build`).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { freePort } from '../../demo/cluster/redis-server.js';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { Shopper } from '../cluster/shopper.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('./', import.meta.url));
const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
/** The versions this repository tests with, so npm finds them in its cache. */
const version = (name: string): string => {
  const found = lock.packages[`node_modules/${name}`]?.version;
  if (!found) throw new Error(`${name} is not in package-lock.json`);
  return found;
};

let workspace: string;
let tarball: string;
const children: ChildProcess[] = [];

before(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'k360-consumers-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workspace], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  tarball = join(workspace, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
});

after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await rm(workspace, { recursive: true, force: true });
});

/** An empty project with the package from the tarball and `dependencies`, installed from npm's cache. */
async function project(name: string, dependencies: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const dir = join(workspace, name);
  await cp(join(here, name), dir, { recursive: true });
  await cp(join(here, 'shop.ts'), join(dir, 'shop.ts'));
  const manifest = {
    name: `consumer-${name}`,
    private: true,
    type: 'module',
    dependencies: { 'k360-verify': `file:${tarball}`, ...Object.fromEntries(dependencies.map((dependency) => [dependency, version(dependency)])) },
    ...extra,
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return dir;
}

async function tsc(dir: string, binary = 'tsc', args: string[] = ['--noEmit', '-p', 'tsconfig.json']): Promise<void> {
  try {
    await run(join(dir, 'node_modules', '.bin', binary), args, { cwd: dir });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    assert.fail(`${binary} failed in ${dir}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The sandbox, and the consumer's server on a port chosen first (the sandbox posts its webhooks there). */
async function serve(dir: string, script: string): Promise<{ url: string; sandbox: RunningSandbox }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({ webhookUrl: `${url}/verify/webhooks/kount`, webhookRetryIntervalMs: 100 });
  const child = spawn(join(dir, 'node_modules', '.bin', 'tsx'), [script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      KOUNT_API_URL: sandbox.url,
      KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
      KOUNT_API_KEY: SANDBOX_API_KEY,
      KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
      KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
      RELAY_SESSION_SECRET: 'consumer-secret-0123456789-abcdefghijklm',
      // The pages are served from 127.0.0.1 in these tests.
      RELAY_ALLOWED_ORIGINS: url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  stopWithParent(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 30_000);
    const take = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('"event":"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
  return { url, sandbox };
}

/** Checkout → challenge cookie → a wrong code (422) → the right one (ALLOW), over HTTP. */
async function otpOverHttp(url: string, sandbox: RunningSandbox): Promise<void> {
  const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const shopper = new Shopper(url);
  assert.deepEqual((await shopper.checkout('otp@example.com', phone)).body, { outcome: 'CHALLENGE' });
  const code = sandbox.sandbox.messages.latest(phone)?.code;
  assert.ok(code);
  assert.equal((await shopper.answer({ method: 'OTP', otp: code === '000000' ? '111111' : '000000' })).status, 422);
  const right = await shopper.answer({ method: 'OTP', otp: code });
  assert.deepEqual(right.body, { state: 'decided', decision: 'ALLOW', revision: 2 });
}

/** A one-time link confirmed elsewhere: the sandbox's signed webhook, taken by the server, decides the session. */
async function webhookOverHttp(url: string, sandbox: RunningSandbox): Promise<void> {
  const shopper = new Shopper(url);
  await shopper.checkout('oth@example.com');
  const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
  assert.ok(link);
  await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const view = await shopper.view();
    if (view.state === 'decided') {
      assert.equal(view.decision, 'ALLOW');
      break;
    }
    if (Date.now() > deadline) assert.fail('the webhook did not decide the session');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(
    sandbox.sandbox.webhooks.deliveries().filter((delivery) => delivery.kind === 'WebhookEventRequest').map((delivery) => delivery.status),
    [200],
  );
}

const serverDependencies = ['hono', '@hono/node-server', 'tsx', 'typescript', '@types/node'];

describe('plain Node: every export imports with no DOM', () => {
  it('imports the browser entry, every element, the client, the contract, the relay and the React wrapper', async () => {
    const dir = await project('node-import', ['hono', '@hono/node-server', 'react', '@lit/react']);
    const { exports } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const specifiers = Object.keys(exports)
      .filter((path) => !path.includes('*') && !path.endsWith('.json') && !path.startsWith('./types/'))
      .map((path) => (path === '.' ? 'k360-verify' : `k360-verify/${path.slice(2)}`));
    const { stdout } = await run(process.execPath, ['import-all.mjs', ...specifiers], { cwd: dir }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const result = JSON.parse(stdout) as { imported: number; failures: string[]; leaked: string[] };
    assert.deepEqual(result.failures, []);
    assert.equal(result.imported, specifiers.length);
    assert.deepEqual(result.leaked, [], 'no DOM globals installed by importing');
  });
});

for (const [name, framework] of [
  ['node-http', []],
  ['express', ['express', '@types/express']],
  ['fastify', ['fastify']],
] as const) {
  describe(`${name} server from the tarball`, () => {
    let url: string;
    let sandbox: RunningSandbox;
    before(async () => {
      const dir = await project(name, [...serverDependencies, ...framework]);
      await tsc(dir);
      ({ url, sandbox } = await serve(dir, 'server.ts'));
    });
    after(() => sandbox?.close());

    it('type-checks strictly (skipLibCheck off) and finishes an OTP journey', () => otpOverHttp(url, sandbox));
    it('accepts a signed webhook', () => webhookOverHttp(url, sandbox));
  });
}

/** The consumer's page, served by the node:http shop from its dist/, finishes an OTP challenge in Chromium. */
async function journeyInChromium(browser: Browser, dir: string): Promise<void> {
  const { url, sandbox } = await serve(dir, 'server.ts');
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    // localhost: a secure context, where the relay's __Host- cookie works over http.
    await page.goto(url.replace('127.0.0.1', 'localhost'));
    const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await page.getByLabel('Phone').fill(phone);
    await page.getByRole('button', { name: 'Pay' }).click();
    const input = page.locator('otp-entry input[autocomplete="one-time-code"]');
    await input.waitFor();
    const code = sandbox.sandbox.messages.latest(phone)?.code;
    assert.ok(code);
    await input.fill(code);
    await page.getByText('Decision: ALLOW').waitFor({ timeout: 10_000 });
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await sandbox.close();
  }
}

describe('pages from the tarball: a script tag, React 19 and Vue 3', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(() => browser?.close());

  it('script tag: the CDN folder of the package, no build step, finishes an OTP journey in Chromium', async () => {
    const dir = await project('script-tag', serverDependencies);
    await cp(join(here, 'node-http', 'server.ts'), join(dir, 'server.ts'));
    await cp(join(dir, 'node_modules', 'k360-verify', 'dist', 'cdn'), join(dir, 'dist', 'cdn'), { recursive: true });
    await cp(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
    await journeyInChromium(browser, dir);
  });

  for (const [name, framework, typecheck] of [
    ['react', ['react', 'react-dom', '@lit/react', 'vite', '@types/react', '@types/react-dom'], ['tsc', ['--noEmit', '-p', 'tsconfig.json']]],
    ['vue', ['vue', 'vite', '@vitejs/plugin-vue', 'vue-tsc'], ['vue-tsc', ['--noEmit', '-p', 'tsconfig.json']]],
  ] as const) {
    it(`${name}: type-checks strictly, builds with Vite, and finishes an OTP journey in Chromium`, async () => {
      const dir = await project(name, [...serverDependencies, ...framework]);
      await cp(join(here, 'node-http', 'server.ts'), join(dir, 'server.ts'));
      await tsc(dir, typecheck[0], [...typecheck[1]]);
      await run(join(dir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: dir });
      await journeyInChromium(browser, dir);
    });
  }
});
