/**
 * The snippets of the guide's pages that no other test runs, run as shown against the bundled
 * sandbox and, for the page's own, in Chromium with the CDN build: the first view put into the
 * rendered page (docs/relay/confirm-and-outcome.md), the funnel events sent to the shop's analytics
 * (docs/elements/funnel-events.md, test/docs/page-snippets/funnel.js), Kount's device data id sent
 * with the form (docs/page/device-data.md, test/docs/page-snippets/device-data.js) and the client
 * address on node:http and Hono (docs/relay/limits.md). `readme-recipes.test.ts` keeps the pages
 * equal to the `#region recipe`s here and in those page scripts.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { chromium, type Browser, type Page } from 'playwright';
import { createRelay, toNodeListener, type Contact } from 'k360-verify/relay';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from 'k360-verify/sandbox';
import { chromiumArgs, chromiumPath } from '../chromium.js';
// @ts-expect-error: a test helper in plain JavaScript, without declarations
import { ensureDebianPackage } from '../debian-package.js';

// `test:node` runs no `ensure-chromium.js` first, and this is its one browser test: Debian's Chromium, never a download.
ensureDebianPackage({ path: chromiumPath, debianPackage: 'chromium', variable: 'CHROMIUM_PATH', purpose: 'Chromium' });

const root = new URL('../../', import.meta.url);
const sandbox = await startSandbox({ port: 0 });
const relay = createRelay({
  apiUrl: sandbox.url,
  tokenUrl: sandbox.url + SANDBOX_PATHS.token,
  apiKey: SANDBOX_API_KEY,
  clientId: SANDBOX_CLIENT_ID,
  webhookPublicKey: sandbox.sandbox.webhookPublicKey,
  sessionSecret: randomBytes(32).toString('hex'),
  trustedProxies: ['127.0.0.1'], // the shop's "load balancer" below: every request here comes from 127.0.0.1
  logLevel: 'warn',
});
const relayListener = toNodeListener(relay);

/** GET /checkout.html: the checkout of a shopper Kount challenges with a passcode, rendered with its first view. */
async function renderCheckout(contact: Contact): Promise<{ setCookie: string; markup: string }> {
  const admission = await relay.admitChallenge({ contact, clientIp: '203.0.113.20' });
  const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: randomUUID(), channel: 'WEB', deviceSessionId: 'a1b2c3d4', applicant: contact });
  assert.equal(assessment.decision.toUpperCase(), 'CHALLENGE');
  // #region recipe first-view
  const { setCookie, view } = await relay.startChallenge({ assessment, contact, admission });
  const firstView = JSON.stringify(view).replace(/</g, '\\u003c');
  const markup = `<verification-flow relay="/verify"><script type="application/json">${firstView}</script></verification-flow>`;
  // #endregion recipe
  assert.ok(!firstView.includes('<'), 'nothing in the view can end the script early');
  assert.deepEqual(JSON.parse(/<script type="application\/json">([\s\S]*)<\/script>/.exec(markup)?.[1] ?? ''), JSON.parse(JSON.stringify(view)));
  return { setCookie, markup };
}

const page = (body: string, head = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">${head}</head><body><main>${body}</main></body></html>`;
/** Where the page's CDN files, Kount's SDK and the page's own scripts are served from: the shop's own origin. */
const importMap = `<script type="importmap">${JSON.stringify({
  imports: { 'k360-verify/device-data': '/cdn/k360-verify.device-data.js', '@kount/kount-web-client-sdk': '/vendor/kount-web-client-sdk.js' },
})}</script>`;
/** Kount's collector in place of tst.kaptcha.com (this machine has no network): it records the id and finishes. */
const standInKountSdk = `export default function kountSDK(config, sessionId) {
  (window.kountSessions ??= []).push({ clientID: config.clientID, environment: config.environment, sessionId });
  setTimeout(() => config.callbacks['collect-end']?.({}), 0);
  return {};
}`;

/** The shopper of the checkout page: the sandbox challenges otp@example.com with a passcode to this phone. */
const shopper: Contact = { email: 'otp@example.com', phoneNumber: '+15550104568' };
const orders: URLSearchParams[] = [];

async function shop(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/verify/')) return relayListener(request, response);
  const script = (type: string, text: string | Buffer) => void response.writeHead(200, { 'content-type': type }).end(text);
  if (/^\/cdn\/k360-verify[\w.-]*\.js$/.test(path)) return script('text/javascript', await readFile(new URL(`dist${path}`, root)));
  if (/^\/snippets\/[\w-]+\.js$/.test(path)) return script('text/javascript', await readFile(new URL(`test/docs/page-snippets/${path.slice('/snippets/'.length)}`, root)));
  if (path === '/vendor/kount-web-client-sdk.js') return script('text/javascript', standInKountSdk);
  if (path === '/checkout.html') {
    const { setCookie, markup } = await renderCheckout(shopper);
    const analytics = '<script>window.tracked = []; window.analytics = { track: (name, properties) => tracked.push({ name, properties }) };</script>';
    const scripts = '<script type="module" src="/snippets/funnel.js"></script><script type="module" src="/cdn/k360-verify.js"></script>';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': setCookie }).end(page(markup, analytics + scripts));
    return;
  }
  if (path === '/device-data.html') {
    const form = '<form method="post" action="/order"><input type="hidden" name="deviceSessionId"><button>Pay</button></form>';
    return script('text/html; charset=utf-8', page(form, `${importMap}<script type="module" src="/snippets/device-data.js"></script>`));
  }
  if (path === '/order' && request.method === 'POST') {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    orders.push(new URLSearchParams(body));
    return script('text/html; charset=utf-8', page('Thank you'));
  }
  response.writeHead(404).end();
}

async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Tracked {
  name: string;
  properties: { method: string | null; step: number | null; ms: number; id: string; value?: string };
}

describe("docs: the guide's page and server snippets", () => {
  const shopServer = createServer((request, response) => {
    shop(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  let origin = '';
  let browser: Browser;
  /** A tab on the shop's page at `path`, with `watch` set up before it loads, recording the page's errors. */
  const open = async (path: string, watch: (tab: Page) => void = () => {}): Promise<{ tab: Page; problems: string[] }> => {
    const tab = await browser.newPage();
    watch(tab);
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    tab.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await tab.goto(origin + path);
    return { tab, problems };
  };

  before(async () => {
    origin = await listening(shopServer);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    shopServer.closeAllConnections();
    await new Promise((resolve) => shopServer.close(resolve));
    await relay.close();
    await sandbox.close();
  });

  it('shows the first view the page was rendered with, without reading the relay, and tracks the funnel', async () => {
    const reads: string[] = [];
    const { tab: browserTab, problems } = await open('/checkout.html', (tab) =>
      tab.on('request', (request) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === '/verify/session') reads.push(request.url());
      }),
    );
    const tracked = () => browserTab.evaluate(() => (window as unknown as { tracked: Tracked[] }).tracked);
    const input = browserTab.locator('verification-flow otp-entry input[autocomplete="one-time-code"]');
    await input.waitFor();
    await browserTab.waitForFunction(() => (window as unknown as { tracked: Tracked[] }).tracked.length > 0);
    assert.deepEqual(reads, [], 'the step came from the page, not from GET /verify/session');

    const code = sandbox.sandbox.messages.latest(shopper.phoneNumber ?? '')?.code;
    assert.ok(code, 'the sandbox inbox holds the code');
    await input.fill(code);
    await browserTab.waitForFunction(() => (window as unknown as { tracked: Tracked[] }).tracked.some((event) => event.name === 'verification decided'));
    const events = await tracked();
    assert.deepEqual(
      events.map(({ name, properties }) => [name, properties.value ?? null]),
      [
        ['verification step_shown', null],
        ['verification code_submitted', null],
        ['verification decided', 'ALLOW'],
      ],
    );
    for (const { properties } of events) {
      assert.equal(properties.method, 'OTP');
      assert.equal(properties.step, 1);
      assert.ok(Number.isInteger(properties.ms) && properties.ms >= 0);
      assert.match(properties.id, /^[0-9a-f]{32}$/);
    }
    assert.equal(new Set(events.map(({ properties }) => properties.id)).size, 1, 'one journey, one id');
    assert.deepEqual(problems, []);
    await browserTab.close();
  });

  it("collects device data with a fresh id at once and the form sends that id as deviceSessionId", async () => {
    const { tab, problems } = await open('/device-data.html');
    const outcome = await tab.evaluate(() => (window as unknown as { deviceData: { done: Promise<string> } }).deviceData.done);
    assert.equal(outcome, 'collected');
    const sessionId = await tab.evaluate(() => (window as unknown as { deviceData: { sessionId: string } }).deviceData.sessionId);
    assert.match(sessionId, /^[0-9a-f]{32}$/);
    const kount = await tab.evaluate(() => (window as unknown as { kountSessions: unknown[] }).kountSessions);
    assert.deepEqual(kount, [{ clientID: 'your Kount client id', environment: 'TEST', sessionId }], "Kount's collector ran once, with that id");
    await Promise.all([tab.waitForURL(`${origin}/order`), tab.getByRole('button', { name: 'Pay' }).click()]);
    assert.equal(orders.at(-1)?.get('deviceSessionId'), sessionId);
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('derives clientIp past the trusted proxy on node:http and on Hono, and admits with it', async () => {
    // #region recipe client-address
    // Express, node:http, Fastify (request.raw): the Node request itself
    const nodeShop = createServer((req, res) => {
      const clientIp = relay.clientAddress(req);
      res.end(JSON.stringify({ clientIp }));
    });
    // Hono on Node: import { getConnInfo } from '@hono/node-server/conninfo';
    const honoShop = new Hono().post('/api/checkout', async (c) => {
      const clientIp = relay.clientAddress({ socketAddress: getConnInfo(c).remote.address, headers: c.req.raw.headers });
      const admission = await relay.admitChallenge({ clientIp, contact: { email: 'allow@example.com' } });
      await admission.release(); // no challenge started here: give the counts back
      return c.json({ clientIp });
    });
    // #endregion recipe
    const hono = serve({ fetch: honoShop.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise<void>((resolve) => (hono.listening ? resolve() : hono.once('listening', () => resolve())));
    try {
      for (const url of [await listening(nodeShop), `${await listening(hono)}/api/checkout`]) {
        const ask = async (headers: Record<string, string>) => ((await (await fetch(url, { method: 'POST', headers })).json()) as { clientIp?: string }).clientIp;
        // From the trusted proxy (127.0.0.1): the first untrusted entry from the right, canonical; the ones left of it are the client's own words.
        assert.equal(await ask({ 'x-forwarded-for': '198.51.100.1, ::FFFF:203.0.113.7' }), '203.0.113.7', url);
        // The proxy sent no header: the proxy itself.
        assert.equal(await ask({}), '127.0.0.1', url);
      }
    } finally {
      for (const server of [nodeShop, hono]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
