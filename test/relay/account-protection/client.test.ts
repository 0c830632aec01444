/** Account Protection calls through the relay's Kount client: paths, headers, bodies, no retries, correlation ids, the v1 facade. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayError } from '../../../src/relay/errors.js';
import { KountClient } from '../../../src/relay/kount-client.js';
import { AccountProtectionClient, AccountProtectionV1 } from '../../../src/relay/account-protection/index.js';
import { createFakeClock, createFakeSleep } from '../fake-clock.js';
import { AP_PATHS, type ApEndpoint, FakeAccountProtection } from './fake-account-protection.js';
import { ASSESS_PATH, FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, VERIFY_PATH } from '../fake-kount.js';
import { createCapturingLogger } from '../helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(paths: Partial<Record<ApEndpoint, string>> = {}) {
  const clock = createFakeClock();
  const kount = new FakeKount(clock);
  const upstream = new FakeAccountProtection(kount);
  const { sleep, delays } = createFakeSleep(clock);
  const kountClient = new KountClient({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    timeoutMs: 500,
    paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
    fetch: upstream.fetch,
    now: clock.now,
    random: () => 0.5,
    sleep,
    logger: createCapturingLogger(),
  });
  const client = new AccountProtectionClient(kountClient, { paths });
  return { kount, upstream, client, kountClient, delays };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<RelayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RelayError, `expected a RelayError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const loginRequest = {
  inquiryId: 'inquiry1',
  channel: 'WEB',
  deviceSessionId: 'device1',
  userIp: '192.168.0.1',
  loginUrl: 'https://shop.test/login',
  account: { id: 'user-1', username: 'olivia', userPassword: 'hash' },
  person: { emailAddress: 'login-sms@example.com', phoneNumber: '+15550104567' },
  strategy: { mfaTemplateName: 'LoginSms' },
};
const naoRequest = {
  inquiryId: 'inquiry2',
  deviceSessionId: 'device1',
  account: { id: 'user-2', username: 'new.user' },
  person: { emailAddress: 'signup-email@example.com' },
  strategy: { verificationTemplateName: 'SignUpEmail' },
};
const outcomeRequest = {
  inquiryId: 'inquiry1',
  deviceSessionId: 'device1',
  decisionCorrelationId: 'decision-1',
  challengeType: 'TextPIN' as const,
  challengeStatus: 'Success' as const,
  sentTimestamp: '2024-05-01T10:00:00.000Z',
  completedTimestamp: '2024-05-01T10:01:00.000Z',
};
const failedAttemptRequest = {
  inquiryId: 'inquiry1',
  deviceSessionId: 'device1',
  userIp: '192.168.0.1',
  account: { id: 'user-1', username: 'olivia', password: 'hash-of-wrong-password' },
};

/** Each call, how to make it, and the JSON body Kount must receive. */
const CALLS: Array<{ endpoint: ApEndpoint; run: (client: AccountProtectionClient) => Promise<unknown>; body: unknown }> = [
  { endpoint: 'login', run: (client) => client.login(loginRequest), body: loginRequest },
  { endpoint: 'newAccountOpening', run: (client) => client.newAccountOpening(naoRequest), body: naoRequest },
  { endpoint: 'challengeOutcome', run: (client) => client.challengeOutcome(outcomeRequest), body: outcomeRequest },
  { endpoint: 'failedAttempt', run: (client) => client.failedAttempt(failedAttemptRequest), body: failedAttemptRequest },
  { endpoint: 'resend', run: (client) => client.resend('mfa-1'), body: { sessionId: 'mfa-1' } },
  { endpoint: 'verifyPasscode', run: (client) => client.verifyPasscode('mfa-1', '123456'), body: { sessionId: 'mfa-1', otp: '123456' } },
];

describe('AccountProtectionClient: each call', () => {
  for (const call of CALLS) {
    it(`${call.endpoint}: POST ${AP_PATHS[call.endpoint]} with bearer, client id, correlation id, JSON and the exact body`, async () => {
      const { upstream, kount, client } = setup();
      await call.run(client);
      const [request] = upstream.to(call.endpoint);
      assert.ok(request);
      assert.equal(upstream.to(call.endpoint).length, 1);
      assert.equal(request.method, 'POST');
      assert.equal(request.url, FAKE_API_URL + AP_PATHS[call.endpoint]);
      assert.equal(request.headers.authorization, `Bearer ${kount.issuedTokens[0]}`);
      assert.equal(request.headers['x-client-id'], FAKE_CLIENT_ID);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(request.headers['x-correlation-id'] ?? '', UUID);
      assert.deepEqual(JSON.parse(request.body), call.body);
    });

    it(`${call.endpoint}: a 503 is not retried (the call changes state at Kount)`, async () => {
      const { upstream, client, delays } = setup();
      upstream.inject({ kind: 'status', status: 503, headers: { 'retry-after': '1' } });
      await rejectsWith(call.run(client), 'upstream_error');
      assert.equal(upstream.to(call.endpoint).length, 1);
      assert.deepEqual(delays, []);
    });

    it(`${call.endpoint}: a network error is not retried`, async () => {
      const { upstream, client } = setup();
      upstream.inject({ kind: 'network' });
      await rejectsWith(call.run(client), 'upstream_unavailable');
      assert.equal(upstream.to(call.endpoint).length, 1);
    });
  }

  it('a configured path replaces the default (the resend path is not published)', async () => {
    const { upstream, client } = setup({ resend: '/login/v2/mfa/resend' });
    upstream.answers.resend = { body: { mfaStatus: 'MESSAGE_SENT' } };
    // The fake knows only its own paths, so the configured one lands on FakeKount's "unknown operation".
    await rejectsWith(client.resend('mfa-1'), 'upstream_error');
    assert.equal(upstream.requests.at(-1)?.url, `${FAKE_API_URL}/login/v2/mfa/resend`);
  });

  it('refuses an invalid request before calling Kount and names the field', async () => {
    const { upstream, client } = setup();
    const error = await rejectsWith(client.login({ ...loginRequest, inquiryId: 'has-hyphens' }), 'invalid_body');
    assert.equal(error.field, 'login request.inquiryId');
    assert.equal(upstream.requests.length, 0);
  });

  it('a 401 gets one fresh token and one more try; a second 401 fails', async () => {
    const { upstream, kount, client } = setup();
    await client.login(loginRequest);
    upstream.revokeIssuedTokens();
    await client.login(loginRequest);
    assert.equal(upstream.to('login').length, 3);
    assert.equal(kount.issuedTokens.length, 2);
    assert.equal(upstream.to('login')[2]?.headers.authorization, `Bearer ${kount.issuedTokens[1]}`);

    upstream.inject({ kind: 'status', status: 401 }, { kind: 'status', status: 401 });
    await rejectsWith(client.failedAttempt(failedAttemptRequest), 'upstream_auth_failed');
    assert.equal(upstream.to('failedAttempt').length, 2);
  });
});

describe('AccountProtectionClient: decisions', () => {
  it('reads the decision case-insensitively and describes the MFA Kount started', async () => {
    const { upstream, client } = setup();
    upstream.answers.login = { body: { decision: 'Challenge', mfa: { ID: 'mfa-9', type: 'EMAIL_NONCE_OTH' } } };
    const answer = await client.login(loginRequest);
    assert.equal(answer.decision, 'CHALLENGE');
    assert.deepEqual(answer.challenge, { id: 'mfa-9', type: 'EMAIL_NONCE_OTH', kind: { channel: 'EMAIL', method: 'OTH' } });
    upstream.answers.login = { body: { decision: 'allow' } };
    assert.equal((await client.login(loginRequest)).decision, 'ALLOW');
    upstream.answers.login = { body: { decision: 'REVIEW_LATER' } };
    assert.equal((await client.login(loginRequest)).decision, undefined);
  });

  it('keeps the x-correlation-id of the Login answer and sends it as decisionCorrelationId in the Challenge Outcome', async () => {
    const { upstream, client } = setup();
    const answer = await client.login(loginRequest);
    assert.equal(answer.decisionCorrelationId, 'decision-1');
    assert.notEqual(answer.decisionCorrelationId, upstream.to('login')[0]?.headers['x-correlation-id']);
    await client.challengeOutcomeFor(answer, { challengeType: 'TextPIN', challengeStatus: 'Failed', failureType: 'IncorrectResponse' });
    const sent = JSON.parse(upstream.to('challengeOutcome')[0]?.body ?? '{}') as Record<string, unknown>;
    assert.deepEqual(sent, {
      deviceSessionId: 'device1',
      challengeType: 'TextPIN',
      challengeStatus: 'Failed',
      failureType: 'IncorrectResponse',
      inquiryId: 'inquiry1',
      decisionCorrelationId: 'decision-1',
    });
    // The outcome call has a correlation id of its own.
    assert.notEqual(upstream.to('challengeOutcome')[0]?.headers['x-correlation-id'], 'decision-1');
  });

  it('keeps the NAO answer’s correlation id too, and falls back to the request’s own id when Kount sends none', async () => {
    const { upstream, client } = setup();
    const nao = await client.newAccountOpening(naoRequest);
    assert.equal(nao.decisionCorrelationId, 'decision-1');
    upstream.answers.login = { body: { decision: 'ALLOW' }, correlationId: null };
    const login = await client.login(loginRequest);
    assert.equal(login.decisionCorrelationId, upstream.to('login')[0]?.headers['x-correlation-id']);
  });

  it('callJson accepts configured paths only (a full URL is refused)', async () => {
    const { kountClient, upstream } = setup();
    await assert.rejects(kountClient.callJson('login', 'https://elsewhere.test/login/v2', {}, { safeParse: () => ({ success: true }) } as never), TypeError);
    await assert.rejects(kountClient.callJson('login', '//elsewhere.test/login/v2', {}, { safeParse: () => ({ success: true }) } as never), TypeError);
    assert.equal(upstream.requests.length, 0);
  });
});

describe('AccountProtectionV1: v1 in, v2 to Kount, v1 out', () => {
  const v1Login = {
    clientId: '900900',
    sessionId: 'device1',
    userId: 'user-1',
    username: 'olivia',
    userPassword: 'hash',
    userIp: '192.168.0.1',
    mfaEmail: 'login-sms@example.com',
    mfaPhone: '+15550104567',
    userAgent: 'Mozilla/5.0',
    context: 'LOGIN',
    workflow: { mfaTemplate: 'LoginSms' },
  };

  it('sends Login v2 and answers in v1, reporting the fields v2 dropped', async () => {
    const { upstream, client } = setup();
    const v1 = new AccountProtectionV1(client, { channel: 'WEB' });
    const answer = await v1.login(v1Login);
    const sent = JSON.parse(upstream.to('login')[0]?.body ?? '{}') as Record<string, unknown>;
    assert.match(String(sent.inquiryId), /^[0-9a-f]{32}$/);
    assert.deepEqual({ ...sent, inquiryId: '(generated)' }, {
      inquiryId: '(generated)',
      channel: 'WEB',
      deviceSessionId: 'device1',
      userIp: '192.168.0.1',
      account: { id: 'user-1', username: 'olivia', userPassword: 'hash' },
      person: { emailAddress: 'login-sms@example.com', phoneNumber: '+15550104567' },
      strategy: { mfaTemplateName: 'LoginSms' },
    });
    assert.deepEqual(answer.body, { guidance: 'Challenge', decision: 'Challenge', sessionId: 'device1', mfaId: 'mfa-1', mfaType: 'SMS_OTP' });
    assert.deepEqual(answer.deprecated, ['clientId', 'userAgent', 'context']);
    assert.equal(answer.decisionCorrelationId, 'decision-1');
  });

  it('a v1 Challenge Outcome refers to the Login’s decision and reuses its inquiryId', async () => {
    const { upstream, client } = setup();
    const v1 = new AccountProtectionV1(client);
    const login = await v1.login(v1Login);
    const outcome = await v1.challengeOutcome({
      challengeOutcome: {
        clientId: '900900',
        loginDecisionCorrelationId: login.decisionCorrelationId,
        challengeType: 'TextPIN',
        challengeStatus: 'Success',
        userId: 'user-1',
      },
    });
    const loginSent = JSON.parse(upstream.to('login')[0]?.body ?? '{}') as Record<string, unknown>;
    const outcomeSent = JSON.parse(upstream.to('challengeOutcome')[0]?.body ?? '{}') as Record<string, unknown>;
    assert.equal(outcomeSent.decisionCorrelationId, 'decision-1');
    assert.equal(outcomeSent.inquiryId, loginSent.inquiryId);
    assert.equal(outcomeSent.userId, undefined);
    assert.deepEqual(outcome.deprecated, ['challengeOutcome.clientId', 'challengeOutcome.userId']);
  });

  it('the combined v1 events call becomes a Failed Attempt and a Challenge Outcome', async () => {
    const { upstream, client } = setup();
    const v1 = new AccountProtectionV1(client, { newInquiryId: () => 'inquiry7' });
    const answer = await v1.events({
      failedAttempt: { userId: 'user-1', sessionId: 'device1', userPassword: 'wrong', userAgent: 'Mozilla/5.0' },
      challengeOutcome: { loginDecisionCorrelationId: 'decision-5', challengeType: 'EmailLink', challengeStatus: 'Failed', failureType: 'ExpiredLink' },
    });
    assert.deepEqual(JSON.parse(upstream.to('failedAttempt')[0]?.body ?? '{}'), {
      inquiryId: 'inquiry7',
      deviceSessionId: 'device1',
      account: { id: 'user-1', password: 'wrong' },
    });
    assert.equal((JSON.parse(upstream.to('challengeOutcome')[0]?.body ?? '{}') as { failureType: string }).failureType, 'ExpiredLink');
    assert.deepEqual(answer.deprecated, ['failedAttempt.userAgent']);
  });

  it('refuses an unknown v1 field by name, and a Login without the username v2 requires, without calling Kount', async () => {
    const { upstream, client } = setup();
    const v1 = new AccountProtectionV1(client);
    const unknown = await rejectsWith(v1.login({ ...v1Login, sessionID: 'typo' }), 'invalid_body');
    assert.match(unknown.message, /sessionID/);
    const { username: _username, ...withoutUsername } = v1Login;
    const missing = await rejectsWith(v1.login(withoutUsername), 'invalid_body');
    assert.equal(missing.field, 'login request.username');
    assert.equal(upstream.requests.length, 0);
  });

  it('sends NAO v2 and answers in v1 with the verification fields', async () => {
    const { upstream, client } = setup();
    upstream.answers.newAccountOpening = {
      body: { decision: 'CHALLENGE', deviceSessionId: 'device1', verification: { ID: 'ver-1', type: 'EMAIL_OTP' }, policyManagement: { segmentExecuted: { ID: 's1', name: 'New' } } },
    };
    const v1 = new AccountProtectionV1(client);
    const answer = await v1.newAccountOpening({ clientId: '900900', deviceSessionId: 'device1', account: { id: 'user-2' }, userType: 'Basic', strategy: { mfaTemplate: 'SignUpEmail' } });
    const sent = JSON.parse(upstream.to('newAccountOpening')[0]?.body ?? '{}') as Record<string, unknown>;
    assert.deepEqual(sent.account, { id: 'user-2', type: 'Basic' });
    assert.deepEqual(sent.strategy, { verificationTemplateName: 'SignUpEmail' });
    assert.deepEqual(answer.body, {
      guidance: 'Challenge',
      decision: 'Challenge',
      userProfile: 'New',
      userSegment: 'New',
      deviceSessionId: 'device1',
      verificationId: 'ver-1',
      verificationType: 'EMAIL_OTP',
    });
    assert.deepEqual(answer.deprecated, ['clientId']);
  });
});

/**
 * Issue 9, item 3: Kount's own pages spell some fields two ways. Either is read; Kount is sent the
 * v2 tables' names (seed 003): `account.userPassword` / `account.IsActive` for Login and NAO,
 * `account.password` for Failed Attempt, `naoUrl`; the MFA template as `strategy.mfaTemplateName`
 * (seed 002 and the live-tested example, kount-api.md section 8).
 */
describe('AccountProtectionClient: both spellings in, one out (issue 9, item 3)', () => {
  const sentBody = (upstream: FakeAccountProtection, endpoint: ApEndpoint) => JSON.parse(upstream.to(endpoint).at(-1)?.body ?? '{}') as Record<string, Record<string, unknown>>;

  it('Login v2: account.password and accountIsActive, strategy.mfaTemplate are sent as userPassword, IsActive and mfaTemplateName', async () => {
    const { upstream, client } = setup();
    await client.login({ ...loginRequest, account: { id: 'user-1', username: 'olivia', password: 'hash', accountIsActive: true }, strategy: { mfaTemplate: 'LoginSms' } });
    const sent = sentBody(upstream, 'login');
    assert.deepEqual(sent.account, { id: 'user-1', username: 'olivia', userPassword: 'hash', IsActive: true });
    assert.deepEqual(sent.strategy, { mfaTemplateName: 'LoginSms' });
    await client.login({ ...loginRequest, account: { id: 'user-1', username: 'olivia', userPassword: 'hash', IsActive: false } });
    assert.deepEqual(sentBody(upstream, 'login').account, { id: 'user-1', username: 'olivia', userPassword: 'hash', IsActive: false }, 'the tables’ own names pass as they are');
  });

  it('NAO v2: newAccountOpeningUrl is sent as naoUrl, the account like Login’s, a template named either way as verificationTemplateName', async () => {
    const { upstream, client } = setup();
    await client.newAccountOpening({
      ...naoRequest,
      newAccountOpeningUrl: 'https://shop.test/open',
      account: { id: 'user-2', username: 'new.user', password: 'hash', accountIsActive: true },
      strategy: { mfaTemplate: 'SignUp' },
    });
    const sent = sentBody(upstream, 'newAccountOpening');
    assert.equal(sent.naoUrl as unknown, 'https://shop.test/open');
    assert.equal(sent.newAccountOpeningUrl, undefined);
    assert.deepEqual(sent.account, { id: 'user-2', username: 'new.user', userPassword: 'hash', IsActive: true });
    assert.deepEqual(sent.strategy, { verificationTemplateName: 'SignUp' });
  });

  it('Failed Attempt v2: Login’s account.userPassword is sent as account.password', async () => {
    const { upstream, client } = setup();
    await client.failedAttempt({ ...failedAttemptRequest, account: { id: 'user-1', username: 'olivia', userPassword: 'wrong-hash' } });
    assert.deepEqual(sentBody(upstream, 'failedAttempt').account, { id: 'user-1', username: 'olivia', password: 'wrong-hash' });
  });

  it('both spellings with different values is refused by name, before Kount is called', async () => {
    const { upstream, client } = setup();
    const error = await rejectsWith(client.newAccountOpening({ ...naoRequest, naoUrl: 'https://shop.test/a', newAccountOpeningUrl: 'https://shop.test/b' }), 'invalid_body');
    assert.match(error.message, /naoUrl or newAccountOpeningUrl/);
    assert.equal(error.field, 'new account opening request.newAccountOpeningUrl');
    await rejectsWith(client.login({ ...loginRequest, account: { id: 'user-1', username: 'olivia', userPassword: 'a', password: 'b' } }), 'invalid_body');
    assert.equal(upstream.requests.length, 0);
    // The same value twice is one field, not a conflict.
    await client.login({ ...loginRequest, account: { id: 'user-1', username: 'olivia', userPassword: 'a', password: 'a' } });
    assert.deepEqual(sentBody(upstream, 'login').account, { id: 'user-1', username: 'olivia', userPassword: 'a' });
  });

  it('decisions in either casing: Allow, ALLOW, Challenge, CHALLENGE', async () => {
    const { upstream, client } = setup();
    for (const [raw, read] of [['Allow', 'ALLOW'], ['ALLOW', 'ALLOW'], ['Block', 'BLOCK'], ['CHALLENGE', 'CHALLENGE'], ['Challenge', 'CHALLENGE']] as const) {
      upstream.answers.newAccountOpening = { body: { decision: raw } };
      assert.equal((await client.newAccountOpening(naoRequest)).decision, read, raw);
    }
  });
});
