/** SECURITY 12 at the unit level: handles are signed, expire, and cannot be forged or moved between relays. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Hono } from 'hono';
import { HandleSigner, newSessionId, UnknownKeyHandle, type UnknownKeyLookup } from '../../src/relay/handles.js';
import { errorAnswer, RelayError } from '../../src/relay/errors.js';
import { keyIdOf } from '../../src/relay/key-id.js';
import { sessionHandle } from '../../src/relay/middleware/session-handle.js';
import type { VersionedSession } from '../../src/relay/store/index.js';
import { createCapturingLogger, refusal } from './helpers.js';
import { sessionFixture } from './session-fixture.js';

const SECRET = 'handle-test-secret-0123456789-abcdefghij';
const NOW = Date.UTC(2030, 0, 1);

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof RelayError);
    return error.code;
  }
  return 'accepted';
}

describe('session handles', () => {
  const signer = new HandleSigner(SECRET);
  const sid = newSessionId();
  const handle = signer.sign({ sid, exp: NOW / 1000 + 900 });

  it('uses 128-bit random session ids', () => {
    assert.match(sid, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(sid, 'base64url').length, 16);
    assert.notEqual(newSessionId(), newSessionId());
  });

  it('round-trips the session id', () => {
    assert.equal(signer.verify(handle, NOW), sid);
  });

  it('is payload "." HMAC, with only {sid, exp, kid} in the payload (kid: the key id, not the secret)', () => {
    const [payload, mac] = handle.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), { sid, exp: NOW / 1000 + 900, kid: keyIdOf(SECRET) });
    assert.doesNotMatch(Buffer.from(payload ?? '', 'base64url').toString(), /handle-test-secret/);
    assert.equal(Buffer.from(mac ?? '', 'base64url').length, 32);
  });

  it('rejects an expired handle with session_expired', () => {
    assert.equal(codeOf(() => signer.verify(handle, NOW + 900_000)), 'session_expired');
    assert.equal(codeOf(() => signer.verify(handle, NOW + 899_999)), 'accepted');
  });

  it('rejects a handle signed with another secret (foreign relay) with session_invalid', () => {
    const foreign = new HandleSigner('another-relay-secret-0123456789-abcdef').sign({ sid, exp: NOW / 1000 + 900 });
    assert.equal(codeOf(() => signer.verify(foreign, NOW)), 'session_invalid');
  });

  it('rejects a re-signed payload with a later expiry', () => {
    const [, mac] = handle.split('.');
    const extended = Buffer.from(JSON.stringify({ sid, exp: NOW / 1000 + 99_999 })).toString('base64url');
    assert.equal(codeOf(() => signer.verify(`${extended}.${mac}`, NOW)), 'session_invalid');
  });

  it('rejects garbage of every shape', () => {
    for (const garbage of ['', '.', 'abc', `${handle}.x`, handle.replace('.', ''), 'a'.repeat(600), `${handle} `, 'ä.ö']) {
      assert.equal(codeOf(() => signer.verify(garbage, NOW)), 'session_invalid', JSON.stringify(garbage));
    }
  });

  it('rejects any single-character change (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: handle.length - 1 }), fc.nat({ max: alphabet.length - 1 }), (position, letter) => {
        const replacement = alphabet[letter] ?? 'A';
        fc.pre(handle[position] !== replacement);
        const tampered = handle.slice(0, position) + replacement + handle.slice(position + 1);
        return codeOf(() => signer.verify(tampered, NOW)) === 'session_invalid';
      }),
      { numRuns: 1000 },
    );
  });
});

const OLD = 'old-handle-secret-0123456789-abcdefghij';
const NEW = 'new-handle-secret-0123456789-abcdefghij';

/** A store holding `held` (and failing when told), as the signer's look-up sees it. */
function lookup(held: readonly string[], options: { fails?: boolean } = {}) {
  const logger = createCapturingLogger();
  const reads: string[] = [];
  const store: UnknownKeyLookup['store'] = {
    read: async (id) => {
      reads.push(id);
      if (options.fails) throw new RelayError('store_unavailable', 'down');
      return held.includes(id) ? ({ session: sessionFixture(id), version: 0 } satisfies VersionedSession) : null;
    },
    events: async () => [],
  };
  return { store, logger, reads };
}

describe('SECURITY 38: handles name their signing key, so a secret not rolled out here is told from a forgery', () => {
  const sid = newSessionId();
  const exp = NOW / 1000 + 900;
  const fromRolledInstance = new HandleSigner([NEW, OLD]).sign({ sid, exp });

  it('a key id is 8 base64url characters derived from the secret, and differs between secrets', () => {
    assert.match(keyIdOf(NEW), /^[A-Za-z0-9_-]{8}$/);
    assert.notEqual(keyIdOf(NEW), keyIdOf(OLD));
    assert.equal(keyIdOf(NEW), keyIdOf(NEW));
    assert.deepEqual(new HandleSigner([NEW, OLD]).keyIds, [keyIdOf(NEW), keyIdOf(OLD)]);
  });

  it('a handle signed with a key this instance does not hold, for a session the store holds: 503 with Retry-After, logged as an error naming the key id', async () => {
    const held = lookup([sid]);
    const notRolled = new HandleSigner([OLD], held);
    assert.throws(() => notRolled.verify(fromRolledInstance, NOW), (error: unknown) => error instanceof UnknownKeyHandle && error.keyId === keyIdOf(NEW));
    const refused = await refusal(notRolled.verifyHeld(fromRolledInstance, NOW));
    assert.equal(refused.code, 'store_unavailable');
    assert.equal(refused.status, 503);
    assert.ok((refused.retryAfterSeconds ?? 0) > 0);
    const lines = held.logger.entries.filter((entry) => entry.event === 'relay.secret_not_rolled_out');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, 'error');
    assert.equal(lines[0]?.fields.keyId, keyIdOf(NEW));
    assert.doesNotMatch(JSON.stringify(held.logger.entries), /handle-secret/);
  });

  it('a store that cannot say whether it holds the session also answers 503 (retried), not 401', async () => {
    const refused = await refusal(new HandleSigner([OLD], lookup([], { fails: true })).verifyHeld(fromRolledInstance, NOW));
    assert.equal(refused.code, 'store_unavailable');
  });

  it('an unknown key id for a session the store does not hold (another relay, or forged) is still 401 session_invalid', async () => {
    const refused = await refusal(new HandleSigner([OLD], lookup([])).verifyHeld(fromRolledInstance, NOW));
    assert.equal(refused.code, 'session_invalid');
    assert.equal(refused.status, 401);
  });

  it('a forged MAC under a key id this instance holds is 401 without asking the store', async () => {
    const held = lookup([sid]);
    const [payload, mac = ''] = fromRolledInstance.split('.');
    const forged = `${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const refused = await refusal(new HandleSigner([NEW, OLD], held).verifyHeld(forged, NOW));
    assert.equal(refused.code, 'session_invalid');
    assert.deepEqual(held.reads, []);
  });

  it('an expired handle under an unknown key is 401, without asking the store', async () => {
    const held = lookup([sid]);
    const refused = await refusal(new HandleSigner([OLD], held).verifyHeld(fromRolledInstance, NOW + 900_000));
    assert.equal(refused.status, 401);
    assert.deepEqual(held.reads, []);
  });

  it('a handle signed before key ids existed (no kid) still verifies with any configured secret', () => {
    const encoded = Buffer.from(JSON.stringify({ sid, exp })).toString('base64url');
    const mac = createHmac('sha256', OLD).update('k360-verify/session-handle/v1\n').update(encoded).digest('base64url');
    assert.equal(new HandleSigner([NEW, OLD]).verify(`${encoded}.${mac}`, NOW), sid);
    assert.equal(codeOf(() => new HandleSigner([NEW]).verify(`${encoded}.${mac}`, NOW)), 'session_invalid');
  });

  it('the session-handle middleware answers a browser 503 (held session) or 401 (not held) for an unknown key', async () => {
    const app = (held: readonly string[]) => {
      const signer = new HandleSigner([OLD], lookup(held));
      return new Hono()
        .get('/session', sessionHandle(signer, () => NOW), (c) => c.text(c.get('sessionId')))
        .onError((error) => {
          const { status, headers, body } = errorAnswer(error);
          return new Response(body, { status, headers });
        });
    };
    const request = () => new Request('https://shop.test/session', { headers: { authorization: `Bearer ${fromRolledInstance}` } });
    const retried = await app([sid]).fetch(request());
    assert.equal(retried.status, 503);
    assert.ok(Number(retried.headers.get('retry-after')) > 0);
    assert.equal((await app([]).fetch(request())).status, 401);
    const own = new HandleSigner([OLD]).sign({ sid, exp });
    const accepted = await app([sid]).fetch(new Request('https://shop.test/session', { headers: { authorization: `Bearer ${own}` } }));
    assert.equal(await accepted.text(), sid);
  });
});
