/**
 * Session handles: `base64url(JSON {sid, exp})` + "." + `base64url(HMAC-SHA256)`. The browser holds
 * only this; it names a session and proves the relay issued it, and says nothing else (SECURITY 12).
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { RelayError } from './errors.js';

const HandlePayload = z.object({
  sid: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
  /** Expiry in seconds since the epoch. */
  exp: z.number().check(z.int(), z.positive()),
});
export type HandlePayload = z.infer<typeof HandlePayload>;

/** A handle longer than this is not even decoded. */
const MAX_HANDLE_LENGTH = 512;
const HANDLE_SHAPE = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;
/** Binds the MAC to this use of the secret, so the same secret cannot be replayed from another purpose. */
const MAC_CONTEXT = 'k360-verify/session-handle/v1\n';

/** 128 random bits, base64url (22 characters). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Signs with the first secret and accepts a handle signed with any of them, so a new secret can be
 * put first (and the old one dropped a session lifetime later) without ending open sessions.
 */
export class HandleSigner {
  /** Imported once: a key handed to `createHmac` as bytes is imported again on every call. */
  readonly #secrets: readonly KeyObject[];

  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : secrets;
    if (list.length === 0) throw new Error('a HandleSigner needs at least one secret');
    this.#secrets = list.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  }

  sign(payload: HandlePayload): string {
    const encodedPayload = Buffer.from(JSON.stringify({ sid: payload.sid, exp: payload.exp }), 'utf8').toString('base64url');
    return `${encodedPayload}.${this.#mac(this.#secrets[0] as KeyObject, encodedPayload).toString('base64url')}`;
  }

  /** The session id in a genuine, unexpired handle; otherwise a 401 `RelayError`. */
  verify(handle: string, nowMs: number): string {
    if (handle.length > MAX_HANDLE_LENGTH || !HANDLE_SHAPE.test(handle)) throw invalidHandle();
    const [encodedPayload = '', encodedMac = ''] = handle.split('.');
    const given = Buffer.from(encodedMac, 'base64url');
    // Every secret is tried, so the time taken does not say which one (if any) matched.
    let genuine = false;
    for (const secret of this.#secrets) {
      const expected = this.#mac(secret, encodedPayload);
      if (given.length === expected.length && timingSafeEqual(given, expected)) genuine = true;
    }
    if (!genuine) throw invalidHandle();
    // Base64url's last character has spare bits; only the canonical spelling is accepted, so one session has one handle.
    if (given.toString('base64url') !== encodedMac) throw invalidHandle();

    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
    } catch {
      throw invalidHandle();
    }
    const payload = HandlePayload.safeParse(decoded);
    if (!payload.success) throw invalidHandle();
    if (nowMs >= payload.data.exp * 1000) {
      throw new RelayError('session_expired', 'This verification has expired. Please start again.');
    }
    return payload.data.sid;
  }

  #mac(secret: KeyObject, encodedPayload: string): Buffer {
    return createHmac('sha256', secret).update(MAC_CONTEXT).update(encodedPayload).digest();
  }
}

function invalidHandle(): RelayError {
  return new RelayError('session_invalid', 'This verification link is not valid. Please start again.');
}
