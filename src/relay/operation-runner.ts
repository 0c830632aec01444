/**
 * Every answer and resend, in one sequence: the method's reservation is stored first (the limits
 * hold across instances), a send is counted against the limits across sessions, Kount is asked
 * once (SECURITY 5), and its answer is laid over the session as it is by then. Each step's change
 * hands back what it computed, so nothing survives from a run that compare-and-set threw away.
 */
import type { OtpChannel, SessionView } from '../contract/browser.js';
import { knownMethod, type StrategyAction } from '../contract/kount/index.js';
import { RelayError } from './errors.js';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';
import type { ChallengeMethod, Methods, Operation, Settlement } from './methods/index.js';
import type { SendLimits } from './send-limits.js';
import type { SessionWriter, StoredChange } from './session-writer.js';
import { openAction, type Session } from './sessions.js';

/** The operation a browser request asks for, checked against the session as stored; throws a RelayError to refuse. */
export type PickOperation = (session: Session, action: StrategyAction, method: ChallengeMethod | undefined, now: number) => Operation;

/** Told when an operation's settlement decided the session (Account Protection reports it to Kount). */
export type OnDecided = (session: Session, errorCode: string | undefined, now: number) => void;

export interface OperationRunnerDependencies {
  writer: SessionWriter;
  methods: Methods;
  limits: Limits;
  sendLimits: SendLimits;
  now: () => number;
  logger: Logger;
  onDecided?: OnDecided | undefined;
}

interface Reserved {
  action: StrategyAction;
  operation: Operation;
}

export class OperationRunner {
  readonly #dependencies: OperationRunnerDependencies;

  constructor(dependencies: OperationRunnerDependencies) {
    this.#dependencies = dependencies;
  }

  async run(sessionId: string, pick: PickOperation): Promise<SessionView> {
    const { writer, now, onDecided } = this.#dependencies;
    const reservation = await this.#reserve(sessionId, pick);
    const { action, operation } = reservation.result;
    if (operation.sends !== null) await this.#takeSend(sessionId, operation.sends, reservation);
    const reply = await this.#callOnce(sessionId, operation, reservation.after);
    const settled = await this.#settle(sessionId, operation, reply);
    const { before, after, result: settlement } = settled;
    this.#log(operation, action, after, settlement);
    if (before.decision === null && after.decision !== null) onDecided?.(after, settlement.errorCode, now());
    if (settlement.refusal) {
      // The line above says what happened (a wrong code, say): the API's refusal line would repeat it.
      settlement.refusal.logged = true;
      throw settlement.refusal;
    }
    return settled.view ?? writer.view(after, now());
  }

  /** The method checks the request against the session as stored and reserves what it takes (SECURITY 14, 15). */
  #reserve(sessionId: string, pick: PickOperation): Promise<StoredChange & { result: Reserved }> {
    return this.#dependencies.writer.changeWith(sessionId, (session, now) => {
      const action = openActionOrFinished(session);
      const operation = pick(session, action, this.#dependencies.methods.for(session, action), now);
      return { session: operation.reserve(session, now), result: { action, operation } };
    });
  }

  /**
   * A send the session's limits allowed, against the limits across sessions. Refused, nothing goes
   * out and the session's reservation is given back (its resend interval does not start).
   */
  async #takeSend(sessionId: string, channel: OtpChannel, reservation: StoredChange): Promise<void> {
    const { writer, sendLimits, limits, logger } = this.#dependencies;
    try {
      await sendLimits.takeSend(channel, reservation.after.contact);
    } catch (error) {
      await writer
        .change(sessionId, (session) => limits.returnSend(session, reservation.before, reservation.after))
        .catch((returnError: unknown) => logger.warn('relay.reservation_kept', { error: returnError }));
      throw error;
    }
  }

  /** Kount, asked once; when the call fails, a reservation that can be given back is. */
  async #callOnce(sessionId: string, operation: Operation, reserved: Session): Promise<unknown> {
    const { writer, logger } = this.#dependencies;
    try {
      return await operation.call(reserved);
    } catch (error) {
      const { release } = operation;
      if (release !== undefined) {
        await writer.change(sessionId, release).catch((releaseError: unknown) => logger.warn('relay.reservation_kept', { error: releaseError }));
      }
      throw error;
    }
  }

  /** Kount's answer laid over the session as it is by then; a decision made meanwhile (a webhook, another tab) stands. */
  #settle(sessionId: string, operation: Operation, reply: unknown): Promise<StoredChange & { result: Settlement }> {
    return this.#dependencies.writer.changeWith(sessionId, (session, now) => {
      const settlement: Settlement = session.decision !== null ? { session, outcome: 'decided' } : operation.settle(session, reply, now);
      return { session: settlement.session, result: settlement };
    });
  }

  #log(operation: Operation, action: StrategyAction, after: Session, settlement: Settlement): void {
    this.#dependencies.logger.info(`relay.${operation.kind}`, {
      inquiryId: after.inquiryId,
      method: knownMethod(action.method),
      ...(after.mfa === undefined ? {} : { mfa: true }),
      outcome: settlement.outcome,
      ...settlement.log,
      decision: after.decision,
      revision: after.revision,
    });
  }
}

/** SECURITY 15: nothing (not even a resend) revives a session that has a decision. */
function openActionOrFinished(session: Session): StrategyAction {
  const action = openAction(session);
  if (session.decision !== null || !action) throw new RelayError('session_finished', 'This verification is already finished.');
  return action;
}
