/**
 * Fresh consumer projects, as a shop starts one: `npm pack` of this repository, installed by
 * tarball into an empty folder with the framework it uses (from npm's cache, so offline), then
 * type-checked strictly, built, run, and driven through a journey:
 * - plain Node imports every export (what SSR builds do);
 * - node:http, Express 5 (global JSON parser) and Fastify 5 servers finish an OTP challenge and
 *   take a signed webhook from the sandbox;
 * - a plain page with the CDN folder in a script tag, and React 19 and Vue 3 pages (Vite, type-
 *   checked with the shipped types), finish an OTP challenge in Chromium;
 * - a Next.js app on create-next-app's defaults builds with no secrets and, under `next start`,
 *   finishes an OTP and a one-time-link journey in Chromium.
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
import { chromium, type Browser, type Page } from 'playwright';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { freePort } from '../../demo/cluster/redis-server.js';
import { chromiumArgs, chromiumPath } from '../chromium.js';
import { Shopper } from '../cluster/shopper.js';
import { CSRF_HEADER, ErrorBody, SESSION_COOKIE } from '../../src/contract/browser.js';

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

/**
 * The sandbox, and the consumer's server (`command`, from its node_modules/.bin) on a port chosen
 * first (the sandbox posts its webhooks there), once it prints `ready`. The relay is given no
 * RELAY_PUBLIC_ORIGIN or RELAY_ALLOWED_ORIGINS: the pages are its own origin, whichever host they
 * are reached by.
 */
async function serve(dir: string, command: string[], ready = '"event":"ready"'): Promise<{ url: string; sandbox: RunningSandbox }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({ webhookUrl: `${url}/verify/webhooks/kount`, webhookRetryIntervalMs: 100 });
  const [binary = '', ...args] = command;
  const child = spawn(join(dir, 'node_modules', '.bin', binary), args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
      KOUNT_API_URL: sandbox.url,
      KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
      KOUNT_API_KEY: SANDBOX_API_KEY,
      KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
      KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
      RELAY_SESSION_SECRET: 'consumer-secret-0123456789-abcdefghijklm',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  stopWithParent(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command.join(' ')} did not start:\n${output}`)), 30_000);
    const take = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}:\n${output}`)));
  });
  return { url, sandbox };
}

const uniquePhone = (): string => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** Checkout → challenge cookie → a wrong code (422) → the right one (ALLOW), over HTTP. */
async function otpOverHttp(url: string, sandbox: RunningSandbox): Promise<void> {
  const phone = uniquePhone();
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

/** The shop's checkout route takes the relay's check: another origin's script, or a form (no header), gets the relay's 403 JSON. */
async function checkoutRefusesOtherOrigins(url: string): Promise<void> {
  const body = JSON.stringify({ email: 'otp@example.com', phone: uniquePhone() });
  for (const [headers, code] of [
    [{ origin: 'https://evil.example', [CSRF_HEADER]: '1', 'sec-fetch-site': 'cross-site' }, 'origin_rejected'],
    [{ origin: 'https://evil.example', [CSRF_HEADER]: '1' }, 'origin_rejected'],
    [{ origin: url }, 'csrf_rejected'],
  ] as const) {
    const response = await fetch(`${url}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    assert.equal(response.status, 403, JSON.stringify(headers));
    assert.equal(ErrorBody.parse(await response.json()).error.code, code);
  }
}

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
      ({ url, sandbox } = await serve(dir, ['tsx', 'server.ts']));
    });
    after(() => sandbox?.close());

    it('type-checks strictly (skipLibCheck off) and finishes an OTP journey', () => otpOverHttp(url, sandbox));
    it('accepts a signed webhook', () => webhookOverHttp(url, sandbox));
    if (name === 'node-http') it('refuses a checkout from another origin, or without the header, with the relay’s 403', () => checkoutRefusesOtherOrigins(url));
  });
}

/** The consumer's page, served by the node:http shop from its dist/, finishes an OTP challenge in Chromium. */
async function journeyInChromium(browser: Browser, dir: string): Promise<void> {
  const { url, sandbox } = await serve(dir, ['tsx', 'server.ts']);
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    // localhost: a secure context, where the relay's __Host- cookie works over http.
    await page.goto(url.replace('127.0.0.1', 'localhost'));
    const phone = uniquePhone();
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

/**
 * Next.js as create-next-app makes it today (its next.config.ts with cacheComponents, its
 * tsconfig.json, its layout), with the docs' route file (docs/relay/mounting.md): built with none of the relay's
 * secrets, then `next start` with them, and no RELAY_PUBLIC_ORIGIN although Next reports every
 * request URL as http://localhost:<port>.
 */
describe('Next.js from the tarball: create-next-app’s defaults, next build && next start', () => {
  let url: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let build: string;
  before(async () => {
    const dir = await project('next', ['next', 'react', 'react-dom', 'hono', '@hono/node-server', 'typescript', '@types/node', '@types/react', '@types/react-dom'], {
      type: undefined,
      scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
    });
    // Only what a build machine has: no KOUNT_* or RELAY_* variable.
    const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NEXT_TELEMETRY_DISABLED: '1' };
    try {
      ({ stdout: build } = await run(join(dir, 'node_modules', '.bin', 'next'), ['build'], { cwd: dir, env: environment, maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      assert.fail(`next build failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
    ({ url, sandbox } = await serve(dir, ['next', 'start'], 'Ready in'));
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('builds with no secrets, the relay’s route answered at request time', () => {
    assert.match(build, /ƒ \/verify\/\[\.\.\.path\]/);
    assert.match(build, /ƒ \/api\/checkout\b/);
  });

  it('is reached at 127.0.0.1 too, with no RELAY_PUBLIC_ORIGIN: an OTP journey over HTTP', () => otpOverHttp(url, sandbox));

  it('still refuses another origin, on the relay’s routes and the shop’s', async () => {
    await checkoutRefusesOtherOrigins(url);
    const shopper = new Shopper(url);
    await shopper.checkout('otp@example.com', uniquePhone());
    const foreign = await fetch(`${url}/verify/session/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: 'https://evil.example', cookie: `${SESSION_COOKIE}=${shopper.handle}` },
      body: JSON.stringify({ method: 'OTP', otp: '000000' }),
    });
    assert.equal(foreign.status, 403);
    assert.equal(ErrorBody.parse(await foreign.json()).error.code, 'origin_rejected');
  });

  /** The page at http://localhost:<port> (a secure context, where the relay's __Host- cookie works over http). */
  async function openCheckout(email: string, phone?: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    await page.goto(url.replace('127.0.0.1', 'localhost'));
    await page.getByLabel('Email').fill(email);
    if (phone) await page.getByLabel('Phone').fill(phone);
    await page.getByRole('button', { name: 'Pay' }).click();
    return { page, problems };
  }

  it('finishes an OTP journey in Chromium: a wrong code, the right one, confirmed by the shop', async () => {
    const phone = uniquePhone();
    const { page, problems } = await openCheckout('otp@example.com', phone);
    const input = page.locator('otp-entry input[autocomplete="one-time-code"]');
    await input.waitFor();
    const code = sandbox.sandbox.messages.latest(phone)?.code;
    assert.ok(code);
    await input.fill(code === '000000' ? '111111' : '000000');
    await page.locator('otp-entry [role="alert"]', { hasText: /code isn.t right/ }).waitFor();
    await input.fill(code);
    await page.getByText('The shop confirmed: ALLOW').waitFor({ timeout: 10_000 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('finishes a one-time-link journey in Chromium: the link confirmed elsewhere, the webhook decides', async () => {
    const { page, problems } = await openCheckout('oth@example.com');
    await page.locator('oth-waiting').waitFor();
    // `next start` compresses responses: the event stream must still reach the page as it is written, not by polling.
    const polls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/verify/session') polls.push(request.url());
    });
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
    await page.getByText('The shop confirmed: ALLOW').waitFor({ timeout: 10_000 });
    assert.deepEqual(polls, []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
