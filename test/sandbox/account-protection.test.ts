/** The sandbox's Account Protection v2: personas, MFA by passcode and link, failed-attempt counting, events, and the relay against it. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MfaStatusUpdateEvent } from '../../src/contract/kount/index.js';
import { AccountProtectionClient } from '../../src/relay/account-protection/index.js';
import { KountClient } from '../../src/relay/kount-client.js';
import { ACCOUNT_PROTECTION_SANDBOX_PATHS as PATHS } from '../../src/sandbox/account-protection/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, type Sandbox } from '../../src/sandbox/index.js';
import { apiRequest, BASE_URL, type FakeClock, getToken, harness } from './helpers.js';

const PHONE = '+14155550100';

interface Answer {
  status: number;
  correlationId: string | null;
  body: Record<string, unknown>;
}

let sandbox: Sandbox;
let clock: FakeClock;
let token: string;
let deviceCounter = 0;

beforeEach(async () => {
  ({ sandbox, clock } = harness());
  token = await getToken(sandbox);
});

async function call(path: string, body: unknown, correlationId: string | null = null): Promise<Answer> {
  const response = await sandbox.fetch(apiRequest(path, body, { token, correlationId }));
  return { status: response.status, correlationId: response.headers.get('x-correlation-id'), body: (await response.json()) as Record<string, unknown> };
}

function login(email: string, options: { accountId?: string; template?: string | null; phone?: string } = {}) {
  deviceCounter += 1;
  return call(PATHS.login, {
    inquiryId: `inquiry${deviceCounter}`,
    deviceSessionId: `device${deviceCounter}`,
    account: { id: options.accountId ?? `account-${email}`, username: email },
    person: { emailAddress: email, ...(options.phone ? { phoneNumber: options.phone } : {}) },
    ...(options.template === null ? {} : { strategy: { mfaTemplateName: options.template ?? 'LoginTemplate' } }),
  });
}

function signUp(email: string) {
  deviceCounter += 1;
  return call(PATHS.newAccountOpening, {
    inquiryId: `inquiry${deviceCounter}`,
    deviceSessionId: `device${deviceCounter}`,
    account: { id: `new-${email}`, username: email },
    person: { emailAddress: email, phoneNumber: PHONE },
    strategy: { verificationTemplateName: 'SignUpTemplate' },
  });
}

const failedAttempt = (accountId: string) =>
  call(PATHS.failedAttempt, { inquiryId: 'inquiryFA', deviceSessionId: 'deviceFA', account: { id: accountId, username: 'someone', password: 'wrong' } });

async function events(mfaId: string) {
  const response = await sandbox.fetch(new Request(`${BASE_URL}${PATHS.events}?mfaId=${mfaId}`));
  return ((await response.json()) as { events: Array<Record<string, unknown>> }).events;
}

const idOf = (answer: Answer, key = 'mfa') => String((answer.body[key] as { ID: string }).ID);

describe('Account Protection sandbox: calls', () => {
  it('needs the bearer token and x-client-id like every sandbox API call', async () => {
    const body = { inquiryId: 'i1', deviceSessionId: 'd1', account: { id: 'a', username: 'u' } };
    for (const path of [PATHS.login, PATHS.newAccountOpening, PATHS.challengeOutcome, PATHS.failedAttempt, PATHS.resend, PATHS.verifyPasscode]) {
      assert.equal((await sandbox.fetch(apiRequest(path, body, { token: 'not-a-token' }))).status, 401, path);
      assert.equal((await sandbox.fetch(apiRequest(path, body, { token, clientId: '123' }))).status, 403, path);
    }
  });

  it('echoes the request’s x-correlation-id and makes one when there is none', async () => {
    const echoed = await call(PATHS.login, { inquiryId: 'i1', deviceSessionId: 'd1', account: { id: 'a', username: 'u' } }, 'my-correlation-id');
    assert.equal(echoed.correlationId, 'my-correlation-id');
    const made = await login('login-allow@example.com');
    assert.match(made.correlationId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('validates the v2 body and names the field', async () => {
    const answer = await call(PATHS.login, { inquiryId: 'with-hyphen', deviceSessionId: 'd1', account: { id: 'a', username: 'u' } });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.field, 'inquiryId');
  });
});

describe('Account Protection sandbox: personas', () => {
  const cases = [
    { persona: 'allow', decision: 'ALLOW' },
    { persona: 'block', decision: 'BLOCK' },
    { persona: 'sms', decision: 'CHALLENGE', type: 'SMS_OTP', to: PHONE, code: true },
    { persona: 'email', decision: 'CHALLENGE', type: 'EMAIL_OTP', to: 'email', code: true },
    { persona: 'link', decision: 'CHALLENGE', type: 'EMAIL_NONCE_OTH', to: 'email', code: false },
    { persona: 'sms-link', decision: 'CHALLENGE', type: 'SMS_NONCE_OTH', to: PHONE, code: false },
    { persona: 'challenge', decision: 'CHALLENGE' },
  ] as const;

  for (const flow of ['login', 'signup'] as const) {
    for (const expected of cases) {
      const email = `${flow}-${expected.persona}@example.com`;
      it(`${email}: ${expected.decision}${'type' in expected ? ` with ${expected.type}` : ' and no MFA'}`, async () => {
        const answer = flow === 'login' ? await login(email, { phone: PHONE }) : await signUp(email);
        const key = flow === 'login' ? 'mfa' : 'verification';
        assert.equal(answer.status, 200);
        assert.equal(answer.body.decision, expected.decision);
        if (!('type' in expected)) {
          assert.equal(answer.body[key], undefined);
          assert.equal(sandbox.messages.list().length, 0);
          return;
        }
        assert.equal((answer.body[key] as { type: string }).type, expected.type);
        const message = sandbox.messages.latest();
        assert.ok(message);
        assert.equal(message.to, expected.to === 'email' ? email : PHONE);
        assert.equal(message.channel, expected.type.startsWith('SMS') ? 'SMS' : 'EMAIL');
        assert.equal(message.authenticationId, idOf(answer, key));
        if (expected.code) assert.match(message.code ?? '', /^\d{6}$/);
        else assert.match(message.link ?? '', /^http:\/\/127\.0\.0\.1:4010\/sandbox\/account-protection\/links\/[\w-]{32}$/);
      });
    }
  }

  it('unknown e-mails are allowed; a CHALLENGE persona without a template name starts no MFA (seed 002)', async () => {
    assert.equal((await login('someone@example.com')).body.decision, 'ALLOW');
    const answer = await login('login-sms@example.com', { template: null });
    assert.equal(answer.body.decision, 'CHALLENGE');
    assert.equal(answer.body.mfa, undefined);
    assert.equal(sandbox.messages.list().length, 0);
  });

  it('an SMS persona without a phone number texts the default sandbox number', async () => {
    await login('login-sms@example.com');
    assert.equal(sandbox.messages.latest()?.to, '+15550104567');
  });
});

describe('Account Protection sandbox: failed attempts per account', () => {
  it('after 3 failed attempts the next login is CHALLENGE, after 6 BLOCK; other accounts are untouched', async () => {
    const decisions: unknown[] = [];
    for (let failures = 0; failures <= 6; failures += 1) {
      const answer = await login('login-allow@example.com', { accountId: 'acct-1' });
      decisions.push(answer.body.decision);
      if (failures < 6) assert.equal((await failedAttempt('acct-1')).status, 200);
    }
    assert.deepEqual(decisions, ['ALLOW', 'ALLOW', 'ALLOW', 'CHALLENGE', 'CHALLENGE', 'CHALLENGE', 'BLOCK']);
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-2' })).body.decision, 'ALLOW');
  });

  it('the failure-driven CHALLENGE names its policy and sends an e-mail passcode when a template is given', async () => {
    for (let index = 0; index < 3; index += 1) await failedAttempt('acct-3');
    const answer = await login('login-allow@example.com', { accountId: 'acct-3' });
    assert.equal(answer.body.decision, 'CHALLENGE');
    assert.deepEqual((answer.body.policyManagement as { policiesTriggered: unknown }).policiesTriggered, [
      { ID: 'sandbox-failed-attempts-challenge', Name: '3 or more failed attempts' },
    ]);
    assert.equal((answer.body.mfa as { type: string }).type, 'EMAIL_OTP');
  });

  it('a successful Challenge Outcome for the account’s decision clears its failures', async () => {
    for (let index = 0; index < 3; index += 1) await failedAttempt('acct-4');
    const challenged = await login('login-allow@example.com', { accountId: 'acct-4', template: null });
    assert.equal(challenged.body.decision, 'CHALLENGE');
    const failedOutcome = { inquiryId: 'inquiry1', decisionCorrelationId: challenged.correlationId, challengeType: 'TextPIN', challengeStatus: 'Failed' };
    assert.equal((await call(PATHS.challengeOutcome, failedOutcome)).status, 200);
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-4' })).body.decision, 'CHALLENGE');
    assert.equal((await call(PATHS.challengeOutcome, { ...failedOutcome, challengeStatus: 'Success' })).status, 200);
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-4' })).body.decision, 'ALLOW');
  });

  it('refuses a Challenge Outcome for a decision it never made', async () => {
    const answer = await call(PATHS.challengeOutcome, { inquiryId: 'i1', decisionCorrelationId: 'nope', challengeType: 'TextPIN', challengeStatus: 'Success' });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.field, 'decisionCorrelationId');
  });

  it('POST /sandbox/reset forgets the failures', async () => {
    for (let index = 0; index < 6; index += 1) await failedAttempt('acct-5');
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-5' })).body.decision, 'BLOCK');
    assert.equal((await sandbox.fetch(new Request(`${BASE_URL}/sandbox/reset`, { method: 'POST' }))).status, 204);
    token = await getToken(sandbox);
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-5' })).body.decision, 'ALLOW');
  });
});

describe('Account Protection sandbox: MFA by passcode', () => {
  it('a wrong code, then the inbox code: VERIFIED, each step an MFA.StatusUpdate webhook body', async () => {
    const mfaId = idOf(await login('login-sms@example.com', { phone: PHONE }));
    const code = sandbox.messages.latest()?.code;
    const wrong = await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.body.mfaStatus, 'VERIFICATION_ATTEMPT_FAILED');
    assert.deepEqual(wrong.body.error, { code: 'OTP_MISMATCH', message: 'The passcode does not match.' });
    const right = await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: code });
    assert.equal(right.body.mfaStatus, 'VERIFIED');
    assert.equal(right.body.verificationAttempts, '2');
    const sent = await events(mfaId);
    assert.deepEqual(sent.map((event) => event.mfaStatus), ['MESSAGE_SENT', 'VERIFICATION_ATTEMPT_FAILED', 'VERIFIED']);
    for (const event of sent) {
      assert.ok(MfaStatusUpdateEvent.safeParse(event).success);
      assert.equal(event.eventType, 'MFA.StatusUpdate');
      assert.equal(event.apiVersion, 'v1');
      assert.equal(event.clientId, SANDBOX_CLIENT_ID);
      assert.equal(typeof event.sendAttempts, 'string');
    }
  });

  it('a resend kills the old code; after 3 resends the MFA is TERMINATED', async () => {
    const mfaId = idOf(await login('login-email@example.com'));
    const first = sandbox.messages.latest()?.code;
    const resent = await call(PATHS.resend, { sessionId: mfaId });
    assert.equal(resent.body.mfaStatus, 'MESSAGE_SENT');
    assert.equal(resent.body.sendAttempts, '2');
    assert.notEqual(sandbox.messages.latest()?.code, first);
    assert.equal((await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: first })).body.mfaStatus, 'VERIFICATION_ATTEMPT_FAILED');
    await call(PATHS.resend, { sessionId: mfaId });
    await call(PATHS.resend, { sessionId: mfaId });
    const refused = await call(PATHS.resend, { sessionId: mfaId });
    assert.equal(refused.body.mfaStatus, 'TERMINATED');
    assert.equal((refused.body.error as { code: string }).code, 'RESEND_LIMIT_REACHED');
    assert.equal(sandbox.messages.list().length, 4);
  });

  it('an expired code counts as an attempt and says so', async () => {
    const mfaId = idOf(await login('login-sms@example.com'));
    clock.advance(10 * 60 * 1000);
    const answer = await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: sandbox.messages.latest()?.code });
    assert.equal(answer.body.mfaStatus, 'VERIFICATION_ATTEMPT_FAILED');
    assert.equal((answer.body.error as { code: string }).code, 'OTP_EXPIRED');
  });

  it('unknown MFA ids are 404; a link is not checked as a passcode', async () => {
    assert.equal((await call(PATHS.resend, { sessionId: 'unknown' })).status, 404);
    assert.equal((await call(PATHS.verifyPasscode, { sessionId: 'unknown', otp: '123456' })).status, 404);
    const mfaId = idOf(await login('login-link@example.com'));
    assert.equal((await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: '123456' })).status, 400);
  });

  it('a verified MFA clears the account’s failures', async () => {
    for (let index = 0; index < 3; index += 1) await failedAttempt('acct-6');
    const mfaId = idOf(await login('login-email@example.com', { accountId: 'acct-6' }));
    await call(PATHS.verifyPasscode, { sessionId: mfaId, otp: sandbox.messages.latest()?.code });
    assert.equal((await login('login-allow@example.com', { accountId: 'acct-6' })).body.decision, 'ALLOW');
  });
});

describe('Account Protection sandbox: MFA by one-time link', () => {
  const linkPath = () => new URL(sandbox.messages.latest()?.link ?? '').pathname;
  const open = (path: string) => sandbox.fetch(new Request(`${BASE_URL}${path}`));
  const answerLink = (path: string, choice: string) =>
    sandbox.fetch(
      new Request(`${BASE_URL}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `choice=${choice}` }),
    );

  it('opening the link changes nothing; "Yes, it’s me" verifies and sends the webhook body', async () => {
    const mfaId = idOf(await signUp('signup-link@example.com'), 'verification');
    const path = linkPath();
    const page = await open(path);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Is this you\?/);
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await events(mfaId)).map((event) => event.mfaStatus), ['MESSAGE_SENT']);
    const confirmed = await answerLink(path, 'confirm');
    assert.equal(confirmed.status, 303);
    assert.match(await (await open(path)).text(), /you are verified/);
    assert.deepEqual((await events(mfaId)).map((event) => event.mfaStatus), ['MESSAGE_SENT', 'VERIFIED']);
  });

  it('"This wasn’t me" terminates; a cross-site answer is refused', async () => {
    const mfaId = idOf(await login('login-sms-link@example.com', { phone: PHONE }));
    const path = linkPath();
    const crossSite = await sandbox.fetch(
      new Request(`${BASE_URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        body: 'choice=confirm',
      }),
    );
    assert.equal(crossSite.status, 403);
    await answerLink(path, 'refuse');
    assert.deepEqual((await events(mfaId)).map((event) => event.mfaStatus), ['MESSAGE_SENT', 'TERMINATED']);
    assert.match(await (await open(path)).text(), /Thanks for telling us/);
  });

  it('a resent link replaces the old one; a link opened after 10 minutes has expired', async () => {
    const mfaId = idOf(await login('login-link@example.com'));
    const oldPath = linkPath();
    await call(PATHS.resend, { sessionId: mfaId });
    const newPath = linkPath();
    assert.notEqual(newPath, oldPath);
    assert.match(await (await open(oldPath)).text(), /was replaced/);
    await answerLink(oldPath, 'confirm');
    assert.ok(!(await events(mfaId)).some((event) => event.mfaStatus === 'VERIFIED'));
    clock.advance(10 * 60 * 1000);
    assert.match(await (await open(newPath)).text(), /has expired/);
    assert.equal((await events(mfaId)).at(-1)?.mfaStatus, 'TERMINATED');
    assert.equal((await open('/sandbox/account-protection/links/unknown')).status, 404);
  });
});

describe('Account Protection sandbox: the relay’s client against it', () => {
  it('Login with SMS passcode, the inbox code, then a Challenge Outcome for the same decision', async () => {
    const kount = new KountClient({
      apiUrl: BASE_URL,
      tokenUrl: `${BASE_URL}${SANDBOX_PATHS.token}`,
      apiKey: SANDBOX_API_KEY,
      clientId: SANDBOX_CLIENT_ID,
      timeoutMs: 2000,
      paths: { assess: SANDBOX_PATHS.assess, verify: SANDBOX_PATHS.verify },
      fetch: (url, init) => sandbox.fetch(new Request(url, init)),
    });
    const client = new AccountProtectionClient(kount);
    const decision = await client.login({
      inquiryId: 'inquiry1',
      deviceSessionId: 'device1',
      account: { id: 'acct-relay', username: 'olivia' },
      person: { emailAddress: 'LOGIN-SMS@example.com ', phoneNumber: PHONE },
      strategy: { mfaTemplateName: 'LoginSms' },
    });
    assert.equal(decision.decision, 'CHALLENGE');
    assert.deepEqual(decision.challenge?.kind, { channel: 'SMS', method: 'OTP' });
    const status = await client.verifyPasscode(decision.challenge?.id ?? '', sandbox.messages.latest(PHONE)?.code ?? '');
    assert.equal(status.mfaStatus, 'VERIFIED');
    assert.deepEqual(await client.challengeOutcomeFor(decision, { challengeType: 'TextPIN', challengeStatus: 'Success' }), {});
    assert.deepEqual(await client.failedAttempt({ inquiryId: 'inquiry1', account: { id: 'acct-relay' } }), {});
  });
});
