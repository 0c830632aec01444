/**
 * Secrets rotate without downtime (issue 9 item 8): `RELAY_SESSION_SECRET` takes a list (the first
 * signs and seals, every one verifies and opens), `KOUNT_WEBHOOK_PUBLIC_KEY` takes several keys.
 * Rotation across several instances while they roll: rolling-rotation.test.ts (SECURITY 38).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { HandleSigner, newSessionId } from '../../src/relay/handles.js';
import { MemorySessionStore, relayOptionsFromEnv } from '../../src/relay/index.js';
import { keyIdOf } from '../../src/relay/key-id.js';
import { MemoryStoreEngine } from '../../src/relay/store/index.js';
import { SessionCodec } from '../../src/relay/store/stored-session.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge } from './helpers.js';
import { isoSeconds, signWebhook, webhookKeys, webhookRequest } from './webhook-helpers.js';

const OLD = 'old-secret-0123456789-abcdefghijklmnop';
const NEW = 'new-secret-0123456789-abcdefghijklmnop';
const NOW = Date.UTC(2030, 0, 1);

describe('RELAY_SESSION_SECRET rotation', () => {
  it('a handle signed with the old secret still verifies once the new one is first, and not once the old one is dropped', () => {
    const sid = newSessionId();
    const handle = new HandleSigner([OLD]).sign({ sid, exp: NOW / 1000 + 600 });
    assert.equal(new HandleSigner([NEW, OLD]).verify(handle, NOW), sid);
    assert.throws(() => new HandleSigner([NEW]).verify(handle, NOW), { code: 'session_invalid' });
    // New handles are signed with the first secret only.
    const fresh = new HandleSigner([NEW, OLD]).sign({ sid, exp: NOW / 1000 + 600 });
    assert.equal(new HandleSigner([NEW]).verify(fresh, NOW), sid);
    assert.throws(() => new HandleSigner([OLD]).verify(fresh, NOW), { code: 'session_invalid' });
  });

  it('contacts sealed in the store with the old secret open after the rotation; new ones are sealed with the new secret', async () => {
    const store = new MemorySessionStore();
    const test = createTestRelay({ store });
    const { handle } = await startOtpChallenge(test.relay, { phoneNumber: '+15550104567', email: 'o@example.com' });
    const session = await store.get(sessionIdOf(handle));
    assert.ok(session);
    const sealedOld = new SessionCodec([OLD]).encode(session);
    assert.doesNotMatch(sealedOld, /5550104567|o@example\.com/);
    assert.deepEqual(new SessionCodec([NEW, OLD]).decode(session.id, sealedOld)?.contact, session.contact);
    // Sealed with a key this instance does not hold: the session exists, it cannot be opened here (SECURITY 38).
    assert.throws(() => new SessionCodec([NEW]).decode(session.id, sealedOld), { code: 'store_unavailable' });
    const sealedNew = new SessionCodec([NEW, OLD]).encode(session);
    assert.throws(() => new SessionCodec([OLD]).decode(session.id, sealedNew), { code: 'store_unavailable' });
  });

  it('an open session survives a relay restarted with the secrets rotated', async () => {
    const store = new MemorySessionStore();
    const before = createTestRelay({ sessionSecret: OLD, store });
    const { handle } = await startOtpChallenge(before.relay);
    const after = createTestRelay({ sessionSecret: [NEW, OLD], store, fetch: before.kount.fetch, now: before.clock.now });
    assert.equal((await send(after.relay, '/session', { handle })).status, 200);
  });

  it('SECURITY 38: the old secret dropped while a session it signed lives is a loud 503 (retried), not "start again"', async () => {
    const engine = new MemoryStoreEngine();
    const before = createTestRelay({ sessionSecret: OLD, store: engine });
    const { handle } = await startOtpChallenge(before.relay);
    const dropped = createTestRelay({ sessionSecret: NEW, store: engine, fetch: before.kount.fetch, now: before.clock.now });
    const refused = await send(dropped.relay, '/session', { handle });
    assert.equal(refused.status, 503);
    assert.equal(errorCodeOf(refused.body), 'store_unavailable');
    assert.equal(dropped.logger.entries.find((entry) => entry.event === 'relay.secret_not_rolled_out')?.fields.keyId, keyIdOf(OLD));
  });

  it('reads a comma-separated list from the environment, each at least 32 characters, naming the variable', () => {
    const base = { KOUNT_API_URL: 'https://api.example', KOUNT_TOKEN_URL: 'https://login.example/token', KOUNT_API_KEY: 'k', KOUNT_CLIENT_ID: 'c' };
    assert.deepEqual(relayOptionsFromEnv({ ...base, RELAY_SESSION_SECRET: `${NEW}, ${OLD}` }).sessionSecret, [NEW, OLD]);
    assert.throws(() => relayOptionsFromEnv({ ...base, RELAY_SESSION_SECRET: `${NEW},short` }), (error: Error) => /RELAY_SESSION_SECRET/.test(error.message) && !error.message.includes('short'));
  });
});

describe('KOUNT_WEBHOOK_PUBLIC_KEY rotation', () => {
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const nextPem = next.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const nextDer = next.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  for (const [name, keys] of [
    ['two PEM blocks one after the other', `${webhookKeys().publicKeyPem}${nextPem}`],
    ['two PEM blocks on one line with literal \\n', `${webhookKeys().publicKeyPem}${nextPem}`.trim().replaceAll('\n', '\\n')],
    ['two Base64 DER keys separated by a comma', `${webhookKeys().publicKeyDerBase64},${nextDer}`],
  ] as const) {
    it(`accepts a delivery signed with either key, and refuses a third (${name})`, async () => {
      const options = relayOptionsFromEnv({ KOUNT_API_URL: 'https://api.example', KOUNT_TOKEN_URL: 'https://login.example/token', KOUNT_API_KEY: 'k', KOUNT_CLIENT_ID: 'c', RELAY_SESSION_SECRET: NEW, KOUNT_WEBHOOK_PUBLIC_KEY: keys });
      const test = createTestRelay({ webhookPublicKey: options.webhookPublicKey });
      const body = JSON.stringify({ id: 'evt-1', eventType: 'MFA.StatusUpdate', mfaStatus: 'VERIFIED', mfaId: 'mfa-1' });
      const timestamp = isoSeconds(test.clock.now());
      const statusWith = async (privateKey: typeof next.privateKey) =>
        (await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body, privateKey) }))).status;
      assert.equal(await statusWith(webhookKeys().privateKey), 200);
      assert.equal(await statusWith(next.privateKey), 200);
      assert.equal(await statusWith(other.privateKey), 401);
    });
  }

  it('refuses a list with one key that does not parse, naming the variable', () => {
    assert.throws(
      () => createTestRelay({ webhookPublicKey: `${webhookKeys().publicKeyDerBase64},bm90IGEga2V5` }),
      (error: Error) => /webhookPublicKey|KOUNT_WEBHOOK_PUBLIC_KEY/.test(error.message),
    );
  });
});
