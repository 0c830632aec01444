import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerRequest, ErrorBody, SessionView, describeIssues, errorStatus } from '../../src/contract/index.js';

const otpView = {
  state: 'challenge',
  step: { index: 1, total: 1 },
  revision: 3,
  action: {
    method: 'OTP',
    channel: 'SMS',
    destination: '+1 *** *** 4567',
    codeLength: 6,
    remainingAttempts: null,
    remainingResends: 2,
    resendAvailableInSeconds: 0,
    lockedForSeconds: 0,
    codeExpiresInSeconds: 540,
  },
};

describe('relay browser API contract', () => {
  it('accepts an OTP challenge view and a decided view', () => {
    assert.equal(SessionView.parse(otpView).state, 'challenge');
    assert.deepEqual(SessionView.parse({ state: 'decided', decision: 'ALLOW', revision: 4 }), { state: 'decided', decision: 'ALLOW', revision: 4 });
  });

  it('refuses a view the elements could not render', () => {
    assert.equal(SessionView.safeParse({ state: 'decided', decision: 'CHALLENGE', revision: 1 }).success, false);
    assert.equal(SessionView.safeParse({ ...otpView, state: 'pending' }).success, false);
    assert.equal(SessionView.safeParse({ ...otpView, action: { ...otpView.action, channel: 'PIGEON' } }).success, false);
    assert.equal(SessionView.safeParse({ ...otpView, action: { method: 'KBA' } }).success, false);
  });

  it('names the field an answer got wrong', () => {
    const result = AnswerRequest.safeParse({ method: 'OTP', otp: '12ab56' });
    assert.equal(result.success, false);
    assert.match(describeIssues(result.error!), /^otp: /);
  });

  it('refuses extra fields in an answer so nothing unexpected reaches Kount', () => {
    const result = AnswerRequest.safeParse({ method: 'OTP', otp: '123456', strategyName: 'Other' });
    assert.equal(result.success, false);
    assert.match(describeIssues(result.error!), /unknown field strategyName/);
  });

  it('gives "unknown session", "wrong code" and "expired code" the same status', () => {
    assert.equal(errorStatus.session_unknown, errorStatus.wrong_code);
    assert.equal(errorStatus.code_expired, errorStatus.wrong_code);
    assert.equal(errorStatus.session_invalid, 401);
    assert.equal(errorStatus.too_many_attempts, 429);
  });

  it('reads an error body with its optional details', () => {
    const body = ErrorBody.parse({ error: { code: 'too_many_attempts', message: 'Wait.', retryAfterSeconds: 300 } });
    assert.equal(body.error.retryAfterSeconds, 300);
    assert.equal(ErrorBody.safeParse({ code: 'x' }).success, false);
  });
});
