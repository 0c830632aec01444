/**
 * Session handles: `base64url(JSON {sid, exp, kid})` + "." + `base64url(HMAC-SHA256)`. The browser
 * holds only this; it names a session and proves the relay issued it, and says nothing else
 * (SECURITY 12). `kid` names the secret that signed it (never the secret), so an instance that does
 * not hold that secret yet can tell a handle from a rolled instance from a forged one (SECURITY 38).
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { RelayError } from './errors.js';
import { KEY_ID_PATTERN, keyIdOf } from './key-id.js';
import type { Logger } from './logger.js';
import type { SessionStore } from './store/index.js';

const KeyId = z.string().check(z.regex(KEY_ID_PATTERN));

const HandlePayload = z.object({
  sid: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
  /** Expiry in seconds since the epoch. */
  exp: z.number().check(z.int(), z.positive()),
  /** The signing secret's key id; absent from handles signed before key ids existed. */
  kid: z.optional(KeyId),
});
export type HandlePayload = z.infer<typeof HandlePayload>;

/** A handle longer than this is not even decoded. */
const MAX_HANDLE_LENGTH = 512;
const HANDLE_SHAPE = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;
/** Binds the MAC to this use of the secret, so the same secret cannot be replayed from another purpose. */
const MAC_CONTEXT = 'k360-verify/session-handle/v1\n';
/** How long a browser waits before asking again when its handle's secret has not reached this instance yet. */
const NOT_ROLLED_OUT_RETRY_SECONDS = 2;

/** 128 random bits, base64url (22 characters). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** Where a signer looks when a handle names a key it does not hold: is that session held by the store? */
export interface UnknownKeyLookup {
  store: Pick<SessionStore, 'read' | 'events'>;
  logger: Logger;
}

/**
 * A well-formed, unexpired handle whose key id names none of this relay's secrets: signed by another
 * relay (or forged), or by an instance whose new secret has not reached this one. 401 as it stands;
 * `HandleSigner.refusalFor` asks the store which of the two it is.
 */
export class UnknownKeyHandle extends RelayError {
  // Private, so a logger that writes an error's own fields never writes the session id.
  readonly #sessionId: string;
  readonly #keyId: string;

  constructor(sessionId: string, keyId: string) {
    super('session_invalid', 'This verification link is not valid. Please start again.');
    this.#sessionId = sessionId;
    this.#keyId = keyId;
  }

  /** The session the handle claims to name: not proven, so only ever looked up, never acted on. */
  get sessionId(): string {
    return this.#sessionId;
  }

  get keyId(): string {
    return this.#keyId;
  }
}

interface SigningKey {
  id: string;
  key: KeyObject;
}

/**
 * Signs with the first secret and accepts a handle signed with any of them. Rotation is in two
 * phases (docs/relay/instances.md): the new secret is added last everywhere, then moved first once every instance
 * holds it, and the old one dropped a session lifetime later.
 */
export class HandleSigner {
  /** Imported once: a key handed to `createHmac` as bytes is imported again on every call. */
  readonly #keys: readonly SigningKey[];
  readonly #lookup: UnknownKeyLookup | undefined;

  constructor(secrets: string | readonly string[], lookup?: UnknownKeyLookup) {
    const list = typeof secrets === 'string' ? [secrets] : secrets;
    if (list.length === 0) throw new Error('a HandleSigner needs at least one secret');
    this.#keys = list.map((secret) => ({ id: keyIdOf(secret), key: createSecretKey(Buffer.from(secret, 'utf8')) }));
    this.#lookup = lookup;
  }

  /** The key ids of this relay's secrets, the signing one first (for logs: they name no secret). */
  get keyIds(): string[] {
    return this.#keys.map((key) => key.id);
  }

  sign(payload: Omit<HandlePayload, 'kid'>): string {
    const signing = this.#keys[0] as SigningKey;
    const encodedPayload = Buffer.from(JSON.stringify({ sid: payload.sid, exp: payload.exp, kid: signing.id }), 'utf8').toString('base64url');
    return `${encodedPayload}.${this.#mac(signing.key, encodedPayload).toString('base64url')}`;
  }

  /**
   * The session id in a genuine, unexpired handle; otherwise a 401 `RelayError`, an `UnknownKeyHandle`
   * when the handle names a key this relay does not hold.
   */
  verify(handle: string, nowMs: number): string {
    if (handle.length > MAX_HANDLE_LENGTH || !HANDLE_SHAPE.test(handle)) throw invalidHandle();
    const [encodedPayload = '', encodedMac = ''] = handle.split('.');
    // Read before the MAC is checked, to pick the key; nothing in it is trusted until then.
    const claimed = decodePayload(encodedPayload);
    if (claimed === null) throw invalidHandle();
    const candidates = claimed.kid === undefined ? this.#keys : this.#keys.filter((key) => key.id === claimed.kid);
    if (candidates.length === 0) {
      if (nowMs >= claimed.exp * 1000) throw invalidHandle();
      throw new UnknownKeyHandle(claimed.sid, claimed.kid as string);
    }
    const given = Buffer.from(encodedMac, 'base64url');
    // Every candidate is tried, so the time taken does not say which one (if any) matched.
    let genuine = false;
    for (const { key } of candidates) {
      const expected = this.#mac(key, encodedPayload);
      if (given.length === expected.length && timingSafeEqual(given, expected)) genuine = true;
    }
    if (!genuine) throw invalidHandle();
    // Base64url's last character has spare bits; only the canonical spelling is accepted, so one session has one handle.
    if (given.toString('base64url') !== encodedMac) throw invalidHandle();
    if (nowMs >= claimed.exp * 1000) {
      throw new RelayError('session_expired', 'This verification has expired. Please start again.');
    }
    return claimed.sid;
  }

  /**
   * `verify`, for a caller that can wait for the store: a handle signed with a key this relay does
   * not hold, for a session the store holds, is a secret not rolled out here yet (503, retried),
   * never "not valid" (SECURITY 38).
   */
  async verifyHeld(handle: string, nowMs: number): Promise<string> {
    try {
      return this.verify(handle, nowMs);
    } catch (error) {
      throw error instanceof UnknownKeyHandle ? await this.refusalFor(error) : error;
    }
  }

  /**
   * What to answer for a handle `verify` found signed with an unknown key: 503 `store_unavailable`
   * (retried by the browser) when the store holds its session or cannot say, logged as an error
   * naming the key id; the 401 itself when the store holds no such session (another relay, forged).
   */
  async refusalFor(unknown: UnknownKeyHandle): Promise<RelayError> {
    if (this.#lookup === undefined) return unknown;
    const { store, logger } = this.#lookup;
    let held: boolean;
    try {
      // The log is read too: a session sealed with a key this instance lacks may read as none.
      held = (await store.read(unknown.sessionId)) !== null || (await store.events(unknown.sessionId)).length > 0;
    } catch {
      held = true;
    }
    if (!held) return unknown;
    logger.error('relay.secret_not_rolled_out', {
      keyId: unknown.keyId,
      heldKeyIds: this.keyIds,
      fix: 'add the new secret last in RELAY_SESSION_SECRET on every instance before any instance puts it first',
    });
    const refusal = new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: NOT_ROLLED_OUT_RETRY_SECONDS });
    refusal.logged = true;
    return refusal;
  }

  #mac(secret: KeyObject, encodedPayload: string): Buffer {
    return createHmac('sha256', secret).update(MAC_CONTEXT).update(encodedPayload).digest();
  }
}

function decodePayload(encodedPayload: string): HandlePayload | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const payload = HandlePayload.safeParse(decoded);
  return payload.success ? payload.data : null;
}

function invalidHandle(): RelayError {
  return new RelayError('session_invalid', 'This verification link is not valid. Please start again.');
}
