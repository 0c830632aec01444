/**
 * An admission (`relay.admitChallenge`) handed to a backend in another language: the counters it
 * holds, sealed in a token signed like a session handle. The token names only hashed counter keys,
 * never a contact or an address. Settling it (a start keeps it, a release gives it back) is claimed
 * once in the store, so a backend that retries a release cannot give the same counts back twice.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { RelayError } from './errors.js';
import { ChallengeAdmission, type SendLimits } from './send-limits.js';
import type { SessionStore } from './store/index.js';

const MAC_CONTEXT = 'k360-verify/admission/v1\n';
/** An admission is for a start that follows within seconds; an hour covers a slow Kount. */
const ADMISSION_TTL_SECONDS = 3_600;

const CounterKey = z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,120}$/));
const AdmissionPayload = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
  exp: z.number().check(z.int(), z.positive()),
  start: z.array(CounterKey).check(z.maxLength(4)),
  destinations: z.strictObject({ SMS: z.optional(z.array(CounterKey).check(z.maxLength(4))), EMAIL: z.optional(z.array(CounterKey).check(z.maxLength(4))) }),
});

export class AdmissionTokens {
  readonly #secrets: readonly Buffer[];
  readonly #limits: SendLimits;
  readonly #store: SessionStore;
  readonly #now: () => number;

  constructor(secrets: readonly string[], limits: SendLimits, store: SessionStore, now: () => number) {
    this.#secrets = secrets.map((secret) => Buffer.from(secret, 'utf8'));
    this.#limits = limits;
    this.#store = store;
    this.#now = now;
  }

  seal(admission: ChallengeAdmission): string {
    const { start, destinations } = admission.keys;
    const payload = { id: randomBytes(16).toString('base64url'), exp: Math.floor(this.#now() / 1000) + ADMISSION_TTL_SECONDS, start, destinations };
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${encoded}.${this.#mac(this.#secrets[0] as Buffer, encoded).toString('base64url')}`;
  }

  /**
   * The admission in a genuine, unexpired token, to be settled once: null when it was settled
   * before (released, or kept by a start), so the caller does nothing more.
   */
  async open(token: string, field: string): Promise<ChallengeAdmission | null> {
    const [encoded = '', mac = '', extra] = token.split('.');
    const given = Buffer.from(mac, 'base64url');
    let genuine = false;
    for (const secret of this.#secrets) {
      const expected = this.#mac(secret, encoded);
      if (extra === undefined && given.length === expected.length && timingSafeEqual(given, expected)) genuine = true;
    }
    const invalid = new RelayError('invalid_body', 'This admission is not one the relay issued, or it has expired.', { field });
    if (!genuine) throw invalid;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    const payload = AdmissionPayload.safeParse(decoded);
    if (!payload.success || this.#now() >= payload.data.exp * 1000) throw invalid;
    if (!(await this.#store.claim(`admission:${payload.data.id}`, ADMISSION_TTL_SECONDS))) return null;
    return new ChallengeAdmission(this.#limits, payload.data.start, payload.data.destinations);
  }

  #mac(secret: Buffer, encoded: string): Buffer {
    return createHmac('sha256', secret).update(MAC_CONTEXT).update(encoded).digest();
  }
}
