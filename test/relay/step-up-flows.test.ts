/** KBA, one-time link (OTH) and document verification (DOCV): views, answers, resends, retries and every error code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionView, type DocvActionView, type KbaActionView, type OthActionView } from '../../src/contract/browser.js';
import { MemorySessionStore, type ViewEvent } from '../../src/relay/index.js';
import { CORRECT_OTP } from './fake-kount.js';
import type { DocvFakeStep, KbaFakeStep, OthFakeStep, StepMethod, StepOptions } from './fake-steps.js';
import { EMAIL, PHONE_NUMBER, createTestRelay, errorCodeOf, send, startOtpChallenge } from './helpers.js';
import { deliverWebhook, webhookKeys } from './webhook-helpers.js';

async function setUp(steps: StepMethod[], options: { contact?: { phoneNumber?: string; email?: string }; stepOptions?: Partial<StepOptions> } = {}) {
  const store = new MemorySessionStore();
  const test = createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store }, { steps, ...(options.stepOptions ? { stepOptions: options.stepOptions } : {}) });
  const contact = options.contact ?? { phoneNumber: PHONE_NUMBER, email: EMAIL };
  const started = await startOtpChallenge(test.relay, contact);
  const { authenticationId } = await test.relay.outcome(started.handle);
  const fakeCase = test.kount.caseOf(authenticationId);
  const pushed: ViewEvent[] = [];
  test.relay.subscribe(started.handle, (event) => void pushed.push(event));
  const view = async () => SessionView.parse((await send(test.relay, '/session', { handle: started.handle })).body);
  return { ...test, store, handle: started.handle, firstView: started.view, fakeCase, pushed, view };
}

function challengeAction<M extends string>(view: SessionView, method: M) {
  assert.equal(view.state, 'challenge');
  if (view.state !== 'challenge' || view.action.method !== method) assert.fail(`expected a ${method} view, got ${JSON.stringify(view)}`);
  return view.action;
}

describe('KBA', () => {
  it('shows the questions with string ids, radios only for single choice, the time left and the attempts left', async () => {
    const { firstView, fakeCase, clock, view } = await setUp(['KBA']);
    const step = fakeCase.current as KbaFakeStep;
    const action = challengeAction(firstView, 'KBA') as KbaActionView;
    assert.deepEqual(action.questions.map((question) => [question.id, question.selection]), [
      ['101', 'single'],
      ['102', 'multiple'],
      ['q-103', 'multiple'],
    ]);
    assert.equal(action.questions[0]?.text, step.questions[0]?.questionText, 'untrusted text is passed on as text, unchanged');
    assert.deepEqual(action.questions[0]?.choices[1], { id: '1002', text: '<script>alert(1)</script>' });
    assert.equal(action.timeLimitSeconds, 300);
    assert.equal(action.remainingAttempts, 2);
    clock.advanceSeconds(100);
    assert.equal((challengeAction(await view(), 'KBA') as KbaActionView).timeLimitSeconds, 200);
  });

  it('sends the right answers in one call with Kount’s own id types, and ends the session', async () => {
    const { relay, handle, fakeCase, kount } = await setUp(['KBA']);
    const answers = (fakeCase.current as KbaFakeStep).rightAnswers();
    const result = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers: [...answers].reverse() } });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    const body = kount.verifyBodies()[0] as { strategy: { actions: Array<{ method: string; data: unknown }> } };
    assert.deepEqual(body.strategy.actions, [
      {
        method: 'KBA',
        data: {
          questions: [
            { questionId: 101, answers: [1001] },
            { questionId: 102, answers: [1004, 1006] },
            { questionId: 'q-103', answers: ['c-100-b'] },
          ],
        },
      },
    ]);
  });

  it('answers failed answers with 422 wrong_answers; the new view (polled and pushed) has a fresh questionnaire and one attempt left', async () => {
    const { relay, handle, fakeCase, view, pushed } = await setUp(['KBA']);
    const step = fakeCase.current as KbaFakeStep;
    const result = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers: step.wrongAnswers() } });
    assert.equal(result.status, 422);
    assert.equal(errorCodeOf(result.body), 'wrong_answers');
    const action = challengeAction(await view(), 'KBA') as KbaActionView;
    assert.deepEqual(action.questions.map((question) => question.id), ['201', '202', 'q-203']);
    assert.equal(action.remainingAttempts, 1);
    await relay.settled();
    assert.deepEqual(pushed.at(-1)?.view, await view());

    const last = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers: step.wrongAnswers() } });
    assert.equal(last.status, 200, 'the last failed attempt ends the session');
    assert.deepEqual(last.body, { state: 'decided', decision: 'BLOCK', revision: 2 });
  });

  it('answers a late quiz with 422 quiz_expired and a fresh questionnaire', async () => {
    const { relay, handle, fakeCase, clock, view } = await setUp(['KBA']);
    const step = fakeCase.current as KbaFakeStep;
    const answers = step.rightAnswers();
    clock.advanceSeconds(301);
    assert.equal((challengeAction(await view(), 'KBA') as KbaActionView).timeLimitSeconds, 0);
    const result = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers } });
    assert.equal(result.status, 422);
    assert.equal(errorCodeOf(result.body), 'quiz_expired');
    const action = challengeAction(await view(), 'KBA') as KbaActionView;
    assert.equal(action.timeLimitSeconds, 300);
    assert.equal(action.questions[0]?.id, '201');
  });

  it('reads a failed late attempt as quiz_expired by its own clock when Kount gives no error code', async () => {
    const { relay, handle, fakeCase, clock, kount } = await setUp(['KBA']);
    const answers = (fakeCase.current as KbaFakeStep).rightAnswers();
    clock.advanceSeconds(301);
    kount.inject('verify', { kind: 'body', body: JSON.stringify(fakeCase.toResponse()) });
    const late = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers } });
    assert.equal(errorCodeOf(late.body), 'quiz_expired');
    kount.inject('verify', { kind: 'body', body: JSON.stringify(fakeCase.toResponse()) });
    const stillLate = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers } });
    assert.equal(errorCodeOf(stillLate.body), 'quiz_expired');
    const inTime = await setUp(['KBA']);
    inTime.kount.inject('verify', { kind: 'body', body: JSON.stringify(inTime.fakeCase.toResponse()) });
    const wrong = await send(inTime.relay, '/session/answer', { handle: inTime.handle, body: { method: 'KBA', answers: (inTime.fakeCase.current as KbaFakeStep).rightAnswers() } });
    assert.equal(errorCodeOf(wrong.body), 'wrong_answers');
  });

  it('refuses answers that could never count, without calling Kount (400 with the field, or 409 for another questionnaire)', async () => {
    const { relay, handle, fakeCase, kount } = await setUp(['KBA']);
    const right = (fakeCase.current as KbaFakeStep).rightAnswers();
    const [first, second, third] = right as [(typeof right)[0], (typeof right)[0], (typeof right)[0]];
    const cases: Array<[unknown, number, string, string?]> = [
      [{ method: 'KBA', answers: [first, second] }, 400, 'invalid_body', 'answers'],
      [{ method: 'KBA', answers: [first, first, second, third] }, 400, 'invalid_body', 'answers[1].questionId'],
      [{ method: 'KBA', answers: [{ ...first, choiceIds: ['1001', '1002'] }, second, third] }, 400, 'invalid_body', 'answers[0].choiceIds'],
      [{ method: 'KBA', answers: [first, { ...second, choiceIds: ['1004', '1004'] }, third] }, 400, 'invalid_body', 'answers[1].choiceIds'],
      [{ method: 'KBA', answers: [first, second, { ...third, choiceIds: [] }] }, 400, 'invalid_body', 'answers[2].choiceIds'],
      [{ method: 'KBA', answers: [] }, 400, 'invalid_body', 'answers'],
      [{ method: 'KBA', answers: [first, second, { ...third, questionId: 'q-999' }] }, 409, 'action_mismatch'],
      [{ method: 'KBA', answers: [{ ...first, choiceIds: ['9999'] }, second, third] }, 409, 'action_mismatch'],
      [{ method: 'OTP', otp: CORRECT_OTP }, 409, 'action_mismatch'],
      [{ method: 'DOCV', retry: true }, 409, 'action_mismatch'],
    ];
    for (const [body, status, code, field] of cases) {
      const result = await send(relay, '/session/answer', { handle, body });
      assert.equal(result.status, status, JSON.stringify(body));
      assert.equal(errorCodeOf(result.body), code);
      if (field) assert.equal((result.body as { error: { field?: string } }).error.field, field);
    }
    assert.equal(kount.calls.verify, 0);
    const resend = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(resend.status, 409);
    assert.equal(errorCodeOf(resend.body), 'action_mismatch');
  });

  it('sends answers once: a 503 gives one call and a clear error, the attempt is not retried (SECURITY 5)', async () => {
    const { relay, handle, fakeCase, kount } = await setUp(['KBA']);
    kount.inject('verify', { kind: 'status', status: 503 });
    const result = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers: (fakeCase.current as KbaFakeStep).rightAnswers() } });
    assert.equal(result.status, 502);
    assert.equal(errorCodeOf(result.body), 'upstream_error');
    assert.equal(kount.calls.verify, 1);
  });
});

describe('multi-step strategies', () => {
  it('walks OTP then KBA with step index and total, ending with the final decision', async () => {
    const { relay, handle, firstView, fakeCase, view } = await setUp(['OTP', 'KBA']);
    assert.equal(firstView.state === 'challenge' && firstView.action.method, 'OTP');
    const afterOtp = await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
    assert.equal(afterOtp.status, 200);
    const kbaView = SessionView.parse(afterOtp.body);
    assert.deepEqual(kbaView.state === 'challenge' && kbaView.step, { index: 2, total: 2 });
    challengeAction(kbaView, 'KBA');
    const done = await send(relay, '/session/answer', { handle, body: { method: 'KBA', answers: (fakeCase.current as KbaFakeStep).rightAnswers() } });
    assert.deepEqual(done.body, { state: 'decided', decision: 'ALLOW', revision: 2 });
    assert.deepEqual(await view(), done.body);
  });

  it('ends the session when a final decision arrives mid-strategy', async () => {
    const { relay, handle, fakeCase } = await setUp(['OTP', 'KBA', 'DOCV']);
    fakeCase.forcedDecision = 'Decline';
    const result = await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: '000000' } });
    assert.deepEqual(result.body, { state: 'decided', decision: 'BLOCK', revision: 1 });
    assert.equal((await relay.outcome(handle)).decision, 'BLOCK');
    const again = await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
    assert.equal(errorCodeOf(again.body), 'session_finished');
  });

  it('a webhook that finishes one step brings the next one (refresh with nextAction)', async () => {
    const { relay, fakeCase, clock, view, kount } = await setUp(['OTH', 'KBA']);
    const verified = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();
    assert.equal((await deliverWebhook(relay, verified, clock.now())).status, 200);
    const next = await view();
    assert.deepEqual(next.state === 'challenge' && next.step, { index: 2, total: 2 });
    challengeAction(next, 'KBA');
    const refresh = kount.verifyBodies().at(-1) as { strategy: { nextAction?: boolean; actions: unknown[] } };
    assert.equal(refresh.strategy.nextAction, true);
    assert.deepEqual(refresh.strategy.actions, [{ method: 'OTH', data: {} }]);
  });
});

describe('one-time link (OTH)', () => {
  it('shows the masked destination, status, resend limits, expiry and the channels it can switch to', async () => {
    const { firstView, view, fakeCase, clock, relay } = await setUp(['OTH']);
    assert.deepEqual(challengeAction(firstView, 'OTH'), {
      method: 'OTH',
      channel: 'EMAIL',
      destination: 'o***@example.com',
      status: 'MESSAGE_SENT',
      remainingResends: 3,
      resendAvailableInSeconds: 30,
      expiresInSeconds: 600,
      otherChannels: ['SMS'],
      // Nothing went to the phone yet, so moving there does not wait for the e-mail's interval.
      channelChangeAvailableInSeconds: 0,
    } satisfies OthActionView);
    // A failed attempt reported by webhook shows as such.
    const step = fakeCase.current as OthFakeStep;
    step.status = 'VERIFICATION_ATTEMPT_FAILED';
    step.verificationAttempts = 1;
    await deliverWebhook(relay, step.webhook(), clock.now());
    await relay.settled();
    assert.equal((challengeAction(await view(), 'OTH') as OthActionView).status, 'VERIFICATION_ATTEMPT_FAILED');
  });

  it('offers no other channel when the relay holds only one contact', async () => {
    const { firstView } = await setUp(['OTH'], { contact: { email: EMAIL } });
    assert.deepEqual((challengeAction(firstView, 'OTH') as OthActionView).otherChannels, []);
  });

  it('resends on the same channel after the interval, and counts it', async () => {
    const { relay, handle, clock, kount } = await setUp(['OTH']);
    const tooSoon = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(tooSoon.status, 429);
    assert.equal(errorCodeOf(tooSoon.body), 'resend_too_soon');
    assert.equal(kount.calls.verify, 0);
    clock.advanceSeconds(31);
    const resent = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(resent.status, 200);
    const action = challengeAction(SessionView.parse(resent.body), 'OTH') as OthActionView;
    assert.equal(action.remainingResends, 2);
    assert.equal(action.channel, 'EMAIL');
    const body = kount.verifyBodies()[0] as Record<string, unknown>;
    assert.deepEqual((body.strategy as { actions: unknown[] }).actions, [{ method: 'OTH', data: { resend: true } }]);
    assert.equal(body.phoneNumber, undefined);
    assert.equal(body.email, undefined);
    const sameChannel = await send(relay, '/session/resend', { handle, body: { channel: 'EMAIL' } });
    assert.equal(errorCodeOf(sameChannel.body), 'resend_too_soon', 'naming the current channel is a plain resend');
  });

  it('changes channel with a resend that names the contact the relay holds at the top level', async () => {
    const { relay, handle, clock, kount, fakeCase } = await setUp(['OTH']);
    clock.advanceSeconds(31);
    const moved = await send(relay, '/session/resend', { handle, body: { channel: 'SMS' } });
    assert.equal(moved.status, 200);
    assert.deepEqual(challengeAction(SessionView.parse(moved.body), 'OTH'), {
      method: 'OTH',
      channel: 'SMS',
      destination: '+1 *** *** 4567',
      status: 'MESSAGE_SENT',
      remainingResends: 2,
      resendAvailableInSeconds: 30,
      expiresInSeconds: 600,
      otherChannels: ['EMAIL'],
      channelChangeAvailableInSeconds: 0,
    } satisfies OthActionView);
    const body = kount.verifyBodies()[0] as Record<string, unknown>;
    assert.equal(body.phoneNumber, PHONE_NUMBER);
    assert.equal(body.email, undefined);
    assert.deepEqual((fakeCase.current as OthFakeStep).sentTo.at(-1), { channel: 'SMS', to: PHONE_NUMBER });
  });

  it('changes channel at once, while going back waits for that channel\'s own interval', async () => {
    const { relay, handle, clock, kount } = await setUp(['OTH']);
    const moved = await send(relay, '/session/resend', { handle, body: { channel: 'SMS' } });
    assert.equal(moved.status, 200, 'the first message to the phone does not wait for the e-mail sent a moment ago');
    const action = challengeAction(SessionView.parse(moved.body), 'OTH') as OthActionView;
    assert.equal(action.channel, 'SMS');
    assert.equal(action.resendAvailableInSeconds, 30);
    assert.equal(action.channelChangeAvailableInSeconds, 30, 'the e-mail went out just now');
    const back = await send(relay, '/session/resend', { handle, body: { channel: 'EMAIL' } });
    assert.equal(back.status, 429);
    assert.equal(errorCodeOf(back.body), 'resend_too_soon');
    const again = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(errorCodeOf(again.body), 'resend_too_soon', 'a resend on the phone waits for its interval');
    assert.equal(kount.calls.verify, 1);
    clock.advanceSeconds(31);
    const backLater = await send(relay, '/session/resend', { handle, body: { channel: 'EMAIL' } });
    assert.equal(backLater.status, 200);
    assert.equal((challengeAction(SessionView.parse(backLater.body), 'OTH') as OthActionView).remainingResends, 1, 'every change of channel is a send');
  });

  it('answers 409 channel_unavailable for a channel without a contact, and for steps that cannot switch, without calling Kount', async () => {
    const onlyEmail = await setUp(['OTH'], { contact: { email: EMAIL } });
    onlyEmail.clock.advanceSeconds(31);
    const noPhone = await send(onlyEmail.relay, '/session/resend', { handle: onlyEmail.handle, body: { channel: 'SMS' } });
    assert.equal(noPhone.status, 409);
    assert.equal(errorCodeOf(noPhone.body), 'channel_unavailable');
    assert.equal(onlyEmail.kount.calls.verify, 0);

    const otp = await setUp(['OTP']);
    otp.clock.advanceSeconds(31);
    const otpSwitch = await send(otp.relay, '/session/resend', { handle: otp.handle, body: { channel: 'EMAIL' } });
    assert.equal(otpSwitch.status, 409);
    assert.equal(errorCodeOf(otpSwitch.body), 'channel_unavailable');
    assert.equal(otp.kount.calls.verify, 0);

    const bad = await send(otp.relay, '/session/resend', { handle: otp.handle, body: { channel: 'PIGEON' } });
    assert.equal(bad.status, 400);
    assert.equal(errorCodeOf(bad.body), 'invalid_body');
  });

  it('shares the resend cap (3) and sends each resend once, also when Kount fails', async () => {
    const { relay, handle, clock, kount } = await setUp(['OTH']);
    for (let resend = 0; resend < 3; resend += 1) {
      clock.advanceSeconds(31);
      if (resend === 1) kount.inject('verify', { kind: 'network' });
      const result = await send(relay, '/session/resend', { handle, body: resend === 2 ? { channel: 'SMS' } : {} });
      assert.equal(result.status, resend === 1 ? 503 : 200);
    }
    assert.equal(kount.calls.verify, 3);
    clock.advanceSeconds(31);
    const capped = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(capped.status, 429);
    assert.equal(errorCodeOf(capped.body), 'resend_limit_reached');
    assert.equal(kount.calls.verify, 3);
  });

  it('refuses an answer (the link completes the step) with 409 action_mismatch', async () => {
    const { relay, handle } = await setUp(['OTH']);
    const result = await send(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
    assert.equal(errorCodeOf(result.body), 'action_mismatch');
  });

  it('ends as BLOCK when the shopper says "this wasn’t me", pushed to the stream', async () => {
    const { relay, fakeCase, clock, view, pushed } = await setUp(['OTH']);
    await deliverWebhook(relay, (fakeCase.current as OthFakeStep).finish('FAILED_AUTHORIZATION'), clock.now());
    await relay.settled();
    assert.deepEqual(await view(), { state: 'decided', decision: 'BLOCK', revision: 1 });
    assert.deepEqual(pushed.at(-1)?.view, await view());
  });
});

describe('document verification (DOCV)', () => {
  it('shows the capture link for the page to turn into a QR code (LINK), the progress and no retry yet', async () => {
    const { firstView } = await setUp(['DOCV']);
    assert.deepEqual(challengeAction(firstView, 'DOCV'), {
      method: 'DOCV',
      delivery: 'LINK',
      destination: null,
      captureUrl: 'https://capture.kount.test/c/abc123',
      progress: 'SENT',
      retryAllowed: false,
      remainingRetries: 1,
      // A link shown on the page is not texted, so there is nothing to resend.
      resendAllowed: false,
      // The link was just sent: the next send waits for the relay's interval.
      sendAvailableInSeconds: 30,
    } satisfies DocvActionView);
  });

  it('shows SMS delivery with the masked phone and no link', async () => {
    const { firstView } = await setUp(['DOCV'], { stepOptions: { docvDelivery: 'SMS' } });
    const action = challengeAction(firstView, 'DOCV') as DocvActionView;
    assert.equal(action.delivery, 'SMS');
    assert.equal(action.destination, '+1 *** *** 4567');
    assert.equal(action.captureUrl, null);
  });

  for (const [captureUrl, shown] of [
    ['http://capture.kount.test/c/1', null],
    ['javascript:alert(1)', null],
    ['https://user:pw@capture.kount.test/c/1', null],
    ['not a url', null],
    ['http://localhost:4010/sandbox/docv/abc', 'http://localhost:4010/sandbox/docv/abc'],
    ['http://127.0.0.1:4010/sandbox/docv/abc', 'http://127.0.0.1:4010/sandbox/docv/abc'],
  ] as const) {
    it(`shows ${captureUrl} as ${shown ?? 'no link'} (https, or http on localhost only)`, async () => {
      const { firstView } = await setUp(['DOCV'], { stepOptions: { captureUrl } });
      assert.equal((challengeAction(firstView, 'DOCV') as DocvActionView).captureUrl, shown);
    });
  }

  it('maps each status to the view’s progress as webhooks arrive', async () => {
    const { relay, fakeCase, clock, view } = await setUp(['DOCV']);
    const step = fakeCase.current as DocvFakeStep;
    for (const [status, progress] of [
      ['FLOW_BEGUN', 'BEGUN'],
      ['CAPTURED', 'CAPTURED'],
      ['PROCESSING', 'PROCESSING'],
      ['NEEDS_RETRY', 'NEEDS_RETRY'],
    ] as const) {
      await deliverWebhook(relay, step.advance(status), clock.now());
      await relay.settled();
      assert.equal((challengeAction(await view(), 'DOCV') as DocvActionView).progress, progress);
    }
    const action = challengeAction(await view(), 'DOCV') as DocvActionView;
    assert.equal(action.retryAllowed, true);
    assert.equal(action.captureUrl, null, 'no capture link once the capture is over');
  });

  it('retries with data.resend when allowed; refuses with 409 retry_not_allowed otherwise, without calling Kount', async () => {
    const { relay, handle, fakeCase, clock, kount, view } = await setUp(['DOCV']);
    const step = fakeCase.current as DocvFakeStep;
    const early = await send(relay, '/session/answer', { handle, body: { method: 'DOCV', retry: true } });
    assert.equal(early.status, 409);
    assert.equal(errorCodeOf(early.body), 'retry_not_allowed');
    assert.equal(kount.calls.verify, 0);

    step.advance('FLOW_BEGUN');
    step.advance('CAPTURED');
    step.advance('PROCESSING');
    await deliverWebhook(relay, step.advance('FAILED'), clock.now());
    await relay.settled();
    const callsBefore = kount.calls.verify;
    clock.advanceSeconds(31);
    const retried = await send(relay, '/session/answer', { handle, body: { method: 'DOCV', retry: true } });
    assert.equal(retried.status, 200);
    const after = challengeAction(SessionView.parse(retried.body), 'DOCV') as DocvActionView;
    assert.equal(after.progress, 'SENT');
    assert.equal(after.remainingRetries, 0);
    assert.deepEqual((kount.verifyBodies().at(-1) as { strategy: { actions: unknown[] } }).strategy.actions, [{ method: 'DOCV', data: { resend: true } }]);
    assert.equal(kount.calls.verify, callsBefore + 1);

    step.advance('FLOW_BEGUN');
    step.advance('CAPTURED');
    step.advance('PROCESSING');
    await deliverWebhook(relay, step.advance('NEEDS_RETRY'), clock.now());
    await relay.settled();
    // No retries left: Kount ends the step, and the session with it. Revisions: FAILED, the retry
    // counted before Kount is asked (the page shows the wait for the next send), the retry (SENT), the end.
    assert.deepEqual(await view(), { state: 'decided', decision: 'BLOCK', revision: 4 });
  });

  it('counts a retry against the resend cap and interval', async () => {
    const { relay, handle, fakeCase, clock } = await setUp(['DOCV']);
    const step = fakeCase.current as DocvFakeStep;
    await deliverWebhook(relay, step.advance('NEEDS_RETRY'), clock.now());
    await relay.settled();
    const tooSoon = await send(relay, '/session/answer', { handle, body: { method: 'DOCV', retry: true } });
    assert.equal(tooSoon.status, 429);
    assert.equal(errorCodeOf(tooSoon.body), 'resend_too_soon');
  });

  it('sends the link again before the capture starts, and refuses once it has begun', async () => {
    const { relay, handle, fakeCase, clock } = await setUp(['DOCV']);
    clock.advanceSeconds(31);
    assert.equal((await send(relay, '/session/resend', { handle, body: {} })).status, 200);
    await deliverWebhook(relay, (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN'), clock.now());
    await relay.settled();
    clock.advanceSeconds(31);
    const begun = await send(relay, '/session/resend', { handle, body: {} });
    assert.equal(begun.status, 409);
    assert.equal(errorCodeOf(begun.body), 'retry_not_allowed');
  });

  it('ends ALLOW when the document is verified', async () => {
    const { relay, handle, fakeCase, clock } = await setUp(['DOCV']);
    const step = fakeCase.current as DocvFakeStep;
    step.advance('FLOW_BEGUN');
    step.advance('CAPTURED');
    step.advance('PROCESSING');
    await deliverWebhook(relay, step.advance('VERIFIED'), clock.now());
    fakeCase.advanceIfPassed();
    await relay.settled();
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
  });
});
