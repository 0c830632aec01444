/**
 * Issue 9, item 2: SMS and e-mail pumping. The per-session caps let ten sessions for one number send
 * forty messages; the limits across sessions (per destination per hour and per day, challenges per
 * client IP) stop that, in the store, so they hold on every instance. A refusal is `429
 * send_limited` with Retry-After, sends nothing, and logs one line with the contact masked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySessionStore, RelayError, relayOptionsFromEnv, type Relay } from '../../src/relay/index.js';
import { EMAIL, PHONE_NUMBER, createTestRelay, errorCodeOf, send, type TestRelay } from './helpers.js';

const SHOPPER = { phoneNumber: PHONE_NUMBER, email: EMAIL };

/** Sends Kount made: one with each challenge its assessment started, one per resend. */
function sendsMade(kount: TestRelay['kount']): number {
  const resends = kount.verifyBodies().filter((body) => JSON.stringify(body).includes('"resend":true')).length;
  return kount.calls.assess + resends;
}

/** What the README tells a shop to do: admit, then assess, then start (or release). */
async function checkout(relay: Relay, contact: { phoneNumber?: string; email?: string }, clientIp: string) {
  const admission = await relay.admitChallenge({ clientIp, contact });
  const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-session-1', applicant: { ...contact } });
  return relay.startChallenge({ assessment, contact, admission });
}

async function refusal(work: Promise<unknown>): Promise<RelayError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  assert.fail('expected a RelayError');
}

describe('limits across sessions (issue 9, item 2)', () => {
  it('10 sessions for one number, each resending 3 times, send at most the per-destination cap (5 an hour)', async () => {
    const { relay, kount, clock, logger } = createTestRelay();
    const handles: string[] = [];
    const refusals: RelayError[] = [];
    for (let shopper = 0; shopper < 10; shopper += 1) {
      try {
        handles.push((await checkout(relay, SHOPPER, `198.51.100.${shopper}`)).handle);
      } catch (error) {
        assert.ok(error instanceof RelayError);
        refusals.push(error);
      }
    }
    assert.equal(handles.length, 5, 'five challenges started');
    assert.equal(refusals.length, 5);
    for (const error of refusals) {
      assert.equal(error.code, 'send_limited');
      assert.equal(error.status, 429);
      assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 3_000 && error.retryAfterSeconds <= 3_600, `until the hour ends (${error.retryAfterSeconds})`);
    }
    assert.equal(kount.calls.assess, 5, 'a refused shop never asks Kount, so nothing is sent');

    for (let round = 0; round < 3; round += 1) {
      clock.advance(31_000);
      for (const handle of handles) {
        const result = await send(relay, '/session/resend', { handle, body: {} });
        assert.equal(result.status, 429);
        assert.equal(errorCodeOf(result.body), 'send_limited');
        assert.ok(Number(result.headers.get('retry-after')) > 0, 'Retry-After says when');
      }
    }
    assert.equal(sendsMade(kount), 5, 'in all, the cap: 5 messages to the number, not 40');

    const lines = logger.entries.filter((entry) => entry.event === 'relay.send_limited');
    assert.equal(lines.length, 5 + 15, 'one log line per refusal');
    for (const line of lines) {
      const text = JSON.stringify(line.fields);
      assert.ok(!text.includes('4155554567') && !text.includes('olivia.shopper'), `no full contact in ${text}`);
    }
    assert.ok(lines.some((line) => line.fields.destination === '+1 *** *** 4567' && line.fields.limit === 'sends_per_destination_per_hour'));
  });

  it('counts the day as well: 10 a day, whatever the hours', async () => {
    const { relay, clock } = createTestRelay();
    let started = 0;
    for (let hour = 0; hour < 4; hour += 1) {
      for (let shopper = 0; shopper < 5; shopper += 1) {
        await checkout(relay, { phoneNumber: PHONE_NUMBER }, `203.0.113.${hour * 10 + shopper}`).then(
          () => (started += 1),
          (error: unknown) => assert.equal((error as RelayError).code, 'send_limited'),
        );
      }
      clock.advance(3_600_000);
    }
    assert.equal(started, 10);
    const error = await refusal(relay.admitChallenge({ contact: { phoneNumber: PHONE_NUMBER } }));
    assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 3_600, 'the day window is the one that is full');
  });

  it('a resend refused for its destination costs the session nothing: its count and interval stay as they were', async () => {
    const { relay, kount, clock } = createTestRelay({ sendsPerDestinationPerHour: 2 });
    const first = await checkout(relay, SHOPPER, '198.51.100.1');
    await checkout(relay, SHOPPER, '198.51.100.2');
    clock.advance(31_000);
    const before = (await send(relay, '/session', { handle: first.handle })).body as { action: { remainingResends: number; resendAvailableInSeconds: number } };
    const refused = await send(relay, '/session/resend', { handle: first.handle, body: {} });
    assert.equal(errorCodeOf(refused.body), 'send_limited');
    const after = (await send(relay, '/session', { handle: first.handle })).body as typeof before;
    assert.equal(before.action.remainingResends, 3);
    assert.equal(after.action.remainingResends, 3, 'the resend it was refused is not used up');
    assert.equal(after.action.resendAvailableInSeconds, 0, 'and no new interval started');
    assert.equal(kount.verifyBodies().length, 0, 'Kount was not asked');
  });

  it('keeps the send on the channel Kount used and gives the other contact back; release gives everything back', async () => {
    const { relay } = createTestRelay({ sendsPerDestinationPerHour: 2 });
    // The fake Kount challenges with an SMS passcode: the e-mail address was counted, then given back.
    await checkout(relay, SHOPPER, '198.51.100.1');
    await checkout(relay, SHOPPER, '198.51.100.2');
    assert.equal((await refusal(relay.admitChallenge({ contact: { phoneNumber: PHONE_NUMBER } }))).code, 'send_limited');
    const emailOnly = await relay.admitChallenge({ contact: { email: EMAIL } });
    await emailOnly.release();
    await emailOnly.release();
    const again = await relay.admitChallenge({ contact: { email: EMAIL } });
    await relay.admitChallenge({ contact: { email: EMAIL } });
    assert.equal((await refusal(relay.admitChallenge({ contact: { email: EMAIL } }))).code, 'send_limited', 'one release gave one back, not two');
    await again.release();
    await relay.admitChallenge({ contact: { email: ` ${EMAIL.toUpperCase()} ` } });
    assert.equal((await refusal(relay.admitChallenge({ contact: { email: EMAIL } }))).code, 'send_limited', 'an address is counted in one spelling');
  });

  it('20 challenges an hour per client IP: the 21st is refused, another IP is not; a released admission gives its start back', async () => {
    const { relay } = createTestRelay();
    const admissions = [];
    for (let index = 0; index < 20; index += 1) admissions.push(await relay.admitChallenge({ clientIp: '192.0.2.7', contact: { email: `shopper${index}@example.com` } }));
    const error = await refusal(relay.admitChallenge({ clientIp: '192.0.2.7', contact: { email: 'another@example.com' } }));
    assert.equal(error.code, 'send_limited');
    assert.match(error.message, /from this network/);
    await relay.admitChallenge({ clientIp: '192.0.2.8', contact: { email: 'another@example.com' } });
    await admissions[0]?.release();
    await relay.admitChallenge({ clientIp: '192.0.2.7', contact: { email: 'third@example.com' } });
  });

  it('holds across instances sharing a store: of 10 concurrent admissions on two relays exactly 5 pass', async () => {
    const store = new MemorySessionStore();
    const first = createTestRelay({ store }).relay;
    const second = createTestRelay({ store }).relay;
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => (index % 2 ? first : second).admitChallenge({ contact: { phoneNumber: PHONE_NUMBER } })));
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 5);
  });

  it('a shop that does not admit: the sends Kount made with its decisions still count, so no resend goes past the cap', async () => {
    const { relay, kount, clock } = createTestRelay();
    const handles = [];
    for (let shopper = 0; shopper < 6; shopper += 1) {
      const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-session-1', applicant: { phoneNumber: PHONE_NUMBER } });
      handles.push((await relay.startChallenge({ assessment, contact: { phoneNumber: PHONE_NUMBER } })).handle);
    }
    clock.advance(31_000);
    for (const handle of handles) assert.equal(errorCodeOf((await send(relay, '/session/resend', { handle, body: {} })).body), 'send_limited');
    assert.equal(sendsMade(kount), 6);
  });

  it('is configured by environment, with safe defaults, and refuses nonsense', () => {
    const defaults = createTestRelay();
    assert.ok(defaults.relay);
    const options = relayOptionsFromEnv({
      KOUNT_API_URL: 'https://api.kount.test',
      KOUNT_TOKEN_URL: 'https://login.kount.test/token',
      KOUNT_API_KEY: 'key',
      KOUNT_CLIENT_ID: 'client',
      RELAY_SESSION_SECRET: 'x'.repeat(40),
      RELAY_SENDS_PER_DESTINATION_PER_HOUR: '3',
      RELAY_SENDS_PER_DESTINATION_PER_DAY: '6',
      RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '50',
    });
    assert.equal(options.sendsPerDestinationPerHour, 3);
    assert.equal(options.sendsPerDestinationPerDay, 6);
    assert.equal(options.challengesPerClientIpPerHour, 50);
    assert.throws(() => createTestRelay({ sendsPerDestinationPerHour: 0 }), /sendsPerDestinationPerHour|RELAY_SENDS_PER_DESTINATION_PER_HOUR/);
  });
});
