/**
 * Account Protection through the relay against the real sandbox over HTTP: Login v2 and NAO v2
 * personas, the MFA finished through the relay's browser API, the sandbox's signed `MFA.StatusUpdate`
 * completing a link on the live stream, Challenge Outcome accepted (the sandbox knows the
 * correlation id) and failed attempts changing the next decision.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionView } from '../../../src/contract/browser.js';
import type { Relay } from '../../../src/relay/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { SseReader } from '../helpers.js';
import { startSandboxRelay, type SandboxRelay } from '../sandbox-relay.js';

const PHONE = '+15550104567';

describe('relay ⇄ sandbox: Account Protection MFA over HTTP', () => {
  let harness: SandboxRelay;
  let sandbox: RunningSandbox;
  let relay: Relay;
  let logger: SandboxRelay['logger'];
  let journey = 0;

  before(async () => {
    harness = await startSandboxRelay();
    ({ sandbox, relay, logger } = harness);
  });
  after(() => harness.close());

  const browser: SandboxRelay['browser'] = (...args) => harness.browser(...args);

  const ids = () => {
    journey += 1;
    return { inquiryId: `inquiry${journey}`, deviceSessionId: `device${journey}` };
  };

  const login = (email: string, accountId: string) =>
    relay.accountProtection.login({
      ...ids(),
      account: { id: accountId, username: accountId },
      person: { emailAddress: email, phoneNumber: PHONE },
      strategy: { mfaTemplateName: 'SandboxLogin' },
    });

  it('log in with an SMS passcode: the inbox code through the browser API decides ALLOW; Challenge Outcome is accepted', async () => {
    const decision = await login('login-sms@example.com', 'user-sms');
    assert.equal(decision.decision, 'CHALLENGE');
    assert.equal(decision.challenge?.kind?.method, 'OTP');
    const { handle, view } = await relay.startMfaChallenge({ decision, contact: { phoneNumber: PHONE, email: 'login-sms@example.com' } });
    assert.equal(view.state === 'challenge' && view.action.method, 'OTP');

    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    const wrong = await browser('/session/answer', handle, { body: { method: 'OTP', otp: code === '000000' ? '111111' : '000000' } });
    assert.equal(wrong.status, 422);
    const right = await browser('/session/answer', handle, { body: { method: 'OTP', otp: code } });
    assert.equal(right.status, 200);
    assert.equal(SessionView.parse(await right.json()).state, 'decided');
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
    await relay.settled();
    assert.ok(logger.entries.some((entry) => entry.event === 'relay.challenge_outcome.sent' && entry.fields.challengeType === 'TextPIN'));
    assert.ok(!logger.entries.some((entry) => entry.event === 'relay.challenge_outcome.failed'));
  });

  it('open an account with an e-mail link: the sandbox’s signed MFA.StatusUpdate ends the page’s live stream with ALLOW', async () => {
    const email = 'signup-link@example.com';
    const decision = await relay.accountProtection.newAccountOpening({
      ...ids(),
      account: { id: 'new-user-link' },
      person: { emailAddress: email },
      strategy: { verificationTemplateName: 'SandboxSignUp', type: 'EMAIL' },
    });
    const { handle } = await relay.startMfaChallenge({ decision, contact: { email } });
    const reader = new SseReader(await browser('/session/events', handle, { headers: { accept: 'text/event-stream' } }));
    const first = SessionView.parse(JSON.parse((await reader.nextEvent())?.data ?? 'null'));
    assert.equal(first.state === 'challenge' && first.action.method, 'OTH');

    const link = sandbox.sandbox.messages.latest(email)?.link;
    assert.ok(link);
    const pressed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
    assert.equal(pressed.status, 303);

    const views: SessionView[] = [];
    for (let message = await reader.nextEvent(5000); message !== null; message = await reader.nextEvent(5000)) {
      views.push(SessionView.parse(JSON.parse(message.data ?? 'null')));
    }
    assert.deepEqual(views.at(-1), { state: 'decided', decision: 'ALLOW', revision: views.at(-1)?.revision });
    await sandbox.sandbox.webhooks.settled();
    await relay.settled();
    const deliveries = sandbox.sandbox.webhooks.deliveries().filter((delivery) => delivery.kind === 'MFA.StatusUpdate');
    assert.ok(deliveries.length >= 1 && deliveries.every((delivery) => delivery.status === 200));
    assert.ok(logger.entries.some((entry) => entry.event === 'relay.challenge_outcome.sent' && entry.fields.challengeType === 'EmailLink'));
  });

  it('blocked login, and wrong passwords reported as failed attempts turn the next ALLOW into a CHALLENGE', async () => {
    assert.equal((await login('login-block@example.com', 'user-block')).decision, 'BLOCK');
    assert.equal((await login('login-allow@example.com', 'user-tries')).decision, 'ALLOW');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await relay.reportFailedAttempt({ ...ids(), account: { id: 'user-tries', username: 'user-tries' } });
    }
    const next = await login('login-allow@example.com', 'user-tries');
    assert.equal(next.decision, 'CHALLENGE');
    assert.equal(next.challenge?.kind?.method, 'OTP');
  });
});
