/** The relay mounted on a real Node HTTP server through `toNodeListener`. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { toNodeListener } from '../../src/relay/index.js';
import { CORRECT_OTP } from './fake-kount.js';
import { createTestRelay, startOtpChallenge } from './helpers.js';

async function listen(handler: (incoming: IncomingMessage, outgoing: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const originalRequest = globalThis.Request;
const originalResponse = globalThis.Response;

describe('toNodeListener', () => {
  const { relay } = createTestRelay();
  let server: Server;
  let origin: string;
  let handle: string;

  before(async () => {
    ({ server, origin } = await listen(toNodeListener(relay.fetch)));
    ({ handle } = await startOtpChallenge(relay));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the view with its headers', async () => {
    const response = await fetch(`${origin}/verify/session`, { headers: { cookie: `${SESSION_COOKIE}=${handle}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(((await response.json()) as { state: string }).state, 'challenge');
  });

  it('takes answers with Origin = its own origin', async () => {
    const response = await fetch(`${origin}/verify/session/answer`, {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1', origin },
      body: JSON.stringify({ method: 'OTP', otp: CORRECT_OTP }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { state: 'decided', decision: 'ALLOW', revision: 1 });
  });

  it('refuses a large body with 413', async () => {
    const response = await fetch(`${origin}/verify/session/answer`, {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1' },
      body: 'x'.repeat(100_000),
    });
    assert.equal(response.status, 413);
  });

  it('restores the full path when Express has stripped its mount path', async () => {
    const listener = toNodeListener(relay.fetch);
    const express = await listen((incoming, outgoing) => {
      // What `app.use('/verify', listener)` does to the request before calling the listener.
      Object.assign(incoming, { originalUrl: incoming.url });
      incoming.url = (incoming.url ?? '').replace(/^\/verify/, '') || '/';
      void listener(incoming, outgoing);
    });
    try {
      const response = await fetch(`${express.origin}/verify/session`, { headers: { cookie: `${SESSION_COOKIE}=${handle}` } });
      assert.equal(response.status, 200);
    } finally {
      await new Promise<void>((resolve) => express.server.close(() => resolve()));
    }
  });

  it('leaves the host’s global Request and Response alone', () => {
    assert.equal(globalThis.Request, originalRequest);
    assert.equal(globalThis.Response, originalResponse);
  });
});
