/**
 * SECURITY 45: identical answers in flight for one session reach Kount once, on any instance; the
 * others answer as that one did. Different answers are counted as before (SECURITY 14).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionView } from '../../src/contract/browser.js';
import type { KountFetch } from '../../src/relay/kount-http.js';
import { MemorySessionStore } from '../../src/relay/store/index.js';
import { CORRECT_OTP, VERIFY_PATH } from './fake-kount.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge } from './helpers.js';

const right = { method: 'OTP', otp: CORRECT_OTP };
const wrong = { method: 'OTP', otp: '000000' };

/**
 * Kount's verify calls held until the test lets them go, so every request has reached the relay's
 * store before the first answer settles (as a double submit against a real Kount does).
 */
function heldVerify(): { fetch: KountFetch; useKount(fetch: KountFetch): void; release(): void } {
  let kount: KountFetch | undefined;
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    fetch: async (url, init) => {
      if (url.endsWith(VERIFY_PATH)) await gate;
      if (kount === undefined) throw new Error('no Kount yet');
      return kount(url, init);
    },
    useKount: (fetch) => {
      kount = fetch;
    },
    release: () => release(),
  };
}

/** Lets every request in flight reach its reservation or its wait (a few ms each, ample on a busy machine), then lets Kount answer. */
async function answerAfterAllArrived(held: { release(): void }): Promise<void> {
  await sleep(250);
  held.release();
}

function remainingAttempts(body: unknown): number | null {
  const view = SessionView.parse(body);
  if (view.state !== 'challenge' || view.action.method !== 'OTP') assert.fail(`expected an OTP step, got ${JSON.stringify(body)}`);
  return view.action.remainingAttempts;
}

describe('SECURITY 45: identical answers in flight reach Kount once', () => {
  it('10 concurrent identical right codes: exactly 1 verify call, all 10 get the decided view', async () => {
    const held = heldVerify();
    const { relay, kount } = createTestRelay({ fetch: held.fetch });
    held.useKount(kount.fetch);
    const { handle } = await startOtpChallenge(relay);
    const answers = Promise.all(Array.from({ length: 10 }, () => send(relay, '/session/answer', { handle, body: right })));
    await answerAfterAllArrived(held);
    const results = await answers;
    assert.equal(kount.calls.verify, 1);
    for (const result of results) {
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(result.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    }
  });

  it('a double submit of a wrong code: 1 verify call, both get wrong_code, and it costs one attempt', async () => {
    const held = heldVerify();
    const { relay, kount } = createTestRelay({ fetch: held.fetch });
    held.useKount(kount.fetch);
    const { handle } = await startOtpChallenge(relay);
    const answers = Promise.all([send(relay, '/session/answer', { handle, body: wrong }), send(relay, '/session/answer', { handle, body: wrong })]);
    await answerAfterAllArrived(held);
    const results = await answers;
    assert.equal(kount.calls.verify, 1);
    assert.deepEqual(
      results.map((result) => [result.status, errorCodeOf(result.body)]),
      [
        [422, 'wrong_code'],
        [422, 'wrong_code'],
      ],
    );
    assert.equal(remainingAttempts((await send(relay, '/session', { handle })).body), 4, 'one attempt spent, not two');
  });

  it('across two relays sharing one store: 10 identical right codes spread over both reach Kount once', async () => {
    const held = heldVerify();
    const store = new MemorySessionStore();
    const first = createTestRelay({ store, fetch: held.fetch });
    held.useKount(first.kount.fetch);
    const second = createTestRelay({ store, fetch: held.fetch, now: first.clock.now });
    const { handle } = await startOtpChallenge(first.relay);
    const answers = Promise.all(Array.from({ length: 10 }, (_, index) => send(index % 2 === 0 ? first.relay : second.relay, '/session/answer', { handle, body: right })));
    await answerAfterAllArrived(held);
    const results = await answers;
    assert.equal(first.kount.calls.verify, 1);
    assert.deepEqual(
      results.map((result) => result.body),
      Array.from({ length: 10 }, () => ({ state: 'decided', decision: 'ALLOW', revision: 1 })),
    );
  });

  it('different codes in flight are each checked, and each wrong one counted', async () => {
    const held = heldVerify();
    const { relay, kount } = createTestRelay({ fetch: held.fetch });
    held.useKount(kount.fetch);
    const { handle } = await startOtpChallenge(relay);
    const guesses = ['111111', '222222', '111111', '333333', '222222'].map((otp) => send(relay, '/session/answer', { handle, body: { method: 'OTP', otp } }));
    const answers = Promise.all(guesses);
    await answerAfterAllArrived(held);
    const results = await answers;
    assert.equal(kount.calls.verify, 3, 'three different codes');
    assert.ok(results.every((result) => errorCodeOf(result.body) === 'wrong_code'));
    assert.equal(remainingAttempts((await send(relay, '/session', { handle })).body), 2, 'three attempts spent');
  });

  it('the identical answers waiting for a failed call fail with it, and the next answer asks Kount again', async () => {
    const held = heldVerify();
    const { relay, kount } = createTestRelay({ fetch: held.fetch });
    held.useKount(kount.fetch);
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'status', status: 500 });
    const answers = Promise.all(Array.from({ length: 3 }, () => send(relay, '/session/answer', { handle, body: right })));
    await answerAfterAllArrived(held);
    const results = await answers;
    assert.equal(kount.calls.verify, 1);
    assert.deepEqual(
      results.map((result) => [result.status, errorCodeOf(result.body)]),
      Array.from({ length: 3 }, () => [502, 'upstream_error']),
    );
    const again = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(again.status, 200);
    assert.equal(kount.calls.verify, 2);
  });

  it('keeps a keyed digest of the answer in flight, never the code', async () => {
    const held = heldVerify();
    const store = new MemorySessionStore();
    const { relay, kount } = createTestRelay({ store, fetch: held.fetch });
    held.useKount(kount.fetch);
    const { handle } = await startOtpChallenge(relay);
    const answer = send(relay, '/session/answer', { handle, body: right });
    await sleep(250);
    const inFlight = await store.get(sessionIdOf(handle));
    held.release();
    await answer;
    const [entry] = inFlight?.answersInFlight ?? [];
    assert.match(entry?.digest ?? '', /^[\w-]{43}$/, 'an HMAC-SHA256 digest');
    assert.doesNotMatch(JSON.stringify(inFlight), new RegExp(CORRECT_OTP));
  });
});
