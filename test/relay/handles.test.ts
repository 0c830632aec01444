/** SECURITY 12 at the unit level: handles are signed, expire, and cannot be forged or moved between relays. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HandleSigner, newSessionId } from '../../src/relay/handles.js';
import { RelayError } from '../../src/relay/errors.js';

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

  it('is payload "." HMAC, with only {sid, exp} in the payload', () => {
    const [payload, mac] = handle.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), { sid, exp: NOW / 1000 + 900 });
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
