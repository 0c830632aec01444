import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrategyAction } from '../../../src/contract/kount/index.js';
import { RelayError } from '../../../src/relay/errors.js';
import { otpMethod } from '../../../src/relay/methods/otp.js';
import { kountAnswer, methodDependencies, NOW, ScriptedKount, session } from './fixtures.js';

const OTP: StrategyAction = { method: 'OTP', status: 'challenge', data: { channelType: 'EMAIL_OTP' } };
const wrongCode = kountAnswer({ ...OTP, data: { ...OTP.data, verificationStatus: 'VERIFICATION_ATTEMPT_FAILED' } });
const refusedWith = (code: string) => (error: unknown) => error instanceof RelayError && error.code === code;

describe('OTP method', () => {
  it('sent its first code on the action’s channel and shows it masked', () => {
    const method = otpMethod(methodDependencies());
    assert.equal(method.firstSend(OTP, session(OTP)), 'EMAIL');
    const view = method.view(OTP, session(OTP), NOW);
    assert.equal(view.method === 'OTP' && view.destination, 'o***@example.com');
  });

  it('counts a code before Kount is asked, sends it once, and keeps a wrong one counted', async () => {
    const kount = new ScriptedKount(wrongCode);
    const answer = otpMethod(methodDependencies(kount)).answer?.(OTP, { method: 'OTP', otp: '123456' }, session(OTP), NOW);
    assert.ok(answer);
    assert.equal(answer.sends, null, 'an answer sends nothing');
    const reserved = answer.reserve(session(OTP), NOW);
    assert.equal(reserved.answersInFlight?.length, 1);
    const reply = await answer.call(reserved);
    assert.deepEqual(kount.requests[0]?.strategy.actions, [{ method: 'OTP', data: { otp: '123456' } }]);
    const settled = answer.settle(reserved, reply, NOW);
    assert.equal(settled.outcome, 'wrong_code');
    assert.equal(settled.session.failedOtpAttempts, 1);
    assert.equal(settled.session.answersInFlight, undefined, 'the answer is no longer in flight');
    assert.ok(refusedWith('wrong_code')(settled.refusal));
  });

  it('locks on the last wrong code the relay allows', () => {
    const answer = otpMethod(methodDependencies()).answer?.(OTP, { method: 'OTP', otp: '123456' }, session(OTP), NOW);
    assert.ok(answer);
    const reserved = answer.reserve(session(OTP, { failedOtpAttempts: 4 }), NOW);
    const settled = answer.settle(reserved, wrongCode, NOW);
    assert.equal(settled.session.failedOtpAttempts, 5);
    assert.equal(settled.session.lockedUntil, NOW + 300_000);
  });

  it('refuses a code while as many are in flight as may still be wrong (SECURITY 14)', () => {
    const method = otpMethod(methodDependencies());
    let current = session(OTP, { failedOtpAttempts: 3 });
    for (let count = 0; count < 2; count += 1) current = method.answer?.(OTP, { method: 'OTP', otp: '111111' }, current, NOW).reserve(current, NOW) ?? current;
    const third = method.answer?.(OTP, { method: 'OTP', otp: '111111' }, current, NOW);
    assert.throws(() => third?.reserve(current, NOW), refusedWith('too_many_attempts'));
  });

  it('gives the attempt back for a right code and for a call that failed', () => {
    const answer = otpMethod(methodDependencies()).answer?.(OTP, { method: 'OTP', otp: '123456' }, session(OTP), NOW);
    assert.ok(answer?.release);
    const reserved = answer.reserve(session(OTP), NOW);
    const settled = answer.settle(reserved, kountAnswer({ ...OTP, status: 'verified', data: { verificationStatus: 'VERIFIED' } }, 'ALLOW'), NOW);
    assert.equal(settled.outcome, 'decided');
    assert.equal(settled.session.decision, 'ALLOW');
    assert.equal(settled.session.failedOtpAttempts, 0);
    assert.equal(settled.refusal, undefined);
    assert.equal(answer.release(reserved, NOW).answersInFlight, undefined);
  });

  it('resends on its own channel only, once the interval has passed (SECURITY 15)', () => {
    const method = otpMethod(methodDependencies());
    const resend = method.resend?.(OTP, {}, session(OTP));
    assert.equal(resend?.sends, 'EMAIL');
    assert.throws(() => resend?.reserve(session(OTP), NOW + 10_000), refusedWith('resend_too_soon'));
    const reserved = resend?.reserve(session(OTP), NOW + 31_000);
    assert.equal(reserved?.resendCount, 1);
    assert.equal(reserved?.lastSendAt, NOW + 31_000);
    assert.throws(() => method.resend?.(OTP, { channel: 'SMS' }, session(OTP)), refusedWith('channel_unavailable'));
  });
});
