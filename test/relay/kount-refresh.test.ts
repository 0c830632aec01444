/** KountClient.refresh: a read (SECURITY 4) — retried on 5xx, 429, network errors and time-outs, at most 3 times, with capped full jitter and Retry-After. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KountClient } from '../../src/relay/kount-client.js';
import { createFakeClock, createFakeSleep } from './fake-clock.js';
import { ASSESS_PATH, FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, VERIFY_PATH } from './fake-kount.js';
import { createCapturingLogger } from './helpers.js';

async function setup() {
  const clock = createFakeClock();
  const kount = new FakeKount(clock, { steps: ['OTH'] });
  const { sleep, delays } = createFakeSleep(clock);
  const client = new KountClient({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    timeoutMs: 100,
    paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
    fetch: kount.fetch,
    now: clock.now,
    random: () => 0.5,
    sleep,
    logger: createCapturingLogger(),
  });
  const assessment = await client.assess({ strategy: 'CheckoutStepUp', inquiryId: 'inquiry-1', deviceSessionId: 'device-1' });
  const refresh = { inquiryId: 'inquiry-1', authenticationId: assessment.authenticationId, strategy: { nextAction: true, actions: [{ method: 'OTH', data: {} }] } };
  return { kount, client, delays, refresh };
}

describe('KountClient.refresh', () => {
  it('asks with nextAction: true and empty data, and changes nothing', async () => {
    const { kount, client, refresh } = await setup();
    const before = JSON.stringify(kount.caseOf(refresh.authenticationId).toResponse());
    const response = await client.refresh(refresh);
    assert.equal(response.decision, 'Challenge');
    assert.deepEqual(JSON.parse(kount.requestsTo('verify')[0]?.body ?? '{}').strategy, { nextAction: true, actions: [{ method: 'OTH', data: {} }] });
    assert.equal(JSON.stringify(kount.caseOf(refresh.authenticationId).toResponse()), before);
  });

  it('retries 5xx, 429, network errors and time-outs up to 3 times with capped, jittered waits', async () => {
    const { kount, client, delays, refresh } = await setup();
    kount.inject('verify', { kind: 'status', status: 502 }, { kind: 'network' }, { kind: 'hang' });
    assert.equal((await client.refresh(refresh)).decision, 'Challenge');
    assert.equal(kount.calls.verify, 4);
    assert.deepEqual(delays, [100, 200, 400], 'random 0.5 of 200, 400, 800 ms');
  });

  it('gives up after the 4th failure with upstream_error', async () => {
    const { kount, client, refresh } = await setup();
    kount.inject('verify', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    await assert.rejects(client.refresh(refresh), { code: 'upstream_error' });
    assert.equal(kount.calls.verify, 4);
  });

  it('honours Retry-After on 429/503, and gives up when it asks for more than 10 s', async () => {
    const honoured = await setup();
    honoured.kount.inject('verify', { kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    await honoured.client.refresh(honoured.refresh);
    assert.deepEqual(honoured.delays, [2000]);

    const tooLong = await setup();
    tooLong.kount.inject('verify', { kind: 'status', status: 503, headers: { 'retry-after': '60' } });
    await assert.rejects(tooLong.client.refresh(tooLong.refresh), { code: 'upstream_error' });
    assert.equal(tooLong.kount.calls.verify, 1);
  });

  it('does not retry a 4xx or an answer that does not parse', async () => {
    const { kount, client, refresh } = await setup();
    kount.inject('verify', { kind: 'status', status: 400 });
    await assert.rejects(client.refresh(refresh), { code: 'upstream_error' });
    kount.inject('verify', { kind: 'body', body: '{"unexpected":true}' });
    await assert.rejects(client.refresh(refresh), { code: 'upstream_invalid_response' });
    assert.equal(kount.calls.verify, 2);
  });

  it('refuses a request that would act (an answer, a resend, or no nextAction), without calling Kount', async () => {
    const { kount, client, refresh } = await setup();
    for (const request of [
      { ...refresh, strategy: { nextAction: true, actions: [{ method: 'OTH', data: { resend: true } }] } },
      { ...refresh, strategy: { nextAction: true, actions: [{ method: 'OTP', data: { otp: '123456' } }] } },
      { ...refresh, strategy: { actions: [{ method: 'OTH', data: {} }] } },
    ]) {
      await assert.rejects(client.refresh(request), TypeError);
    }
    assert.equal(kount.calls.verify, 0);
  });
});
