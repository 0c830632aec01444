/**
 * Issue 9, item 2: SMS and e-mail pumping. The per-session caps let ten sessions for one number send
 * forty messages; the limits across sessions (per destination and requesting network per hour and
 * per day, a hard cap per destination, challenges per client network) stop that, in the store, so
 * they hold on every instance. A refusal is `429 send_limited` with Retry-After, sends nothing, and
 * logs one line with the contact masked.
 *
 * Issue 23, items 1 and 4 (SECURITY 37, 40): counting per destination alone let anyone lock a
 * victim's number with five checkouts; and `+1555…` and `1555…` were two destinations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySessionStore, RelayError, createAdminApi, relayOptionsFromEnv, silentLogger, type Relay } from '../../src/relay/index.js';
import { SendLimits } from '../../src/relay/send-limits.js';
import { toE164 } from '../../src/relay/phone-number.js';
import { EMAIL, PHONE_NUMBER, createTestRelay, errorCodeOf, refusal, send, type TestRelay } from './helpers.js';

const SHOPPER = { phoneNumber: PHONE_NUMBER, email: EMAIL };

/** Sends Kount made: one with each challenge its assessment started, one per resend. */
function sendsMade(kount: TestRelay['kount']): number {
  const resends = kount.verifyBodies().filter((body) => JSON.stringify(body).includes('"resend":true')).length;
  return kount.calls.assess + resends;
}

/** What the docs tell a shop to do (docs/relay/limits.md): admit, then assess, then start (or release). Without `clientIp`: the unknown network. */
async function checkout(relay: Relay, contact: { phoneNumber?: string; email?: string }, clientIp?: string) {
  const admission = await relay.admitChallenge({ contact, ...(clientIp === undefined ? {} : { clientIp }) });
  const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-session-1', applicant: { ...contact } });
  return relay.startChallenge({ assessment, contact, admission });
}

describe('limits across sessions (issue 9, item 2)', () => {
  it('10 sessions for one number from one network, each resending 3 times, send at most the per-destination cap (5 an hour)', async () => {
    const { relay, kount, clock, logger } = createTestRelay();
    const handles: string[] = [];
    const refusals: RelayError[] = [];
    for (let shopper = 0; shopper < 10; shopper += 1) {
      try {
        // No client address: every start and every resend counts under the one unknown network.
        handles.push((await checkout(relay, SHOPPER)).handle);
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

  it('counts the day as well: 10 a day from one network, whatever the hours', async () => {
    const { relay, clock } = createTestRelay();
    let started = 0;
    for (let hour = 0; hour < 4; hour += 1) {
      for (let shopper = 0; shopper < 5; shopper += 1) {
        await checkout(relay, { phoneNumber: PHONE_NUMBER }, '203.0.113.9').then(
          () => (started += 1),
          (error: unknown) => assert.equal((error as RelayError).code, 'send_limited'),
        );
      }
      clock.advance(3_600_000);
    }
    assert.equal(started, 10);
    const error = await refusal(relay.admitChallenge({ clientIp: '203.0.113.9', contact: { phoneNumber: PHONE_NUMBER } }));
    assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 3_600, 'the day window is the one that is full');
  });

  it('a resend refused for its destination costs the session nothing: its count and interval stay as they were', async () => {
    const { relay, kount, clock } = createTestRelay({ sendsPerDestinationPerHour: 2 });
    const first = await checkout(relay, SHOPPER);
    await checkout(relay, SHOPPER);
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
    await checkout(relay, SHOPPER);
    await checkout(relay, SHOPPER);
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
      RELAY_SENDS_PER_DESTINATION_HARD_CAP_PER_DAY: '40',
      RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '50',
      RELAY_DEFAULT_COUNTRY_CALLING_CODE: '44',
    });
    assert.equal(options.sendsPerDestinationPerHour, 3);
    assert.equal(options.sendsPerDestinationPerDay, 6);
    assert.equal(options.sendsPerDestinationHardCapPerDay, 40);
    assert.equal(options.defaultCountryCallingCode, '44');
    assert.equal(relayOptionsFromEnv({ ...minimalEnv() }).sendsPerDestinationHardCapPerDay, undefined, 'unset: three times the per-day limit');
    assert.equal(relayOptionsFromEnv({ ...minimalEnv() }).defaultCountryCallingCode, '1');
    for (const code of ['+44', '044', '1234', 'uk']) assert.throws(() => relayOptionsFromEnv({ ...minimalEnv(), RELAY_DEFAULT_COUNTRY_CALLING_CODE: code }), /RELAY_DEFAULT_COUNTRY_CALLING_CODE must be a country calling code/, code);
    assert.equal(options.challengesPerClientIpPerHour, 50);
    assert.throws(() => createTestRelay({ sendsPerDestinationPerHour: 0 }), /sendsPerDestinationPerHour|RELAY_SENDS_PER_DESTINATION_PER_HOUR/);
  });
});

function minimalEnv(): Record<string, string> {
  return { KOUNT_API_URL: 'https://api.kount.test', KOUNT_TOKEN_URL: 'https://login.kount.test/token', KOUNT_API_KEY: 'key', KOUNT_CLIENT_ID: 'client', RELAY_SESSION_SECRET: 'x'.repeat(40) };
}

const ATTACKER_IP = '198.51.100.66';
const VICTIM_IP = '203.0.113.5';

describe('SECURITY 37: an attacker on one network cannot stop a victim on another from getting a code', () => {
  it("an attacker who spends their whole allowance on a victim's number is refused; the victim's own checkout from another address still sends its code", async () => {
    const { relay, kount, logger } = createTestRelay();
    let attackerStarts = 0;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await checkout(relay, { phoneNumber: PHONE_NUMBER }, ATTACKER_IP).then(
        () => (attackerStarts += 1),
        (error: unknown) => {
          assert.equal((error as RelayError).code, 'send_limited');
          assert.equal((error as RelayError).status, 429);
        },
      );
    }
    assert.equal(attackerStarts, 5, "the attacker's network gets its own 5 an hour, no more");
    const assessedBefore = kount.calls.assess;
    const victims = await checkout(relay, { phoneNumber: PHONE_NUMBER, email: EMAIL }, VICTIM_IP);
    assert.equal(victims.view.state, 'challenge');
    assert.equal(kount.calls.assess, assessedBefore + 1, "Kount was asked, and sent the victim's code");
    // The attacker's sessions, spread over the IPv6 /64 of one subscriber, are one network too.
    const v6 = createTestRelay().relay;
    for (let index = 1; index <= 5; index += 1) await checkout(v6, { phoneNumber: PHONE_NUMBER }, `2001:db8:66:1::${index}`);
    assert.equal((await refusal(checkout(v6, { phoneNumber: PHONE_NUMBER }, '2001:db8:66:1:ffff::1'))).code, 'send_limited');
    await checkout(v6, { phoneNumber: PHONE_NUMBER }, VICTIM_IP);
    assert.ok(logger.entries.every((entry) => !JSON.stringify(entry.fields).includes(ATTACKER_IP)), 'no client address in the log');
  });

  it("the same for a victim's e-mail address", async () => {
    const { relay } = createTestRelay({ sendsPerDestinationPerHour: 2 });
    await relay.admitChallenge({ clientIp: ATTACKER_IP, contact: { email: EMAIL } });
    await relay.admitChallenge({ clientIp: ATTACKER_IP, contact: { email: EMAIL.toUpperCase() } });
    assert.equal((await refusal(relay.admitChallenge({ clientIp: ATTACKER_IP, contact: { email: EMAIL } }))).code, 'send_limited');
    await relay.admitChallenge({ clientIp: VICTIM_IP, contact: { email: EMAIL } });
  });

  it('the hard cap over all networks still stops pumping from many networks, and is logged, masked, before it refuses', async () => {
    const { relay, kount, clock, logger } = createTestRelay({ sendsPerDestinationHardCapPerDay: 10 });
    let started = 0;
    const refusals: RelayError[] = [];
    for (let network = 0; network < 14; network += 1) {
      await checkout(relay, { phoneNumber: PHONE_NUMBER }, `192.0.2.${network + 1}`).then(
        () => (started += 1),
        (error: unknown) => refusals.push(error as RelayError),
      );
      clock.advance(60_000);
    }
    assert.equal(started, 10, 'ten sends a day to one number, however many networks ask');
    assert.equal(kount.calls.assess, 10);
    assert.equal(refusals.length, 4);
    for (const error of refusals) {
      assert.equal(error.code, 'send_limited');
      assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 3_600, 'until the day ends');
    }
    const limited = logger.entries.filter((entry) => entry.event === 'relay.send_limited');
    assert.equal(limited.length, 4);
    assert.ok(limited.every((entry) => entry.level === 'warn' && entry.fields.limit === 'sends_per_destination_hard_cap_per_day' && entry.fields.destination === '+1 *** *** 4567'));
    // From 80 % of the cap on (the 8th send of 10), each send is logged as the cap comes near.
    const near = logger.entries.filter((entry) => entry.event === 'relay.send_cap_near');
    assert.ok(near.length >= 3, `the 8th, 9th and 10th sends are logged (${near.length})`);
    assert.ok(near.every((entry) => entry.level === 'warn' && entry.fields.destination === '+1 *** *** 4567' && entry.fields.hardCapPerDay === 10));
    assert.ok(!JSON.stringify(logger.entries).includes('4155554567'), 'never the number in clear');
  });

  it('unset, the hard cap is three networks\' day allowances (30 with the defaults)', async () => {
    const { relay } = createTestRelay({ sendsPerDestinationPerHour: 2, sendsPerDestinationPerDay: 2 });
    for (let network = 1; network <= 3; network += 1) {
      await relay.admitChallenge({ clientIp: `192.0.2.${network}`, contact: { phoneNumber: PHONE_NUMBER } });
      await relay.admitChallenge({ clientIp: `192.0.2.${network}`, contact: { phoneNumber: PHONE_NUMBER } });
    }
    const error = await refusal(relay.admitChallenge({ clientIp: '192.0.2.4', contact: { phoneNumber: PHONE_NUMBER } }));
    assert.equal(error.code, 'send_limited');
  });

  it("a session's resends count against the network that started it, not the victim's", async () => {
    const store = new MemorySessionStore();
    const limits = new SendLimits({ sessionSecret: ['s'.repeat(40)], sendsPerDestinationPerHour: 3, sendsPerDestinationPerDay: 10, challengesPerClientIpPerHour: 20 }, store, silentLogger);
    const contact = { phoneNumber: PHONE_NUMBER };
    const attackers = await limits.admit({ clientIp: ATTACKER_IP, contact });
    await attackers.keep('SMS');
    assert.equal(attackers.network, limits.networkOf(ATTACKER_IP));
    assert.ok(!attackers.network.includes('198'), 'a keyed hash, not the address');
    await limits.takeSend('SMS', contact, attackers.network);
    await limits.takeSend('SMS', contact, attackers.network);
    assert.equal((await refusal(limits.takeSend('SMS', contact, attackers.network))).code, 'send_limited', "the attacker's resends use up only their network's allowance");
    const victims = await limits.admit({ clientIp: VICTIM_IP, contact });
    await victims.keep('SMS');
    await limits.takeSend('SMS', contact, victims.network);
    assert.equal(limits.networkOf('::ffff:198.51.100.66'), attackers.network, 'one network in every spelling');
  });

  it("over the browser API too: the attacker's resends are refused, the victim's session from another address still resends", async () => {
    const { relay, clock } = createTestRelay({ sendsPerDestinationPerHour: 3 });
    const contact = { phoneNumber: PHONE_NUMBER };
    const attackers = await checkout(relay, contact, ATTACKER_IP);
    const resend = async (handle: string) => {
      clock.advance(31_000);
      return send(relay, '/session/resend', { handle, body: {} });
    };
    assert.equal((await resend(attackers.handle)).status, 200);
    assert.equal((await resend(attackers.handle)).status, 200);
    const refused = await resend(attackers.handle);
    assert.equal(refused.status, 429);
    assert.equal(errorCodeOf(refused.body), 'send_limited');
    const victims = await checkout(relay, contact, VICTIM_IP);
    assert.equal((await resend(victims.handle)).status, 200);
    assert.equal((await resend(victims.handle)).status, 200);
  });
});

describe('SECURITY 40: one phone number, one e-mail address', () => {
  it('+1 555…, 1555…, (555) …, 001 555… and 555… are one destination with one allowance', async () => {
    const { relay } = createTestRelay({ sendsPerDestinationPerHour: 5 });
    for (const spelling of ['+14155554567', '14155554567', '(415) 555-4567', '+1 415 555 4567', '001 415 555 4567']) {
      await relay.admitChallenge({ contact: { phoneNumber: spelling } });
    }
    for (const spelling of ['+14155554567', '14155554567', '4155554567', '+1-415-555-4567']) {
      assert.equal((await refusal(relay.admitChallenge({ contact: { phoneNumber: spelling } }))).code, 'send_limited', spelling);
    }
  });

  it('numbers without + take RELAY_DEFAULT_COUNTRY_CALLING_CODE (a trunk 0 dropped); e-mail addresses are trimmed and lower-cased', async () => {
    const { relay } = createTestRelay({ sendsPerDestinationPerHour: 2, defaultCountryCallingCode: '44' });
    await relay.admitChallenge({ contact: { phoneNumber: '07911 123456', email: ' Olivia.Shopper@Example.COM ' } });
    await relay.admitChallenge({ contact: { phoneNumber: '+44 7911 123456', email: EMAIL } });
    assert.equal((await refusal(relay.admitChallenge({ contact: { phoneNumber: '447911123456' } }))).code, 'send_limited');
    assert.equal((await refusal(relay.admitChallenge({ contact: { email: 'OLIVIA.SHOPPER@example.com' } }))).code, 'send_limited');
  });

  it('toE164 writes every spelling one way: separators dropped, 00 (and 011 in North America) as +, the default code for national numbers', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['+1 (415) 555-4567', '1', '+14155554567'],
      ['415.555.4567', '1', '+14155554567'],
      ['1-415-555-4567', '1', '+14155554567'],
      ['011 44 7911 123456', '1', '+447911123456'],
      ['0044 7911 123456', '1', '+447911123456'],
      ['07911 123456', '44', '+447911123456'],
      ['447911123456', '44', '+447911123456'],
      ['7911 123456', '44', '+447911123456'],
      ['06 12 34 56 78', '33', '+33612345678'],
      [' ( ) - ', '1', undefined],
    ];
    for (const [written, code, expected] of cases) assert.equal(toE164(written, code), expected, `${written} with ${code}`);
  });

  it('the number is kept and sent to Kount in the spelling it was counted in', async () => {
    const { relay, kount } = createTestRelay();
    const answer = await relay.startAssessment({
      contact: { phoneNumber: '(415) 555-4567', email: ' Olivia.Shopper@Example.com' },
      assessment: { strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { phoneNumber: '(415) 555-4567', email: ' Olivia.Shopper@Example.com' } },
    });
    const sent = JSON.parse(kount.requestsTo('assess')[0]?.body ?? '{}') as { applicant: { phoneNumber: string; email: string } };
    assert.equal(sent.applicant.phoneNumber, PHONE_NUMBER);
    assert.equal(sent.applicant.email, EMAIL);
    assert.equal(answer.challenge?.view.state, 'challenge');
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { phoneNumber: PHONE_NUMBER } });
    const started = await relay.startChallenge({ assessment, contact: { phoneNumber: '0014155554567', email: 'OLIVIA.SHOPPER@EXAMPLE.COM' } });
    // Masked from the number as kept: with its country code, so it was kept in E.164.
    assert.match(JSON.stringify(started.view), /"\+1 \*\*\* \*\*\* 4567"/);
  });
});

/**
 * Issue 24, item 4: a refusal said "too many codes to these details" when the per-network start
 * limit applied. The 429 body names the limit (`network` or `destination`), on the browser API and
 * on the admin API the shops' servers call.
 */
describe('issue 24: the refusal names the limit that applied', () => {
  const ADMIN_KEY = 'limits-admin-key-0123456789-0123456789-abc';
  async function admit(admin: ReturnType<typeof createAdminApi>, body: unknown) {
    const response = await admin.fetch(
      new Request('http://127.0.0.1/admin/v1/admissions', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string; limit?: string } } };
  }

  it('names the network when the starts per client network ran out, new details or not (admin API)', async () => {
    const { relay } = createTestRelay({ challengesPerClientIpPerHour: 2 });
    const admin = createAdminApi(relay, { apiKeys: [ADMIN_KEY] });
    for (let index = 0; index < 2; index += 1) assert.equal((await admit(admin, { clientIp: '192.0.2.7', contact: { email: `shopper${index}@example.com` } })).status, 201);
    const refused = await admit(admin, { clientIp: '192.0.2.7', contact: { email: 'new-details@example.com' } });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.code, 'send_limited');
    assert.equal(refused.body.error?.limit, 'network');
    assert.match(refused.body.error?.message ?? '', /started from this network/);
  });

  it('names the destination when the details had too many sends from this network (admin API)', async () => {
    const { relay } = createTestRelay();
    const admin = createAdminApi(relay, { apiKeys: [ADMIN_KEY] });
    const contact = { phoneNumber: PHONE_NUMBER };
    for (let index = 0; index < 5; index += 1) assert.equal((await admit(admin, { clientIp: '192.0.2.7', contact })).status, 201);
    const refused = await admit(admin, { clientIp: '192.0.2.7', contact });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.limit, 'destination');
    assert.match(refused.body.error?.message ?? '', /sent to this phone number/);
  });

  it("names the destination on the browser API's refused resend, and on the RelayError a shop's server catches", async () => {
    const { relay, clock } = createTestRelay({ sendsPerDestinationPerHour: 2 });
    const contact = { phoneNumber: PHONE_NUMBER };
    const started = await checkout(relay, contact, '192.0.2.7');
    clock.advance(31_000);
    assert.equal((await send(relay, '/session/resend', { handle: started.handle, body: {} })).status, 200);
    clock.advance(31_000);
    const refused = await send(relay, '/session/resend', { handle: started.handle, body: {} });
    assert.equal(refused.status, 429);
    assert.equal((refused.body as { error: { limit?: string } }).error.limit, 'destination');
    const error = await refusal(checkout(relay, contact, '192.0.2.7'));
    assert.equal(error.limit, 'destination');
  });
});
