import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOpenAction, normalizeDecision } from '../../src/contract/kount/index.js';
import { DEFAULT_SMS_DESTINATION, PERSONAS, personaFor } from '../../src/sandbox/index.js';
import { assess, getToken, harness, onlyAction, verify } from './helpers.js';

describe('sandbox personas', () => {
  it('allow@example.com is allowed with no open action', async () => {
    const { sandbox } = harness();
    const answer = await assess(sandbox, await getToken(sandbox), { email: 'allow@example.com' });
    assert.equal(answer.raw.decision, 'Allow');
    assert.equal(normalizeDecision(answer.raw.decision), 'ALLOW');
    assert.deepEqual(answer.raw.strategy.actions, []);
    assert.equal(answer.raw.strategy.status, 'active');
    assert.equal(sandbox.messages.list().length, 0);
  });

  for (const applicant of [{ email: 'stranger@example.org' }, {}, undefined]) {
    it(`an unknown applicant (${JSON.stringify(applicant)}) is allowed`, async () => {
      const { sandbox } = harness();
      const answer = await assess(sandbox, await getToken(sandbox), applicant);
      assert.equal(answer.raw.decision, 'Allow');
      assert.equal(answer.parsed.strategy?.actions.filter(isOpenAction).length, 0);
    });
  }

  it('block@example.com is declined', async () => {
    const { sandbox } = harness();
    const answer = await assess(sandbox, await getToken(sandbox), { email: 'block@example.com' });
    assert.equal(answer.raw.decision, 'Decline');
    assert.equal(normalizeDecision(answer.raw.decision), 'BLOCK');
    assert.deepEqual(answer.raw.strategy.actions, []);
  });

  it('otp@example.com is challenged with an SMS code to the default number', async () => {
    const { sandbox, clock } = harness();
    const answer = await assess(sandbox, await getToken(sandbox), { email: '  OTP@Example.com ' });
    assert.equal(answer.raw.decision, 'Challenge');
    assert.match(answer.raw.authenticationId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(answer.raw.inquiryId.startsWith('inquiry-'), true);
    assert.equal(answer.raw.deviceSessionId?.startsWith('device-'), true);
    assert.equal(answer.raw.strategy.strategyName, 'StrategyWithStepUp');
    const action = onlyAction(answer);
    assert.equal(action.method, 'OTP');
    assert.equal(action.status, 'challenge');
    const sentAt = new Date(clock.now()).toISOString();
    assert.match(String(action.data['sessionId']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(action.data, {
      sessionId: action.data['sessionId'],
      mfaType: 'OTP',
      channelType: 'SMS_OTP',
      verificationStatus: 'MESSAGE_SENT',
      resendStatus: 'SENT',
      sendAttempts: '1',
      verificationAttempts: '0',
      remainingSendAttempts: '3',
      remainingVerificationAttempts: '10',
      sentTimeStamp: sentAt,
      expiresAt: new Date(clock.now() + 10 * 60 * 1000).toISOString(),
    });
    const [message] = sandbox.messages.list();
    assert.equal(message?.channel, 'SMS');
    assert.equal(message?.to, DEFAULT_SMS_DESTINATION);
    assert.equal(message?.authenticationId, answer.raw.authenticationId);
    assert.match(message?.code ?? '', /^\d{6}$/);
    assert.ok(message?.code !== undefined && message.body.includes(message.code));
  });

  it('otp@example.com texts the applicant’s own phone number when given', async () => {
    const { sandbox } = harness();
    await assess(sandbox, await getToken(sandbox), { email: 'otp@example.com', phoneNumber: '+15557654321' });
    assert.equal(sandbox.messages.latest()?.to, '+15557654321');
  });

  it('otp@example.com falls back to the default number when the phone number is blank', async () => {
    const { sandbox } = harness();
    await assess(sandbox, await getToken(sandbox), { email: 'otp@example.com', phoneNumber: '  ' });
    assert.equal(sandbox.messages.latest()?.to, DEFAULT_SMS_DESTINATION);
  });

  it('otp-email@example.com is challenged with an e-mailed code', async () => {
    const { sandbox } = harness();
    const answer = await assess(sandbox, await getToken(sandbox), { email: 'otp-email@example.com' });
    assert.equal(answer.raw.decision, 'Challenge');
    const action = onlyAction(answer);
    assert.equal(action.data['channelType'], 'EMAIL_OTP');
    assert.equal(action.data['mfaType'], 'OTP');
    const message = sandbox.messages.latest();
    assert.equal(message?.channel, 'EMAIL');
    assert.equal(message?.to, 'otp-email@example.com');
    const verified = await verify(sandbox, await getToken(sandbox), answer.raw, { otp: message?.code ?? '' });
    assert.equal(verified.raw.decision, 'Allow');
  });

  it('every case gets its own authenticationId and code', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const first = await assess(sandbox, token, { email: 'otp@example.com' });
    const second = await assess(sandbox, token, { email: 'otp@example.com' });
    assert.notEqual(first.raw.authenticationId, second.raw.authenticationId);
    assert.equal(sandbox.messages.list().length, 2);
  });

  it('the persona table is data: unique e-mails, lower case, and a lookup that ignores case', () => {
    const emails = PERSONAS.map((persona) => persona.email);
    assert.equal(new Set(emails).size, emails.length);
    for (const email of emails) {
      assert.equal(email, email.toLowerCase());
      assert.equal(personaFor(email.toUpperCase()).email, email);
    }
    assert.equal(personaFor('nobody@example.com').verdict, 'Allow');
  });
});
