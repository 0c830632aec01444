/**
 * Identity Proofing's step-up plumbing, shared by the four methods: the verify call (an answer, a
 * send, or a refresh that only asks), and Kount's answer laid over the session.
 */
import { knownMethod, unknownActionStatus, type StrategyAction, type VerificationResponse, type VerifyRequest } from '../../contract/kount/index.js';
import type { Destination } from '../channels.js';
import type { KountClient } from '../kount-client.js';
import type { Logger } from '../logger.js';
import { withoutStaleActions } from '../progress.js';
import { openAction, type Session } from '../sessions.js';
import { applyVerification, type AppliedVerification } from '../verification-outcome.js';

type ActionData = VerifyRequest['strategy']['actions'][number]['data'];

/** The two Kount calls a step-up makes. */
export type StepUpCalls = Pick<KountClient, 'verify' | 'refresh'>;

export class StepUp {
  readonly #kount: StepUpCalls;
  readonly #logger: Logger;

  constructor(kount: StepUpCalls, logger: Logger) {
    this.#kount = kount;
    this.#logger = logger;
  }

  /** One verify call about `action`: an answer (`otp`, `questions`) or a send (`resend: true`). */
  verify(session: Session, action: StrategyAction, data: ActionData, destination: Destination = {}): Promise<VerificationResponse> {
    return this.#kount.verify({ ...this.#request(session, action.method, data), ...destination });
  }

  /** Kount's answer about the action that was acted on, laid over the session. */
  apply(session: Session, response: VerificationResponse, method: string): AppliedVerification {
    const applied = applyVerification(session, response, method, this.#logger);
    const open = openAction(applied.session);
    const status = open === undefined || applied.session.decision !== null ? undefined : unknownActionStatus(open);
    if (status !== undefined) {
      // The page shows a plain "try again later" (view.ts); the developer learns which word Kount added.
      this.#logger.warn('relay.unknown_action_status', { inquiryId: session.inquiryId, method: knownMethod(open?.method ?? '') ?? 'other', status: status.slice(0, 40) });
    }
    return applied;
  }

  /**
   * Kount's current picture of the case, without changing it. A read, so it may be retried, but
   * only `maxRetries` times: someone is waiting (Kount for its webhook's answer, a browser for a view).
   */
  refresh(session: Session, maxRetries: number): Promise<VerificationResponse> | null {
    const action = openAction(session);
    if (!action) return null;
    return this.#kount.refresh(
      { inquiryId: session.inquiryId, authenticationId: session.authenticationId, strategy: { ...this.#strategy(session), nextAction: true, actions: [{ method: action.method, data: {} }] } },
      { maxRetries },
    );
  }

  /** A refresh laid over the session, except where the session already knows better (SECURITY 23). */
  mergeRefresh(session: Session, response: VerificationResponse): Session {
    const method = openAction(session)?.method ?? '';
    const fresh = withoutStaleActions(session.actions, response.strategy?.actions ?? []);
    return this.apply(session, { ...response, strategy: { ...response.strategy, actions: fresh } }, method).session;
  }

  #request(session: Session, method: string, data: ActionData): VerifyRequest {
    return { inquiryId: session.inquiryId, authenticationId: session.authenticationId, strategy: { ...this.#strategy(session), actions: [{ method, data }] } };
  }

  #strategy(session: Session): { strategyName?: string } {
    return session.strategyName === undefined ? {} : { strategyName: session.strategyName };
  }
}
