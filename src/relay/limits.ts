/**
 * The relay's own limits, in one place: wrong codes before a lockout (SECURITY 14) and sends per
 * session, at least an interval apart (SECURITY 15). Each is a pure change of the session that the
 * orchestrator stores with compare-and-set before Kount is asked, so the limits stay exact when
 * concurrent requests for one session are spread over several instances.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { OtpChannel } from '../contract/browser.js';
import type { ActionData, StrategyAction } from '../contract/kount/index.js';
import type { RelayConfig } from './config.js';
import { RelayError } from './errors.js';
import type { AnswerInFlight, Session, SettledAnswer } from './sessions.js';
import { secondsUntil } from './time.js';

export type LimitSettings = Pick<RelayConfig, 'maxFailedOtpAttempts' | 'otpLockoutSeconds' | 'maxResends' | 'resendIntervalSeconds' | 'timeoutMs' | 'sessionSecret'>;

/** How long a settled answer's result waits for the identical answers that joined it (they look every 200 ms at most). */
const SETTLED_KEPT_MS = 30_000;
/** Settled answers kept at most: a session never holds more than a handful at once. */
const MAX_SETTLED = 8;

/** A name for one answer in flight, so the request that reserved it is the one that settles it. */
export function newReservationId(): string {
  return randomBytes(9).toString('base64url');
}

export class Limits {
  readonly settings: LimitSettings;
  readonly #digestKey: Buffer;

  constructor(settings: LimitSettings) {
    this.settings = settings;
    // The signing secret: instances mid-rotation may digest differently, which only costs a second call.
    const [secret] = settings.sessionSecret;
    this.#digestKey = Buffer.from(hkdfSync('sha256', secret ?? '', 'k360-verify/answers', 'answer-digest/v1', 32));
  }

  /**
   * SECURITY 45: a name for a passcode answer that tells identical answers to one session apart
   * from different ones without holding the code (a store dump cannot be tried against 10^6 codes
   * without the relay's secret).
   */
  answerDigest(sessionId: string, answer: string): string {
    return createHmac('sha256', this.#digestKey).update(sessionId).update('\n').update(answer).digest('base64url');
  }

  /** SECURITY 45: the identical answer already on its way to Kount, which this one waits for instead of asking again. */
  identicalInFlight(session: Session, digest: string, now: number): AnswerInFlight | undefined {
    return this.#inFlight(session, now).find((entry) => entry.digest === digest);
  }

  /** An answer left the in-flight list: how it ended, kept briefly for the identical answers waiting for it. */
  recordSettled(session: Session, id: string, now: number, refusal?: SettledAnswer['refusal']): Session {
    const kept = (session.answersSettled ?? []).filter((entry) => entry.until > now && entry.id !== id);
    const entry: SettledAnswer = { id, until: now + SETTLED_KEPT_MS, ...(refusal === undefined ? {} : { refusal }) };
    return { ...session, answersSettled: [...kept, entry].slice(-MAX_SETTLED) };
  }

  /** How the answer `id` ended, while it is kept. */
  settledAnswer(session: Session, id: string, now: number): SettledAnswer | undefined {
    return session.answersSettled?.find((entry) => entry.id === id && entry.until > now);
  }

  /** The answer `id` is still on its way (its instance has not given up on it). */
  stillInFlight(session: Session, id: string, now: number): boolean {
    return this.#inFlight(session, now).some((entry) => entry.id === id);
  }

  /** SECURITY 14: while locked, nothing (answer or resend) reaches Kount. */
  assertNotLocked(session: Session, now: number): void {
    if (session.lockedUntil === null || now >= session.lockedUntil) return;
    const wait = secondsUntil(session.lockedUntil, now);
    throw new RelayError('too_many_attempts', `Too many wrong codes. Try again in ${wait} seconds.`, { retryAfterSeconds: wait });
  }

  lockedForSeconds(session: Session, now: number): number {
    return session.lockedUntil === null ? 0 : secondsUntil(session.lockedUntil, now);
  }

  /**
   * The attempts a shopper has left, as the page shows them: the fewer of Kount's count and the
   * wrong codes the relay still takes before its own lockout (one more after a lockout has passed).
   */
  remainingAttempts(kountRemaining: number | undefined, session: Session, now: number): number {
    const beforeLockout = this.lockedForSeconds(session, now) > 0 ? 0 : Math.max(1, this.settings.maxFailedOtpAttempts - session.failedOtpAttempts);
    return kountRemaining === undefined ? beforeLockout : Math.min(kountRemaining, beforeLockout);
  }

  /**
   * A passcode answer is counted before Kount is asked: the wrong codes so far and the answers in
   * flight together stay under the limit, so of 20 concurrent different wrong codes exactly 5 reach
   * Kount (an identical one waits for its twin instead, SECURITY 45).
   * After a lockout has run out, one answer at a time: a wrong one locks again.
   */
  reserveAttempt(session: Session, id: string, now: number, digest?: string): Session {
    const inFlight = this.#inFlight(session, now);
    const allowed = Math.max(1, this.settings.maxFailedOtpAttempts - session.failedOtpAttempts);
    if (inFlight.length >= allowed) {
      throw new RelayError('too_many_attempts', 'Other codes are being checked. Try again in a moment.', { retryAfterSeconds: 1 });
    }
    const entry = this.#entry(id, now);
    return { ...session, answersInFlight: [...inFlight, digest === undefined ? entry : { ...entry, digest }] };
  }

  /** One answer at a time: a KBA questionnaire is answered once, and a second answer would cost an attempt. */
  reserveSoleAnswer(session: Session, id: string, now: number): Session {
    const inFlight = this.#inFlight(session, now);
    if (inFlight.length > 0) {
      throw new RelayError('action_mismatch', 'Answers to these questions are already being checked. Load the current questions.');
    }
    return { ...session, answersInFlight: [this.#entry(id, now)] };
  }

  /** Kount has answered: the answer leaves the in-flight list, and a wrong code counts (the last one allowed locks). */
  settleAttempt(session: Session, id: string, wrongCode: boolean, now: number): Session {
    const released = this.release(session, id);
    if (!wrongCode) return released;
    const failedOtpAttempts = session.failedOtpAttempts + 1;
    const locked = failedOtpAttempts >= this.settings.maxFailedOtpAttempts;
    return { ...released, failedOtpAttempts, lockedUntil: locked ? now + this.settings.otpLockoutSeconds * 1000 : session.lockedUntil };
  }

  /** The call failed before Kount could judge the answer: it costs the shopper nothing. */
  release(session: Session, id: string): Session {
    const rest = (session.answersInFlight ?? []).filter((entry) => entry.id !== id);
    const { answersInFlight: _dropped, ...withoutList } = session;
    return rest.length === 0 ? withoutList : { ...session, answersInFlight: rest };
  }

  /**
   * SECURITY 15: a send (resend, change of channel, DocV retry) is counted before Kount is asked.
   * If the call fails nobody knows whether a message went out, and an SMS must never be sent more
   * often than the cap, so a send is never given back.
   */
  reserveSend(session: Session, action: StrategyAction, now: number, change?: ChannelChange): Session {
    if (session.resendCount >= this.settings.maxResends || action.data?.remainingSendAttempts === 0) {
      throw new RelayError('resend_limit_reached', 'No more codes can be sent for this verification.', {
        retryAfterSeconds: secondsUntil(session.expiresAt, now),
      });
    }
    const wait = change ? this.channelAvailableInSeconds(session, change.to, now) : this.resendAvailableInSeconds(session, now);
    if (wait > 0) throw new RelayError('resend_too_soon', `A new code can be sent in ${wait} seconds.`, { retryAfterSeconds: wait });
    const reserved = { ...session, resendCount: session.resendCount + 1, lastSendAt: now };
    if (!change) return reserved;
    const byChannel = session.lastSendAtByChannel ?? {};
    // The channel left keeps the time of its last send, so coming back to it waits as a resend would.
    return { ...reserved, lastSendAtByChannel: { ...byChannel, [change.from]: byChannel[change.from] ?? session.lastSendAt, [change.to]: now } };
  }

  /**
   * A send reserved here that the limits across sessions then refused: nothing went out, so it costs
   * the session nothing. The interval goes back too, unless another send was reserved meanwhile.
   */
  returnSend(session: Session, unreserved: Session, reserved: Session): Session {
    const untouched = session.lastSendAt === reserved.lastSendAt;
    const restored = {
      ...session,
      resendCount: Math.max(0, session.resendCount - 1),
      lastSendAt: untouched ? unreserved.lastSendAt : session.lastSendAt,
    };
    if (!untouched) return restored;
    const { lastSendAtByChannel: _reserved, ...rest } = restored;
    return unreserved.lastSendAtByChannel === undefined ? rest : { ...rest, lastSendAtByChannel: unreserved.lastSendAtByChannel };
  }

  remainingResends(data: ActionData, session: Session): number {
    const ourResendsLeft = Math.max(0, this.settings.maxResends - session.resendCount);
    return data.remainingSendAttempts === undefined ? ourResendsLeft : Math.min(ourResendsLeft, data.remainingSendAttempts);
  }

  resendAvailableInSeconds(session: Session, now: number): number {
    return secondsUntil(session.lastSendAt + this.settings.resendIntervalSeconds * 1000, now);
  }

  /** The wait before a change of channel to `channel`: its own last send's interval, none if it had none. */
  channelAvailableInSeconds(session: Session, channel: OtpChannel, now: number): number {
    const last = session.lastSendAtByChannel?.[channel];
    return last === undefined ? 0 : secondsUntil(last + this.settings.resendIntervalSeconds * 1000, now);
  }

  /** Answers still on their way; one whose instance died long ago no longer counts. */
  #inFlight(session: Session, now: number): AnswerInFlight[] {
    return (session.answersInFlight ?? []).filter((entry) => entry.until > now);
  }

  #entry(id: string, now: number): AnswerInFlight {
    // Well past the longest a call can take (a token fetch with its retries, then the call itself).
    return { id, until: now + this.settings.timeoutMs * 3 + 5000 };
  }
}

/** A send that moves a one-time link or code to the shopper's other contact. */
export interface ChannelChange {
  readonly from: OtpChannel;
  readonly to: OtpChannel;
}
