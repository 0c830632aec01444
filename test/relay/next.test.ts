/**
 * Next.js App Router: the catch-all route file in `next-app/` exports the relay as `GET`/`POST`/…,
 * type-checked against Next's own `NextRequest`, and called the way Next calls it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NextRequest } from 'next/server';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const ORIGIN = 'https://shop.example.com';
type NextRouteHandler = (request: NextRequest, context: { params: Promise<{ path: string[] }> }) => Promise<Response>;

describe('Next.js App Router route handlers', () => {
  let sandbox: RunningSandbox;
  let route: Record<'GET' | 'HEAD' | 'POST' | 'OPTIONS', NextRouteHandler> & { runtime: string; dynamic: string };
  let relay: typeof import('./next-app/lib/relay.js')['relay'];

  before(async () => {
    sandbox = await startSandbox();
    Object.assign(process.env, {
      KOUNT_API_URL: sandbox.url,
      KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
      KOUNT_API_KEY: SANDBOX_API_KEY,
      KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
      RELAY_SESSION_SECRET: 'next-route-secret-0123456789-abcdefghijk',
      KOUNT_WEBHOOK_PUBLIC_KEY: sandbox.sandbox.webhookPublicKey,
    });
    // Typed as Next would call them: a handler that did not take a NextRequest would not compile here.
    route = await import('./next-app/app/verify/[...path]/route.js');
    ({ relay } = await import('./next-app/lib/relay.js'));
  });
  after(() => sandbox.close());

  it('is a Node.js, never-cached route', () => {
    assert.equal(route.runtime, 'nodejs');
    assert.equal(route.dynamic, 'force-dynamic');
  });

  it('serves the view and takes answers from NextRequest objects, body intact', async () => {
    const phone = '+15550004444';
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: phone } });
    const { handle } = await relay.startChallenge({ assessment, contact: { phoneNumber: phone } });
    const context = { params: Promise.resolve({ path: ['session'] }) };
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
