/**
 * The verification sessions' life: started by the customer's backend, advanced by the browser's
 * answers and resends, read back as the authoritative outcome. Framework-free; `browser-api.ts`
 * puts HTTP around it.
 */
import type { FinalDecision, SessionView } from '../contract/browser.js';
import type { AnswerRequest, KbaAnswer, OtpAnswer, ResendRequest } from '../contract/relay-api.js';
import {
  AssessmentResponse,
  type MfaStatusResponse,
  type MfaStatusUpdateEvent,
  knownMethod,
  normalizeDecision,
  type StrategyAction,
  type VerificationResponse,
  type VerifyRequest,
} from '../contract/kount/index.js';
import type { AccountProtectionClient } from './account-protection/client.js';
import { challengeOutcomeOf, mfaAction, mfaFromDecision, mfaStatusPatch, readMfaStatus, type StartMfaChallengeInput } from './account-protection/mfa.js';
import type { RelayConfig } from './config.js';
import { sessionCookie } from './cookies.js';
import { RelayError } from './errors.js';
import { HandleSigner, newSessionId } from './handles.js';
import type { KountClient } from './kount-client.js';
import type { LiveUpdates, ViewListener } from './live-updates.js';
import type { Logger } from './logger.js';
import { patchAction, stepUpSessionIdOf, withoutStaleActions } from './progress.js';
import { SessionIndex } from './session-index.js';
import { SessionLocks } from './session-lock.js';
import { Contact, openAction, openActionIndex, type Session } from './sessions.js';
import type { SessionStore } from './store.js';
import { applyVerification, type VerificationOutcome } from './verification-outcome.js';
import { parseOrThrow } from './validate.js';
import { buildView, docvProgress, kbaViewId, kountAllowsDocvRetry, otpChannel, secondsUntil } from './view.js';
import type { StepUpdate } from './webhook-events.js';

export interface StartChallengeInput {
  assessment: AssessmentResponse;
  /** What the shopper gave the customer; kept on the server and shown only masked. */
  contact: Contact;
  /** The page talks to a relay on another origin and passes `handle` to the element as a bearer. */
  crossOrigin?: boolean;
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

export interface ChallengeDependencies {
  config: RelayConfig;
  kount: KountClient;
  store: SessionStore;
  now: () => number;
  logger: Logger;
  live: LiveUpdates;
  /** Account Protection calls on the same Kount client: MFA passcode checks, resends and Challenge Outcome reports. */
  accountProtection?: AccountProtectionClient;
}

/** What a webhook did to the session it names. */
export type WebhookApplication = 'applied' | 'unchanged' | 'unknown_session' | 'finished';

export class Challenges {
  readonly #config: RelayConfig;
  readonly #kount: KountClient;
  readonly #store: SessionStore;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #signer: HandleSigner;
  readonly #live: LiveUpdates;
  readonly #index: SessionIndex;
  readonly #locks = new SessionLocks();
  readonly #accountProtection: AccountProtectionClient | undefined;
  /** Challenge Outcome reports still on their way to Kount (the shopper never waits for one). */
  readonly #reports = new Set<Promise<void>>();

  constructor(dependencies: ChallengeDependencies) {
    this.#accountProtection = dependencies.accountProtection;
    this.#config = dependencies.config;
    this.#kount = dependencies.kount;
    this.#store = dependencies.store;
    this.#now = dependencies.now;
    this.#logger = dependencies.logger;
    this.#signer = new HandleSigner(dependencies.config.sessionSecret);
    this.#live = dependencies.live;
    this.#index = new SessionIndex(dependencies.store);
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

    const now = this.#now();
    const session = this.#newSession(now, input.crossOrigin === true, {
      inquiryId: assessment.inquiryId,
      authenticationId: assessment.authenticationId,
      ...(assessment.strategy?.strategyName === undefined ? {} : { strategyName: assessment.strategy.strategyName }),
      actions,
      contact,
    });
    await this.#save(session, now);
    this.#logger.info('relay.challenge.started', {
      inquiryId: session.inquiryId,
      methods: actions.map((action) => action.method),
      crossOrigin: session.crossOrigin,
    });
    return this.#started(session, now);
  }

  /**
   * An Account Protection CHALLENGE whose MFA (passcode or one-time link) the page finishes: stored
   * as a session like `start`'s, same handle, cookie and browser API, one action built from the MFA.
   */
  async startMfa(input: StartMfaChallengeInput): Promise<StartedChallenge> {
    this.#requireAccountProtection();
    const now = this.#now();
    const { mfa, contact } = mfaFromDecision(input, now);
    const session = this.#newSession(now, input.crossOrigin === true, {
      inquiryId: mfa.inquiryId,
      // The MFA id stands for Identity Proofing's case id: `outcome` reports it, nothing indexes it as one.
      authenticationId: mfa.id,
      actions: [mfaAction(mfa)],
      contact,
      mfa,
    });
    await this.#save(session, now);
    this.#logger.info('relay.mfa.started', {
      inquiryId: mfa.inquiryId,
      eventType: mfa.eventType,
      method: mfa.method,
      channel: mfa.channel,
      crossOrigin: session.crossOrigin,
    });
    return this.#started(session, now);
  }

  /** A session as it starts: nothing answered, nothing resent, the TTL from now. */
  #newSession(
    now: number,
    crossOrigin: boolean,
    challenge: Pick<Session, 'inquiryId' | 'authenticationId' | 'actions' | 'contact'> & Partial<Pick<Session, 'strategyName' | 'mfa'>>,
  ): Session {
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

  #started(session: Session, now: number): StartedChallenge {
    const handle = this.#signer.sign({ sid: session.id, exp: Math.floor(session.expiresAt / 1000) });
    return {
      handle,
      setCookie: session.crossOrigin ? '' : sessionCookie(handle, this.#config.sessionTtlSeconds),
      view: this.#view(session, now),
    };
  }

  async view(handle: string): Promise<SessionView> {
    const session = await this.#load(this.#sessionId(handle));
    return this.#view(session, this.#now());
  }

  async outcome(handle: string): Promise<ChallengeOutcome> {
    const session = await this.#load(this.#sessionId(handle));
    return {
      state: session.decision === null ? 'pending' : 'decided',
      decision: session.decision,
      inquiryId: session.inquiryId,
      authenticationId: session.authenticationId,
    };
  }

  /** The session id in `handle`; checked before anything else so a bad handle costs nothing (SECURITY 12). */
  sessionIdFromHandle(handle: string): string {
    return this.#sessionId(handle);
  }

  async answer(handle: string, answer: AnswerRequest): Promise<SessionView> {
    const sessionId = this.#sessionId(handle);
    return this.#locks.run(sessionId, async () => {
      const session = await this.#load(sessionId);
      const now = this.#now();
      const action = this.#openActionOrFinished(session);
      // SECURITY 14: refused here, before Kount is asked.
      if (session.lockedUntil !== null && now < session.lockedUntil) throw tooManyAttempts(session.lockedUntil, now);
      if (knownMethod(action.method) !== answer.method) {
        throw new RelayError('action_mismatch', `This step expects a ${knownMethod(action.method) ?? 'different'} answer.`);
      }
      if (session.mfa !== undefined && answer.method === 'OTP') return this.#answerMfaPasscode(session, action, answer, now);
      switch (answer.method) {
        case 'OTP':
          return this.#answerOtp(session, action, answer, now);
        case 'KBA':
          return this.#answerKba(session, action, answer, now);
        case 'DOCV':
          return this.#retryDocv(session, action, now);
      }
    });
  }

  async #answerOtp(session: Session, action: StrategyAction, answer: OtpAnswer, now: number): Promise<SessionView> {
    const response = await this.#kount.verify(this.#verifyRequest(session, action, { otp: answer.otp }));
    const applied = applyVerification(session, response, action.method, this.#logger);
    let next: Session = { ...applied.session, revision: session.revision + 1 };
    if (applied.outcome === 'wrong_code') next = this.#countWrongCode(next, session, now);
    await this.#save(next, now);
    this.#logger.info('relay.answer', {
      inquiryId: session.inquiryId,
      method: 'OTP',
      outcome: applied.outcome,
      failedOtpAttempts: next.failedOtpAttempts,
      decision: next.decision,
      revision: next.revision,
    });

    if (applied.outcome === 'wrong_code') throw new RelayError('wrong_code', 'That code is not right. Check it and try again.');
    if (applied.outcome === 'code_expired') throw new RelayError('code_expired', 'That code has expired. Ask for a new one.');
    return this.#view(next, now);
  }

  /**
   * All answers in one call, with Kount's own ids (SECURITY 5: sent once). When the quiz is still
   * open afterwards the attempt failed: Kount has drawn a fresh questionnaire, which the new view
   * (pushed, and on the next GET) carries with the attempts left.
   */
  async #answerKba(session: Session, action: StrategyAction, answer: KbaAnswer, now: number): Promise<SessionView> {
    const questions = kbaAnswersForKount(action, answer);
    const lateByOurClock = isPast(action.data?.expiresAt, now);
    const response = await this.#kount.verify(this.#verifyRequest(session, action, { questions }));
    const applied = applyVerification(session, response, action.method, this.#logger);
    const next: Session = { ...applied.session, revision: session.revision + 1 };
    await this.#save(next, now);

    const outcome = kbaOutcome(session, next, applied.outcome, lateByOurClock);
    this.#logger.info('relay.answer', { inquiryId: session.inquiryId, method: 'KBA', outcome, decision: next.decision, revision: next.revision });

    if (outcome === 'quiz_expired') throw new RelayError('quiz_expired', 'The time to answer ran out. Answer the new questions.');
    if (outcome === 'wrong_answers') throw new RelayError('wrong_answers', 'Some answers were not right. Answer the new questions.');
    return this.#view(next, now);
  }

  /** DocV retry after a failed or unclear capture: Kount must allow it, and it counts as a send (SECURITY 15). */
  async #retryDocv(session: Session, action: StrategyAction, now: number): Promise<SessionView> {
    if (!kountAllowsDocvRetry(action.data)) {
      throw new RelayError('retry_not_allowed', 'Document verification cannot be started again now.');
    }
    return this.#send(session, action, now, {}, 'retry');
  }

  async resend(handle: string, request: ResendRequest = {}): Promise<SessionView> {
    const sessionId = this.#sessionId(handle);
    return this.#locks.run(sessionId, async () => {
      const session = await this.#load(sessionId);
      const now = this.#now();
      const action = this.#openActionOrFinished(session);
      const method = knownMethod(action.method);
      if (method !== 'OTP' && method !== 'OTH' && method !== 'DOCV') throw new RelayError('action_mismatch', 'This step has nothing to resend.');
      if (session.lockedUntil !== null && now < session.lockedUntil) throw tooManyAttempts(session.lockedUntil, now);
      if (session.mfa !== undefined) return this.#resendMfa(session, action, request, now);
      const destination = this.#destinationFor(request.channel, session, action);
      if (method === 'DOCV' && docvProgress(action.data) !== 'SENT') {
        throw new RelayError('retry_not_allowed', 'The capture link can be sent again only before the capture starts.');
      }
      return this.#send(session, action, now, destination, 'resend');
    });
  }

  /**
   * A change of channel is a resend naming the new destination at the top level of the verify
   * call; the destination is the contact the relay holds, never one the browser sends.
   */
  #destinationFor(channel: ResendRequest['channel'], session: Session, action: StrategyAction): { phoneNumber?: string; email?: string } {
    if (channel === undefined) return {};
    const method = knownMethod(action.method);
    const current =
      method === 'DOCV' ? (action.data?.deliveryMode?.toUpperCase() === 'SMS' ? 'SMS' : undefined) : otpChannel(action.data?.channelType, session);
    if (channel === current) return {};
    if (method !== 'OTH') throw new RelayError('channel_unavailable', 'This step cannot move to another channel.');
    const contact = channel === 'SMS' ? session.contact.phoneNumber?.trim() : session.contact.email?.trim();
    if (!contact) throw new RelayError('channel_unavailable', 'There is no contact on file for that channel.');
    return channel === 'SMS' ? { phoneNumber: contact } : { email: contact };
  }

  /** Resend, change of channel or DocV retry: one send, counted before Kount is asked, never retried. */
  async #send(
    session: Session,
    action: StrategyAction,
    now: number,
    destination: { phoneNumber?: string; email?: string },
    kind: 'resend' | 'retry',
  ): Promise<SessionView> {
    const reserved = await this.#reserveSend(session, action, now);

    const response = await this.#kount.verify({ ...this.#verifyRequest(session, action, { resend: true }), ...destination });
    const applied = applyVerification(reserved, response, action.method, this.#logger);
    // Failed attempts and lockout carry over unchanged: a new code is not a new set of guesses.
    const next: Session = { ...applied.session, revision: reserved.revision + 1 };
    await this.#save(next, now);
    this.#logger.info(`relay.${kind}`, {
      inquiryId: session.inquiryId,
      method: knownMethod(action.method),
      channelChanged: destination.phoneNumber !== undefined || destination.email !== undefined,
      resendCount: next.resendCount,
      decision: next.decision,
    });
    return this.#view(next, now);
  }

  /** Kount's MFA passcode check, by the MFA id; sent once (SECURITY 5), counted like any wrong code (SECURITY 14). */
  async #answerMfaPasscode(session: Session, action: StrategyAction, answer: OtpAnswer, now: number): Promise<SessionView> {
    const mfa = session.mfa as NonNullable<Session['mfa']>;
    const response = await this.#requireAccountProtection().verifyPasscode(mfa.id, answer.otp);
    const { decision, outcome } = readMfaStatus(response);
    let next: Session = { ...withMfaStatus(session, action, response, decision), revision: session.revision + 1 };
    if (outcome === 'wrong_code') next = this.#countWrongCode(next, session, now);
    await this.#save(next, now);
    this.#logger.info('relay.answer', {
      inquiryId: session.inquiryId,
      method: 'OTP',
      mfa: true,
      outcome,
      failedOtpAttempts: next.failedOtpAttempts,
      decision: next.decision,
      revision: next.revision,
    });
    if (next.decision !== null) this.#reportMfaOutcome(next, response.error?.code, now);
    if (outcome === 'wrong_code') throw new RelayError('wrong_code', 'That code is not right. Check it and try again.');
    if (outcome === 'code_expired') throw new RelayError('code_expired', 'That code has expired. Ask for a new one.');
    return this.#view(next, now);
  }

  /**
   * Resend by the MFA id, counted before Kount is asked (SECURITY 15). Kount's MFA resend names no
   * destination, so the MFA stays on its channel.
   */
  async #resendMfa(session: Session, action: StrategyAction, request: ResendRequest, now: number): Promise<SessionView> {
    const mfa = session.mfa as NonNullable<Session['mfa']>;
    if (request.channel !== undefined && request.channel !== mfa.channel) {
      throw new RelayError('channel_unavailable', 'This step cannot move to another channel.');
    }
    const reserved = await this.#reserveSend(session, action, now);

    const response = await this.#requireAccountProtection().resend(mfa.id);
    const { decision } = readMfaStatus(response);
    const next: Session = { ...withMfaStatus(reserved, action, response, decision), revision: reserved.revision + 1 };
    await this.#save(next, now);
    this.#logger.info('relay.resend', { inquiryId: session.inquiryId, method: mfa.method, mfa: true, resendCount: next.resendCount, decision: next.decision });
    if (next.decision !== null) this.#reportMfaOutcome(next, response.error?.code, now);
    return this.#view(next, now);
  }

  /**
   * A verified `MFA.StatusUpdate` for an MFA this relay holds: never moves it backwards, decides it
   * on VERIFIED (ALLOW) or TERMINATED (BLOCK), pushes the new view and reports the outcome to Kount.
   */
  async applyMfaStatus(event: MfaStatusUpdateEvent): Promise<WebhookApplication> {
    const sessionId = await this.#index.findMfa(event.mfaId);
    if (sessionId === null) return 'unknown_session';
    return this.#locks.run(sessionId, async () => {
      const session = await this.#store.get(sessionId);
      if (session === null || session.mfa === undefined) return 'unknown_session';
      const action = openAction(session);
      if (session.decision !== null || !action) return 'finished';
      const now = this.#now();
      const { decision } = readMfaStatus(event);
      const patched = patchAction(action, mfaStatusPatch(event));
      if (decision === null && JSON.stringify(patched) === JSON.stringify(action)) return 'unchanged';
      const next: Session = { ...withMfaStatus(session, patched, {}, decision), revision: session.revision + 1 };
      await this.#save(next, now);
      this.#logger.info('relay.webhook.applied', { inquiryId: session.inquiryId, shape: 'MFA.StatusUpdate', decision: next.decision, revision: next.revision });
      if (next.decision !== null) this.#reportMfaOutcome(next, errorCodeOf(event), now);
      return 'applied';
    });
  }

  /**
   * Challenge Outcome for a decided MFA, against the decision's correlation id. Called once, on the
   * change that decided the session (under its lock), and not awaited: the shopper never waits for
   * it and a failed report is logged, not shown. `settled()` waits for it.
   */
  #reportMfaOutcome(session: Session, errorCode: string | undefined, now: number): void {
    const mfa = session.mfa;
    if (mfa === undefined || session.decision === null) return;
    const report = challengeOutcomeOf(mfa, session.decision, now, errorCode);
    const task: Promise<void> = this.#requireAccountProtection()
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

  #requireAccountProtection(): AccountProtectionClient {
    if (this.#accountProtection === undefined) throw new TypeError('This relay was built without Account Protection.');
    return this.#accountProtection;
  }

  #verifyRequest(session: Session, action: StrategyAction, data: VerifyRequest['strategy']['actions'][number]['data']): VerifyRequest {
    return {
      inquiryId: session.inquiryId,
      authenticationId: session.authenticationId,
      strategy: {
        ...(session.strategyName === undefined ? {} : { strategyName: session.strategyName }),
        actions: [{ method: action.method, data }],
      },
    };
  }

  /** The session's view now, or null once it is gone; for streams, which have checked the handle already. */
  async currentView(sessionId: string): Promise<SessionView | null> {
    const session = await this.#store.get(sessionId);
    return session === null ? null : this.#view(session, this.#now());
  }

  /** Calls `listener` with each new view of the handle's session, in this process, until the returned function is called. */
  subscribe(handle: string, listener: ViewListener): () => void {
    return this.#live.subscribe(this.#sessionId(handle), listener);
  }

  /**
   * Applies a verified webhook: the event's fields first (never moving a step backwards), then what
   * Kount says now (a refresh: the decision, the next action). The refresh runs outside the session's
   * lock, so a shopper's answer never waits on it; what it brings is merged under the lock and
   * again only where it is newer. No change, no new revision and no push.
   */
  async applyWebhook(update: StepUpdate): Promise<WebhookApplication> {
    const sessionId = await this.#index.find(update);
    if (sessionId === null) return 'unknown_session';
    const before = await this.#store.get(sessionId);
    if (before === null) return 'unknown_session';
    // Account Protection MFAs hear from Kount through `applyMfaStatus` only.
    if (before.mfa !== undefined) return 'unknown_session';
    if (before.decision !== null || !openAction(before)) return 'finished';
    const refreshed = await this.#refresh(before);

    return this.#locks.run(sessionId, async () => {
      const session = await this.#store.get(sessionId);
      if (session === null) return 'unknown_session';
      if (session.decision !== null || !openAction(session)) return 'finished';
      const now = this.#now();
      let next = patchSession(session, update);
      if (refreshed !== null) next = this.#mergeRefresh(next, refreshed);
      if (JSON.stringify([next.actions, next.decision]) === JSON.stringify([session.actions, session.decision])) return 'unchanged';
      next = { ...next, revision: session.revision + 1 };
      await this.#save(next, now);
      this.#logger.info('relay.webhook.applied', { inquiryId: session.inquiryId, shape: update.shape, decision: next.decision, revision: next.revision });
      return 'applied';
    });
  }

  /** Kount's current picture of the case, or null when it cannot be had (logged; the event alone still applies). */
  async #refresh(session: Session): Promise<VerificationResponse | null> {
    const action = openAction(session);
    if (!action) return null;
    try {
      return await this.#kount.refresh({
        inquiryId: session.inquiryId,
        authenticationId: session.authenticationId,
        strategy: {
          ...(session.strategyName === undefined ? {} : { strategyName: session.strategyName }),
          nextAction: true,
          actions: [{ method: action.method, data: {} }],
        },
      });
    } catch (error) {
      this.#logger.warn('relay.refresh_failed', { inquiryId: session.inquiryId, error });
      return null;
    }
  }

  #mergeRefresh(session: Session, response: VerificationResponse): Session {
    const method = openAction(session)?.method ?? '';
    const fresh = withoutStaleActions(session.actions, response.strategy?.actions ?? []);
    return applyVerification(session, { ...response, strategy: { ...response.strategy, actions: fresh } }, method, this.#logger).session;
  }

  /**
   * SECURITY 15: a send is counted before Kount is asked. If the call fails we cannot know whether
   * a message went out, and an SMS must never be sent more often than the cap.
   */
  async #reserveSend(session: Session, action: StrategyAction, now: number): Promise<Session> {
    this.#assertResendAllowed(session, action, now);
    const reserved: Session = { ...session, resendCount: session.resendCount + 1, lastSendAt: now, revision: session.revision + 1 };
    await this.#save(reserved, now);
    return reserved;
  }

  /** SECURITY 14: wrong codes are counted per session; the last one allowed locks answers for a while. */
  #countWrongCode(next: Session, before: Session, now: number): Session {
    const failedOtpAttempts = before.failedOtpAttempts + 1;
    const locked = failedOtpAttempts >= this.#config.maxFailedOtpAttempts;
    return { ...next, failedOtpAttempts, lockedUntil: locked ? now + this.#config.otpLockoutSeconds * 1000 : before.lockedUntil };
  }

  #assertResendAllowed(session: Session, action: StrategyAction, now: number): void {
    const kountSendsLeft = action.data?.remainingSendAttempts;
    if (session.resendCount >= this.#config.maxResends || kountSendsLeft === 0) {
      throw new RelayError('resend_limit_reached', 'No more codes can be sent for this verification.', {
        retryAfterSeconds: secondsUntil(session.expiresAt, now),
      });
    }
    const wait = secondsUntil(session.lastSendAt + this.#config.resendIntervalSeconds * 1000, now);
    if (wait > 0) {
      throw new RelayError('resend_too_soon', `A new code can be sent in ${wait} seconds.`, { retryAfterSeconds: wait });
    }
  }

  #openActionOrFinished(session: Session): StrategyAction {
    const action = openAction(session);
    // SECURITY 15: nothing (not even a resend) revives a session that has a decision.
    if (session.decision !== null || !action) throw new RelayError('session_finished', 'This verification is already finished.');
    return action;
  }

  #sessionId(handle: string): string {
    return this.#signer.verify(handle, this.#now());
  }

  async #load(sessionId: string): Promise<Session> {
    const session = await this.#store.get(sessionId);
    // 422 like a wrong code, so a probe cannot tell a forgotten session from a bad guess (SECURITY 16).
    if (!session) throw new RelayError('session_unknown', 'This verification could not be found. Please start again.');
    return session;
  }

  /**
   * Every change of state goes through here: the session is stored, its Kount ids indexed for
   * webhooks, and its new view published to live streams (so streaming and polling agree).
   */
  async #save(session: Session, now: number): Promise<void> {
    const ttlSeconds = secondsUntil(session.expiresAt, now);
    await this.#store.set(session, ttlSeconds);
    await this.#index.record(session, ttlSeconds);
    await this.#live.publish(session.id, this.#view(session, now), ttlSeconds);
  }

  #view(session: Session, now: number): SessionView {
    return buildView(session, now, this.#config);
  }
}

/** The MFA's one action with Kount's latest fields; closed once there is a decision. */
function withMfaStatus(
  session: Session,
  action: StrategyAction,
  status: MfaStatusResponse | Record<string, never>,
  decision: FinalDecision | null,
): Session {
  const data = { ...action.data, ...mfaStatusPatch(status) };
  const updated: StrategyAction = { ...action, data, status: decision === null ? 'challenge' : decision === 'ALLOW' ? 'verified' : 'failed' };
  return { ...session, actions: [updated], decision };
}

function errorCodeOf(event: MfaStatusUpdateEvent): string | undefined {
  const error: unknown = event['error'];
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function tooManyAttempts(lockedUntil: number, now: number): RelayError {
  const wait = secondsUntil(lockedUntil, now);
  return new RelayError('too_many_attempts', `Too many wrong codes. Try again in ${wait} seconds.`, { retryAfterSeconds: wait });
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

/**
 * A quiz still open at the same position after an answer means the attempt failed. Kount's error
 * code says whether it was late; without one, the relay's own clock decides.
 */
function kbaOutcome(before: Session, after: Session, outcome: VerificationOutcome, lateByOurClock: boolean): VerificationOutcome | 'wrong_answers' | 'quiz_expired' {
  const open = openAction(after);
  const stillOpen = outcome !== 'decided' && openActionIndex(after.actions) === openActionIndex(before.actions) && knownMethod(open?.method ?? '') === 'KBA';
  if (!stillOpen) return outcome;
  const errorCode = open?.data?.error?.code?.toUpperCase();
  return errorCode === 'QUIZ_EXPIRED' || (errorCode !== 'ANSWERS_INCORRECT' && lateByOurClock) ? 'quiz_expired' : 'wrong_answers';
}

function isPast(isoTime: string | undefined, now: number): boolean {
  if (isoTime === undefined) return false;
  const time = Date.parse(isoTime);
  return !Number.isNaN(time) && now >= time;
}

/**
 * The browser's answers with Kount's own ids (numbers stay numbers), in the questionnaire's order.
 * Ids the open questionnaire does not have mean the page shows an older one (409: reload); an
 * answer that could never be right (a question twice, two choices for a single-choice question,
 * a question left out) is refused with the field named, so it does not cost the shopper an attempt.
 */
export function kbaAnswersForKount(action: StrategyAction, answer: KbaAnswer): Array<{ questionId: number | string; answers: Array<number | string> }> {
  const questions = action.data?.questions ?? [];
  const given = new Map<string, { index: number; choiceIds: string[] }>();
  for (const [index, { questionId, choiceIds }] of answer.answers.entries()) {
    if (given.has(questionId)) throw new RelayError('invalid_body', 'Each question is answered once.', { field: `answers[${index}].questionId` });
    if (!questions.some((question) => kbaViewId(question.questionId) === questionId)) throw staleQuestionnaire();
    given.set(questionId, { index, choiceIds });
  }
  return questions.map((question) => {
    const entry = given.get(kbaViewId(question.questionId));
    if (entry === undefined) throw new RelayError('invalid_body', 'Answer every question.', { field: 'answers' });
    const { index, choiceIds } = entry;
    if (new Set(choiceIds).size !== choiceIds.length) {
      throw new RelayError('invalid_body', 'A choice is given twice.', { field: `answers[${index}].choiceIds` });
    }
    const single = (question.choiceType?.type ?? '').toUpperCase().includes('SINGLE');
    if (single && choiceIds.length !== 1) {
      throw new RelayError('invalid_body', 'This question takes exactly one choice.', { field: `answers[${index}].choiceIds` });
    }
    const answers = choiceIds.map((choiceId) => {
      const choice = question.choices.find((candidate) => kbaViewId(candidate.choiceId) === choiceId);
      if (choice === undefined) throw staleQuestionnaire();
      return choice.choiceId;
    });
    return { questionId: question.questionId, answers };
  });
}

function staleQuestionnaire(): RelayError {
  return new RelayError('action_mismatch', 'These answers are for other questions. Load the current questions and answer again.');
}
