/** SECURITY 1 and 2: one token request for a cold crowd, replaced before it runs out, never sent expired. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KountClient } from '../../src/relay/kount-client.js';
import { refreshMarginSeconds } from '../../src/relay/token-cache.js';
import { createFakeClock, createFakeSleep, type FakeClock } from './fake-clock.js';
import { ASSESS_PATH, FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, VERIFY_PATH } from './fake-kount.js';

function clientFor(kount: FakeKount, clock: FakeClock): KountClient {
  return new KountClient({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    timeoutMs: 500,
    paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
    fetch: kount.fetch,
    now: clock.now,
    sleep: createFakeSleep(clock).sleep,
  });
}

const assessment = (index: number) => ({ strategy: 'CheckoutStepUp', inquiryId: `inquiry-${index}`, deviceSessionId: 'device-1' });

describe('token cache', () => {
  it('sends exactly one token request for 200 concurrent calls on a cold cache', async () => {
    const clock = createFakeClock();
    const kount = new FakeKount(clock);
    const client = clientFor(kount, clock);

    const results = await Promise.all(Array.from({ length: 200 }, (_, index) => client.assess(assessment(index))));

    assert.equal(results.length, 200);
    assert.equal(kount.calls.token, 1);
    assert.equal(kount.calls.assess, 200);
    const tokensUsed = new Set(kount.requestsTo('assess').map((request) => request.headers.authorization));
    assert.deepEqual([...tokensUsed], [`Bearer ${kount.issuedTokens[0]}`]);
  });

  it('shares one refresh between concurrent callers when the token is due', async () => {
    const clock = createFakeClock();
    const kount = new FakeKount(clock);
    const client = clientFor(kount, clock);
    await client.assess(assessment(0));
    clock.advanceSeconds(601);

    await Promise.all(Array.from({ length: 50 }, (_, index) => client.assess(assessment(index))));

    assert.equal(kount.calls.token, 2);
  });

  it('computes the refresh margin as min(600 s, expires_in − 120 s), half the life for short tokens', () => {
    assert.equal(refreshMarginSeconds(1200), 600);
    assert.equal(refreshMarginSeconds(3600), 600);
    assert.equal(refreshMarginSeconds(600), 480);
    assert.equal(refreshMarginSeconds(300), 180);
    assert.equal(refreshMarginSeconds(240), 120);
    assert.equal(refreshMarginSeconds(60), 30);
    assert.equal(refreshMarginSeconds(1), 0.5);
  });

  it('keeps the token until the margin is reached and replaces it once inside the margin (1200 s token)', async () => {
    const clock = createFakeClock();
    const kount = new FakeKount(clock, { tokenLifetimeSeconds: 1200 });
    const client = clientFor(kount, clock);
    await client.assess(assessment(0));

    clock.advanceSeconds(599);
    await client.assess(assessment(1));
    assert.equal(kount.calls.token, 1, '601 s left: above the 600 s margin, reuse');

    clock.advanceSeconds(2);
    await client.assess(assessment(2));
    assert.equal(kount.calls.token, 2, '599 s left: inside the margin, replace');
    assert.notEqual(kount.issuedTokens[0], kount.issuedTokens[1]);
  });

  for (const lifetime of [1200, 300, 90, 2]) {
    it(`never sends an expired token over a long run (expires_in ${lifetime} s)`, async () => {
      const clock = createFakeClock();
      const kount = new FakeKount(clock, { tokenLifetimeSeconds: lifetime });
      const client = clientFor(kount, clock);
      const stepMs = Math.max(250, (lifetime * 1000) / 7);
      for (let call = 0; call < 60; call += 1) {
        await client.assess(assessment(call));
        clock.advance(stepMs);
      }
      assert.equal(kount.expiredTokenUses, 0);
      assert.equal(kount.calls.assess, 60, 'no call needed a 401 retry');
      assert.ok(kount.calls.token > 1);
    });
  }

  it('counts the token life from when the request left, not from when the answer came', async () => {
    const clock = createFakeClock();
    const kount = new FakeKount(clock, { tokenLifetimeSeconds: 1200 });
    const slowTokenFetch = async (url: string, init: RequestInit) => {
      const response = await kount.fetch(url, init);
      if (url === FAKE_TOKEN_URL) clock.advanceSeconds(100);
      return response;
    };
    const client = new KountClient({
      apiUrl: FAKE_API_URL,
      tokenUrl: FAKE_TOKEN_URL,
      apiKey: FAKE_API_KEY,
      clientId: FAKE_CLIENT_ID,
      timeoutMs: 500,
      paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
      fetch: slowTokenFetch,
      now: clock.now,
    });
    await client.assess(assessment(0));
    clock.advanceSeconds(550);
    await client.assess(assessment(1));
    assert.equal(kount.calls.token, 2, 'issued at t=0, so at t=650 less than 600 s remain');
  });

  it('falls back to the still-valid token when a refresh fails, and refreshes again later', async () => {
    const clock = createFakeClock();
    const kount = new FakeKount(clock);
    const client = clientFor(kount, clock);
    await client.assess(assessment(0));
    clock.advanceSeconds(700);
    kount.inject('token', { kind: 'status', status: 400 });

    await client.assess(assessment(1));
    assert.equal(kount.calls.token, 2);
    assert.equal(kount.expiredTokenUses, 0);

    await client.assess(assessment(2));
    assert.equal(kount.calls.token, 3);
    assert.equal(kount.requestsTo('assess').at(-1)?.headers.authorization, `Bearer ${kount.issuedTokens.at(-1)}`);
  });
});
