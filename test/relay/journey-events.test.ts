/**
 * Server-side journey events (issue 25, item 3): `onEvent` hears each moment of every journey
 * once, in order, with closed values and the shop's inquiry id, and never a contact, a code, an
 * answer, a session id or a handle. Against the real sandbox over HTTP, webhooks included.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { JourneyEvent } from '../../src/contract/journey-events.js';
import { SESSION_COOKIE } from '../../src/contract/browser.js';
import { MemorySessionStore, type Relay } from '../../src/relay/index.js';
import { internalsOf } from '../../src/relay/internals.js';
import { SANDBOX_PATHS, type KbaAnswerKey, type RunningSandbox } from '../../src/sandbox/index.js';
import { startSandboxRelay, type SandboxRelay } from './sandbox-relay.js';

const PHONE = '+15551234567';

const pick = ({ error }: { error: Record<string, unknown> }) => ({ code: error.code, limit: error.limit });

describe('onEvent: the journey told to the shop’s backend', () => {
  let harness: SandboxRelay;
  let sandbox: RunningSandbox;
  let relay: Relay;
  const heard: JourneyEvent[] = [];

  before(async () => {
    harness = await startSandboxRelay({
      onEvent: (event) => void heard.push(event),
      // One wrong code short of Kount's own ten, so the relay's lockout comes first; no wait between sends.
      maxFailedOtpAttempts: 3,
      resendIntervalSeconds: 0,
    });
    ({ sandbox, relay } = harness);
  });
  beforeEach(() => void heard.splice(0));
  after(() => harness.close());

  async function challenge(email: string, phoneNumber = PHONE) {
    const inquiryId = crypto.randomUUID();
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device-1', applicant: { email, phoneNumber } });
    const started = await relay.startChallenge({ assessment, contact: { email, phoneNumber } });
    return { ...started, inquiryId, authenticationId: assessment.authenticationId };
  }

  const answer = (handle: string, body: unknown) => harness.browser('/session/answer', handle, { body });
  const resend = (handle: string, body: unknown = {}) => harness.browser('/session/resend', handle, { body });

  /** What was heard for one inquiry, each checked against the contract. */
  async function told(inquiryId: string): Promise<JourneyEvent[]> {
    await relay.settled();
    return heard.filter((event) => event.inquiryId === inquiryId).map((event) => JourneyEvent.parse(event));
  }

  it('OTP: started, submitted, wrong answers, the lockout after the last one, and no more answers until it ends', async () => {
    const { handle, inquiryId } = await challenge('otp@example.com');
    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await answer(handle, { method: 'OTP', otp: wrong })).status, 422);
    // Locked: refused before Kount, and not a submission.
    assert.equal((await answer(handle, { method: 'OTP', otp: code })).status, 429);

    const events = await told(inquiryId);
    assert.deepEqual(
      events.map((event) => event.name),
      ['challenge_started', 'code_submitted', 'wrong_answer', 'code_submitted', 'wrong_answer', 'code_submitted', 'wrong_answer', 'lockout'],
    );
    assert.deepEqual(events[0], { name: 'challenge_started', at: events[0]?.at, inquiryId, product: 'identity_proofing', method: 'OTP', channel: 'SMS' });
    const lockout = events.at(-1);
    assert.equal(lockout?.method, 'OTP');
    assert.ok(lockout?.lockedForSeconds !== undefined && lockout.lockedForSeconds > 290 && lockout.lockedForSeconds <= 300, String(lockout?.lockedForSeconds));
    for (const event of events) assert.ok(!Number.isNaN(Date.parse(event.at)) && event.at.endsWith('Z'), event.at);
  });

  it('OTP: a resend names its channel, and the right code is told as decided with Kount’s decision', async () => {
    const { handle, inquiryId } = await challenge('otp@example.com');
    assert.equal((await resend(handle)).status, 200);
    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    assert.equal((await answer(handle, { method: 'OTP', otp: code })).status, 200);
    const events = await told(inquiryId);
    assert.deepEqual(
      events.map(({ name, channel, decision, method }) => ({ name, channel, decision, method })),
      [
        { name: 'challenge_started', channel: 'SMS', decision: undefined, method: 'OTP' },
        { name: 'resend', channel: 'SMS', decision: undefined, method: 'OTP' },
        { name: 'code_submitted', channel: undefined, decision: undefined, method: 'OTP' },
        { name: 'decided', channel: undefined, decision: 'ALLOW', method: 'OTP' },
      ],
    );
  });

  it('KBA: answers submitted and a wrong attempt, then decided', async () => {
    const { handle, inquiryId, authenticationId } = await challenge('kba@example.com');
    const key = async () => (await (await fetch(`${sandbox.url}/sandbox/kba.json?authenticationId=${authenticationId}`)).json()) as KbaAnswerKey;
    const toBrowser = (answers: KbaAnswerKey['questions']) => answers.map((item) => ({ questionId: String(item.questionId), choiceIds: item.answers.map(String) }));
    const view = (await (await harness.browser('/session', handle)).json()) as { action: { questions: Array<{ choices: Array<{ id: string }> }> } };
    const right = toBrowser((await key()).questions);
    const wrongChoice = view.action.questions[0]?.choices.find((choice) => !right[0]?.choiceIds.includes(choice.id));
    assert.ok(wrongChoice);
    const wrong = right.map((item, index) => (index === 0 ? { ...item, choiceIds: [wrongChoice.id] } : item));
    assert.equal((await answer(handle, { method: 'KBA', answers: wrong })).status, 422);
    assert.equal((await answer(handle, { method: 'KBA', answers: toBrowser((await key()).questions) })).status, 200);
    assert.deepEqual(
      (await told(inquiryId)).map(({ name, method }) => `${name} ${method}`),
      ['challenge_started KBA', 'answers_submitted KBA', 'wrong_answer KBA', 'answers_submitted KBA', 'decided KBA'],
    );
  });

  it('one-time link: the decision Kount’s webhook brings is told once', async () => {
    const { inquiryId } = await challenge('oth@example.com');
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=refuse', redirect: 'manual' });
    await sandbox.sandbox.webhooks.settled();
    const events = await told(inquiryId);
    assert.deepEqual(
      events.map(({ name, decision, channel }) => ({ name, decision, channel })),
      [
        { name: 'challenge_started', decision: undefined, channel: 'EMAIL' },
        { name: 'decided', decision: 'BLOCK', channel: undefined },
      ],
    );
  });

  it('DocV: a capture that failed and is tried again is a retry by its channel, and the decision follows', async () => {
    const { handle, inquiryId } = await challenge('docv-sms@example.com');
    const press = (link: string, step: string) =>
      fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `step=${step}`, redirect: 'manual' });
    const first = sandbox.sandbox.messages.latest(PHONE)?.link;
    assert.ok(first);
    for (const step of ['begin', 'capture', 'process', 'needs-retry']) await press(first, step);
    await sandbox.sandbox.webhooks.settled();
    await relay.settled();
    assert.equal((await answer(handle, { method: 'DOCV', retry: true })).status, 200);
    const second = sandbox.sandbox.messages.latest(PHONE)?.link;
    assert.ok(second && second !== first);
    for (const step of ['begin', 'capture', 'process', 'verified']) await press(second, step);
    await sandbox.sandbox.webhooks.settled();
    assert.deepEqual(
      (await told(inquiryId)).map(({ name, channel, decision }) => [name, channel ?? decision ?? null]),
      [
        ['challenge_started', 'SMS'],
        ['retry', 'SMS'],
        ['decided', 'ALLOW'],
      ],
    );
  });

  it('over two instances sharing a store, each moment is told once, by the instance that stored it', async () => {
    const store = new MemorySessionStore();
    const onFirst: JourneyEvent[] = [];
    const onSecond: JourneyEvent[] = [];
    const first = await startSandboxRelay({ store, onEvent: (event) => void onFirst.push(event) });
    // Both instances talk to the first one's Kount, as one deployment does.
    const second = await startSandboxRelay({ store, onEvent: (event) => void onSecond.push(event), apiUrl: first.sandbox.url, tokenUrl: first.sandbox.url + SANDBOX_PATHS.token });
    try {
      const inquiryId = crypto.randomUUID();
      const assessment = await first.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: PHONE } });
      const { handle } = await first.relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
      const code = first.sandbox.sandbox.messages.latest(PHONE)?.code;
      assert.ok(code);
      const viaSecond = (body: unknown) =>
        second.relay.fetch(
          new Request(`${second.relayUrl}/verify/session/answer`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-k360-verify': '1', origin: second.relayUrl, cookie: `${SESSION_COOKIE}=${handle}` },
            body: JSON.stringify(body),
          }),
        );
      assert.equal((await viaSecond({ method: 'OTP', otp: code === '000000' ? '111111' : '000000' })).status, 422);
      assert.equal((await first.browser('/session/answer', handle, { body: { method: 'OTP', otp: code } })).status, 200);
      await Promise.all([first.relay.settled(), second.relay.settled()]);
      const names = (events: JourneyEvent[]) => events.filter((event) => event.inquiryId === inquiryId).map((event) => event.name);
      assert.deepEqual(names(onFirst), ['challenge_started', 'code_submitted', 'decided']);
      assert.deepEqual(names(onSecond), ['code_submitted', 'wrong_answer']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('Account Protection MFA: the product says so', async () => {
    const decision = await relay.accountProtection.login({
      inquiryId: `inquiry${Date.now()}`,
      deviceSessionId: 'device-ap',
      account: { id: 'user-events', username: 'user-events' },
      person: { emailAddress: 'login-sms@example.com', phoneNumber: PHONE },
      strategy: { mfaTemplateName: 'SandboxLogin' },
    });
    const { handle } = await relay.startMfaChallenge({ decision, contact: { phoneNumber: PHONE, email: 'login-sms@example.com' } });
    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    assert.equal((await answer(handle, { method: 'OTP', otp: code })).status, 200);
    await relay.settled();
    const events = heard.filter((event) => event.product === 'account_protection');
    assert.deepEqual(
      events.map(({ name, decision: final }) => `${name}${final ? ` ${final}` : ''}`),
      ['challenge_started', 'code_submitted', 'decided ALLOW'],
    );
  });

  it('a send the limits refuse is told with the limit that refused it', async () => {
    const limited = await startSandboxRelay({ onEvent: (event) => void heard.push(event), resendIntervalSeconds: 0, sendsPerDestinationPerHour: 2 });
    try {
      const inquiryId = crypto.randomUUID();
      const assessment = await limited.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: PHONE } });
      const { handle } = await limited.relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
      // The first send and one resend use the destination's allowance from this network; the next is refused.
      assert.equal((await limited.browser('/session/resend', handle, { body: {} })).status, 200);
      const refusal = await limited.browser('/session/resend', handle, { body: {} });
      assert.equal(refusal.status, 429);
      assert.deepEqual(pick((await refusal.json()) as { error: Record<string, unknown> }), { code: 'send_limited', limit: 'destination' });
      await limited.relay.settled();
      const refused = heard.filter((event) => event.inquiryId === inquiryId && event.name === 'send_refused');
      assert.deepEqual(refused.map(({ channel, limit, method }) => ({ channel, limit, method })), [{ channel: 'SMS', limit: 'destination', method: 'OTP' }]);
    } finally {
      await limited.close();
    }
  });

  it('a listener that throws or rejects is logged, and the journey goes on', async () => {
    const failing = await startSandboxRelay({
      onEvent: async (event) => {
        if (event.name === 'challenge_started') throw new Error('the shop’s queue is down');
        await Promise.reject(new Error('and again'));
      },
    });
    try {
      const kba = await failing.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: PHONE } });
      const { handle } = await failing.relay.startChallenge({ assessment: kba, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
      const code = failing.sandbox.sandbox.messages.latest(PHONE)?.code;
      assert.ok(code);
      assert.equal((await failing.browser('/session/answer', handle, { body: { method: 'OTP', otp: code } })).status, 200);
      await failing.relay.settled();
      const failures = failing.logger.entries.filter((entry) => entry.event === 'relay.on_event_failed').map((entry) => entry.fields.event);
      assert.deepEqual(failures, ['challenge_started', 'code_submitted', 'decided']);
    } finally {
      await failing.close();
    }
  });

  it('never carries a contact, a code, a session id or a handle, whatever the journey (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000_000, max: 9_999_999 }), fc.constantFrom('otp', 'otp-email'), async (local, persona) => {
        heard.splice(0);
        const phone = `+1555${local}`;
        const email = `${persona}@example.com`;
        const { handle, inquiryId } = await challenge(email, phone);
        const code = sandbox.sandbox.messages.latest(persona === 'otp' ? phone : email)?.code;
        assert.ok(code);
        await answer(handle, { method: 'OTP', otp: code === '123456' ? '654321' : '123456' });
        await answer(handle, { method: 'OTP', otp: code });
        const text = JSON.stringify(await told(inquiryId));
        assert.ok(text.length > 0);
        for (const secret of [phone, phone.slice(-7), code, handle, handle.split('.')[0] ?? handle]) {
          assert.ok(!text.includes(secret), `${secret} in ${text}`);
        }
        assert.ok(!text.includes('@'), text);
      }),
      { numRuns: 8 },
    );
  });
});

describe('onEvent: abandoned, a session that reaches its end undecided', () => {
  let harness: SandboxRelay;
  let clock = Date.now();
  const heard: JourneyEvent[] = [];

  before(async () => {
    harness = await startSandboxRelay({ onEvent: (event) => void heard.push(event), now: () => clock, sessionTtlSeconds: 120 });
  });
  after(() => harness.close());

  async function challenge() {
    const inquiryId = crypto.randomUUID();
    const contact = { email: 'otp@example.com', phoneNumber: PHONE };
    const assessment = await harness.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device-1', applicant: contact });
    return { ...(await harness.relay.startChallenge({ assessment, contact })), inquiryId };
  }
  const names = (inquiryId: string) => heard.filter((event) => event.inquiryId === inquiryId).map((event) => event.name);
  const sweep = async () => {
    await internalsOf(harness.relay).sweepAbandoned();
    await harness.relay.settled();
  };

  it('is told once for the undecided session in its last second, never for the decided one, and not before', async () => {
    clock = Date.now();
    const open = await challenge();
    const decided = await challenge();
    const code = harness.sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    assert.equal((await harness.browser('/session/answer', decided.handle, { body: { method: 'OTP', otp: code } })).status, 200);

    clock += 118_000;
    await sweep();
    assert.deepEqual(names(open.inquiryId), ['challenge_started'], 'two seconds before its end: not yet');

    clock += 1_500;
    await sweep();
    await sweep();
    assert.deepEqual(names(open.inquiryId), ['challenge_started', 'abandoned']);
    assert.deepEqual(names(decided.inquiryId), ['challenge_started', 'code_submitted', 'decided']);
    const abandoned = JourneyEvent.parse(heard.find((event) => event.inquiryId === open.inquiryId && event.name === 'abandoned'));
    assert.deepEqual(abandoned, { name: 'abandoned', at: new Date(clock).toISOString(), inquiryId: open.inquiryId, product: 'identity_proofing', method: 'OTP' });
  });

  it('a stopped relay tells nothing more', async () => {
    const stopping = await startSandboxRelay({ onEvent: (event) => void heard.push(event), now: () => clock, sessionTtlSeconds: 60 });
    const inquiryId = crypto.randomUUID();
    const contact = { email: 'otp@example.com', phoneNumber: PHONE };
    const assessment = await stopping.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device-2', applicant: contact });
    await stopping.relay.startChallenge({ assessment, contact });
    await stopping.relay.close();
    await stopping.close();
    clock += 60_000;
    await internalsOf(stopping.relay).sweepAbandoned();
    assert.deepEqual(names(inquiryId), ['challenge_started']);
  });
});
