/**
 * Every answer and resend, in one sequence: the method's reservation is stored first (the limits
 * hold across instances), a send is counted against the limits across sessions, Kount is asked
 * once (SECURITY 5), and its answer is laid over the session as it is by then. Each step's change
 * hands back what it computed, so nothing survives from a run that compare-and-set threw away.
 * An answer identical to one in flight (a double submit, ten tabs) waits for that one's result
 * instead of asking Kount again (SECURITY 45).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OtpChannel, SessionView } from '../contract/browser.js';
import { knownMethod, unknownActionStatus, type StrategyAction } from '../contract/kount/index.js';
import { isRelayError, RelayError } from './errors.js';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';
import type { ChallengeMethod, Methods, Operation, Settlement } from './methods/index.js';
import type { SendLimits } from './send-limits.js';
import type { JourneyEvents } from './journey-events.js';
import type { Telemetry } from './telemetry.js';
import type { SessionWriter, StoredChange } from './session-writer.js';
import { openAction, type AnswerInFlight, type Session, type SettledAnswer } from './sessions.js';

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
  /** The journey's moments for the shop (`onEvent`). */
  events?: JourneyEvents | undefined;
  /** Answers' outcomes (`k360.answer.outcome`), when OpenTelemetry is installed. */
  telemetry?: Telemetry | undefined;
}

interface Reserved {
  action: StrategyAction;
  operation: Operation;
  /** The identical answer in flight this request waits for; nothing was reserved. */
  joined?: AnswerInFlight;
}

/** Looks at the store while waiting for an identical answer: soon at first, then every 200 ms. */
const FIRST_LOOK_MS = 10;
const LONGEST_LOOK_MS = 200;

export class OperationRunner {
  readonly #dependencies: OperationRunnerDependencies;

  constructor(dependencies: OperationRunnerDependencies) {
    this.#dependencies = dependencies;
  }

  /** `rejoins`: how often this request may still wait for an identical answer after one vanished unsettled. */
  async run(sessionId: string, pick: PickOperation, rejoins = 1): Promise<SessionView> {
    const { writer, now, onDecided, events } = this.#dependencies;
    const reservation = await this.#reserve(sessionId, pick, rejoins > 0);
    const { action, operation, joined } = reservation.result;
    if (joined !== undefined) {
      const shared = await this.#awaitIdentical(sessionId, joined, action);
      return shared ?? this.run(sessionId, pick, rejoins - 1);
    }
    if (operation.kind === 'answer') events?.emit(knownMethod(action.method) === 'KBA' ? 'answers_submitted' : 'code_submitted', reservation.after, now());
    if (operation.sends !== null) await this.#takeSend(sessionId, operation.sends, reservation);
    const reply = await this.#callOnce(sessionId, operation, reservation.after);
    const settled = await this.#settle(sessionId, operation, reply);
    const { before, after, result: settlement } = settled;
    this.#log(operation, action, after, settlement);
    this.#tell(operation, before, after, settlement);
    if (before.decision === null && after.decision !== null) onDecided?.(after, settlement.errorCode, now());
    if (settlement.refusal) {
      // The line above says what happened (a wrong code, say): the API's refusal line would repeat it.
      settlement.refusal.logged = true;
      throw settlement.refusal;
    }
    return settled.view ?? writer.view(after, now());
  }

  /** The method checks the request against the session as stored and reserves what it takes (SECURITY 14, 15). */
  #reserve(sessionId: string, pick: PickOperation, mayJoin: boolean): Promise<StoredChange & { result: Reserved }> {
    const { writer, methods, limits } = this.#dependencies;
    return writer.changeWith(sessionId, (session, now): { session: Session; result: Reserved } => {
      const action = openActionOrFinished(session);
      const operation = pick(session, action, methods.for(session, action), now);
      const joined = mayJoin && operation.shared !== undefined ? limits.identicalInFlight(session, operation.shared.digest, now) : undefined;
      if (joined !== undefined) return { session, result: { action, operation, joined } };
      return { session: operation.reserve(session, now), result: { action, operation } };
    });
  }

  /**
   * SECURITY 45: waits (reading the store, so the answer in flight may be on any instance) for the
   * identical answer `joined` to settle, and answers as it did: its refusal, or the session's view.
   * Null when it went without a result (its instance died): the caller runs this answer itself.
   */
  async #awaitIdentical(sessionId: string, joined: AnswerInFlight, action: StrategyAction): Promise<SessionView | null> {
    const { writer, limits, now } = this.#dependencies;
    // Both clocks bound the wait: the store's entry expiry, and the time actually waited.
    const patienceMs = joined.until - now();
    for (let delay = FIRST_LOOK_MS, waited = 0; waited < patienceMs; waited += delay, delay = Math.min(delay * 2, LONGEST_LOOK_MS)) {
      await sleep(delay);
      const session = await writer.load(sessionId);
      const at = now();
      const settled = limits.settledAnswer(session, joined.id, at);
      if (settled !== undefined || session.decision !== null) return this.#shared(session, action, settled, at);
      if (!limits.stillInFlight(session, joined.id, at)) return null;
    }
    return null;
  }

  /** An identical answer's result, logged as this request's own line. */
  #shared(session: Session, action: StrategyAction, settled: SettledAnswer | undefined, now: number): SessionView {
    const refusal = settled?.refusal;
    this.#dependencies.logger.info('relay.answer', {
      inquiryId: session.inquiryId,
      method: knownMethod(action.method),
      ...(session.mfa === undefined ? {} : { mfa: true }),
      outcome: 'shared',
      ...(refusal === undefined ? {} : { refusal: refusal.code }),
      decision: session.decision,
      revision: session.revision,
    });
    if (refusal !== undefined) {
      const error = new RelayError(refusal.code, refusal.message, refusal.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: refusal.retryAfterSeconds });
      error.logged = true;
      throw error;
    }
    return this.#dependencies.writer.view(session, now);
  }

  /**
   * A send the session's limits allowed, against the limits across sessions. Refused, nothing goes
   * out and the session's reservation is given back (its resend interval does not start).
   */
  async #takeSend(sessionId: string, channel: OtpChannel, reservation: StoredChange): Promise<void> {
    const { writer, sendLimits, limits, logger } = this.#dependencies;
    try {
      await sendLimits.takeSend(channel, reservation.after.contact, reservation.after.sendNetwork);
    } catch (error) {
      if (isRelayError(error) && error.code === 'send_limited') this.#dependencies.events?.emit('send_refused', reservation.after, this.#dependencies.now(), { channel, limit: error.limit });
      await writer
        .change(sessionId, (session) => limits.returnSend(session, reservation.before, reservation.after))
        .catch((returnError: unknown) => logger.warn('relay.reservation_kept', { error: returnError }));
      throw error;
    }
  }

  /** Kount, asked once; when the call fails, a reservation that can be given back is. */
  async #callOnce(sessionId: string, operation: Operation, reserved: Session): Promise<unknown> {
    const { writer, logger, limits } = this.#dependencies;
    try {
      return await operation.call(reserved);
    } catch (error) {
      const { release, shared } = operation;
      if (release !== undefined) {
        // The identical answers waiting for this one fail with it, rather than each asking Kount in turn.
        const failed = (session: Session, now: number) =>
          shared === undefined ? release(session, now) : limits.recordSettled(release(session, now), shared.id, now, refusalOf(error));
        await writer.change(sessionId, failed).catch((releaseError: unknown) => logger.warn('relay.reservation_kept', { error: releaseError }));
      }
      throw error;
    }
  }

  /** Kount's answer laid over the session as it is by then; a decision made meanwhile (a webhook, another tab) stands. */
  #settle(sessionId: string, operation: Operation, reply: unknown): Promise<StoredChange & { result: Settlement }> {
    const { writer, limits } = this.#dependencies;
    return writer.changeWith(
      sessionId,
      (session, now) => {
        const settlement: Settlement =
          session.decision !== null ? { session: operation.release?.(session, now) ?? session, outcome: 'decided' } : operation.settle(session, reply, now);
        const { shared } = operation;
        const stored = shared === undefined ? settlement.session : limits.recordSettled(settlement.session, shared.id, now, settlement.refusal && refusalOf(settlement.refusal));
        return { session: stored, result: settlement };
      },
      undefined,
      // #tell says what the answer was before what it led to (a wrong code, then the lockout).
      true,
    );
  }

  /** The operation's own moments, then those its stored change made (a lockout, a decision). */
  #tell(operation: Operation, before: Session, after: Session, settlement: Settlement): void {
    const { events, now, telemetry } = this.#dependencies;
    if (operation.kind === 'answer' && telemetry?.recording === true) {
      const action = openAction(before);
      telemetry?.answerOutcome(action && knownMethod(action.method), after.mfa === undefined ? 'identity_proofing' : 'account_protection', settlement.refusal?.code ?? settlement.outcome);
    }
    if (events === undefined) return;
    const at = now();
    const refused = settlement.refusal?.code;
    if (refused === 'wrong_code' || refused === 'wrong_answers') events.emit('wrong_answer', after, at, {}, before);
    else if (refused === undefined && operation.kind !== 'answer' && before.decision === null) events.emit(operation.kind, after, at, { channel: operation.sends }, before);
    events.changed(before, after, at);
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

/** What the identical answers waiting for a failed or refused one are told: the same, never an upstream's detail (a RelayError's message has none). */
function refusalOf(error: unknown): NonNullable<SettledAnswer['refusal']> {
  const { code, message, retryAfterSeconds } = isRelayError(error) ? error : new RelayError('internal_error', 'The relay could not complete the request.');
  return retryAfterSeconds === undefined ? { code, message } : { code, message, retryAfterSeconds };
}

/** SECURITY 15: nothing (not even a resend) revives a session that has a decision. */
function openActionOrFinished(session: Session): StrategyAction {
  const action = openAction(session);
  if (session.decision !== null || !action) throw new RelayError('session_finished', 'This verification is already finished.');
  // A status Kount added later: the step is Kount's until it says more, and the view says so.
  if (unknownActionStatus(action) !== undefined) throw new RelayError('action_mismatch', 'This step cannot be done here now. Load the current view.');
  return action;
}
