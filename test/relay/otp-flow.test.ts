/** SECURITY 5, 6, 14-16 through the browser API, and the authoritative outcome. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorBody, SessionView } from '../../src/contract/browser.js';
import { CORRECT_OTP, FAKE_API_KEY, FAKE_CLIENT_ID } from './fake-kount.js';
import { MemorySessionStore } from '../../src/relay/store/index.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge } from './helpers.js';

const wrong = { method: 'OTP', otp: '000000' };
const right = { method: 'OTP', otp: CORRECT_OTP };

function otpView(body: unknown) {
  const view = SessionView.parse(body);
  assert.equal(view.state, 'challenge');
  if (view.state !== 'challenge' || view.action.method !== 'OTP') assert.fail('expected an OTP challenge view');
  return view.action;
}

describe('answering', () => {
  it('returns the decided view after the right code, and outcome() agrees', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const { inquiryId } = JSON.parse(kount.requestsTo('assess')[0]?.body ?? '{}') as { inquiryId: string };
    assert.deepEqual(await relay.outcome(handle), { state: 'pending', decision: null, inquiryId, authenticationId: 'auth-2' });

    const result = await send(relay, '/session/answer', { handle, body: right });

    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    const verifyBody = JSON.parse(kount.requestsTo('verify')[0]?.body ?? '{}') as unknown;
    assert.deepEqual(verifyBody, {
      inquiryId,
      authenticationId: 'auth-2',
      strategy: { strategyName: 'CheckoutStepUp', actions: [{ method: 'OTP', data: { otp: CORRECT_OTP } }] },
    });
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
    assert.equal((await relay.outcome(handle)).state, 'decided');
  });

  it('answers a wrong code with 422 wrong_code and shows the attempts left: the relay’s 4 before its lockout, not Kount’s 9', async () => {
    const { relay } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    const result = await send(relay, '/session/answer', { handle, body: wrong });
    assert.equal(result.status, 422);
    assert.equal(errorCodeOf(result.body), 'wrong_code');
    const view = await send(relay, '/session', { handle });
    assert.equal(otpView(view.body).remainingAttempts, 4);
  });

  it('answers an expired code with 422 code_expired', async () => {
    const { relay } = createTestRelay({}, { codeExpired: true });
    const { handle } = await startOtpChallenge(relay);
    const result = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(result.status, 422);
    assert.equal(errorCodeOf(result.body), 'code_expired');
  });

  it('turns Kount’s TERMINATED into a 200 decided BLOCK view', async () => {
    const { relay } = createTestRelay({}, { remainingVerificationAttempts: 1 });
    const { handle } = await startOtpChallenge(relay);
    const result = await send(relay, '/session/answer', { handle, body: wrong });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { state: 'decided', decision: 'BLOCK', revision: 1 });
    assert.equal((await relay.outcome(handle)).decision, 'BLOCK');
  });

  it('maps an unknown final decision to REVIEW and logs a warning', async () => {
    const { relay, logger } = createTestRelay({}, { decisionAfterVerified: 'Escalate' });
    const { handle } = await startOtpChallenge(relay);
    const result = await send(relay, '/session/answer', { handle, body: right });
    assert.deepEqual(result.body, { state: 'decided', decision: 'REVIEW', revision: 1 });
    assert.ok(logger.entries.some((entry) => entry.level === 'warn' && entry.event === 'kount.unknown_decision'));
  });

  it('refuses answers for a finished session with 409 session_finished, without calling Kount', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    await send(relay, '/session/answer', { handle, body: right });
    const calls = kount.calls.verify;
    for (const [path, body] of [['/session/answer', right], ['/session/resend', {}]] as const) {
      const result = await send(relay, path, { handle, body });
      assert.equal(result.status, 409);
      assert.equal(errorCodeOf(result.body), 'session_finished');
    }
    assert.equal(kount.calls.verify, calls);
  });

  it('refuses an answer for a method that is not the open action with 409 action_mismatch', async () => {
    const { relay, kount } = createTestRelay({}, { methods: ['KBA'] });
    const { handle } = await startOtpChallenge(relay);
    const view = await send(relay, '/session', { handle });
    assert.deepEqual((view.body as { action: unknown }).action, { method: 'UNSUPPORTED', name: 'KBA' });
    const result = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(result.status, 409);
    assert.equal(errorCodeOf(result.body), 'action_mismatch');
    assert.equal(kount.calls.verify, 0);
  });

  it('refuses to start a challenge from a non-challenge assessment or one without an open action', async () => {
    const { relay } = createTestRelay();
    const base = { inquiryId: 'i', authenticationId: 'a', strategy: { actions: [{ method: 'OTP', status: 'challenge' }] } };
    await assert.rejects(relay.startChallenge({ assessment: { ...base, decision: 'Allow' }, contact: {} }), { code: 'invalid_body', field: 'assessment.decision' });
    await assert.rejects(
      relay.startChallenge({ assessment: { ...base, decision: 'Challenge', strategy: { actions: [{ method: 'OTP', status: 'passed' }] } }, contact: {} }),
      { code: 'invalid_body', field: 'assessment.strategy.actions' },
    );
  });
});

describe('a wrong code wherever Kount reports it', () => {
  for (const statusPlacement of ['action', 'top'] as const) {
    it(`reads VERIFICATION_ATTEMPT_FAILED ${statusPlacement === 'top' ? 'at the top level of the answer' : "in the acted action's data"}: 422 wrong_code, the attempts left, and the lockout counts it`, async () => {
      const { relay, kount } = createTestRelay({}, { statusPlacement });
      const { handle } = await startOtpChallenge(relay);
      const result = await send(relay, '/session/answer', { handle, body: wrong });
      assert.equal(result.status, 422);
      assert.equal(errorCodeOf(result.body), 'wrong_code');
      assert.equal(otpView((await send(relay, '/session', { handle })).body).remainingAttempts, 4);
      for (let attempt = 2; attempt <= 5; attempt += 1) assert.equal(errorCodeOf((await send(relay, '/session/answer', { handle, body: wrong })).body), 'wrong_code');
      assert.equal((await send(relay, '/session/answer', { handle, body: right })).status, 429, "the relay's own lockout counted all five");
      assert.equal(kount.calls.verify, 5);
    });
  }
});

describe('bounded upstream answers', () => {
  const decidedAnswer = (extra: Record<string, unknown>) =>
    JSON.stringify({ inquiryId: 'i', authenticationId: 'auth-2', decision: 'Allow', strategy: { actions: [{ method: 'OTP', status: 'completed', data: { verificationStatus: 'VERIFIED' } }] }, ...extra });

  for (const [name, body, headers] of [
    ['a 2 MB strategyName', decidedAnswer({ strategy: { strategyName: 'x'.repeat(2 * 1024 * 1024), actions: [] } }), {}],
    ['a body over 256 KiB made of small fields', decidedAnswer({ padding: Array.from({ length: 40_000 }, (_, index) => `field-${index}`) }), {}],
    ['a declared length over 256 KiB', decidedAnswer({}), { 'content-length': String(300 * 1024) }],
    ['one string field over 8 KiB', decidedAnswer({ strategy: { strategyName: 's'.repeat(8 * 1024 + 1), actions: [] } }), {}],
  ] as const) {
    it(`refuses ${name} with 502 upstream_invalid_response, stores nothing of it, and keeps the session`, async () => {
      const { relay, kount } = createTestRelay();
      const { handle } = await startOtpChallenge(relay);
      const before = (await send(relay, '/session', { handle })).body;
      kount.inject('verify', Object.keys(headers).length > 0 ? { kind: 'status', status: 200, headers: { 'content-type': 'application/json', ...headers }, body } : { kind: 'body', body });
      const refused = await send(relay, '/session/answer', { handle, body: right });
      assert.equal(refused.status, 502);
      assert.equal(errorCodeOf(refused.body), 'upstream_invalid_response');
      assert.deepEqual((await send(relay, '/session', { handle })).body, before, 'the session is as it was');
      assert.equal((await send(relay, '/session/answer', { handle, body: right })).status, 200, 'and goes on');
    });
  }
});

describe('SECURITY 41: upstream strings are bounded at any depth, in arrays and in keys; nesting is bounded', () => {
  const LONG = 'x'.repeat(100 * 1024);
  const nestedObjects = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { next: nestedObjects(levels - 1, leaf) });
  const nestedArrays = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : [nestedArrays(levels - 1, leaf)]);
  // Laid over the stored action when accepted: a wrong code's answer, with `extra` in the acted action's data.
  const wrongCodeAnswer = (extra: unknown) =>
    JSON.stringify({
      inquiryId: 'i',
      authenticationId: 'auth-2',
      decision: 'Challenge',
      strategy: { actions: [{ method: 'OTP', status: 'challenge', data: { verificationStatus: 'VERIFICATION_ATTEMPT_FAILED', channelType: 'SMS_OTP', extra } }] },
    });

  for (const [name, extra, reason] of [
    ['a 100 KB string 40 levels deep', nestedObjects(40, LONG), /longer than 8192 characters/],
    ['a 100 KB object key', { [LONG]: 1 }, /longer than 8192 characters/],
    ['a 100 KB object key 40 levels deep', nestedObjects(40, { [LONG]: 1 }), /longer than 8192 characters/],
    ['a 100 KB string in arrays 35 deep', nestedArrays(35, LONG), /longer than 8192 characters/],
    ['a small body nested 100 levels deep', nestedObjects(100, 'tiny'), /nested deeper than 64 levels/],
    ['small arrays nested 100 levels deep', nestedArrays(100, 1), /nested deeper than 64 levels/],
  ] as const) {
    it(`refuses ${name} with 502 upstream_invalid_response and stores nothing of it`, async () => {
      const { relay, kount } = createTestRelay();
      const { handle } = await startOtpChallenge(relay);
      const before = (await send(relay, '/session', { handle })).body;
      kount.inject('verify', { kind: 'body', body: wrongCodeAnswer(extra) });
      const refused = await send(relay, '/session/answer', { handle, body: wrong });
      assert.equal(refused.status, 502);
      assert.equal(errorCodeOf(refused.body), 'upstream_invalid_response');
      assert.match(ErrorBody.parse(refused.body).error.message, reason);
      assert.deepEqual((await send(relay, '/session', { handle })).body, before, 'the session is as it was, no attempt spent');
    });
  }

  it('keeps an answer nested up to the bound, and refuses one a level past it', async () => {
    const store = new MemorySessionStore();
    const { relay, kount } = createTestRelay({ store });
    const { handle } = await startOtpChallenge(relay);
    // `extra` sits 5 containers deep in the answer: 59 more make 64 levels, the most allowed.
    kount.inject('verify', { kind: 'body', body: wrongCodeAnswer(nestedObjects(59, 'kept-marker')) }, { kind: 'body', body: wrongCodeAnswer(nestedObjects(60, 'refused-marker')) });
    assert.equal(errorCodeOf((await send(relay, '/session/answer', { handle, body: wrong })).body), 'wrong_code');
    assert.equal(errorCodeOf((await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: '000001' } })).body), 'upstream_invalid_response');
    const stored = JSON.stringify(await store.get(sessionIdOf(handle)));
    assert.match(stored, /kept-marker/);
    assert.doesNotMatch(stored, /refused-marker/);
  });

  it('stores nothing of a refused answer (the stored session holds no part of the long string)', async () => {
    const store = new MemorySessionStore();
    const { relay, kount } = createTestRelay({ store });
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'body', body: wrongCodeAnswer(nestedArrays(35, LONG)) });
    assert.equal((await send(relay, '/session/answer', { handle, body: wrong })).status, 502);
    assert.doesNotMatch(JSON.stringify(await store.get(sessionIdOf(handle))), /x{1000}/);
  });
});

describe('lockout (SECURITY 14)', () => {
  it('answers the 6th submission after 5 wrong codes with 429 + Retry-After, without calling Kount', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const result = await send(relay, '/session/answer', { handle, body: wrong });
      assert.equal(result.status, 422, `attempt ${attempt}`);
    }
    assert.equal(kount.calls.verify, 5);

    clock.advanceSeconds(10);
    const locked = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(locked.status, 429);
    assert.equal(errorCodeOf(locked.body), 'too_many_attempts');
    assert.equal(locked.headers.get('retry-after'), '290');
    assert.equal(ErrorBody.parse(locked.body).error.retryAfterSeconds, 290);
    assert.equal(kount.calls.verify, 5, 'Kount not called while locked');

    const view = otpView((await send(relay, '/session', { handle })).body);
    assert.equal(view.lockedForSeconds, 290);

    clock.advanceSeconds(291);
    const after = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(after.status, 200);
    assert.equal(kount.calls.verify, 6);
  });

  it('honours a configured lockout period', async () => {
    const { relay } = createTestRelay({ otpLockoutSeconds: 45 });
    const { handle } = await startOtpChallenge(relay);
    for (let attempt = 0; attempt < 5; attempt += 1) await send(relay, '/session/answer', { handle, body: wrong });
    const locked = await send(relay, '/session/answer', { handle, body: wrong });
    assert.equal(locked.headers.get('retry-after'), '45');
  });

  it('does not let parallel wrong answers slip past the limit', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    // Twelve different guesses: identical ones would share one call (SECURITY 45).
    const guesses = Array.from({ length: 12 }, (_, index) => ({ method: 'OTP', otp: String(100_000 + index) }));
    const results = await Promise.all(guesses.map((body) => send(relay, '/session/answer', { handle, body })));
    assert.equal(kount.calls.verify, 5);
    assert.equal(results.filter((result) => result.status === 429).length, 7);
  });

  it('does not count an upstream failure as a wrong code', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', ...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 500 })));
    for (let attempt = 0; attempt < 6; attempt += 1) {
      assert.equal((await send(relay, '/session/answer', { handle, body: wrong })).status, 502);
    }
    assert.equal((await send(relay, '/session/answer', { handle, body: right })).status, 200);
  });
});

describe('resend (SECURITY 15)', () => {
  it('refuses a resend while the session is locked out (429 too_many_attempts), without calling Kount, and allows it after', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    for (let attempt = 0; attempt < 5; attempt += 1) await send(relay, '/session/answer', { handle, body: wrong });
    clock.advanceSeconds(31);
    const locked = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(locked.status, 429);
    assert.equal(errorCodeOf(locked.body), 'too_many_attempts');
    assert.equal(locked.headers.get('retry-after'), '269');
    assert.equal(kount.calls.verify, 5, 'no resend asked of Kount while locked');
    clock.advanceSeconds(270);
    assert.equal((await send(relay, '/session/resend', { handle, body: {} })).status, 200);
    assert.equal(kount.calls.verify, 6);
  });

  it('asks Kount with data.resend and returns the new view', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(30);
    const result = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(result.status, 200);
    const view = otpView(result.body);
    assert.equal(view.remainingResends, 2);
    assert.equal(view.resendAvailableInSeconds, 30);
    const verifyBody = JSON.parse(kount.requestsTo('verify')[0]?.body ?? '{}') as { strategy: unknown };
    assert.deepEqual(verifyBody.strategy, { strategyName: 'CheckoutStepUp', actions: [{ method: 'OTP', data: { resend: true } }] });
  });

  it('needs 30 s between sends (429 resend_too_soon + Retry-After), counted from the first send', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(12);
    const early = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(early.status, 429);
    assert.equal(errorCodeOf(early.body), 'resend_too_soon');
    assert.equal(early.headers.get('retry-after'), '18');
    assert.equal(kount.calls.verify, 0);

    clock.advanceSeconds(18);
    assert.equal((await send(relay, '/session/resend', { handle, body: {} })).status, 200);
    clock.advanceSeconds(29);
    assert.equal(errorCodeOf((await send(relay, '/session/resend', { handle, body: {} })).body), 'resend_too_soon');
  });

  it('allows 3 resends per session, then 429 resend_limit_reached without calling Kount', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    for (let resend = 1; resend <= 3; resend += 1) {
      clock.advanceSeconds(31);
      assert.equal((await send(relay, '/session/resend', { handle, body: {} })).status, 200, `resend ${resend}`);
    }
    clock.advanceSeconds(31);
    const refused = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(refused.status, 429);
    assert.equal(errorCodeOf(refused.body), 'resend_limit_reached');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(kount.calls.verify, 3);
  });

  it('respects Kount’s own remainingSendAttempts when it is lower', async () => {
    const { relay, kount, clock } = createTestRelay({}, { remainingSendAttempts: 1 });
    const { handle } = await startOtpChallenge(relay);
    assert.equal(otpView((await send(relay, '/session', { handle })).body).remainingResends, 1);
    clock.advanceSeconds(31);
    await send(relay, '/session/resend', { handle, body: {} });
    clock.advanceSeconds(31);
    const refused = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(errorCodeOf(refused.body), 'resend_limit_reached');
    assert.equal(kount.calls.verify, 1);
  });

  it('never resets the failed-attempt count', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    for (let attempt = 0; attempt < 4; attempt += 1) await send(relay, '/session/answer', { handle, body: wrong });
    clock.advanceSeconds(31);
    assert.equal((await send(relay, '/session/resend', { handle, body: {} })).status, 200);
    assert.equal((await send(relay, '/session/answer', { handle, body: wrong })).status, 422);
    const locked = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(locked.status, 429, 'the 5th wrong code, after the resend, locks');
    assert.equal(kount.calls.verify, 6);
  });

  it('counts a resend whose upstream call failed (the SMS may have gone out), and does not retry it', async () => {
    const { relay, kount, clock } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(31);
    kount.inject('verify', { kind: 'status', status: 503 });
    const failed = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(failed.status, 502);
    assert.equal(kount.calls.verify, 1);
    assert.equal(otpView((await send(relay, '/session', { handle })).body).remainingResends, 2);
  });
});

describe('upstream failures reach the browser clearly, once (SECURITY 3, 5, 6)', () => {
  it('answer on 503: exactly one upstream call, 502 upstream_error', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'status', status: 503, headers: { 'retry-after': '1' } });
    const result = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(result.status, 502);
    assert.equal(errorCodeOf(result.body), 'upstream_error');
    assert.equal(kount.calls.verify, 1);
  });

  it('answer on a hung upstream: exactly one call, 504 upstream_timeout shortly after the limit', async () => {
    const { relay, kount } = createTestRelay({ timeoutMs: 150 });
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'hang' });
    const started = performance.now();
    const result = await send(relay, '/session/answer', { handle, body: right });
    const elapsed = performance.now() - started;
    assert.equal(result.status, 504);
    assert.equal(errorCodeOf(result.body), 'upstream_timeout');
    assert.equal(kount.calls.verify, 1);
    assert.ok(elapsed >= 140 && elapsed < 1500, `took ${elapsed} ms`);
  });

  it('resend on a hung upstream: exactly one call, 504', async () => {
    const { relay, kount, clock } = createTestRelay({ timeoutMs: 150 });
    const { handle } = await startOtpChallenge(relay);
    clock.advanceSeconds(31);
    kount.inject('verify', { kind: 'hang' });
    const result = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(result.status, 504);
    assert.equal(kount.calls.verify, 1);
  });

  it('two 401s: 502 upstream_auth_failed, and no secret in the body or headers', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'status', status: 401 }, { kind: 'status', status: 401 });
    const result = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(result.status, 502);
    assert.equal(errorCodeOf(result.body), 'upstream_auth_failed');
    const exposed = result.text + JSON.stringify([...result.headers]);
    for (const secret of [FAKE_API_KEY, FAKE_CLIENT_ID, ...kount.issuedTokens]) assert.ok(!exposed.includes(secret));
  });
});

describe('no enumeration (SECURITY 16)', () => {
  it('gives unknown session, wrong code and expired code the same status, headers and shape', async () => {
    const signedButForgotten = await (async () => {
      const { relay } = createTestRelay();
      const { handle } = await startOtpChallenge(relay);
      return handle;
    })();
    const { relay: unknownRelay } = createTestRelay();
    const unknown = await send(unknownRelay, '/session/answer', { handle: signedButForgotten, body: right });

    const { relay: wrongRelay } = createTestRelay();
    const wrongStart = await startOtpChallenge(wrongRelay);
    const wrongCode = await send(wrongRelay, '/session/answer', { handle: wrongStart.handle, body: wrong });

    const { relay: expiredRelay } = createTestRelay({}, { codeExpired: true });
    const expiredStart = await startOtpChallenge(expiredRelay);
    const expired = await send(expiredRelay, '/session/answer', { handle: expiredStart.handle, body: right });

    assert.deepEqual(
      [unknown, wrongCode, expired].map((result) => errorCodeOf(result.body)),
      ['session_unknown', 'wrong_code', 'code_expired'],
    );
    // The request id differs per request by design and tells nothing about the session.
    const headersOf = (result: typeof unknown) => [...result.headers].filter(([name]) => name !== 'content-length' && name !== 'x-request-id');
    for (const result of [wrongCode, expired]) {
      assert.equal(result.status, unknown.status);
      assert.deepEqual(headersOf(result), headersOf(unknown));
      const shape = (body: unknown) => {
        const { error } = ErrorBody.parse(body);
        return { keys: Object.keys(body as object), errorKeys: Object.keys(error).sort() };
      };
      assert.deepEqual(shape(result.body), shape(unknown.body));
    }
  });
});
