/**
 * SECURITY 38: `RELAY_SESSION_SECRET` rotates in two phases while instances roll (issue 23 item 2).
 * Two instances over one store engine: A already rotated, B not yet. What A signed or sealed, B
 * cannot verify or open; for a session the store holds, B answers 503 (the browser retries, Kount
 * re-sends), never 401 or "unknown session". Done in the documented order, nothing fails at all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionTokens } from '../../src/relay/admission-tokens.js';
import { HandleSigner, newSessionId } from '../../src/relay/handles.js';
import { keyIdOf } from '../../src/relay/key-id.js';
import { internalsOf } from '../../src/relay/internals.js';
import { MemoryStoreEngine } from '../../src/relay/store/index.js';
import { CORRECT_OTP } from './fake-kount.js';
import type { OthFakeStep } from './fake-steps.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge, type TestRelay } from './helpers.js';
import { deliverWebhook, webhookKeys } from './webhook-helpers.js';

const OLD = 'old-secret-0123456789-abcdefghijklmnop';
const NEW = 'new-secret-0123456789-abcdefghijklmnop';

/** Two instances over one engine: each seals and signs with its own `RELAY_SESSION_SECRET`. */
function twoInstances(secretsOfA: string[], secretsOfB: string[], steps: Array<'OTP' | 'OTH'> = ['OTP']) {
  let a: TestRelay | undefined;
  const engine = new MemoryStoreEngine({ now: () => a?.clock.now() ?? Date.now() });
  a = createTestRelay({ sessionSecret: secretsOfA, store: engine, webhookPublicKey: webhookKeys().publicKeyPem }, { steps });
  const b = createTestRelay({ sessionSecret: secretsOfB, store: engine, webhookPublicKey: webhookKeys().publicKeyPem, fetch: a.kount.fetch, now: a.clock.now });
  return { a, b, engine };
}

function notRolledOutLines(test: TestRelay) {
  return test.logger.entries.filter((entry) => entry.event === 'relay.secret_not_rolled_out');
}

async function verifiedLinkEvent(test: TestRelay) {
  const { handle } = await startOtpChallenge(test.relay);
  const fakeCase = test.kount.caseOf((await test.relay.outcome(handle)).authenticationId);
  const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
  fakeCase.advanceIfPassed();
  return { handle, event };
}

describe('SECURITY 38: mid-roll, with the new secret put first on A before B holds it', () => {
  it('a journey started on A and continued on B gets 503 with Retry-After there (never 401), and succeeds on A', async () => {
    const { a, b } = twoInstances([NEW, OLD], [OLD]);
    const { handle } = await startOtpChallenge(a.relay);

    const view = await send(b.relay, '/session', { handle });
    assert.equal(view.status, 503);
    assert.equal(errorCodeOf(view.body), 'store_unavailable');
    assert.ok(Number(view.headers.get('retry-after')) > 0);
    const answer = await send(b.relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
    assert.equal(answer.status, 503);
    // The shop's backend asking B for the outcome is told to retry too, not that the handle is not valid.
    await assert.rejects(b.relay.outcome(handle), { code: 'store_unavailable' });

    const [line] = notRolledOutLines(b);
    assert.equal(line?.level, 'error');
    assert.equal(line?.fields.keyId, keyIdOf(NEW));
    assert.deepEqual(line?.fields.heldKeyIds, [keyIdOf(OLD)]);
    assert.doesNotMatch(JSON.stringify(b.logger.entries), /secret-0123456789/, 'no secret in any log line');

    assert.equal((await send(a.relay, '/session', { handle })).status, 200);
    const decided = await send(a.relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
    assert.equal(decided.status, 200);
    assert.equal((await a.relay.outcome(handle)).decision, 'ALLOW');
  });

  it('a handle that names an unknown key for a session the store does not hold is still 401 (another relay, forged), and so is a forged MAC', async () => {
    const { a, b } = twoInstances([NEW, OLD], [OLD]);
    const { handle } = await startOtpChallenge(a.relay);
    const stranger = new HandleSigner([NEW]).sign({ sid: newSessionId(), exp: Math.floor(a.clock.now() / 1000) + 600 });
    assert.equal(errorCodeOf((await send(b.relay, '/session', { handle: stranger })).body), 'session_invalid');
    const [payload, mac = ''] = handle.split('.');
    const forgedMac = `${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    assert.equal(errorCodeOf((await send(a.relay, '/session', { handle: forgedMac })).body), 'session_invalid');
    assert.equal(notRolledOutLines(b).length, 0);
    assert.equal(notRolledOutLines(a).length, 0);
  });

  it('a verified webhook landing on B gets 503 and is not marked done; re-sent to A it is applied', async () => {
    const { a, b } = twoInstances([NEW, OLD], [OLD], ['OTH']);
    const { handle, event } = await verifiedLinkEvent(a);
    const onB = await deliverWebhook(b.relay, event, a.clock.now());
    assert.equal(onB.status, 503);
    assert.equal(b.logger.entries.filter((entry) => entry.event === 'webhook.unknown_session').length, 0);
    assert.equal((await a.relay.outcome(handle)).decision, null);

    const onA = await deliverWebhook(a.relay, event, a.clock.now());
    assert.equal(onA.status, 200);
    await a.relay.settled();
    assert.equal((await a.relay.outcome(handle)).decision, 'ALLOW');
  });

  it('an admission sealed by A is a 503 on B (retried), not "not issued by the relay"; a tampered one is still refused', async () => {
    const { a, b } = twoInstances([NEW, OLD], [OLD]);
    const token = internalsOf(a.relay).admissions.seal(await a.relay.admitChallenge({ contact: { email: 'olivia.shopper@example.com' } }));
    await assert.rejects(internalsOf(b.relay).admissions.open(token, 'admission'), { code: 'store_unavailable' });
    assert.equal(notRolledOutLines(b)[0]?.fields.keyId, keyIdOf(NEW));
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await assert.rejects(internalsOf(a.relay).admissions.open(tampered, 'admission'), { code: 'invalid_body' });
    assert.ok(await internalsOf(a.relay).admissions.open(token, 'admission'));
  });
});

describe('SECURITY 38: rotation in the documented order never fails', () => {
  it('phase 1 (A: old,new; B: old): a journey and a webhook move freely between the instances', async () => {
    const { a, b } = twoInstances([OLD, NEW], [OLD], ['OTH']);
    const { handle, event } = await verifiedLinkEvent(a);
    assert.equal((await send(b.relay, '/session', { handle })).status, 200);
    assert.equal((await deliverWebhook(b.relay, event, a.clock.now())).status, 200);
    await b.relay.settled();
    assert.equal((await a.relay.outcome(handle)).decision, 'ALLOW');
    assert.equal(notRolledOutLines(a).length + notRolledOutLines(b).length, 0);
  });

  it('phase 2 (both hold the new secret, A already signs with it): what either instance signed or sealed works on the other', async () => {
    const { a, b } = twoInstances([NEW, OLD], [OLD, NEW]);
    const fromA = await startOtpChallenge(a.relay);
    const fromB = await startOtpChallenge(b.relay);
    assert.equal((await send(b.relay, '/session', { handle: fromA.handle })).status, 200);
    assert.equal((await send(a.relay, '/session', { handle: fromB.handle })).status, 200);
    assert.equal((await send(b.relay, '/session/answer', { handle: fromA.handle, body: { method: 'OTP', otp: CORRECT_OTP } })).status, 200);
    assert.equal(notRolledOutLines(a).length + notRolledOutLines(b).length, 0);
    assert.notEqual(sessionIdOf(fromA.handle), sessionIdOf(fromB.handle));
  });
});

describe('SECURITY 38: admission tokens name their key', () => {
  it('a token carries the key id of the secret that signed it, never the secret', async () => {
    const { a } = twoInstances([NEW, OLD], [OLD]);
    const admissions = internalsOf(a.relay).admissions;
    assert.ok(admissions instanceof AdmissionTokens);
    const token = admissions.seal(await a.relay.admitChallenge({ contact: { email: 'olivia.shopper@example.com' } }));
    const [encoded = ''] = token.split('.');
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(payload.kid, keyIdOf(NEW));
    assert.doesNotMatch(Buffer.from(encoded, 'base64url').toString('utf8'), /secret/);
  });
});
