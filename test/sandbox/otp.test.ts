import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTP_POLICY, SANDBOX_PATHS, type Sandbox } from '../../src/sandbox/index.js';
import { apiRequest, assess, type CaseAnswer, getToken, harness, onlyAction, readCase, verify, verifyBody, wrongCode } from './helpers.js';

const TEN_MINUTES = 10 * 60 * 1000;

async function openOtpCase(sandbox: Sandbox): Promise<{ token: string; opened: CaseAnswer; code: string }> {
  const token = await getToken(sandbox);
  const opened = await assess(sandbox, token, { email: 'otp@example.com' });
  const code = sandbox.messages.latest()?.code;
  assert.ok(code);
  return { token, opened, code };
}

describe('sandbox OTP verification', () => {
  it('uses the NIST-shaped policy: 6 digits, 10 minutes, 10 attempts, 3 resends', () => {
    assert.deepEqual(OTP_POLICY, { digits: 6, lifetimeMs: TEN_MINUTES, maxVerificationAttempts: 10, maxSends: 4 });
  });

  it('draws codes at random', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    for (let index = 0; index < 20; index += 1) await assess(sandbox, token, { email: 'otp@example.com' });
    const codes = new Set(sandbox.messages.list().map((message) => message.code));
    assert.ok(codes.size >= 15, `20 cases gave only ${codes.size} distinct codes`);
  });

  it('the right code verifies: VERIFIED, action passed, decision Allow', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const answer = await verify(sandbox, token, opened.raw, { otp: code });
    assert.equal(answer.raw.decision, 'Allow');
    assert.equal(answer.raw.authenticationId, opened.raw.authenticationId);
    const action = onlyAction(answer);
    assert.equal(action.status, 'passed');
    assert.equal(action.data.verificationStatus, 'VERIFIED');
    assert.equal(action.data['verificationAttempts'], '1');
    assert.equal(action.data['remainingVerificationAttempts'], '9');
    assert.equal(action.data.error, undefined);
  });

  it('a wrong code fails the attempt and keeps the challenge open', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const answer = await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
    assert.equal(answer.raw.decision, 'Challenge');
    const action = onlyAction(answer);
    assert.equal(action.status, 'challenge');
    assert.equal(action.data.verificationStatus, 'VERIFICATION_ATTEMPT_FAILED');
    assert.equal(action.data.error?.code, 'OTP_MISMATCH');
    assert.equal(typeof action.data.error?.message, 'string');
    assert.equal(action.data['verificationAttempts'], '1');
    assert.equal(action.data['remainingVerificationAttempts'], '9');
    const retried = await verify(sandbox, token, opened.raw, { otp: code });
    assert.equal(retried.raw.decision, 'Allow', 'the right code still works after a wrong one');
    assert.equal(onlyAction(retried).data.error, undefined, 'the old error is gone');
  });

  it('a code that is not six digits counts as a wrong attempt', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const answer = await verify(sandbox, token, opened.raw, { otp: `${code}0` });
    assert.equal(onlyAction(answer).data.error?.code, 'OTP_MISMATCH');
  });

  it('an expired code fails with OTP_EXPIRED and counts as an attempt', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const twin = await openOtpCase(sandbox);
    clock.advance(TEN_MINUTES - 1);
    const justInTime = await verify(sandbox, token, twin.opened.raw, { otp: twin.code });
    assert.equal(justInTime.raw.decision, 'Allow', 'a code is good until the last millisecond');
    clock.advance(1);
    const answer = await verify(sandbox, token, opened.raw, { otp: code });
    const action = onlyAction(answer);
    assert.equal(answer.raw.decision, 'Challenge');
    assert.equal(action.status, 'challenge');
    assert.equal(action.data.verificationStatus, 'VERIFICATION_ATTEMPT_FAILED');
    assert.equal(action.data.error?.code, 'OTP_EXPIRED');
    assert.equal(action.data['verificationAttempts'], '1');
    assert.equal(action.data['remainingVerificationAttempts'], '9');
  });

  it('a code works once: the finished case answers its final state again', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const first = await verify(sandbox, token, opened.raw, { otp: code });
    const again = await verify(sandbox, token, opened.raw, { otp: code });
    const wrongAfter = await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
    assert.deepEqual(again.raw, first.raw);
    assert.deepEqual(wrongAfter.raw, first.raw);
    assert.equal(onlyAction(again).data['verificationAttempts'], '1');
  });

  it('ten wrong codes terminate the case; the right one cannot revive it', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    let answer = opened;
    for (let attempt = 1; attempt < OTP_POLICY.maxVerificationAttempts; attempt += 1) {
      answer = await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
      assert.equal(answer.raw.decision, 'Challenge', `attempt ${attempt}`);
      assert.equal(onlyAction(answer).data['remainingVerificationAttempts'], String(10 - attempt));
    }
    answer = await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
    const action = onlyAction(answer);
    assert.equal(answer.raw.decision, 'Decline');
    assert.equal(action.status, 'failed');
    assert.equal(action.data.verificationStatus, 'TERMINATED');
    assert.equal(action.data['verificationAttempts'], '10');
    assert.equal(action.data['remainingVerificationAttempts'], '0');
    assert.equal(action.data.error?.code, 'VERIFICATION_ATTEMPTS_EXHAUSTED');
    const revival = await verify(sandbox, token, opened.raw, { otp: code });
    assert.deepEqual(revival.raw, answer.raw);
    const resend = await verify(sandbox, token, opened.raw, { resend: true });
    assert.deepEqual(resend.raw, answer.raw);
    assert.equal(sandbox.messages.list().length, 1, 'a terminated case sends nothing');
  });

  it('a resend sends a new code, kills the old one and updates the send counters', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, code: oldCode } = await openOtpCase(sandbox);
    clock.advance(60_000);
    const resent = await verify(sandbox, token, opened.raw, { resend: true });
    const action = onlyAction(resent);
    assert.equal(resent.raw.decision, 'Challenge');
    assert.equal(action.status, 'challenge');
    assert.equal(action.data.verificationStatus, 'MESSAGE_SENT');
    assert.equal(action.data['resendStatus'], 'SENT');
    assert.equal(action.data['sendAttempts'], '2');
    assert.equal(action.data['remainingSendAttempts'], '2');
    assert.equal(action.data['sentTimeStamp'], new Date(clock.now()).toISOString());
    assert.equal(action.data['expiresAt'], new Date(clock.now() + TEN_MINUTES).toISOString(), 'a fresh 10-minute life');
    const messages = sandbox.messages.list();
    assert.equal(messages.length, 2);
    const newCode = messages[0]?.code ?? '';
    assert.equal(messages[1]?.code, oldCode, 'newest first');

    assert.notEqual(newCode, oldCode);
    const withOld = await verify(sandbox, token, opened.raw, { otp: oldCode });
    assert.equal(onlyAction(withOld).data.error?.code, 'OTP_MISMATCH', 'the old code is dead');
    const withNew = await verify(sandbox, token, opened.raw, { otp: newCode });
    assert.equal(withNew.raw.decision, 'Allow');
  });

  it('a resend never resets the verification attempts', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
    await verify(sandbox, token, opened.raw, { otp: wrongCode(code) });
    const resent = await verify(sandbox, token, opened.raw, { resend: true });
    assert.equal(onlyAction(resent).data['verificationAttempts'], '2');
    assert.equal(onlyAction(resent).data['remainingVerificationAttempts'], '8');
  });

  it('a resend revives an expired code window', async () => {
    const { sandbox, clock } = harness();
    const { token, opened } = await openOtpCase(sandbox);
    clock.advance(TEN_MINUTES + 1);
    await verify(sandbox, token, opened.raw, { resend: true });
    const answer = await verify(sandbox, token, opened.raw, { otp: sandbox.messages.latest()?.code ?? '' });
    assert.equal(answer.raw.decision, 'Allow');
  });

  it('three resends are allowed; the fourth terminates the case with Decline', async () => {
    const { sandbox } = harness();
    const { token, opened } = await openOtpCase(sandbox);
    for (let resend = 1; resend <= 3; resend += 1) {
      const answer = await verify(sandbox, token, opened.raw, { resend: true });
      assert.equal(onlyAction(answer).data['remainingSendAttempts'], String(3 - resend));
    }
    const lastCode = sandbox.messages.latest()?.code ?? '';
    const refused = await verify(sandbox, token, opened.raw, { resend: true });
    const action = onlyAction(refused);
    assert.equal(refused.raw.decision, 'Decline');
    assert.equal(action.status, 'failed');
    assert.equal(action.data.verificationStatus, 'TERMINATED');
    assert.equal(action.data['resendStatus'], 'FAILED');
    assert.equal(action.data.error?.code, 'RESEND_LIMIT_REACHED');
    assert.equal(sandbox.messages.list().length, 4);
    const tooLate = await verify(sandbox, token, opened.raw, { otp: lastCode });
    assert.equal(tooLate.raw.decision, 'Decline', 'the last code died with the case');
  });

  it('a resend may name a new phone number', async () => {
    const { sandbox } = harness();
    const { token, opened } = await openOtpCase(sandbox);
    const body = { ...verifyBody(opened.raw, { resend: true }), phoneNumber: '+15559990000' };
    await readCase(await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, body, { token })));
    assert.equal(sandbox.messages.latest()?.to, '+15559990000');
  });

  it('the method is matched case-insensitively', async () => {
    const { sandbox } = harness();
    const { token, opened, code } = await openOtpCase(sandbox);
    const body = verifyBody(opened.raw, { otp: code }, 'otp');
    const answer = await readCase(await sandbox.fetch(apiRequest(SANDBOX_PATHS.verify, body, { token })));
    assert.equal(answer.raw.decision, 'Allow');
  });

  it('verifying an Allow or Decline case answers its state and changes nothing', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    for (const email of ['allow@example.com', 'block@example.com']) {
      const opened = await assess(sandbox, token, { email });
      const answer = await verify(sandbox, token, opened.raw, { otp: '123456' });
      assert.deepEqual(answer.raw, opened.raw);
    }
  });
});
