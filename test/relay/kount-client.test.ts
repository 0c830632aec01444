/** SECURITY 3-7: headers, one re-authentication, retries only where they are safe, timeouts, fixed operations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KountClient } from '../../src/relay/kount-client.js';
import { RelayError } from '../../src/relay/errors.js';
import { createFakeClock, createFakeSleep } from './fake-clock.js';
import { ASSESS_PATH, FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, VERIFY_PATH } from './fake-kount.js';
import { createCapturingLogger } from './helpers.js';

function setup(options: { timeoutMs?: number; random?: () => number } = {}) {
  const clock = createFakeClock();
  const kount = new FakeKount(clock);
  const { sleep, delays } = createFakeSleep(clock);
  const logger = createCapturingLogger();
  const client = new KountClient({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    timeoutMs: options.timeoutMs ?? 500,
    paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
    fetch: kount.fetch,
    now: clock.now,
    random: options.random ?? (() => 0.5),
    sleep,
    logger,
  });
  return { clock, kount, client, delays, logger };
}

const assessRequest = { strategy: 'CheckoutStepUp', inquiryId: 'inquiry-1', deviceSessionId: 'device-1' };
const verifyRequest = (authenticationId: string) => ({
  inquiryId: 'inquiry-1',
  authenticationId,
  strategy: { actions: [{ method: 'OTP', data: { otp: '000000' } }] },
});

async function rejectsWith(promise: Promise<unknown>, code: string, status: number): Promise<RelayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RelayError, `expected a RelayError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('KountClient requests', () => {
  it('asks for a token with the client-credentials form and Basic API key', async () => {
    const { kount, client } = setup();
    await client.assess(assessRequest);
    const [tokenRequest] = kount.requestsTo('token');
    assert.ok(tokenRequest);
    assert.equal(tokenRequest.method, 'POST');
    assert.equal(tokenRequest.headers.authorization, `Basic ${FAKE_API_KEY}`);
    assert.equal(tokenRequest.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(tokenRequest.body, 'grant_type=client_credentials&scope=k1_integration_api');
  });

  it('sends bearer, client id, JSON content type and a fresh correlation id on every call', async () => {
    const { kount, client } = setup();
    const assessment = await client.assess(assessRequest);
    await client.verify(verifyRequest(assessment.authenticationId));
    await client.verify(verifyRequest(assessment.authenticationId));
    const calls = kount.requests.filter((request) => request.endpoint !== 'token');
    assert.equal(calls.length, 3);
    for (const call of calls) {
      assert.equal(call.headers.authorization, `Bearer ${kount.issuedTokens[0]}`);
      assert.equal(call.headers['x-client-id'], FAKE_CLIENT_ID);
      assert.equal(call.headers['content-type'], 'application/json');
      assert.match(call.headers['x-correlation-id'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    assert.equal(new Set(calls.map((call) => call.headers['x-correlation-id'])).size, 3);
  });

  it('posts only to the configured URLs (SECURITY 7)', async () => {
    const { kount, client } = setup();
    const assessment = await client.assess(assessRequest);
    await client.verify(verifyRequest(assessment.authenticationId));
    assert.deepEqual(
      kount.requests.map((request) => `${request.method} ${request.url}`),
      [`POST ${FAKE_TOKEN_URL}`, `POST ${FAKE_API_URL}${ASSESS_PATH}`, `POST ${FAKE_API_URL}${VERIFY_PATH}`],
    );
    assert.equal(kount.calls.unknown, 0);
  });

  it('validates requests with the contract before anything is sent', async () => {
    const { kount, client } = setup();
    const error = await rejectsWith(client.assess({ ...assessRequest, strategy: 'has spaces' }), 'invalid_body', 400);
    assert.equal(error.field, 'assessment request.strategy');
    assert.equal(kount.requests.length, 0);
  });

  it('turns a response that fails the schema into upstream_invalid_response (502)', async () => {
    const { kount, client } = setup();
    kount.inject('assess', { kind: 'body', body: JSON.stringify({ inquiryId: 'x' }) });
    await rejectsWith(client.assess(assessRequest), 'upstream_invalid_response', 502);
    kount.inject('assess', { kind: 'body', body: '<html>gateway</html>' });
    await rejectsWith(client.assess(assessRequest), 'upstream_invalid_response', 502);
  });

  it('SECURITY 41: refuses an answer nested 100,000 levels deep (200 KB) with upstream_invalid_response, walking it without recursion', async () => {
    const { kount, client } = setup();
    const levels = 100_000;
    const body = `{"inquiryId":"inquiry-1","authenticationId":"a","decision":"Allow","padding":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    kount.inject('assess', { kind: 'body', body });
    const error = await rejectsWith(client.assess(assessRequest), 'upstream_invalid_response', 502);
    assert.match(error.message, /nested deeper than 64 levels/);
  });

  it('maps other non-2xx answers to upstream_error (502) without retrying', async () => {
    const { kount, client } = setup();
    kount.inject('assess', { kind: 'status', status: 400 });
    await rejectsWith(client.assess(assessRequest), 'upstream_error', 502);
    assert.equal(kount.calls.assess, 1);
  });
});

describe('KountClient on 401 (SECURITY 3)', () => {
  it('clears the token, re-authenticates once and retries once', async () => {
    const { kount, client } = setup();
    await client.assess(assessRequest);
    kount.revokeIssuedTokens();

    const assessment = await client.assess(assessRequest);

    assert.ok(assessment.authenticationId);
    assert.equal(kount.calls.token, 2);
    assert.equal(kount.calls.assess, 3);
    assert.equal(kount.requestsTo('assess').at(-1)?.headers.authorization, `Bearer ${kount.issuedTokens[1]}`);
  });

  it('gives upstream_auth_failed (502) after a second 401, with no secret in the error', async () => {
    const { kount, client, logger } = setup();
    kount.inject('assess', { kind: 'status', status: 401 }, { kind: 'status', status: 401 });

    const error = await rejectsWith(client.assess(assessRequest), 'upstream_auth_failed', 502);

    assert.equal(kount.calls.token, 2);
    assert.equal(kount.calls.assess, 2);
    const exposed = JSON.stringify({ message: error.message, logs: logger.entries });
    for (const secret of [FAKE_API_KEY, FAKE_CLIENT_ID, ...kount.issuedTokens]) assert.ok(!exposed.includes(secret), `leaked ${secret}`);
  });

  it('re-authenticates once for many calls refused together', async () => {
    const { kount, client } = setup();
    await client.assess(assessRequest);
    kount.revokeIssuedTokens();
    await Promise.all(Array.from({ length: 20 }, () => client.assess(assessRequest)));
    assert.equal(kount.calls.token, 2);
  });

  it('treats a refused token request as upstream_auth_failed without retrying it', async () => {
    const { kount, client } = setup();
    kount.inject('token', { kind: 'status', status: 401, body: '{"error":"invalid_client"}' });
    await rejectsWith(client.assess(assessRequest), 'upstream_auth_failed', 502);
    assert.equal(kount.calls.token, 1);
    assert.equal(kount.calls.assess, 0);
  });
});

describe('KountClient retries (SECURITY 4, 5)', () => {
  it('retries token fetches on network errors and 5xx with capped, jittered exponential backoff', async () => {
    const { kount, client, delays } = setup({ random: () => 0.999 });
    kount.inject('token', { kind: 'network' }, { kind: 'status', status: 500 }, { kind: 'status', status: 502 });

    await client.assess(assessRequest);

    assert.equal(kount.calls.token, 4);
    assert.equal(delays.length, 3);
    // 200 ms base doubling under a 2 s cap, times random() ≈ 1.
    assert.deepEqual(delays, [199, 399, 799]);
  });

  it('uses full jitter: the delay is random() times the step, down to zero', async () => {
    const { kount, client, delays } = setup({ random: () => 0 });
    kount.inject('token', { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    await client.assess(assessRequest);
    assert.deepEqual(delays, [0, 0]);
  });

  it('caps the backoff step', async () => {
    const { kount, client, delays } = setup({ random: () => 0.999 });
    kount.inject('token', { kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    await client.assess(assessRequest);
    assert.ok(delays.every((delay) => delay <= 2000));
  });

  it('gives up after 3 retries (4 token requests) with upstream_unavailable', async () => {
    const { kount, client, delays } = setup();
    kount.inject('token', ...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })));
    await rejectsWith(client.assess(assessRequest), 'upstream_unavailable', 503);
    assert.equal(kount.calls.token, 4);
    assert.equal(delays.length, 3);
    assert.equal(kount.calls.assess, 0);
  });

  it('honours Retry-After on 429 and 503 token answers', async () => {
    const { kount, client, delays } = setup();
    kount.inject(
      'token',
      { kind: 'status', status: 429, headers: { 'retry-after': '3' } },
      { kind: 'status', status: 503, headers: { 'retry-after': '2' } },
    );
    await client.assess(assessRequest);
    assert.deepEqual(delays, [3000, 2000]);
  });

  it('does not wait out an unreasonable Retry-After', async () => {
    const { kount, client, delays } = setup();
    kount.inject('token', { kind: 'status', status: 503, headers: { 'retry-after': '3600' } });
    const error = await rejectsWith(client.assess(assessRequest), 'upstream_unavailable', 503);
    assert.equal(error.retryAfterSeconds, 3600);
    assert.deepEqual(delays, []);
  });

  for (const [name, call] of [
    ['assessment', (client: KountClient) => client.assess(assessRequest)],
    ['answer', (client: KountClient) => client.verify(verifyRequest('auth-x'))],
    ['resend', (client: KountClient) => client.verify({ ...verifyRequest('auth-x'), strategy: { actions: [{ method: 'OTP', data: { resend: true } }] } })],
  ] as const) {
    const endpoint = name === 'assessment' ? 'assess' : 'verify';
    it(`sends the ${name} once on a 503 (upstream_error)`, async () => {
      const { kount, client, delays } = setup();
      kount.inject(endpoint, { kind: 'status', status: 503, headers: { 'retry-after': '1' } });
      await rejectsWith(call(client), 'upstream_error', 502);
      assert.equal(kount.calls[endpoint], 1);
      assert.deepEqual(delays, []);
    });

    it(`sends the ${name} once on a network error (upstream_unavailable)`, async () => {
      const { kount, client } = setup();
      kount.inject(endpoint, { kind: 'network' });
      await rejectsWith(call(client), 'upstream_unavailable', 503);
      assert.equal(kount.calls[endpoint], 1);
    });

    it(`abandons a hung ${name} after the timeout, once (upstream_timeout 504, SECURITY 6)`, async () => {
      const { kount, client } = setup({ timeoutMs: 100 });
      await client.assess(assessRequest).catch(() => undefined);
      const before = kount.calls[endpoint];
      kount.inject(endpoint, { kind: 'hang' });
      const started = performance.now();
      await rejectsWith(call(client), 'upstream_timeout', 504);
      const elapsed = performance.now() - started;
      assert.equal(kount.calls[endpoint] - before, 1);
      assert.ok(elapsed >= 90 && elapsed < 1000, `gave up after ${elapsed} ms`);
    });
  }
});
