/**
 * Issue 23 item 10: an action status Kount adds later. The relay neither fails nor guesses a
 * decision: the session waits in that step, the page gets a view it can show with a way forward
 * (`UNAVAILABLE`), the developer a warn line naming the status, and Kount's decision ends it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionView } from '../../src/contract/browser.js';
import { CORRECT_OTP } from './fake-kount.js';
import { createTestRelay, errorCodeOf, PHONE_NUMBER, send, startOtpChallenge } from './helpers.js';

const right = { method: 'OTP', otp: CORRECT_OTP };

/** Kount's verify answer with the acted step in `status`, the case still undecided unless `decision` says so. */
function answerWithStatus(status: string, decision = 'Challenge'): string {
  return JSON.stringify({
    inquiryId: 'i',
    authenticationId: 'auth-2',
    decision,
    strategy: { actions: [{ method: 'OTP', status, data: { channelType: 'SMS_OTP', verificationStatus: 'MESSAGE_SENT' } }] },
  });
}

const unavailable = (revision: number) => ({ state: 'challenge', step: { index: 1, total: 1 }, action: { method: 'UNAVAILABLE' }, revision });

describe('an action status Kount added later', () => {
  it('an answer that leaves the step in it: 200 with the UNAVAILABLE view, no decision guessed, and a warn line naming the status', async () => {
    const { relay, kount, logger } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'body', body: answerWithStatus('IN_MANUAL_REVIEW') });
    const answered = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(answered.status, 200);
    assert.deepEqual(SessionView.parse(answered.body), unavailable(1));
    assert.deepEqual((await send(relay, '/session', { handle })).body, unavailable(1), 'a read shows it too');
    assert.equal((await relay.outcome(handle)).decision, null, 'not taken as finished (REVIEW)');
    const warned = logger.entries.filter((entry) => entry.event === 'relay.unknown_action_status');
    assert.equal(warned.length, 1);
    assert.equal(warned[0]?.level, 'warn');
    assert.deepEqual([warned[0]?.fields['status'], warned[0]?.fields['method']], ['IN_MANUAL_REVIEW', 'OTP']);
  });

  it('refuses an answer while the step is in it (409 action_mismatch: the page reads the view again), without asking Kount', async () => {
    const { relay, kount } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'body', body: answerWithStatus('awaiting_agent') });
    await send(relay, '/session/answer', { handle, body: right });
    const calls = kount.calls.verify;
    const refused = await send(relay, '/session/answer', { handle, body: right });
    assert.equal(refused.status, 409);
    assert.equal(errorCodeOf(refused.body), 'action_mismatch');
    assert.equal(kount.calls.verify, calls);
  });

  it('bounds the status it logs to 40 characters', async () => {
    const { relay, kount, logger } = createTestRelay();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'body', body: answerWithStatus(`NEW_${'X'.repeat(500)}`) });
    await send(relay, '/session/answer', { handle, body: right });
    const [line] = logger.entries.filter((entry) => entry.event === 'relay.unknown_action_status');
    assert.equal(String(line?.fields['status']).length, 40);
  });

  it('starts a challenge whose assessment has the step in it, with the UNAVAILABLE view (not invalid_body) and a warn line naming the status', async () => {
    const { relay, logger } = createTestRelay();
    const assessment = {
      inquiryId: 'inquiry-unknown-status',
      authenticationId: 'auth-9',
      decision: 'Challenge',
      strategy: { actions: [{ method: 'OTP', status: 'queued_for_delivery', data: { channelType: 'SMS_OTP' } }] },
    };
    const started = await relay.startChallenge({ assessment, contact: { phoneNumber: PHONE_NUMBER } });
    assert.deepEqual(started.view, unavailable(0));
    const warned = logger.entries.filter((entry) => entry.event === 'relay.unknown_action_status');
    assert.deepEqual(warned.map((entry) => [entry.level, entry.fields['status'], entry.fields['method']]), [['warn', 'queued_for_delivery', 'OTP']]);
  });

  it('shows the step Kount asks for before an action in a status it does not know, then waits in the unknown one', async () => {
    const { relay, kount } = createTestRelay();
    const assessment = {
      inquiryId: 'inquiry-two-steps',
      authenticationId: 'auth-2',
      decision: 'Challenge',
      strategy: {
        actions: [
          { method: 'KBA', status: 'succeeded_elsewhere', data: {} },
          { method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP' } },
        ],
      },
    };
    const { handle } = await relay.startChallenge({ assessment, contact: { phoneNumber: PHONE_NUMBER } });
    const first = SessionView.parse((await send(relay, '/session', { handle })).body);
    assert.equal(first.state === 'challenge' && first.action.method, 'OTP', 'the step Kount asks for comes first');
    kount.inject('verify', { kind: 'body', body: answerWithStatus('in_manual_review') });
    const waiting = SessionView.parse((await send(relay, '/session/answer', { handle, body: right })).body);
    assert.equal(waiting.state === 'challenge' && waiting.action.method, 'UNAVAILABLE');
  });
});
