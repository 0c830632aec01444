/** Account Protection schemas: every Login v1 pattern and enum (seed 001) with valid and invalid values, and the v2 essentials. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accountProtectionDecision,
  ChallengeOutcomeV2Request,
  FailedAttemptV2Request,
  LoginV1Request,
  LoginV2Request,
  LoginV2Response,
  mfaKind,
  NewAccountOpeningV2Response,
} from '../../src/contract/kount/index.js';

const minimal = { clientId: '900900', sessionId: 'd121ea2210434ffc8a90daff9cc97e76', userId: 'meoyyd8za8jdmwfm' };

/** The sample request of seed 001, verbatim. */
const seedSample = {
  clientId: '900900',
  sessionId: 'd121ea2210434ffc8a90daff9cc97e76',
  userId: 'meoyyd8za8jdmwfm',
  username: 'meoyyd8za8jdmwfm',
  userPassword: '38401eb46f8fbb74c1846a5f47f68d83a9bef126b1d4143f886cd464323cdaab',
  userIp: '192.168.0.1',
  userAuthenticationStatus: 'true',
  userCreationDate: '2022-08-01T20:07:07Z',
  userType: 'VIP',
  mfaPhone: '+12081234567',
  mfaEmail: 'username@example.com',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36',
  context: 'LOGIN',
};

const FIELDS: Array<{ field: string; valid: unknown[]; invalid: unknown[] }> = [
  { field: 'clientId', valid: ['9', 'a'.repeat(64), 'AbC123'], invalid: ['', 'a'.repeat(65), 'client-1', 'client 1', 900900] },
  { field: 'sessionId', valid: ['', 'abc_DEF-123', 'x'.repeat(32)], invalid: ['x'.repeat(33), 'has space', 'dot.ted', 'é'] },
  { field: 'userId', valid: ['u', 'x'.repeat(255), 'any thing: @#!'], invalid: ['', 'x'.repeat(256), 42] },
  { field: 'username', valid: ['', 'x'.repeat(128)], invalid: ['x'.repeat(129), 42] },
  { field: 'userPassword', valid: ['', 'f'.repeat(128)], invalid: ['f'.repeat(129)] },
  { field: 'userIp', valid: ['192.168.0.1', '10.0.0.255'], invalid: ['256.1.1.1', '::1', '192.168.0', 'localhost'] },
  { field: 'loginUrl', valid: ['', 'https://shop.test/login', 'x'.repeat(256)], invalid: ['x'.repeat(257)] },
  { field: 'userAuthenticationStatus', valid: ['true', 'A1'], invalid: ['', 'not true', 'x'.repeat(65)] },
  {
    field: 'userCreationDate',
    valid: ['2022-08-01T20:07:07Z', '2022-08-01T20:07:07.123Z'],
    invalid: ['2022-08-01', '2022-08-01T20:07:07+02:00', '2022-08-01 20:07:07Z', 'yesterday'],
  },
  { field: 'userType', valid: ['VIP', 'x'.repeat(128)], invalid: ['', 'V.I.P', 'x'.repeat(129)] },
  {
    field: 'context',
    valid: ['LOGIN', 'PRE_AUTH', 'GIFT_CARD', 'LOYALTY', 'COUPON', 'FORM_FILL', 'MARKETING', 'PRE_LOGIN'],
    invalid: ['login', 'CHECKOUT', ''],
  },
  { field: 'preferredLanguageCode', valid: ['en', 'en-US', 'es-mx'], invalid: ['EN', 'eng', 'en_US', 'en-USA', ''] },
  { field: 'customFields', valid: [{ a: true, b: 1, c: 'x'.repeat(256) }, {}], invalid: [{ a: 'x'.repeat(257) }, { ['k'.repeat(257)]: 1 }, { a: null }] },
];

describe('Login v1 request (seed 001)', () => {
  it('accepts the seed’s own sample request', () => {
    assert.ok(LoginV1Request.safeParse(seedSample).success);
  });

  for (const { field, valid, invalid } of FIELDS) {
    it(`${field}: accepts ${valid.length} valid and refuses ${invalid.length} invalid values`, () => {
      for (const value of valid) assert.ok(LoginV1Request.safeParse({ ...minimal, [field]: value }).success, `${field} = ${JSON.stringify(value)} should pass`);
      for (const value of invalid) {
        const parsed = LoginV1Request.safeParse({ ...minimal, [field]: value });
        assert.ok(!parsed.success, `${field} = ${JSON.stringify(value)} should fail`);
        assert.equal(parsed.error.issues[0]?.path[0], field);
      }
    });
  }

  it('requires clientId, sessionId and userId; context is optional (Kount assumes LOGIN) and not filled in', () => {
    for (const field of ['clientId', 'sessionId', 'userId'] as const) {
      const { [field]: _left, ...rest } = minimal;
      assert.ok(!LoginV1Request.safeParse(rest).success, field);
    }
    const parsed = LoginV1Request.parse(minimal);
    assert.equal(parsed.context, undefined);
  });

  it('refuses an unknown field by name (so the v2 mapping never drops one silently)', () => {
    const parsed = LoginV1Request.safeParse({ ...minimal, sessionID: 'typo' });
    assert.ok(!parsed.success);
    assert.equal(parsed.error.issues[0]?.code, 'unrecognized_keys');
  });

  it('takes workflow.mfaTemplate as a name or as an object with mfaTargetUrl', () => {
    assert.ok(LoginV1Request.safeParse({ ...minimal, workflow: { mfaTemplate: 'LoginEmail', mfaType: 'EMAIL' } }).success);
    assert.ok(LoginV1Request.safeParse({ ...minimal, workflow: { mfaTemplate: { mfaTargetUrl: { success: 'https://s' } } } }).success);
    assert.ok(!LoginV1Request.safeParse({ ...minimal, workflow: { mfaTemplate: '' } }).success);
  });
});

describe('Account Protection v2', () => {
  const login = { inquiryId: 'inquiry1', deviceSessionId: 'device1', account: { id: 'user-1', username: 'olivia' } };

  it('Login v2 requires inquiryId (no hyphens), deviceSessionId, account.id and account.username', () => {
    assert.ok(LoginV2Request.safeParse(login).success);
    assert.ok(!LoginV2Request.safeParse({ ...login, inquiryId: '3f2c-11aa' }).success);
    for (const broken of [{ ...login, inquiryId: undefined }, { ...login, deviceSessionId: undefined }, { ...login, account: { id: 'user-1' } }, { ...login, account: { username: 'olivia' } }]) {
      assert.ok(!LoginV2Request.safeParse(broken).success, JSON.stringify(broken));
    }
  });

  it('person.address.addressType is one of UNKNOWN_ADDRESS_TYPE, BILLING, SHIPPING', () => {
    for (const addressType of ['UNKNOWN_ADDRESS_TYPE', 'BILLING', 'SHIPPING']) {
      assert.ok(LoginV2Request.safeParse({ ...login, person: { address: { addressType } } }).success);
    }
    assert.ok(!LoginV2Request.safeParse({ ...login, person: { address: { addressType: 'HOME' } } }).success);
  });

  it('passes fields Kount may add through to Kount (loose v2 requests)', () => {
    const parsed = LoginV2Request.parse({ ...login, person: { addresses: [{ city: 'Boise' }] }, account: { ...login.account, accountIsActive: true } });
    assert.deepEqual((parsed.person as Record<string, unknown>).addresses, [{ city: 'Boise' }]);
  });

  it('Challenge Outcome v2 checks the challenge vocabulary', () => {
    const outcome = { inquiryId: 'i1', decisionCorrelationId: 'c1', challengeType: 'TextPIN', challengeStatus: 'Success' };
    assert.ok(ChallengeOutcomeV2Request.safeParse(outcome).success);
    assert.ok(ChallengeOutcomeV2Request.safeParse({ ...outcome, challengeStatus: 'Failed', failureType: 'ExpiredLink' }).success);
    assert.ok(!ChallengeOutcomeV2Request.safeParse({ ...outcome, challengeType: 'SMS' }).success);
    assert.ok(!ChallengeOutcomeV2Request.safeParse({ ...outcome, failureType: 'Expired' }).success);
    assert.ok(!ChallengeOutcomeV2Request.safeParse({ ...outcome, decisionCorrelationId: undefined }).success);
  });

  it('Failed Attempt v2 carries the wrong password as account.password', () => {
    assert.ok(FailedAttemptV2Request.safeParse({ inquiryId: 'i1', account: { id: 'user-1', password: 'hash' } }).success);
    assert.ok(!FailedAttemptV2Request.safeParse({ inquiryId: 'i1' }).success);
  });

  it('reads ALLOW / BLOCK / CHALLENGE in any casing; other values are not decisions', () => {
    for (const [raw, folded] of [['ALLOW', 'ALLOW'], ['Allow', 'ALLOW'], [' block ', 'BLOCK'], ['challenge', 'CHALLENGE']] as const) {
      assert.equal(accountProtectionDecision(raw), folded);
    }
    for (const raw of ['REVIEW', 'Decline', 'maybe', '']) assert.equal(accountProtectionDecision(raw), raw === 'Decline' ? 'BLOCK' : undefined);
  });

  it('decision answers keep the raw decision and accept mfa.Error / verification.error as a code or an object', () => {
    assert.equal(LoginV2Response.parse({ decision: 'Challenge', mfa: { ID: 'm1', Error: 'NOT_ENOUGH_INFO' } }).decision, 'Challenge');
    assert.ok(NewAccountOpeningV2Response.safeParse({ decision: 'ALLOW', verification: { ID: 'v1', error: { code: 'X' } } }).success);
    assert.ok(!LoginV2Response.safeParse({ mfa: { ID: 'm1' } }).success);
  });

  it('mfaKind tells a passcode from a link and SMS from e-mail', () => {
    assert.deepEqual(mfaKind('SMS_OTP'), { channel: 'SMS', method: 'OTP' });
    assert.deepEqual(mfaKind('email_otp'), { channel: 'EMAIL', method: 'OTP' });
    assert.deepEqual(mfaKind('EMAIL_NONCE_OTH'), { channel: 'EMAIL', method: 'OTH' });
    assert.deepEqual(mfaKind('SMS_NONCE_OTH'), { channel: 'SMS', method: 'OTH' });
    assert.deepEqual(mfaKind('EMAIL'), { channel: 'EMAIL', method: undefined });
    assert.equal(mfaKind('PUSH'), undefined);
    assert.equal(mfaKind(undefined), undefined);
  });
});
