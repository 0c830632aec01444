/**
 * An admission (`relay.admitChallenge`) handed to a backend in another language: the counters it
 * holds, sealed in a token signed like a session handle. The token names only hashed counter keys,
 * never a contact or an address. Settling it (a start keeps it, a release gives it back) is claimed
 * once in the store, so a backend that retries a release cannot give the same counts back twice.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { RelayError } from './errors.js';
import { KEY_ID_PATTERN, keyIdOf } from './key-id.js';
import type { Logger } from './logger.js';
import { ChallengeAdmission, type SendLimits } from './send-limits.js';
import type { SessionStore } from './store/index.js';

const MAC_CONTEXT = 'k360-verify/admission/v1\n';
/** An admission is for a start that follows within seconds; an hour covers a slow Kount. */
const ADMISSION_TTL_SECONDS = 3_600;

const CounterKey = z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,120}$/));
const AdmissionPayload = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
  /** The signing secret's key id (`keyIdOf`), so a secret not rolled out here is told from a forgery; absent from older tokens. */
  kid: z.optional(z.string().check(z.regex(KEY_ID_PATTERN))),
  exp: z.number().check(z.int(), z.positive()),
  start: z.array(CounterKey).check(z.maxLength(4)),
  destinations: z.strictObject({ SMS: z.optional(z.array(CounterKey).check(z.maxLength(4))), EMAIL: z.optional(z.array(CounterKey).check(z.maxLength(4))) }),
  /** The keyed hash of the client network the sends count against (SECURITY 37); absent from older tokens. */
  network: z.optional(z.string().check(z.regex(/^(?:[A-Za-z0-9_-]{22}|unknown)$/))),
});

/** A backend that gets this waits as long before trying again: instances are still rolling a new secret out. */
const NOT_ROLLED_OUT_RETRY_SECONDS = 2;

interface SigningSecret {
  id: string;
  secret: Buffer;
}

export class AdmissionTokens {
  readonly #secrets: readonly SigningSecret[];
  readonly #limits: SendLimits;
  readonly #store: SessionStore;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;

  constructor(secrets: readonly string[], limits: SendLimits, store: SessionStore, now: () => number, logger?: Logger) {
    this.#secrets = secrets.map((secret) => ({ id: keyIdOf(secret), secret: Buffer.from(secret, 'utf8') }));
    this.#limits = limits;
    this.#store = store;
    this.#now = now;
    this.#logger = logger;
  }

  seal(admission: ChallengeAdmission): string {
    const { start, destinations } = admission.keys;
    const signing = this.#secrets[0] as SigningSecret;
    const payload = { id: randomBytes(16).toString('base64url'), kid: signing.id, exp: Math.floor(this.#now() / 1000) + ADMISSION_TTL_SECONDS, start, destinations, network: admission.network };
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${encoded}.${this.#mac(signing.secret, encoded).toString('base64url')}`;
  }

  /**
   * The admission in a genuine, unexpired token, to be settled once: null when it was settled
   * before (released, or kept by a start), so the caller does nothing more.
   */
  async open(token: string, field: string): Promise<ChallengeAdmission | null> {
    const [encoded = '', mac = '', extra] = token.split('.');
    const invalid = new RelayError('invalid_body', 'This admission is not one the relay issued, or it has expired.', { field });
    // Read before the MAC is checked, to pick the secret; nothing in it is trusted until then.
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    const payload = AdmissionPayload.safeParse(decoded);
    if (extra !== undefined || !payload.success || this.#now() >= payload.data.exp * 1000) throw invalid;
    const { kid } = payload.data;
    const candidates = kid === undefined ? this.#secrets : this.#secrets.filter((secret) => secret.id === kid);
    // No way to tell a forgery from a token sealed by an instance with a newer secret: the backend retries (SECURITY 38).
    if (candidates.length === 0) throw this.#notRolledOut(kid as string);
    const given = Buffer.from(mac, 'base64url');
    let genuine = false;
    for (const { secret } of candidates) {
      const expected = this.#mac(secret, encoded);
      if (given.length === expected.length && timingSafeEqual(given, expected)) genuine = true;
    }
    if (!genuine) throw invalid;
    if (!(await this.#store.claim(`admission:${payload.data.id}`, ADMISSION_TTL_SECONDS))) return null;
    return new ChallengeAdmission(this.#limits, payload.data.start, payload.data.destinations, payload.data.network);
  }

  #notRolledOut(keyId: string): RelayError {
    this.#logger?.error('relay.secret_not_rolled_out', { keyId, heldKeyIds: this.#secrets.map((secret) => secret.id), token: 'admission' });
    const refusal = new RelayError('store_unavailable', 'The relay cannot open this admission yet. Please try again in a moment.', { retryAfterSeconds: NOT_ROLLED_OUT_RETRY_SECONDS });
    refusal.logged = this.#logger !== undefined;
    return refusal;
  }

  #mac(secret: Buffer, encoded: string): Buffer {
    return createHmac('sha256', secret).update(MAC_CONTEXT).update(encoded).digest();
  }
}
