/**
 * Account Protection MFA (Login v2, New Account Opening v2) finished in the page: the passcode and
 * link views are Identity Proofing's, but the passcode check and the resend go to Account
 * Protection's MFA calls by the MFA id, a link completes through `MFA.StatusUpdate`, and the
 * decision is reported to Kount with Challenge Outcome against the decision's correlation id.
 */
import type { FinalDecision } from '../../contract/browser.js';
import type { MfaStatusResponse, MfaStatusUpdateEvent, StrategyAction } from '../../contract/kount/index.js';
import type { AccountProtectionClient } from '../account-protection/client.js';
import { challengeOutcomeOf, mfaStatusPatch, readMfaStatus } from '../account-protection/mfa.js';
import { RelayError } from '../errors.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { patchAction } from '../progress.js';
import { openAction, type MfaState, type Session } from '../sessions.js';
import { expectAnswer, type ChallengeMethod, type Operation, type Settlement } from './challenge-method.js';
import { passcodeAttempt } from './otp.js';

/** The Account Protection calls an MFA in the page makes. */
export type MfaCalls = Pick<AccountProtectionClient, 'verifyPasscode' | 'resend' | 'challengeOutcome'>;

export class AccountProtectionMfa {
  readonly #client: MfaCalls;
  readonly #limits: Limits;
  readonly #logger: Logger;
  /** Challenge Outcome reports still on their way to Kount (the shopper never waits for one). */
  readonly #reports = new Set<Promise<void>>();

  constructor(client: MfaCalls, limits: Limits, logger: Logger) {
    this.#client = client;
    this.#limits = limits;
    this.#logger = logger;
  }

  /** `base` (the passcode or link method) with the MFA's own answer and resend, by the session's MFA. */
  method(base: ChallengeMethod): ChallengeMethod {
    return {
      name: base.name,
      view: base.view,
      firstSend: base.firstSend,
      ...(base.name === 'OTP' ? { answer: (action, answer, session) => this.#passcode(action, session, expectAnswer(answer, 'OTP').otp) } : {}),
      resend: (action, request, session) => {
        const mfa = mfaOf(session);
        // Kount's MFA resend names no destination, so the MFA stays on its channel.
        if (request.channel !== undefined && request.channel !== mfa.channel) throw new RelayError('channel_unavailable', 'This step cannot move to another channel.');
        return this.#resend(action, mfa);
      },
    };
  }

  /**
   * A verified `MFA.StatusUpdate` laid over the session's action: never backwards, decided on
   * VERIFIED (ALLOW) or TERMINATED (BLOCK). An event that brings nothing new gives a session equal
   * to the one it was given, which the writer does not store.
   */
  applyStatus(session: Session, event: MfaStatusUpdateEvent): Session {
    const action = openAction(session);
    if (!action) return session;
    const { decision } = readMfaStatus(event);
    return withMfaStatus(session, patchAction(action, mfaStatusPatch(event)), {}, decision);
  }

  /**
   * Challenge Outcome for a session this change decided. Not awaited: the shopper never waits for
   * it, and a failed report is logged, not shown. `settled()` waits for it.
   */
  reportDecided(session: Session, errorCode: string | undefined, now: number): void {
    const mfa = session.mfa;
    if (mfa === undefined || session.decision === null) return;
    const report = challengeOutcomeOf(mfa, session.decision, now, errorCode);
    const task: Promise<void> = this.#client
      .challengeOutcome(report)
      .then(() => this.#logger.info('relay.challenge_outcome.sent', { inquiryId: mfa.inquiryId, challengeType: report.challengeType, challengeStatus: report.challengeStatus }))
      .catch((error: unknown) => this.#logger.warn('relay.challenge_outcome.failed', { inquiryId: mfa.inquiryId, error }))
      .finally(() => this.#reports.delete(task));
    this.#reports.add(task);
  }

  /** Resolves once every Challenge Outcome report started so far has been answered or has failed. */
  async settled(): Promise<void> {
    while (this.#reports.size > 0) await Promise.allSettled([...this.#reports]);
  }

  /** Kount's MFA passcode check, by the MFA id; sent once (SECURITY 5), counted like any code (SECURITY 14). */
  #passcode(action: StrategyAction, session: Session, otp: string): Operation<MfaStatusResponse> {
    const mfa = mfaOf(session);
    return passcodeAttempt(
      this.#limits,
      this.#limits.answerDigest(session.id, otp),
      () => this.#client.verifyPasscode(mfa.id, otp),
      (session, response) => {
        const { decision, outcome } = readMfaStatus(response);
        return { session: withMfaStatus(session, action, response, decision), outcome, errorCode: response.error?.code };
      },
    );
  }

  /** Resend by the MFA id, counted before Kount is asked (SECURITY 15). */
  #resend(action: StrategyAction, mfa: MfaState): Operation<MfaStatusResponse> {
    return {
      kind: 'resend',
      sends: mfa.channel,
      reserve: (session, now) => this.#limits.reserveSend(session, action, now),
      call: () => this.#client.resend(mfa.id),
      settle: (session, response): Settlement => {
        const { decision } = readMfaStatus(response);
        return { session: withMfaStatus(session, action, response, decision), outcome: 'sent', log: { resendCount: session.resendCount }, errorCode: response.error?.code };
      },
    };
  }
}

/** The session's MFA: `Methods` hands these methods out only for a session that has one. */
function mfaOf(session: Session): MfaState {
  if (session.mfa === undefined) throw new RelayError('internal_error', 'The relay could not complete the request.');
  return session.mfa;
}

/** The MFA's one action with Kount's latest fields; closed once there is a decision. */
function withMfaStatus(session: Session, action: StrategyAction, status: MfaStatusResponse | Record<string, never>, decision: FinalDecision | null): Session {
  const data = { ...action.data, ...mfaStatusPatch(status) };
  const updated: StrategyAction = { ...action, data, status: decision === null ? 'challenge' : decision === 'ALLOW' ? 'verified' : 'failed' };
  return { ...session, actions: [updated], decision };
}

/** Kount's reason on a status update that ends an MFA (Challenge Outcome's failure type). */
export function mfaErrorCodeOf(event: MfaStatusUpdateEvent): string | undefined {
  const error: unknown = event['error'];
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
