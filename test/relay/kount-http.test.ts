/** The Kount client without a `fetch` of the host's: node:http with keep-alive, under the same contract (SECURITY 4-6). */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KountClient } from '../../src/relay/kount-client.js';
import { RelayError } from '../../src/relay/errors.js';

const verifyRequest = { inquiryId: 'inquiry-1', authenticationId: 'auth-1', strategy: { actions: [{ method: 'OTP', data: { otp: '000000' } }] } };
const challengeAnswer = { inquiryId: 'inquiry-1', authenticationId: 'auth-1', decision: 'Challenge', strategy: { actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP' } }] } };

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('KountClient over node:http (no fetch given)', () => {
  let server: Server;
  let origin: string;
  let handler: Handler = () => undefined;
  const connections = new Set<unknown>();
  const seen: Array<{ url: string | undefined; headers: IncomingMessage['headers']; body: string }> = [];

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ url: request.url, headers: request.headers, body });
        if (request.url === '/token') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'token-1', token_type: 'Bearer', expires_in: 3600 }));
          return;
        }
        handler(request, body, response);
      });
    });
    server.on('connection', (socket) => connections.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const client = (timeoutMs = 300) =>
    new KountClient({ apiUrl: origin, tokenUrl: `${origin}/token`, apiKey: 'api-key', clientId: 'client-1', timeoutMs, paths: { assess: '/assess', verify: '/verify' } });

  async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
    await assert.rejects(promise, (error: unknown) => error instanceof RelayError && error.code === code);
  }

  it('sends the same request as through fetch, reads the answer, and reuses its connection', async () => {
    handler = (_request, _body, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(challengeAnswer));
    seen.length = 0;
    connections.clear();
    const kount = client();
    const first = await kount.verify(verifyRequest);
    assert.equal(first.decision, 'Challenge');
    await kount.verify(verifyRequest);
    const verify = seen.filter((entry) => entry.url === '/verify');
    assert.equal(verify.length, 2);
    assert.equal(verify[0]?.headers.authorization, 'Bearer token-1');
    assert.equal(verify[0]?.headers['x-client-id'], 'client-1');
    assert.match(String(verify[0]?.headers['x-correlation-id']), /^[0-9a-f-]{36}$/);
    assert.equal(verify[0]?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(verify[0]?.body ?? ''), verifyRequest);
    assert.equal(seen.find((entry) => entry.url === '/token')?.headers.authorization, 'Basic api-key');
    assert.equal(connections.size, 1, 'one keep-alive connection for the token and both calls');
  });

  it('ends a call that takes too long with upstream_timeout, headers or body', async () => {
    handler = () => undefined;
    await rejects(client(100).verify(verifyRequest), 'upstream_timeout');
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"inquiryId":');
    };
    await rejects(client(100).verify(verifyRequest), 'upstream_timeout');
  });

  it('refuses an answer over the size cap, declared or streamed, and one that is not JSON', async () => {
    const big = `{"inquiryId":"${'x'.repeat(300 * 1024)}"}`;
    handler = (_request, _body, response) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }).end(big);
    await rejects(client().verify(verifyRequest), 'upstream_invalid_response');
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(big);
    };
    await rejects(client().verify(verifyRequest), 'upstream_invalid_response');
    handler = (_request, _body, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('not json');
    await rejects(client().verify(verifyRequest), 'upstream_invalid_response');
  });

  it('does not follow a redirect, and maps statuses and a closed connection as before', async () => {
    handler = (_request, _body, response) => response.writeHead(307, { location: 'http://example.com/' }).end();
    await rejects(client().verify(verifyRequest), 'upstream_unavailable');
    handler = (_request, _body, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('secret upstream detail');
    await rejects(client().verify(verifyRequest), 'upstream_error');
    handler = (request) => request.socket.destroy();
    await rejects(client().verify(verifyRequest), 'upstream_unavailable');
  });

  it('reads Retry-After from an answer it retries', async () => {
    let calls = 0;
    handler = (_request, _body, response) => {
      calls += 1;
      if (calls === 1) response.writeHead(503, { 'retry-after': '0' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(challengeAnswer));
    };
    const refresh = { inquiryId: 'inquiry-1', authenticationId: 'auth-1', strategy: { nextAction: true, actions: [{ method: 'OTP', data: {} }] } };
    const answer = await client().refresh(refresh as never);
    assert.equal(answer.decision, 'Challenge');
    assert.equal(calls, 2);
  });
});
