/**
 * Account Protection MFA finished in the page: `relay.startMfaChallenge` after a Login v2 / NAO v2
 * CHALLENGE stores a session like `startChallenge`, the browser API serves the usual OTP / OTH views,
 * passcodes go to Kount's MFA check, resends name the MFA id, `MFA.StatusUpdate` completes a link,
 * and the decided MFA is reported with Challenge Outcome against the decision's correlation id.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { OthActionView, OtpActionView, SESSION_COOKIE, SessionView } from '../../../src/contract/browser.js';
import { createRelay, MemorySessionStore, type Relay } from '../../../src/relay/index.js';
import { createFakeClock, createFakeSleep, type FakeClock } from '../fake-clock.js';
import { FakeAccountProtection } from './fake-account-protection.js';
import { FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount } from '../fake-kount.js';
import {
  PARTNER_ORIGIN,
  SESSION_SECRET,
  SseReader,
  browserRequest,
  createCapturingLogger,
  errorCodeOf,
  send,
  sessionIdOf,
} from '../helpers.js';
import { deliverWebhook, isoSeconds, signWebhook, webhookKeys, webhookRequest } from '../webhook-helpers.js';

const PHONE = '+15550104567';
const EMAIL = 'login-sms@example.com';
const PASSCODE = '246810';

function setup() {
  const clock: FakeClock = createFakeClock();
  const kount = new FakeKount(clock);
  const upstream = new FakeAccountProtection(kount);
  const logger = createCapturingLogger();
  const store = new MemorySessionStore({ now: clock.now });
  const { sleep } = createFakeSleep(clock);
  const relay = createRelay({
    apiUrl: FAKE_API_URL,
    tokenUrl: FAKE_TOKEN_URL,
    apiKey: FAKE_API_KEY,
    clientId: FAKE_CLIENT_ID,
    sessionSecret: SESSION_SECRET,
    allowedOrigins: [PARTNER_ORIGIN],
    webhookPublicKey: webhookKeys().publicKeyPem,
    timeoutMs: 200,
    fetch: upstream.fetch,
    now: clock.now,
    random: () => 0.5,
    sleep,
    logger,
    store,
  });
  return { relay, kount, upstream, logger, clock, store };
}

type Setup = ReturnType<typeof setup>;

const loginRequest = {
  inquiryId: 'inquiry1',
  deviceSessionId: 'device1',
  account: { id: 'user-1', username: 'olivia' },
  person: { emailAddress: EMAIL, phoneNumber: PHONE },
  strategy: { mfaTemplateName: 'LoginSms' },
};

const naoRequest = {
  inquiryId: 'inquiry2',
  deviceSessionId: 'device2',
  account: { id: 'new-user' },
  person: { emailAddress: 'signup-link@example.com' },
  strategy: { verificationTemplateName: 'SignUpLink' },
};

/** Login v2 answers CHALLENGE with an SMS passcode (the fake's default) and the page takes over. */
async function startSmsLogin(test: Setup, crossOrigin = false) {
  const decision = await test.relay.accountProtection.login(loginRequest);
  const started = await test.relay.startMfaChallenge({ decision, contact: { phoneNumber: PHONE, email: EMAIL }, crossOrigin });
  return { decision, ...started };
}

/** NAO v2 answers CHALLENGE with a one-time link by e-mail. */
async function startLinkSignup(test: Setup) {
  test.upstream.answers.newAccountOpening = {
    body: { decision: 'CHALLENGE', deviceSessionId: 'device2', verification: { ID: 'ver-1', type: 'EMAIL_NONCE_OTH' } },
  };
  const decision = await test.relay.accountProtection.newAccountOpening(naoRequest);
  const started = await test.relay.startMfaChallenge({ decision, contact: { email: 'signup-link@example.com' } });
  return { decision, ...started };
}

function mfaStatusEvent(mfaId: string, mfaStatus: string, extra: Record<string, unknown> = {}) {
  return { id: crypto.randomUUID(), eventType: 'MFA.StatusUpdate', apiVersion: 'v1', clientId: FAKE_CLIENT_ID, mfaStatus, mfaId, sendAttempts: '1', verificationAttempts: '1', ...extra };
}

const bodyOf = (request: { body: string }): Record<string, unknown> => JSON.parse(request.body) as Record<string, unknown>;

describe('relay.startMfaChallenge', () => {
  it('stores a Login v2 SMS passcode MFA like startChallenge: signed handle, __Host- cookie, the OTP view on GET /session', async () => {
    const test = setup();
    const { handle, setCookie, view } = await startSmsLogin(test);
    assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=${handle.replace(/[.]/g, '\\.')}; `));
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.equal(view.state, 'challenge');
    const action = OtpActionView.parse(view.state === 'challenge' ? view.action : undefined);
    assert.deepEqual(action, {
      method: 'OTP',
      channel: 'SMS',
      destination: '+1 *** *** 4567',
      codeLength: 6,
      remainingAttempts: 5,
      remainingResends: 3,
      resendAvailableInSeconds: 30,
      lockedForSeconds: 0,
      codeExpiresInSeconds: null,
    });
    const polled = await send(test.relay, '/session', { handle });
    assert.equal(polled.status, 200);
    assert.deepEqual(SessionView.parse(polled.body), view);
    assert.deepEqual(await test.relay.outcome(handle), { state: 'pending', decision: null, inquiryId: 'inquiry1', authenticationId: 'mfa-1' });
    // Only the Login call: Kount sent the passcode with its decision.
    assert.deepEqual(test.upstream.requests.filter((request) => request.ap !== 'token').map((request) => request.ap), ['login']);
    const stored = await test.store.get(sessionIdOf(handle));
    assert.deepEqual(stored?.contact, { phoneNumber: PHONE }, 'only the contact on the MFA’s channel is kept');
  });

  it('an NAO v2 one-time link by e-mail gets the OTH view, with no other channel to switch to', async () => {
    const test = setup();
    const { view } = await startLinkSignup(test);
    const action = OthActionView.parse(view.state === 'challenge' ? view.action : undefined);
    assert.deepEqual(action, {
      method: 'OTH',
      channel: 'EMAIL',
      destination: 's***@example.com',
      status: 'MESSAGE_SENT',
      remainingResends: 3,
      resendAvailableInSeconds: 30,
      expiresInSeconds: null,
      otherChannels: [],
      channelChangeAvailableInSeconds: 0,
    });
  });

  it('takes the method from the customer when Kount’s mfa.type does not say, and refuses what it cannot finish', async () => {
    const test = setup();
    test.upstream.answers.login = { body: { decision: 'CHALLENGE', mfa: { ID: 'mfa-9', type: 'EMAIL' } } };
    const vague = await test.relay.accountProtection.login(loginRequest);
    await assert.rejects(test.relay.startMfaChallenge({ decision: vague, contact: { email: EMAIL } }), { code: 'invalid_body', field: 'method' });
    const started = await test.relay.startMfaChallenge({ decision: vague, contact: { email: EMAIL }, method: 'OTH' });
    assert.equal(started.view.state === 'challenge' && started.view.action.method, 'OTH');

    test.upstream.answers.login = { body: { decision: 'ALLOW' } };
    const allowed = await test.relay.accountProtection.login(loginRequest);
    await assert.rejects(test.relay.startMfaChallenge({ decision: allowed, contact: { email: EMAIL } }), { code: 'invalid_body', field: 'decision.decision' });

    test.upstream.answers.login = { body: { decision: 'CHALLENGE' } };
    const ownChallenge = await test.relay.accountProtection.login(loginRequest);
    await assert.rejects(test.relay.startMfaChallenge({ decision: ownChallenge, contact: { email: EMAIL } }), { code: 'invalid_body', field: 'decision.challenge' });

    test.upstream.answers.login = { body: { decision: 'CHALLENGE', mfa: { ID: 'mfa-2', type: 'SMS_OTP' } } };
    const sms = await test.relay.accountProtection.login(loginRequest);
    await assert.rejects(test.relay.startMfaChallenge({ decision: sms, contact: { email: EMAIL } }), { code: 'invalid_body', field: 'contact.phoneNumber' });
  });
});

describe('MFA passcode in the page', () => {
  it('the right passcode goes to Kount’s MFA check by the MFA id and decides ALLOW; Challenge Outcome carries the correlation id', async () => {
    const test = setup();
    const { handle, decision } = await startSmsLogin(test);
    assert.equal(decision.decisionCorrelationId, 'decision-1');
    const answered = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(answered.status, 200);
    assert.deepEqual(answered.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    const [check] = test.upstream.to('verifyPasscode');
    assert.ok(check);
    assert.deepEqual(bodyOf(check), { sessionId: 'mfa-1', otp: PASSCODE });

    await test.relay.settled();
    const outcomes = test.upstream.to('challengeOutcome');
    assert.equal(outcomes.length, 1);
    assert.deepEqual(bodyOf(outcomes[0] as { body: string }), {
      inquiryId: 'inquiry1',
      eventType: 'LOGIN',
      deviceSessionId: 'device1',
      decisionCorrelationId: 'decision-1',
      challengeType: 'TextPIN',
      challengeStatus: 'Success',
      sentTimestamp: '2030-01-01T12:00:00.000Z',
      completedTimestamp: '2030-01-01T12:00:00.000Z',
    });
    assert.deepEqual(await test.relay.outcome(handle), { state: 'decided', decision: 'ALLOW', inquiryId: 'inquiry1', authenticationId: 'mfa-1' });
    // A decided session takes no more answers, and nothing is reported twice.
    const again = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(errorCodeOf(again.body), 'session_finished');
    await test.relay.settled();
    assert.equal(test.upstream.to('challengeOutcome').length, 1);
    assert.equal(test.upstream.to('verifyPasscode').length, 1);
  });

  it('a wrong passcode is 422 wrong_code with Kount’s attempts left; after 5 the relay locks without asking Kount', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    test.upstream.answers.verifyPasscode = {
      body: { mfaId: 'mfa-1', mfaStatus: 'VERIFICATION_ATTEMPT_FAILED', verificationAttempts: '1', remainingVerificationAttempts: '9', error: { code: 'OTP_MISMATCH' } },
    };
    const wrong = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: '000000' } });
    assert.equal(wrong.status, 422);
    assert.equal(errorCodeOf(wrong.body), 'wrong_code');
    const view = SessionView.parse((await send(test.relay, '/session', { handle })).body);
    assert.equal(view.state === 'challenge' && view.action.method === 'OTP' && view.action.remainingAttempts, 4, "Kount's 9, but the relay locks after 4 more");
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      assert.equal(errorCodeOf((await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: '000000' } })).body), 'wrong_code');
    }
    const locked = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(locked.status, 429);
    assert.equal(errorCodeOf(locked.body), 'too_many_attempts');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(test.upstream.to('verifyPasscode').length, 5);
    await test.relay.settled();
    assert.equal(test.upstream.to('challengeOutcome').length, 0, 'not decided: nothing to report');
  });

  it('an expired passcode is 422 code_expired; attempts used up end the MFA as BLOCK, reported as Failed / IncorrectResponse', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    test.upstream.answers.verifyPasscode = { body: { mfaId: 'mfa-1', mfaStatus: 'VERIFICATION_ATTEMPT_FAILED', error: { code: 'OTP_EXPIRED' } } };
    assert.equal(errorCodeOf((await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: '111111' } })).body), 'code_expired');
    test.upstream.answers.verifyPasscode = { body: { mfaId: 'mfa-1', mfaStatus: 'TERMINATED', error: { code: 'VERIFICATION_ATTEMPTS_EXHAUSTED' } } };
    const ended = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: '111111' } });
    assert.equal(ended.status, 200);
    // The expired code changed nothing the page shows: the end is the first new revision.
    assert.deepEqual(ended.body, { state: 'decided', decision: 'BLOCK', revision: 1 });
    await test.relay.settled();
    const [report] = test.upstream.to('challengeOutcome');
    assert.ok(report);
    assert.equal(bodyOf(report).challengeStatus, 'Failed');
    assert.equal(bodyOf(report).failureType, 'IncorrectResponse');
    assert.equal(bodyOf(report).decisionCorrelationId, 'decision-1');
  });

  it('a failed Challenge Outcome report is logged and never reaches the shopper', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    test.upstream.answers.challengeOutcome = { status: 503, body: {} };
    const answered = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(answered.status, 200);
    assert.deepEqual(answered.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    await test.relay.settled();
    assert.equal(test.upstream.to('challengeOutcome').length, 1, 'sent once, not retried');
    assert.ok(test.logger.entries.some((entry) => entry.event === 'relay.challenge_outcome.failed'));
    assert.ok(!test.logger.entries.some((entry) => entry.event === 'relay.challenge_outcome.sent'));
  });

  it('resend names the MFA id, is limited like any resend and cannot move the MFA to another channel', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    const early = await send(test.relay, '/session/resend', { handle, body: {} });
    assert.equal(errorCodeOf(early.body), 'resend_too_soon');
    test.clock.advanceSeconds(30);
    test.upstream.answers.resend = {
      body: { mfaId: 'mfa-1', mfaStatus: 'MESSAGE_SENT', sendAttempts: '2', remainingSendAttempts: '2', expiresAt: isoSeconds(test.clock.now() + 600_000) },
    };
    const resent = await send(test.relay, '/session/resend', { handle, body: {} });
    assert.equal(resent.status, 200);
    const view = SessionView.parse(resent.body);
    assert.ok(view.state === 'challenge' && view.action.method === 'OTP');
    assert.equal(view.action.remainingResends, 2);
    assert.equal(view.action.codeExpiresInSeconds, 600);
    assert.equal(view.action.resendAvailableInSeconds, 30);
    const [call] = test.upstream.to('resend');
    assert.ok(call);
    assert.deepEqual(bodyOf(call), { sessionId: 'mfa-1' });

    test.clock.advanceSeconds(30);
    const otherChannel = await send(test.relay, '/session/resend', { handle, body: { channel: 'EMAIL' } });
    assert.equal(otherChannel.status, 409);
    assert.equal(errorCodeOf(otherChannel.body), 'channel_unavailable');
    assert.equal(test.upstream.to('resend').length, 1);
  });

  it('keeps the browser rules: CSRF header, Origin, a tampered or foreign handle; Kount is not asked', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    const noCsrf = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE }, headers: { 'x-k360-verify': null } });
    assert.equal(noCsrf.status, 403);
    const foreignOrigin = await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE }, headers: { origin: 'https://evil.test' } });
    assert.equal(foreignOrigin.status, 403);
    const tampered = await send(test.relay, '/session/answer', { handle: `${handle.slice(0, -2)}xx`, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(tampered.status, 401);
    // Another relay's session (same secret): unknown here, answered like a wrong code (SECURITY 16).
    const otherRelay = setup();
    const { handle: foreign } = await startSmsLogin(otherRelay);
    const unknown = await send(test.relay, '/session/answer', { handle: foreign, body: { method: 'OTP', otp: PASSCODE } });
    assert.equal(unknown.status, 422);
    assert.equal(errorCodeOf(unknown.body), 'session_unknown');
    assert.equal(test.upstream.to('verifyPasscode').length, 0);
    // The bearer form for a relay on another origin works the same.
    const cross = await startSmsLogin(test, true);
    assert.equal(cross.setCookie, '');
    const viaBearer = await send(test.relay, '/session', { handle: cross.handle, bearer: true });
    assert.equal(viaBearer.status, 200);
  });
});

describe('MFA.StatusUpdate completes a one-time link', () => {
  it('a signed VERIFIED event decides the session, pushes it on the live stream (which closes) and reports EmailLink Success', async () => {
    const test = setup();
    const { handle, decision } = await startLinkSignup(test);
    const stream = await test.relay.fetch(browserRequest('/session/events', { handle, headers: { accept: 'text/event-stream' } }));
    assert.equal(stream.status, 200);
    const reader = new SseReader(stream);
    const first = await reader.nextEvent();
    assert.equal(SessionView.parse(JSON.parse(first?.data ?? 'null')).state, 'challenge');

    test.clock.advanceSeconds(45);
    const event = mfaStatusEvent('ver-1', 'VERIFIED');
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200, 'a re-sent event is acknowledged');
    await test.relay.settled();
    const pushed = await reader.nextEvent();
    assert.deepEqual(JSON.parse(pushed?.data ?? 'null'), { state: 'decided', decision: 'ALLOW', revision: 1 });
    assert.equal(await reader.nextEvent(), null, 'the stream ends after the final view');
    assert.deepEqual((await send(test.relay, '/session', { handle })).body, { state: 'decided', decision: 'ALLOW', revision: 1 });

    const reports = test.upstream.to('challengeOutcome');
    assert.equal(reports.length, 1, 'the duplicate changed nothing');
    assert.deepEqual(bodyOf(reports[0] as { body: string }), {
      inquiryId: 'inquiry2',
      eventType: 'NEW_ACCOUNT_OPENING',
      deviceSessionId: 'device2',
      decisionCorrelationId: decision.decisionCorrelationId,
      challengeType: 'EmailLink',
      challengeStatus: 'Success',
      sentTimestamp: '2030-01-01T12:00:00.000Z',
      completedTimestamp: '2030-01-01T12:00:45.000Z',
    });
  });

  it('a forged or stale event gets 401 and changes nothing; a TERMINATED link ends as BLOCK with ExpiredLink', async () => {
    const test = setup();
    const { handle } = await startLinkSignup(test);
    const body = JSON.stringify(mfaStatusEvent('ver-1', 'VERIFIED'));
    const timestamp = isoSeconds(test.clock.now());
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body, otherKey) }));
    assert.equal(forged.status, 401);
    const staleTime = isoSeconds(test.clock.now() - 301_000);
    const stale = await test.relay.fetch(webhookRequest({ body, timestamp: staleTime, signature: signWebhook(staleTime, body) }));
    assert.equal(stale.status, 401);
    await test.relay.settled();
    assert.equal(SessionView.parse((await send(test.relay, '/session', { handle })).body).state, 'challenge');
    assert.equal(test.upstream.to('challengeOutcome').length, 0);

    // A status that is not an end decides nothing; the end does.
    assert.equal((await deliverWebhook(test.relay, mfaStatusEvent('ver-1', 'MESSAGE_SENT', { verificationAttempts: '0' }), test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal(SessionView.parse((await send(test.relay, '/session', { handle })).body).state, 'challenge');
    const ended = mfaStatusEvent('ver-1', 'TERMINATED', { error: { code: 'LINK_EXPIRED', message: 'The link has expired.' } });
    assert.equal((await deliverWebhook(test.relay, ended, test.clock.now())).status, 200);
    await test.relay.settled();
    // MESSAGE_SENT changed nothing the page shows (it said so already), so the end is the first new revision.
    assert.deepEqual((await send(test.relay, '/session', { handle })).body, { state: 'decided', decision: 'BLOCK', revision: 1 });
    const [report] = test.upstream.to('challengeOutcome');
    assert.ok(report);
    assert.equal(bodyOf(report).challengeStatus, 'Failed');
    assert.equal(bodyOf(report).failureType, 'ExpiredLink');
  });

  it('an event for an MFA the relay does not hold still reaches onMfaStatus; Identity Proofing webhooks never touch an MFA session', async () => {
    const received: unknown[] = [];
    const clock = createFakeClock();
    const kount = new FakeKount(clock);
    const upstream = new FakeAccountProtection(kount);
    const relay: Relay = createRelay({
      apiUrl: FAKE_API_URL,
      tokenUrl: FAKE_TOKEN_URL,
      apiKey: FAKE_API_KEY,
      clientId: FAKE_CLIENT_ID,
      sessionSecret: SESSION_SECRET,
      webhookPublicKey: webhookKeys().publicKeyPem,
      fetch: upstream.fetch,
      now: clock.now,
      logger: createCapturingLogger(),
      onMfaStatus: (event) => void received.push(event.mfaId),
    });
    upstream.answers.login = { body: { decision: 'CHALLENGE', mfa: { ID: 'mfa-7', type: 'SMS_NONCE_OTH' } } };
    const decision = await relay.accountProtection.login(loginRequest);
    const { handle } = await relay.startMfaChallenge({ decision, contact: { phoneNumber: PHONE } });
    await deliverWebhook(relay, mfaStatusEvent('someone-else', 'VERIFIED'), clock.now());
    // A bare step-up event naming the MFA id, and a DocV event naming it as a case id.
    await deliverWebhook(relay, { sessionId: 'mfa-7', mfaType: 'NONCE_OTH', verificationStatus: 'VERIFIED' }, clock.now());
    await deliverWebhook(relay, { id: 'docv-1', eventType: 'DOCVerification.StatusUpdate', documentVerificationStatus: 'VERIFIED', authenticationId: 'mfa-7' }, clock.now());
    await relay.settled();
    assert.equal(SessionView.parse((await send(relay, '/session', { handle })).body).state, 'challenge');
    await deliverWebhook(relay, mfaStatusEvent('mfa-7', 'VERIFIED'), clock.now());
    await relay.settled();
    assert.deepEqual(received, ['someone-else', 'mfa-7']);
    assert.deepEqual((await send(relay, '/session', { handle })).body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    assert.equal(bodyOf(upstream.to('challengeOutcome')[0] as { body: string }).challengeType, 'TextLink');
  });
});

describe('reports for the customer’s backend', () => {
  it('reportFailedAttempt sends Failed Attempt v2 as given', async () => {
    const test = setup();
    const request = { inquiryId: 'inquiry3', deviceSessionId: 'device3', userIp: '192.168.0.9', account: { id: 'user-1', username: 'olivia' } };
    await test.relay.reportFailedAttempt(request);
    const [call] = test.upstream.to('failedAttempt');
    assert.ok(call);
    assert.deepEqual(bodyOf(call), request);
    assert.equal(call.headers['x-client-id'], FAKE_CLIENT_ID);
    await assert.rejects(test.relay.reportFailedAttempt({ inquiryId: 'has-hyphens', account: { id: 'user-1' } }), { code: 'invalid_body' });
  });

  it('reportChallengeOutcome reports the customer’s own challenge against the decision’s correlation id', async () => {
    const test = setup();
    test.upstream.answers.login = { body: { decision: 'CHALLENGE', deviceSessionId: 'device1' } };
    const decision = await test.relay.accountProtection.login(loginRequest);
    await test.relay.reportChallengeOutcome(decision, { challengeType: 'SecretQuestion', challengeStatus: 'Success', eventType: 'LOGIN' });
    const [call] = test.upstream.to('challengeOutcome');
    assert.ok(call);
    assert.deepEqual(bodyOf(call), {
      deviceSessionId: 'device1',
      challengeType: 'SecretQuestion',
      challengeStatus: 'Success',
      eventType: 'LOGIN',
      inquiryId: 'inquiry1',
      decisionCorrelationId: 'decision-1',
    });
  });

  it('relay.accountProtection shares the relay’s token cache: one token for the decision, the MFA check and the report', async () => {
    const test = setup();
    const { handle } = await startSmsLogin(test);
    await send(test.relay, '/session/answer', { handle, body: { method: 'OTP', otp: PASSCODE } });
    await test.relay.settled();
    assert.equal(test.kount.calls.token, 1);
  });
});

describe('no secrets and no personal data', () => {
  it('responses, cookies and pushed views carry no token, API key, client id, full phone number or e-mail; logs carry no passcode or contact', async () => {
    const test = setup();
    const texts: string[] = [];
    const sms = await startSmsLogin(test);
    texts.push(JSON.stringify(sms.view), sms.setCookie);
    test.relay.subscribe(sms.handle, (event) => void texts.push(JSON.stringify(event.view)));
    const link = await startLinkSignup(test);
    texts.push(JSON.stringify(link.view));
    for (const options of [
      { handle: sms.handle },
      { handle: sms.handle, body: { method: 'OTP', otp: '999999' } },
      { handle: link.handle },
      { handle: link.handle, body: {} },
    ]) {
      const path = 'body' in options ? (options.body && 'otp' in options.body ? '/session/answer' : '/session/resend') : '/session';
      const answer = await send(test.relay, path, options);
      texts.push(answer.text, JSON.stringify([...answer.headers]));
    }
    await deliverWebhook(test.relay, mfaStatusEvent('ver-1', 'VERIFIED'), test.clock.now());
    await test.relay.settled();
    const everything = texts.join('\n');
    const secrets = [FAKE_API_KEY, FAKE_CLIENT_ID, ...test.kount.issuedTokens, PHONE, '5550104567', EMAIL, 'signup-link@example.com', 'decision-1'];
    for (const secret of secrets) assert.ok(!everything.includes(secret), `a response carries ${secret}`);
    const logs = JSON.stringify(test.logger.entries);
    for (const secret of [PASSCODE, '999999', PHONE, EMAIL, 'signup-link@example.com', FAKE_API_KEY, ...test.kount.issuedTokens]) {
      assert.ok(!logs.includes(secret), `the logs carry ${secret}`);
    }
  });
});
