import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionView } from '../../src/contract/browser.js';
import { maskEmail, maskPhoneNumber } from '../../src/relay/channels.js';
import { Methods } from '../../src/relay/methods/index.js';
import type { Session } from '../../src/relay/sessions.js';
import { buildView } from '../../src/relay/view.js';
import { methodDependencies, NOW, session as fixtureSession } from './methods/fixtures.js';

// Views read the limits only; building one never calls Kount (the scripted one has no answers).
const limits = new Methods(methodDependencies());

function session(overrides: Partial<Session> = {}): Session {
  return fixtureSession({ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP' } }, overrides);
}

describe('masking', () => {
  it('keeps the country code and the last four digits of a phone number', () => {
    assert.equal(maskPhoneNumber('+14155554567'), '+1 *** *** 4567');
    assert.equal(maskPhoneNumber('+1 (415) 555-4567'), '+1 *** *** 4567');
    assert.equal(maskPhoneNumber('+447700900123'), '+44 *** *** 0123');
    assert.equal(maskPhoneNumber('+353861234567'), '+353 *** *** 4567');
    assert.equal(maskPhoneNumber('4155554567'), '*** *** 4567');
  });

  it('shows fewer digits of a very short number', () => {
    assert.equal(maskPhoneNumber('+4912345'), '+49 *** *** 45');
    assert.equal(maskPhoneNumber('123'), '*** *** ****');
  });

  it('keeps the first character and the domain of an e-mail address', () => {
    assert.equal(maskEmail('olivia.shopper@example.com'), 'o***@example.com');
    assert.equal(maskEmail('a@b.co'), 'a***@b.co');
    assert.equal(maskEmail('not-an-address'), '***');
    assert.equal(maskEmail('@example.com'), '***');
  });
});

describe('buildView', () => {
  it('builds a contract-valid OTP challenge view with masked SMS destination', () => {
    const view = buildView(session(), NOW + 10_000, limits);
    assert.deepEqual(SessionView.parse(view), view);
    assert.deepEqual(view, {
      state: 'challenge',
      step: { index: 1, total: 1 },
      action: {
        method: 'OTP',
        channel: 'SMS',
        destination: '+1 *** *** 4567',
        codeLength: 6,
        // Kount gave no count: the relay's own, 5 wrong codes before its lockout.
        remainingAttempts: 5,
        remainingResends: 3,
        resendAvailableInSeconds: 20,
        lockedForSeconds: 0,
        codeExpiresInSeconds: null,
      },
      revision: 3,
    });
  });

  it("shows the fewer of Kount's attempts left and the wrong codes the relay takes before its lockout", () => {
    const attempts = (kount: number | undefined, failedOtpAttempts: number) => {
      const view = buildView(
        session({ failedOtpAttempts, actions: [{ method: 'OTP', status: 'CHALLENGE', data: { channelType: 'SMS_OTP', ...(kount === undefined ? {} : { remainingVerificationAttempts: kount }) } }] }),
        NOW + 10_000,
        limits,
      );
      return view.state === 'challenge' && view.action.method === 'OTP' ? view.action.remainingAttempts : undefined;
    };
    assert.equal(attempts(10, 0), 5, 'Kount allows 10, the relay locks after 5');
    assert.equal(attempts(10, 3), 2);
    assert.equal(attempts(1, 0), 1, 'Kount allows fewer');
    assert.equal(attempts(undefined, 4), 1);
    assert.equal(attempts(10, 5), 1, 'after a lockout has passed, one more before the next');
  });

  it('reads channel, counters, code length and expiry from Kount data', () => {
    const view = buildView(
      session({
        actions: [
          {
            method: 'otp',
            status: 'CHALLENGE',
            data: {
              channelType: 'EMAIL_OTP',
              remainingVerificationAttempts: 4,
              remainingSendAttempts: 1,
              expiresAt: new Date(NOW + 125_500).toISOString(),
              codeLength: 8,
            },
          },
        ],
        resendCount: 1,
        lockedUntil: NOW + 60_000,
      }),
      NOW + 500,
      limits,
    );
    assert.equal(view.state, 'challenge');
    if (view.state !== 'challenge' || view.action.method !== 'OTP') return;
    assert.equal(view.action.channel, 'EMAIL');
    assert.equal(view.action.destination, 'o***@example.com');
    assert.equal(view.action.codeLength, 8);
    assert.equal(view.action.remainingAttempts, 0, 'locked: none until the lockout ends, whatever Kount allows');
    assert.equal(view.action.remainingResends, 1, 'Kount allows 1, we allow 2: the smaller');
    assert.equal(view.action.lockedForSeconds, 60);
    assert.equal(view.action.codeExpiresInSeconds, 125);
  });

  it('counts the open step among all actions', () => {
    const view = buildView(
      session({
        actions: [
          { method: 'OTP', status: 'passed' },
          { method: 'KBA', status: 'challenge' },
        ],
      }),
      NOW,
      limits,
    );
    assert.deepEqual(view, { state: 'challenge', step: { index: 2, total: 2 }, action: { method: 'UNSUPPORTED', name: 'KBA' }, revision: 3 });
  });

  it('marks a method it does not know as UNSUPPORTED with its name', () => {
    const view = buildView(session({ actions: [{ method: 'VOICE', status: 'challenge' }] }), NOW, limits);
    assert.equal(view.state === 'challenge' && view.action.method === 'UNSUPPORTED' && view.action.name, 'VOICE');
  });

  it('never passes through method text that does not look like a method name', () => {
    for (const [raw, shown] of [['voice', 'VOICE'], ['eyJ.TOKEN-1.sig', 'UNKNOWN'], ['1234567890', 'UNKNOWN'], ['<img src=x>', 'UNKNOWN']]) {
      const view = buildView(session({ actions: [{ method: raw ?? '', status: 'challenge' }] }), NOW, limits);
      assert.equal(view.state === 'challenge' && view.action.method === 'UNSUPPORTED' && view.action.name, shown);
    }
  });

  it('shows a decided session as its decision only', () => {
    assert.deepEqual(buildView(session({ decision: 'ALLOW', revision: 5 }), NOW, limits), { state: 'decided', decision: 'ALLOW', revision: 5 });
  });
});
