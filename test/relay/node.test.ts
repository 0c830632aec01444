/** The relay mounted on a real Node HTTP server through `toNodeListener`. */
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { MemorySessionStore, toNodeListener } from '../../src/relay/index.js';
import { CORRECT_OTP } from './fake-kount.js';
import { createTestRelay, startOtpChallenge } from './helpers.js';

async function listenOn(handler: (incoming: IncomingMessage, outgoing: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
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
    ({ server, origin } = await listenOn(toNodeListener(relay.fetch)));
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
    const express = await listenOn((incoming, outgoing) => {
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

describe('toNodeListener: event streams and bodies without a fetch Request', () => {
  it('ends a stream and its subscription when the browser goes away, from the closed connection alone', async () => {
    const store = new MemorySessionStore();
    let listening = 0;
    const listen = store.listen.bind(store);
    store.listen = async (sessionId, listener) => {
      const stop = await listen(sessionId, listener);
      listening += 1;
      return () => {
        listening -= 1;
        stop();
      };
    };
    const { relay } = createTestRelay({ store });
    const { server, origin } = await listenOn(toNodeListener(relay.fetch));
    try {
      const { handle } = await startOtpChallenge(relay);
      const stream = request(`${origin}/verify/session/events`, { headers: { cookie: `${SESSION_COOKIE}=${handle}`, accept: 'text/event-stream' } });
      const firstView = new Promise<void>((resolve, reject) => {
        stream.on('response', (response) => {
          if (response.statusCode !== 200) reject(new Error(`answered ${response.statusCode}`));
          response.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('event: view')) resolve();
          });
        });
        stream.on('error', () => undefined);
      });
      stream.end();
      await firstView;
      assert.equal(listening, 1);
      stream.destroy();
      const deadline = Date.now() + 2000;
      while (listening > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(listening, 0, 'the closed connection cancelled the stream, which unsubscribed');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reads an answer from the connection, and refuses one over the limit with 413 whether or not it says its length', async () => {
    const { relay } = createTestRelay();
    const { server, origin } = await listenOn(toNodeListener(relay.fetch));
    try {
      const { handle } = await startOtpChallenge(relay);
      const headers = { cookie: `${SESSION_COOKIE}=${handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1', origin };
      const ok = await fetch(`${origin}/verify/session/answer`, { method: 'POST', headers, body: JSON.stringify({ method: 'OTP', otp: CORRECT_OTP }) });
      assert.equal(ok.status, 200);
      const big = JSON.stringify({ method: 'OTP', otp: '1'.repeat(40_000) });
      const declared = await fetch(`${origin}/verify/session/answer`, { method: 'POST', headers, body: big });
      assert.equal(declared.status, 413);
      // Chunked, with no Content-Length: counted as it arrives.
      const chunked = await fetch(`${origin}/verify/session/answer`, {
        method: 'POST',
        headers,
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

