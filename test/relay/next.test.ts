/**
 * Next.js App Router, in process: the docs' route file (`test/consumers/next/`, which the
 * consumer test builds with `next build` and runs under `next start`) loads with none of the
 * relay's secrets, makes the relay on its first request, and takes Next's own `NextRequest`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NextRequest } from 'next/server';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { routeHandlers } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const ORIGIN = 'https://shop.example.com';
type NextRouteHandler = (request: NextRequest, context: { params: Promise<{ path: string[] }> }) => Promise<Response>;

describe('Next.js App Router route handlers', () => {
  let sandbox: RunningSandbox;
  let route: Record<'GET' | 'HEAD' | 'POST' | 'OPTIONS', NextRouteHandler>;
  let getRelay: typeof import('../consumers/next/lib/relay.js')['getRelay'];
  const context = { params: Promise.resolve({ path: ['session'] }) };

  before(async () => {
    sandbox = await startSandbox();
    // What `next build` has: none of the relay's variables.
    for (const name of Object.keys(process.env)) if (/^(KOUNT|RELAY)_/.test(name)) delete process.env[name];
    // Typed as Next would call them: a handler that did not take a NextRequest would not compile here.
    route = await import('../consumers/next/app/verify/[...path]/route.js');
    ({ getRelay } = await import('../consumers/next/lib/relay.js'));
  });
  after(() => sandbox.close());

  it('exports the handlers only: no `runtime` or `dynamic`, which cacheComponents refuses', () => {
    assert.deepEqual(Object.keys(route).sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('makes no relay while loading: the first request without the variables fails, a later one with them is answered', async () => {
    await assert.rejects(route.GET(new NextRequest(`${ORIGIN}/verify/session`), context), /KOUNT_API_URL/);
    Object.assign(process.env, {
      KOUNT_API_URL: sandbox.url,
      KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
      KOUNT_API_KEY: SANDBOX_API_KEY,
      KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
      RELAY_SESSION_SECRET: 'next-route-secret-0123456789-abcdefghijk',
      KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
    });
    const missing = await route.GET(new NextRequest(`${ORIGIN}/verify/session`), context);
    assert.equal(missing.status, 401, 'the relay answered: no session cookie');
  });

  it('serves the view and takes answers from NextRequest objects, body intact, on the relay the shop’s routes use', async () => {
    const relay = getRelay();
    const phone = '+15550004444';
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: phone } });
    const { handle } = await relay.startChallenge({ assessment, contact: { phoneNumber: phone } });
    const view = await route.GET(new NextRequest(`${ORIGIN}/verify/session`, { headers: { cookie: `${SESSION_COOKIE}=${handle}` } }), context);
    assert.equal(view.status, 200);
    const code = sandbox.sandbox.messages.latest(phone)?.code;
    const answered = await route.POST(
      new NextRequest(`${ORIGIN}/verify/session/answer`, {
        method: 'POST',
        headers: { cookie: `${SESSION_COOKIE}=${handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: ORIGIN },
        body: JSON.stringify({ method: 'OTP', otp: code }),
      }),
      { params: Promise.resolve({ path: ['session', 'answer'] }) },
    );
    assert.equal(answered.status, 200);
    assert.deepEqual(await answered.json(), { state: 'decided', decision: 'ALLOW', revision: 1 });
    const preflight = await route.OPTIONS(new NextRequest(`${ORIGIN}/verify/session/answer`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' } }), context);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});

describe('routeHandlers with a function that makes the relay', () => {
  const answering = { fetch: async (request: Request) => new Response(new URL(request.url).pathname) };
  const request = () => new Request('https://shop.example.com/verify/session');

  it('calls it once, on the first request, however many arrive together', async () => {
    let made = 0;
    const { GET, POST } = routeHandlers(async () => {
      made++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return answering;
    });
    assert.equal(made, 0);
    const answers = await Promise.all([GET(request()), POST(request()), GET(request())]);
    assert.deepEqual(await Promise.all(answers.map((answer) => answer.text())), ['/verify/session', '/verify/session', '/verify/session']);
    await GET(request());
    assert.equal(made, 1);
  });

  it('does not keep a failure: the requests that waited for it fail, the next one calls it again', async () => {
    let made = 0;
    const { GET } = routeHandlers(() => {
      made++;
      if (made === 1) throw new Error('KOUNT_API_URL is missing');
      return answering;
    });
    const first = await Promise.allSettled([GET(request()), GET(request())]);
    assert.deepEqual(first.map((result) => result.status), ['rejected', 'rejected']);
    assert.equal((await GET(request())).status, 200);
    assert.equal(made, 2);
  });

  it('still takes the relay itself', async () => {
    assert.equal(await (await routeHandlers(answering).HEAD(request())).text(), '/verify/session');
  });
});
