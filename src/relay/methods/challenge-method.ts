/**
 * What every verification method is to the orchestrator: how its open action looks to the browser,
 * and, when it has them, what an answer and a resend do. A method never stores anything itself:
 * it hands back pure changes of the session, which the orchestrator stores in one place.
 */
import type { ActionView, OtpChannel } from '../../contract/browser.js';
import type { StrategyAction } from '../../contract/kount/index.js';
import type { AnswerRequest, ResendRequest } from '../../contract/relay-api.js';
import { RelayError } from '../errors.js';
import type { Limits } from '../limits.js';
import type { LogFields } from '../logger.js';
import type { Session } from '../sessions.js';
import type { StepUpdate } from '../webhook-events.js';
import type { StepUp } from './step-up.js';

export type MethodName = 'OTP' | 'KBA' | 'OTH' | 'DOCV';

/** What every method is built with: Identity Proofing's verify call, and the relay's own limits. */
export interface MethodDependencies {
  stepUp: StepUp;
  limits: Limits;
}

/** The session once Kount's answer is laid over it, and what the browser is told. */
export interface Settlement {
  session: Session;
  /** The log line's `outcome`. */
  outcome: string;
  /** Thrown to the browser once the session is stored: a wrong code, an expired quiz... */
  refusal?: RelayError;
  /** More fields for the log line (never a code, an answer or a contact). */
  log?: LogFields;
  /** Kount's error code, for the Challenge Outcome report when this settlement decides the session. */
  errorCode?: string | undefined;
}

/**
 * One browser request that asks Kount something, in three steps. `reserve` and `settle` are pure and
 * run on the session as stored; each runs again when another request (on any instance) changed the
 * session first. `call` runs exactly once: answers and sends are never retried (SECURITY 5).
 */
export interface Operation<Reply = unknown> {
  /** The log line's event: `relay.answer`, `relay.resend` or `relay.retry`. */
  readonly kind: 'answer' | 'resend' | 'retry';
  /** The channel a message goes out on, counted by the limits across sessions between `reserve` and `call`; null when nothing is sent (an answer). */
  readonly sends: OtpChannel | null;
  /**
   * SECURITY 45: an answer that identical ones (the same answer to the same session, on any
   * instance) wait for instead of asking Kount again: the reservation's id and the answer's keyed
   * digest. Absent: every request is its own (a send, a KBA answer, which is one at a time anyway).
   */
  readonly shared?: { readonly id: string; readonly digest: string };
  /** Checks and reservations before Kount is asked (SECURITY 14, 15); throws a RelayError to refuse. */
  reserve(session: Session, now: number): Session;
  call(reserved: Session): Promise<Reply>;
  settle(session: Session, reply: Reply, now: number): Settlement;
  /** Gives the reservation back when the call failed; without it the reservation stands (a message may have gone out). */
  release?(session: Session, now: number): Session;
}

export interface ChallengeMethod {
  readonly name: MethodName;
  view(action: StrategyAction, session: Session, now: number): ActionView;
  /** Where Kount sent the action's first code or link with its decision; null when nothing went out (questions, a link shown in the page). */
  firstSend(action: StrategyAction, session: Session): OtpChannel | null;
  /** Absent: this step takes no answer. `now` is the time the answer is reserved at. */
  answer?(action: StrategyAction, answer: AnswerRequest, session: Session, now: number): Operation;
  /** Absent: this step has nothing to resend. */
  resend?(action: StrategyAction, request: ResendRequest, session: Session): Operation;
  /**
   * The action a webhook about the whole case (no step-up session id) is about, by its position in
   * `session.actions`; absent or undefined: not this method's.
   */
  patchTarget?(session: Session, update: Pick<StepUpdate, 'authenticationId' | 'patch'>): number | undefined;
}

/** The answer narrowed to the step's method; the orchestrator has compared them, this keeps the types honest. */
export function expectAnswer<Method extends AnswerRequest['method']>(answer: AnswerRequest, method: Method): Extract<AnswerRequest, { method: Method }> {
  if (answer.method !== method) throw new RelayError('action_mismatch', `This step expects a ${method} answer.`);
  return answer as Extract<AnswerRequest, { method: Method }>;
}
