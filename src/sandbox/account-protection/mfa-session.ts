import { randomBytes, randomUUID } from 'node:crypto';
import { sameSecret } from '../constant-time.js';
import type * as z from 'zod/mini';
import type { MfaChannelType, MfaStatus, MfaStatusUpdateEvent } from '../../contract/kount/index.js';
import type { Clock } from '../defaults.js';
import { generateOtp, OTP_POLICY, otpMatches } from '../otp.js';
import type { Outbox } from '../outbox.js';

/** The wrapped webhook body as sent (counters as strings). */
export type MfaStatusUpdatePayload = z.input<typeof MfaStatusUpdateEvent> & { readonly sendAttempts: string; readonly verificationAttempts: string };

export type MfaErrorCode =
  | 'OTP_MISMATCH'
  | 'OTP_EXPIRED'
  | 'VERIFICATION_ATTEMPTS_EXHAUSTED'
  | 'RESEND_LIMIT_REACHED'
  | 'LINK_EXPIRED'
  | 'REFUSED_BY_USER';

/** What a one-time link's page shows. */
export type LinkState = 'live' | 'verified' | 'refused' | 'expired' | 'replaced' | 'closed';

export interface MfaSessionContext {
  readonly now: Clock;
  readonly outbox: Outbox;
  /** Where the sandbox is reached; one-time links point at `<publicUrl>/sandbox/account-protection/links/<token>`. */
  readonly publicUrl: string;
  readonly clientId: string;
  /** Called on every status change with the wrapped `MFA.StatusUpdate` webhook body. */
  readonly publish: (event: MfaStatusUpdatePayload) => void;
}

/** Answer of resend and of the passcode check (see `MfaStatusResponse`). Counters are strings, like Kount's int64s. */
export interface MfaStatusBody {
  readonly mfaId: string;
  readonly mfaStatus: MfaStatus;
  readonly sendAttempts: string;
  readonly verificationAttempts: string;
  readonly remainingSendAttempts: string;
  readonly remainingVerificationAttempts: string;
  readonly expiresAt: string;
  readonly error?: { readonly code: MfaErrorCode; readonly message: string };
}

export const LINK_PATH_PREFIX = '/sandbox/account-protection/links/';

/**
 * One MFA (Login) or verification (NAO) started by a CHALLENGE: a passcode (`*_OTP`) or a one-time
 * link (`*_NONCE_OTH`) by SMS or e-mail. Same rules as the Identity Proofing passcode (`OTP_POLICY`):
 * single use, 10 minutes, 10 verification attempts, 1 send + 3 resends; a resend kills the previous
 * code or link and never resets the attempts. A link is completed by opening it.
 */
export class MfaSession {
  readonly id = randomUUID().replaceAll('-', '');
  readonly type: MfaChannelType;
  readonly accountId: string;
  readonly #context: MfaSessionContext;
  readonly #destination: string;
  #secret = '';
  /** The last link sent, kept after the session ends so its page can say what happened. */
  #lastLink = '';
  #expiresAtMs = 0;
  #sendAttempts = 0;
  #verificationAttempts = 0;
  #status: MfaStatus = 'UNKNOWN';
  #error: MfaStatusBody['error'];

  constructor(type: MfaChannelType, destination: string, accountId: string, context: MfaSessionContext) {
    this.type = type;
    this.accountId = accountId;
    this.#destination = destination;
    this.#context = context;
    this.#send();
  }

  get isLink(): boolean {
    return this.type.endsWith('_NONCE_OTH');
  }

  get status(): MfaStatus {
    return this.#status;
  }

  get finished(): boolean {
    return this.#status === 'VERIFIED' || this.#status === 'TERMINATED';
  }

  /** The token in the current link, for the link book. */
  get linkToken(): string | undefined {
    return this.isLink ? this.#lastLink : undefined;
  }

  resend(): MfaStatusBody {
    this.#expireLink();
    if (this.finished) return this.toBody();
    if (this.#sendAttempts >= OTP_POLICY.maxSends) {
      this.#finish('TERMINATED', { code: 'RESEND_LIMIT_REACHED', message: 'No more resends are allowed.' });
      return this.toBody();
    }
    this.#send();
    return this.toBody();
  }

  checkPasscode(given: string): MfaStatusBody {
    if (this.finished) return this.toBody();
    this.#verificationAttempts += 1;
    const remaining = OTP_POLICY.maxVerificationAttempts - this.#verificationAttempts;
    if (this.#context.now() >= this.#expiresAtMs) {
      this.#fail(remaining, { code: 'OTP_EXPIRED', message: 'The passcode has expired; ask for a new one.' });
    } else if (otpMatches(this.#secret, given)) {
      this.#finish('VERIFIED', undefined);
    } else {
      this.#fail(remaining, { code: 'OTP_MISMATCH', message: 'The passcode does not match.' });
    }
    return this.toBody();
  }

  /** The state of a link this session sent (`token` may be one a resend replaced). */
  linkState(token: string): LinkState {
    this.#expireLink();
    if (sameSecret(this.#secret, token) && !this.finished) return 'live';
    if (!sameSecret(this.#lastLink, token)) return this.finished ? 'closed' : 'replaced';
    if (this.#status === 'VERIFIED') return 'verified';
    if (this.#error?.code === 'REFUSED_BY_USER') return 'refused';
    if (this.#error?.code === 'LINK_EXPIRED') return 'expired';
    return 'closed';
  }

  /** The user opened the current link and said "yes, it's me". */
  confirmLink(token: string): void {
    if (this.linkState(token) !== 'live') return;
    this.#verificationAttempts += 1;
    this.#finish('VERIFIED', undefined);
  }

  /** The user opened the current link and said "this wasn't me". */
  refuseLink(token: string): void {
    if (this.linkState(token) !== 'live') return;
    this.#verificationAttempts += 1;
    this.#finish('TERMINATED', { code: 'REFUSED_BY_USER', message: 'The user said the request was not theirs.' });
  }

  /** A link past its lifetime ends the session (and sends the webhook) the first time anyone looks. */
  #expireLink(): void {
    if (this.isLink && !this.finished && this.#context.now() >= this.#expiresAtMs) {
      this.#finish('TERMINATED', { code: 'LINK_EXPIRED', message: 'The link has expired.' });
    }
  }

  toBody(): MfaStatusBody {
    return {
      mfaId: this.id,
      mfaStatus: this.#status,
      sendAttempts: String(this.#sendAttempts),
      verificationAttempts: String(this.#verificationAttempts),
      remainingSendAttempts: String(Math.max(0, OTP_POLICY.maxSends - this.#sendAttempts)),
      remainingVerificationAttempts: String(Math.max(0, OTP_POLICY.maxVerificationAttempts - this.#verificationAttempts)),
      expiresAt: new Date(this.#expiresAtMs).toISOString(),
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  #send(): void {
    const { now, outbox, publicUrl } = this.#context;
    this.#sendAttempts += 1;
    this.#expiresAtMs = now() + OTP_POLICY.lifetimeMs;
    const channel = this.type.startsWith('SMS') ? 'SMS' : 'EMAIL';
    const minutes = Math.round(OTP_POLICY.lifetimeMs / 60_000);
    if (this.isLink) {
      this.#secret = randomBytes(24).toString('base64url');
      this.#lastLink = this.#secret;
      const link = `${publicUrl}${LINK_PATH_PREFIX}${this.#secret}`;
      outbox.send({ channel, to: this.#destination, link, body: `Confirm it is you: ${link} (works once, for ${minutes} minutes).`, authenticationId: this.id });
    } else {
      this.#secret = generateOtp(this.#secret || undefined);
      outbox.send({ channel, to: this.#destination, code: this.#secret, body: `Your code is ${this.#secret}. It expires in ${minutes} minutes.`, authenticationId: this.id });
    }
    this.#error = undefined;
    this.#setStatus('MESSAGE_SENT');
  }

  #fail(remaining: number, error: NonNullable<MfaStatusBody['error']>): void {
    if (remaining <= 0) {
      this.#finish('TERMINATED', { code: 'VERIFICATION_ATTEMPTS_EXHAUSTED', message: 'Too many verification attempts.' });
      return;
    }
    this.#error = error;
    this.#setStatus('VERIFICATION_ATTEMPT_FAILED');
  }

  #finish(status: 'VERIFIED' | 'TERMINATED', error: MfaStatusBody['error']): void {
    this.#error = error;
    this.#secret = '';
    this.#setStatus(status);
  }

  #setStatus(status: MfaStatus): void {
    this.#status = status;
    this.#context.publish({
      id: randomUUID(),
      eventType: 'MFA.StatusUpdate',
      apiVersion: 'v1',
      clientId: this.#context.clientId,
      mfaStatus: status,
      mfaId: this.id,
      sendAttempts: String(this.#sendAttempts),
      verificationAttempts: String(this.#verificationAttempts),
    });
  }
}
