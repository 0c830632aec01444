import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChallengeOutcomeV2Request, EventResponse, MfaStatusResponse } from '../../../src/contract/kount/index.js';
import { mfaAction } from '../../../src/relay/account-protection/mfa.js';
import { RelayError } from '../../../src/relay/errors.js';
import { Limits } from '../../../src/relay/limits.js';
import { silentLogger } from '../../../src/relay/logger.js';
import { Methods } from '../../../src/relay/methods/index.js';
import { AccountProtectionMfa, type MfaCalls } from '../../../src/relay/methods/mfa.js';
import type { MfaState } from '../../../src/relay/sessions.js';
import { LIMIT_SETTINGS, methodDependencies, NOW, session } from './fixtures.js';

const MFA: MfaState = {
  id: 'mfa-1',
  method: 'OTP',
  channel: 'EMAIL',
  eventType: 'LOGIN',
  decisionCorrelationId: 'correlation-1',
  inquiryId: 'inquiry',
  sentAt: NOW,
};
const ACTION = mfaAction(MFA);
const mfaSession = session(ACTION, { mfa: MFA, contact: { email: 'olivia@example.com' } });
const refusedWith = (code: string) => (error: unknown) => error instanceof RelayError && error.code === code;

/** Account Protection's MFA calls, answering from a script and keeping what they were asked. */
class ScriptedMfaCalls implements MfaCalls {
  readonly calls: string[] = [];
  readonly reports: ChallengeOutcomeV2Request[] = [];
  constructor(readonly answer: MfaStatusResponse) {}
  verifyPasscode(id: string, otp: string): Promise<MfaStatusResponse> {
    this.calls.push(`verifyPasscode ${id} ${otp}`);
    return Promise.resolve(this.answer);
  }
  resend(id: string): Promise<MfaStatusResponse> {
    this.calls.push(`resend ${id}`);
    return Promise.resolve(this.answer);
  }
  challengeOutcome(report: ChallengeOutcomeV2Request): Promise<EventResponse> {
    this.reports.push(report);
    return Promise.resolve({});
  }
}

function mfaMethods(calls: ScriptedMfaCalls): Methods {
  return new Methods({ ...methodDependencies(), mfa: new AccountProtectionMfa(calls, new Limits(LIMIT_SETTINGS), silentLogger) });
}

describe('Account Protection MFA method', () => {
  it('is built once, and answers by the session’s MFA id on Account Protection’s call', async () => {
    const calls = new ScriptedMfaCalls({ mfaStatus: 'VERIFICATION_ATTEMPT_FAILED' });
    const methods = mfaMethods(calls);
    const method = methods.for(mfaSession, ACTION);
    assert.equal(method, methods.for(mfaSession, ACTION), 'the same method object for every call');
    const answer = method?.answer?.(ACTION, { method: 'OTP', otp: '123456' }, mfaSession, NOW);
    assert.ok(answer);
    const reserved = answer.reserve(mfaSession, NOW);
    const settled = answer.settle(reserved, await answer.call(reserved), NOW);
    assert.deepEqual(calls.calls, ['verifyPasscode mfa-1 123456']);
    assert.equal(settled.session.failedOtpAttempts, 1);
    assert.ok(refusedWith('wrong_code')(settled.refusal));
  });

  it('decides on VERIFIED, with the error code kept for the Challenge Outcome report', async () => {
    const calls = new ScriptedMfaCalls({ mfaStatus: 'VERIFIED' });
    const answer = mfaMethods(calls).for(mfaSession, ACTION)?.answer?.(ACTION, { method: 'OTP', otp: '123456' }, mfaSession, NOW);
    assert.ok(answer);
    const reserved = answer.reserve(mfaSession, NOW);
    const settled = answer.settle(reserved, await answer.call(reserved), NOW);
    assert.equal(settled.session.decision, 'ALLOW');
    assert.equal(settled.session.actions[0]?.status, 'verified');
  });

  it('resends on the MFA’s channel only', () => {
    const method = mfaMethods(new ScriptedMfaCalls({ mfaStatus: 'MESSAGE_SENT' })).for(mfaSession, ACTION);
    assert.equal(method?.firstSend(ACTION, mfaSession), 'EMAIL');
    assert.equal(method?.resend?.(ACTION, {}, mfaSession).sends, 'EMAIL');
    assert.throws(() => method?.resend?.(ACTION, { channel: 'SMS' }, mfaSession), refusedWith('channel_unavailable'));
  });

  it('lays a status update over the action, and an update with nothing new gives an equal session', () => {
    const mfa = new AccountProtectionMfa(new ScriptedMfaCalls({}), new Limits(LIMIT_SETTINGS), silentLogger);
    const event = { id: 'event-1', eventType: 'MFA.StatusUpdate', mfaStatus: 'MESSAGE_SENT', mfaId: 'mfa-1' } as const;
    const withStatus = { ...mfaSession, actions: [{ ...ACTION, data: { ...ACTION.data, verificationStatus: 'MESSAGE_SENT' } }] };
    assert.deepEqual(mfa.applyStatus(withStatus, event), withStatus);
    const verified = mfa.applyStatus(withStatus, { ...event, mfaStatus: 'VERIFIED' });
    assert.equal(verified.decision, 'ALLOW');
  });

  it('reports a decided MFA to Kount against the decision’s correlation id, and settles once it has', async () => {
    const calls = new ScriptedMfaCalls({});
    const mfa = new AccountProtectionMfa(calls, new Limits(LIMIT_SETTINGS), silentLogger);
    mfa.reportDecided({ ...mfaSession, decision: 'BLOCK' }, 'OTP_EXPIRED', NOW + 5_000);
    mfa.reportDecided(mfaSession, undefined, NOW + 5_000);
    await mfa.settled();
    assert.equal(calls.reports.length, 1, 'an undecided session is not reported');
    assert.deepEqual(
      [calls.reports[0]?.decisionCorrelationId, calls.reports[0]?.challengeType, calls.reports[0]?.challengeStatus, calls.reports[0]?.failureType],
      ['correlation-1', 'EmailPIN', 'Failed', 'TimedOut'],
    );
  });
});
