/**
 * The verification sessions' life: started by the customer's backend, advanced by the browser's
 * answers and resends and by Kount's webhooks, read back as the authoritative outcome. What each
 * method does lives in `methods/`; this orchestrator loads, changes and stores a session in one
 * way for all of them (`SessionWriter`), so it holds on any number of instances. Framework-free:
 * `browser-api.ts` puts HTTP around it.
 */
import type { FinalDecision, SessionView } from '../contract/browser.js';
import type { AnswerRequest, ResendRequest } from '../contract/relay-api.js';
import type { CurrentView } from './event-stream.js';
import {
  AssessmentResponse,
  knownMethod,
  normalizeDecision,
  type MfaStatusUpdateEvent,
  type StrategyAction,
  type VerificationResponse,
} from '../contract/kount/index.js';
import type { AccountProtectionClient } from './account-protection/client.js';
import { AdmissionTokens } from './admission-tokens.js';
import { mfaAction, mfaFromDecision, type StartMfaChallengeInput } from './account-protection/mfa.js';
import type { RelayConfig } from './config.js';
import { sessionCookie } from './cookies.js';
import { OutcomeError, RelayError } from './errors.js';
import { newSessionId, type HandleSigner } from './handles.js';
import type { KountClient } from './kount-client.js';
import { Limits } from './limits.js';
import { SendLimits, sendChannelOf, type ChallengeAdmission, type ChallengeRequest, type SendChannel } from './send-limits.js';
import type { Logger } from './logger.js';
import { Methods, type ChallengeMethod, type Operation, type Settlement } from './methods/index.js';
import { AccountProtectionMfa, mfaErrorCodeOf } from './methods/mfa.js';
import { StepUp } from './methods/step-up.js';
import { patchAction, stepUpSessionIdOf } from './progress.js';
import { SessionIndex } from './session-index.js';
import { SessionWriter, type StoredChange } from './session-writer.js';
import { Contact, openAction, openActionIndex, type Session } from './sessions.js';
import type { SessionStore } from './store/index.js';
import { parseOrThrow } from './validate.js';
import { WebhookNotApplied, type StepUpdate, type WebhookApplication, type WebhookTarget } from './webhook-events.js';

export interface StartChallengeInput {
  assessment: AssessmentResponse;
  /** What the shopper gave the customer; kept on the server and shown only masked. */
  contact: Contact;
  /** The page talks to a relay on another origin and passes `handle` to the element as a bearer. */
  crossOrigin?: boolean;
  /** From `relay.admitChallenge` before the assessment: the send that went out is kept, the rest given back. */
  admission?: ChallengeAdmission;
}

export interface StartedChallenge {
  handle: string;
  /** The `Set-Cookie` value for a same-origin relay; empty when `crossOrigin` (nothing to set). */
  setCookie: string;
  view: SessionView;
}

export interface ChallengeOutcome {
  state: 'pending' | 'decided';
  decision: FinalDecision | null;
  inquiryId: string;
  authenticationId: string;
}

/** What the customer's backend knows the session must be for. */
export interface OutcomeExpectation {
  /** The inquiry id of the order or sign-in being confirmed (the one given to Kount when it was assessed). */
  inquiryId: string;
  /**
   * For `confirm`: a key the shop chooses for this confirmation (an order's confirmation request id,
   * say) and sends again when it retries. A confirmation already made with the same key answers the
   * same decision again instead of `outcome_consumed`, so a retry after a lost answer (a 503 while
   * the store fails over) still confirms the order, once.
   */
  confirmationKey?: string;
}

export interface DecidedOutcome extends ChallengeOutcome {
  state: 'decided';
  decision: FinalDecision;
}

function outcomeOf(session: Session): ChallengeOutcome {
  return {
    state: session.decision === null ? 'pending' : 'decided',
    decision: session.decision,
    inquiryId: session.inquiryId,
    authenticationId: session.authenticationId,
  };
}

function assertInquiry(session: Session, expected: OutcomeExpectation): void {
  if (session.inquiryId !== expected.inquiryId) {
    throw new OutcomeError('inquiry_mismatch', 'This verification belongs to another inquiry.');
  }
}

export interface ChallengeDependencies {
  config: RelayConfig;
  kount: KountClient;
  store: SessionStore;
  signer: HandleSigner;
  now: () => number;
  logger: Logger;
  /** Account Protection calls on the same Kount client: MFA passcode checks, resends and Challenge Outcome reports. */
  accountProtection?: AccountProtectionClient;
}

/** After a failed read-time refresh, the next one waits this long (a shopper polling every 2 s does not hammer a Kount that is down). */
const REFRESH_RETRY_MS = 10_000;
/** A webhook's refresh is tried twice at most: Kount waits for the answer, and re-sends the event if it is a 5xx. */
const WEBHOOK_REFRESH_RETRIES = 1;

export class Challenges implements WebhookTarget {
  readonly #config: RelayConfig;
  readonly #store: SessionStore;
  readonly #signer: HandleSigner;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #limits: Limits;
  readonly #sendLimits: SendLimits;
  readonly #stepUp: StepUp;
  readonly #mfa: AccountProtectionMfa | undefined;
  readonly #methods: Methods;
  readonly #writer: SessionWriter;
  readonly #index: SessionIndex;
  /** Admissions sealed into tokens, for backends that call the relay over HTTP. */
  readonly admissions: AdmissionTokens;

  constructor(dependencies: ChallengeDependencies) {
    const { config, kount, store, signer, now, logger, accountProtection } = dependencies;
    this.#config = config;
    this.#store = store;
    this.#signer = signer;
    this.#now = now;
    this.#logger = logger;
    this.#limits = new Limits(config);
    this.#sendLimits = new SendLimits(config, store, logger);
    this.admissions = new AdmissionTokens(config.sessionSecret, this.#sendLimits, store, now);
    this.#stepUp = new StepUp(kount, this.#limits, logger);
    this.#mfa = accountProtection === undefined ? undefined : new AccountProtectionMfa(accountProtection, this.#limits, logger);
    this.#methods = new Methods(this.#stepUp, this.#mfa);
    this.#writer = new SessionWriter({ store, methods: this.#methods, now, logger });
    this.#index = new SessionIndex(store);
  }

  async start(input: StartChallengeInput): Promise<StartedChallenge> {
    const assessment = parseOrThrow(AssessmentResponse, input.assessment, 'assessment');
    const contact = parseOrThrow(Contact, input.contact, 'contact');
    if (normalizeDecision(assessment.decision) !== 'CHALLENGE') {
      throw new RelayError('invalid_body', 'startChallenge needs an assessment whose decision is a challenge.', { field: 'assessment.decision' });
    }
    const actions = assessment.strategy?.actions ?? [];
    if (openActionIndex(actions) < 0) {
      throw new RelayError('invalid_body', 'startChallenge needs an assessment with an open action (status "challenge").', {
        field: 'assessment.strategy.actions',
      });
    }
    const session = this.#newSession(input.crossOrigin === true, {
      inquiryId: assessment.inquiryId,
      authenticationId: assessment.authenticationId,
      ...(assessment.strategy?.strategyName === undefined ? {} : { strategyName: assessment.strategy.strategyName }),
      actions,
      contact,
    });
    await this.#writer.create(session);
    await this.#countFirstSend(session, input.admission);
    this.#logger.info('relay.challenge.started', { inquiryId: session.inquiryId, methods: actions.map((action) => action.method), crossOrigin: session.crossOrigin });
    return this.#started(session);
  }

  /**
   * An Account Protection CHALLENGE whose MFA (passcode or one-time link) the page finishes: stored
   * as a session like `start`'s, same handle, cookie and browser API, one action built from the MFA.
   */
  async startMfa(input: StartMfaChallengeInput): Promise<StartedChallenge> {
    if (this.#mfa === undefined) throw new TypeError('This relay was built without Account Protection.');
    const { mfa, contact } = mfaFromDecision(input, this.#now());
    const session = this.#newSession(input.crossOrigin === true, {
      inquiryId: mfa.inquiryId,
      // The MFA id stands for Identity Proofing's case id: `outcome` reports it, nothing indexes it as one.
      authenticationId: mfa.id,
      actions: [mfaAction(mfa)],
      contact,
      mfa,
    });
    await this.#writer.create(session);
    await this.#countFirstSend(session, input.admission);
    this.#logger.info('relay.mfa.started', { inquiryId: mfa.inquiryId, eventType: mfa.eventType, method: mfa.method, channel: mfa.channel, crossOrigin: session.crossOrigin });
    return this.#started(session);
  }

  /** Before an assessment that may send a code: the limits across sessions for its contact and client IP. */
  /** A write the store must take (a claim that expires at once), for a start that counted nothing. */
  async assertStoreWritable(): Promise<void> {
    await this.#store.claim(`start:${newSessionId()}`, 1);
  }

  admit(request: ChallengeRequest): Promise<ChallengeAdmission> {
    return this.#sendLimits.admit(request);
  }

  /** The session's view now; a session a webhook left waiting for Kount asks Kount first. */
  async view(sessionId: string): Promise<SessionView> {
    const session = await this.#refreshIfDue(await this.#writer.load(sessionId));
    return this.#writer.view(session, this.#now());
  }

  /** The session's view now and when it expires, or null once it is gone; for streams, which have checked the handle already. */
  async currentView(sessionId: string): Promise<CurrentView | null> {
    const stored = await this.#store.read(sessionId);
    if (stored === null) return null;
    const session = await this.#refreshIfDue(stored.session);
    return { view: this.#writer.view(session, this.#now()), expiresAt: session.expiresAt };
  }

  async outcome(sessionId: string, expected?: OutcomeExpectation): Promise<ChallengeOutcome> {
    const session = await this.#writer.load(sessionId);
    if (expected !== undefined) assertInquiry(session, expected);
    return outcomeOf(session);
  }

  /**
   * The decision, once: marked confirmed in the same atomic commit that checks it was not, so two
   * confirmations on any instances give one success.
   */
  async confirm(sessionId: string, expected: OutcomeExpectation): Promise<DecidedOutcome> {
    const { after } = await this.#writer.change(sessionId, (session, now) => {
      assertInquiry(session, expected);
      if (session.decision === null) throw new OutcomeError('outcome_pending', 'This verification is not decided yet.');
      if (session.confirmedAt !== undefined) {
        // The same confirmation again (its answer was lost: a 503 during a store failover): the same answer, nothing changed.
        if (expected.confirmationKey !== undefined && session.confirmationKey === expected.confirmationKey) return session;
        throw new OutcomeError('outcome_consumed', 'This verification was confirmed already.');
      }
      return { ...session, confirmedAt: now, ...(expected.confirmationKey === undefined ? {} : { confirmationKey: expected.confirmationKey }) };
    });
    const { decision } = after;
    // The change refused an undecided session; this only tells the compiler.
    if (decision === null) throw new OutcomeError('outcome_pending', 'This verification is not decided yet.');
    this.#logger.info('relay.outcome_confirmed', { inquiryId: after.inquiryId, decision });
    return { ...outcomeOf(after), state: 'decided', decision };
  }

  answer(sessionId: string, answer: AnswerRequest): Promise<SessionView> {
    return this.#perform(sessionId, (session, action, method, now) => {
      // SECURITY 14: refused here, before Kount is asked.
      this.#limits.assertNotLocked(session, now);
      if (knownMethod(action.method) !== answer.method || method?.answer === undefined) {
        throw new RelayError('action_mismatch', `This step expects a ${knownMethod(action.method) ?? 'different'} answer.`);
      }
      return method.answer(action, answer, session);
    });
  }

  resend(sessionId: string, request: ResendRequest = {}): Promise<SessionView> {
    return this.#perform(sessionId, (session, action, method, now) => {
      if (method?.resend === undefined) throw new RelayError('action_mismatch', 'This step has nothing to resend.');
      this.#limits.assertNotLocked(session, now);
      return method.resend(action, request, session);
    });
  }

  /**
   * A verified step-up webhook: the event's fields first (never moving a step backwards), then what
   * Kount says now (a refresh: the decision, the next action). The refresh runs before the change,
   * so a shopper's answer never waits on it; the change is stored only where it is newer. When
   * Kount cannot be asked, the event's own fields are kept, the session is marked for the next read
   * to ask again, and the caller learns it failed so that Kount re-sends.
   */
  async applyWebhook(update: StepUpdate): Promise<WebhookApplication> {
    const sessionId = await this.#index.find(update);
    const before = sessionId === null ? null : (await this.#store.read(sessionId))?.session ?? null;
    // Account Protection MFAs hear from Kount through `applyMfaStatus` only.
    if (sessionId === null || before === null || before.mfa !== undefined) return 'unknown_session';
    if (isFinished(before)) return 'finished';

    let refreshed: VerificationResponse | null = null;
    let refreshFailed = false;
    try {
      refreshed = await this.#stepUp.refresh(before, WEBHOOK_REFRESH_RETRIES);
    } catch (error) {
      refreshFailed = true;
      this.#logger.warn('relay.refresh_failed', { inquiryId: before.inquiryId, error });
    }

    let result = 'unchanged' as WebhookApplication;
    const change = await this.#changeForWebhook(sessionId, (session, now) => {
      if (isFinished(session)) {
        result = 'finished';
        return session;
      }
      let next = patchSession(session, update);
      if (refreshed !== null) next = withoutRefreshDue(this.#stepUp.mergeRefresh(next, refreshed));
      if (refreshFailed && next.refreshDueAt === undefined) next = { ...next, refreshDueAt: now };
      if (sameState(next, session)) return session;
      result = 'applied';
      return next;
    });
    if (change === null) return 'unknown_session';
    const { after } = change;
    if (result === 'applied') this.#logger.info('relay.webhook.applied', { inquiryId: after.inquiryId, shape: update.shape, decision: after.decision, revision: after.revision });
    if (refreshFailed && result !== 'finished') throw new WebhookNotApplied('Kount could not be asked for the case after this event.');
    return result;
  }

  /**
   * A verified `MFA.StatusUpdate` for an MFA this relay holds: never moves it backwards, decides it
   * on VERIFIED (ALLOW) or TERMINATED (BLOCK), pushes the new view and reports the outcome to Kount.
   */
  async applyMfaStatus(event: MfaStatusUpdateEvent): Promise<WebhookApplication> {
    const mfa = this.#mfa;
    const sessionId = await this.#index.findMfa(event.mfaId);
    if (sessionId === null || mfa === undefined) return 'unknown_session';
    let result = 'unchanged' as WebhookApplication;
    const change = await this.#changeForWebhook(sessionId, (session) => {
      if (session.mfa === undefined) {
        result = 'unknown_session';
        return session;
      }
      if (isFinished(session)) {
        result = 'finished';
        return session;
      }
      const next = mfa.applyStatus(session, event);
      if (next !== session) result = 'applied';
      return next;
    });
    if (change === null) return 'unknown_session';
    const { before, after } = change;
    if (result === 'applied') {
      this.#logger.info('relay.webhook.applied', { inquiryId: after.inquiryId, shape: 'MFA.StatusUpdate', decision: after.decision, revision: after.revision });
      if (before.decision === null && after.decision !== null) mfa.reportDecided(after, mfaErrorCodeOf(event), this.#now());
    }
    return result;
  }

  /** Resolves once every Challenge Outcome report started so far has been answered or has failed. */
  async settled(): Promise<void> {
    await this.#mfa?.settled();
  }

  /**
   * An answer or a resend: the method's reservation is stored first (the limits hold across
   * instances), then Kount is asked once, then its answer is laid over the session as it is by then.
   */
  async #perform(
    sessionId: string,
    pick: (session: Session, action: StrategyAction, method: ChallengeMethod | undefined, now: number) => Operation,
  ): Promise<SessionView> {
    let operation: Operation | undefined;
    let action: StrategyAction | undefined;
    const { before: unreserved, after: reserved } = await this.#writer.change(sessionId, (session, now) => {
      action = openActionOrFinished(session);
      operation = pick(session, action, this.#methods.for(session, action), now);
      return operation.reserve(session, now);
    });
    if (operation === undefined || action === undefined) throw new RelayError('internal_error', 'The relay could not complete the request.');
    const { release } = operation;
    if (operation.kind !== 'answer') await this.#takeSend(sessionId, operation.channel ?? sendChannelOf(action, reserved), unreserved, reserved);

    let reply: unknown;
    try {
      reply = await operation.call(reserved);
    } catch (error) {
      if (release !== undefined) {
        await this.#writer.change(sessionId, release).catch((releaseError: unknown) => this.#logger.warn('relay.reservation_kept', { error: releaseError }));
      }
      throw error;
    }

    const settle = operation.settle.bind(operation);
    let settlement: Settlement | undefined;
    const { before, after } = await this.#writer.change(sessionId, (session, now) => {
      // Decided meanwhile (a webhook, another tab): the decision stands.
      settlement = session.decision !== null ? { session, outcome: 'decided' } : settle(session, reply, now);
      return settlement.session;
    });
    const now = this.#now();
    this.#logger.info(`relay.${operation.kind}`, {
      inquiryId: after.inquiryId,
      method: knownMethod(action.method),
      ...(after.mfa === undefined ? {} : { mfa: true }),
      outcome: settlement?.outcome,
      ...settlement?.log,
      decision: after.decision,
      revision: after.revision,
    });
    if (before.decision === null && after.decision !== null) this.#mfa?.reportDecided(after, settlement?.errorCode, now);
    if (settlement?.refusal) {
      // The line above says what happened (a wrong code, say): the API's refusal line would repeat it.
      settlement.refusal.logged = true;
      throw settlement.refusal;
    }
    return this.#writer.view(after, now);
  }

  /**
   * A send the session's limits allowed, against the limits across sessions. Refused, nothing goes
   * out and the session's reservation is given back (its resend interval does not start).
   */
  async #takeSend(sessionId: string, channel: SendChannel | null, unreserved: Session, reserved: Session): Promise<void> {
    if (channel === null) return;
    try {
      await this.#sendLimits.takeSend(channel, reserved.contact);
    } catch (error) {
      await this.#writer
        .change(sessionId, (session) => this.#limits.returnSend(session, unreserved, reserved))
        .catch((returnError: unknown) => this.#logger.warn('relay.reservation_kept', { error: returnError }));
      throw error;
    }
  }

  /** The code or link Kount sent with its decision: kept from the admission, or counted now. */
  async #countFirstSend(session: Session, admission: ChallengeAdmission | undefined): Promise<void> {
    const channel = sendChannelOf(openAction(session), session);
    try {
      if (admission === undefined) await this.#sendLimits.countSent(channel, session.contact);
      else await admission.keep(channel);
    } catch (error) {
      // The challenge is stored and its message went out: a count that failed must not fail the start.
      this.#logger.warn('relay.send_count_failed', { inquiryId: session.inquiryId, error });
    }
  }

  /** A webhook's change; null when the session is gone meanwhile. A store that fails is the caller's 5xx. */
  async #changeForWebhook(sessionId: string, change: (session: Session, now: number) => Session): Promise<StoredChange | null> {
    try {
      return await this.#writer.change(sessionId, change);
    } catch (error) {
      if (error instanceof RelayError && error.code === 'session_unknown') return null;
      throw error;
    }
  }

  /** A session a webhook left waiting for Kount asks Kount now, at most every `REFRESH_RETRY_MS`. */
  async #refreshIfDue(session: Session): Promise<Session> {
    const now = this.#now();
    if (session.refreshDueAt === undefined || now < session.refreshDueAt || isFinished(session)) return session;
    let refreshed: VerificationResponse | null;
    try {
      refreshed = await this.#stepUp.refresh(session, 0);
    } catch (error) {
      this.#logger.warn('relay.refresh_failed', { inquiryId: session.inquiryId, error });
      const later = await this.#writer
        .change(session.id, (current, at) => (current.refreshDueAt === undefined ? current : { ...current, refreshDueAt: at + REFRESH_RETRY_MS }))
        .catch(() => null);
      return later?.after ?? session;
    }
    const { after } = await this.#writer.change(session.id, (current) =>
      current.refreshDueAt === undefined || refreshed === null ? current : withoutRefreshDue(this.#stepUp.mergeRefresh(current, refreshed)),
    );
    return after;
  }

  /** A session as it starts: nothing answered, nothing resent, the TTL from now. */
  #newSession(
    crossOrigin: boolean,
    challenge: Pick<Session, 'inquiryId' | 'authenticationId' | 'actions' | 'contact'> & Partial<Pick<Session, 'strategyName' | 'mfa'>>,
  ): Session {
    const now = this.#now();
    return {
      id: newSessionId(),
      ...challenge,
      failedOtpAttempts: 0,
      resendCount: 0,
      // Kount sent the first code or link with its answer, so the resend interval starts now.
      lastSendAt: now,
      lockedUntil: null,
      decision: null,
      revision: 0,
      createdAt: now,
      expiresAt: now + this.#config.sessionTtlSeconds * 1000,
      crossOrigin,
    };
  }

  #started(session: Session): StartedChallenge {
    const handle = this.#signer.sign({ sid: session.id, exp: Math.floor(session.expiresAt / 1000) });
    return {
      handle,
      setCookie: session.crossOrigin ? '' : sessionCookie(handle, this.#config.sessionTtlSeconds),
      view: this.#writer.view(session, this.#now()),
    };
  }
}

/** SECURITY 15: nothing (not even a resend) revives a session that has a decision. */
function openActionOrFinished(session: Session): StrategyAction {
  const action = openAction(session);
  if (isFinished(session) || !action) throw new RelayError('session_finished', 'This verification is already finished.');
  return action;
}

function isFinished(session: Session): boolean {
  return session.decision !== null || openAction(session) === undefined;
}

/** What a webhook can change: the actions, the decision, and whether Kount still has to be asked. */
function sameState(left: Session, right: Session): boolean {
  return JSON.stringify([left.actions, left.decision, left.refreshDueAt]) === JSON.stringify([right.actions, right.decision, right.refreshDueAt]);
}

function withoutRefreshDue(session: Session): Session {
  const { refreshDueAt: _done, ...rest } = session;
  return rest;
}

/** Lays the event's fields over the action it names: by step-up session id, else the case's DocV action. */
function patchSession(session: Session, update: StepUpdate): Session {
  if (Object.keys(update.patch).length === 0) return session;
  let index = update.stepUpSessionId === undefined ? -1 : session.actions.findIndex((action) => stepUpSessionIdOf(action) === update.stepUpSessionId);
  if (index < 0 && update.authenticationId === session.authenticationId && update.patch.documentVerificationStatus !== undefined) {
    const docv = session.actions.map((action, position) => ({ action, position })).filter(({ action }) => knownMethod(action.method) === 'DOCV');
    index = (docv.find(({ action }) => action.status?.toLowerCase() === 'challenge') ?? docv.at(-1))?.position ?? -1;
  }
  const target = session.actions[index];
  if (target === undefined) return session;
  const actions = [...session.actions];
  actions[index] = patchAction(target, update.patch);
  return { ...session, actions };
}
