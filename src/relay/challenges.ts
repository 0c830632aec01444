/**
 * The verification sessions' life: started by the customer's backend, advanced by the browser's
 * answers and resends and by Kount's webhooks, read back as the authoritative outcome. This class
 * starts, reads and confirms; what each method does lives in `methods/`, answers and resends run
 * through `OperationRunner`, webhooks through `WebhookApplier`, and every change is stored one way
 * (`SessionWriter`), so it holds on any number of instances. Framework-free: `browser-api.ts` puts
 * HTTP around it.
 */
import type { FinalDecision, SessionView } from '../contract/browser.js';
import type { AnswerRequest, ResendRequest } from '../contract/relay-api.js';
import type { CurrentView } from './event-stream.js';
import { AssessmentResponse, knownMethod, normalizeDecision, unknownActionStatus } from '../contract/kount/index.js';
import type { AccountProtectionClient } from './account-protection/client.js';
import { AdmissionTokens } from './admission-tokens.js';
import { mfaAction, mfaFromDecision, type MfaDecisionInput } from './account-protection/mfa.js';
import type { RelayConfig } from './config.js';
import { sessionCookie } from './cookies.js';
import { OutcomeError, RelayError } from './errors.js';
import { newSessionId, type HandleSigner } from './handles.js';
import type { KountClient } from './kount-client.js';
import { Limits } from './limits.js';
import type { LogFields, Logger } from './logger.js';
import { Methods } from './methods/index.js';
import { AccountProtectionMfa } from './methods/mfa.js';
import { StepUp } from './methods/step-up.js';
import { OperationRunner } from './operation-runner.js';
import { SendLimits, type ChallengeAdmission, type ChallengeRequest } from './send-limits.js';
import { SessionIndex } from './session-index.js';
import { SessionWriter } from './session-writer.js';
import { Contact, openActionIndex, type Session } from './sessions.js';
import type { SessionStore } from './store/index.js';
import { parseOrThrow } from './validate.js';
import { buildView } from './view.js';
import { WebhookApplier } from './webhook-application.js';
import type { JourneyEvents } from './journey-events.js';
import type { Telemetry } from './telemetry.js';

/** What both kinds of start take besides the challenge itself. */
interface StartOptions {
  /** The page talks to a relay on another origin and passes `handle` to the element as a bearer. */
  crossOrigin?: boolean;
  /** From `relay.admitChallenge` before Kount was asked (assessment, Login or NAO): the send that went out is kept, the rest given back. */
  admission?: ChallengeAdmission;
}

export interface StartChallengeInput extends StartOptions {
  assessment: AssessmentResponse;
  /** What the shopper gave the customer; kept on the server and shown only masked. */
  contact: Contact;
}

/** An Account Protection CHALLENGE whose MFA the page finishes (`relay.startMfaChallenge`). */
export interface StartMfaChallengeInput extends MfaDecisionInput, StartOptions {}

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
  /** The journey's moments for the shop (`onEvent`). */
  events?: JourneyEvents;
  /** Store spans and errors, answers' outcomes, when OpenTelemetry is installed. */
  telemetry?: Telemetry;
}

export class Challenges {
  readonly #config: RelayConfig;
  readonly #store: SessionStore;
  readonly #signer: HandleSigner;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #limits: Limits;
  readonly #sendLimits: SendLimits;
  readonly #mfa: AccountProtectionMfa | undefined;
  readonly #methods: Methods;
  readonly #writer: SessionWriter;
  readonly #runner: OperationRunner;
  readonly #events: JourneyEvents | undefined;
  readonly #telemetry: Telemetry | undefined;
  /** Where Kount's verified webhooks are applied (the webhook receiver's target). */
  readonly webhooks: WebhookApplier;
  /** Admissions sealed into tokens, for backends that call the relay over HTTP. */
  readonly admissions: AdmissionTokens;

  constructor(dependencies: ChallengeDependencies) {
    const { config, kount, store, signer, now, logger, accountProtection, events, telemetry } = dependencies;
    this.#config = config;
    this.#store = store;
    this.#signer = signer;
    this.#now = now;
    this.#logger = logger;
    const limits = new Limits(config);
    this.#limits = limits;
    this.#sendLimits = new SendLimits(config, store, logger);
    this.admissions = new AdmissionTokens(config.sessionSecret, this.#sendLimits, store, now, logger);
    const stepUp = new StepUp(kount, logger);
    const mfa = accountProtection === undefined ? undefined : new AccountProtectionMfa(accountProtection, limits, logger);
    this.#mfa = mfa;
    const methods = new Methods({ stepUp, limits, mfa });
    this.#methods = methods;
    this.#events = events;
    this.#telemetry = telemetry;
    this.#writer = new SessionWriter({ store, render: (session, at) => buildView(session, at, methods), now, logger, onStored: events?.changed.bind(events), telemetry });
    this.#runner = new OperationRunner({ writer: this.#writer, methods, limits, sendLimits: this.#sendLimits, now, logger, onDecided: mfa?.reportDecided.bind(mfa), events, telemetry });
    this.webhooks = new WebhookApplier({ writer: this.#writer, store, index: new SessionIndex(store), stepUp, methods, mfa, now, logger, telemetry });
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
    const open = actions[openActionIndex(actions)];
    const status = open === undefined ? undefined : unknownActionStatus(open);
    if (open !== undefined && status !== undefined) {
      this.#logger.warn('relay.unknown_action_status', { inquiryId: session.inquiryId, method: open.method, status: status.slice(0, 40) });
    }
    return this.#open(session, input.admission, 'relay.challenge.started', { inquiryId: session.inquiryId, methods: actions.map((action) => action.method), crossOrigin: session.crossOrigin });
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
    return this.#open(session, input.admission, 'relay.mfa.started', { inquiryId: mfa.inquiryId, eventType: mfa.eventType, method: mfa.method, channel: mfa.channel, crossOrigin: session.crossOrigin });
  }

  /** A write the store must take (a claim that expires at once), for a start that counted nothing. */
  async assertStoreWritable(): Promise<void> {
    await this.#store.claim(`start:${newSessionId()}`, 1);
  }

  /** Before an assessment that may send a code: the limits across sessions for its contact and client IP. */
  admit(request: ChallengeRequest): Promise<ChallengeAdmission> {
    return this.#sendLimits.admit(request);
  }

  /** The session's view now; a session a webhook left waiting for Kount asks Kount first. */
  async view(sessionId: string): Promise<SessionView> {
    const session = await this.#refreshedIfDue(await this.#writer.load(sessionId));
    return this.#writer.view(session, this.#now());
  }

  /** The session's view now and when it expires, or null once it is gone; for streams, which have checked the handle already. */
  async currentView(sessionId: string): Promise<CurrentView | null> {
    const stored = await this.#store.read(sessionId);
    if (stored === null) return null;
    const session = await this.#refreshedIfDue(stored.session);
    return { view: this.#writer.view(session, this.#now()), expiresAt: session.expiresAt };
  }

  /** Most reads find nothing waiting for Kount and stay synchronous up to the store. */
  #refreshedIfDue(session: Session): Session | Promise<Session> {
    return session.refreshDueAt === undefined ? session : this.webhooks.refreshIfDue(session);
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
    return this.#runner.run(sessionId, (session, action, method, now) => {
      // SECURITY 14: refused here, before Kount is asked.
      this.#limits.assertNotLocked(session, now);
      if (knownMethod(action.method) !== answer.method || method?.answer === undefined) {
        throw new RelayError('action_mismatch', `This step expects a ${knownMethod(action.method) ?? 'different'} answer.`);
      }
      return method.answer(action, answer, session, now);
    });
  }

  resend(sessionId: string, request: ResendRequest = {}): Promise<SessionView> {
    return this.#runner.run(sessionId, (session, action, method, now) => {
      if (method?.resend === undefined) throw new RelayError('action_mismatch', 'This step has nothing to resend.');
      this.#limits.assertNotLocked(session, now);
      return method.resend(action, request, session);
    });
  }

  /** The code or link Kount sent with its decision: kept from the admission, or counted now. */
  async #countFirstSend(session: Session, admission: ChallengeAdmission | undefined): Promise<void> {
    const channel = this.#methods.firstSend(session);
    try {
      if (admission === undefined) await this.#sendLimits.countSent(channel, session.contact);
      else await admission.keep(channel);
    } catch (error) {
      // The challenge is stored and its message went out: a count that failed must not fail the start.
      this.#logger.warn('relay.send_count_failed', { inquiryId: session.inquiryId, error });
    }
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

  /** A new session stored with its first view, the send Kount made with its answer counted, and its handle handed out. */
  async #open(started: Session, admission: ChallengeAdmission | undefined, event: string, fields: LogFields): Promise<StartedChallenge> {
    // SECURITY 37: its resends and changes of channel count against the network that started it.
    const counted = admission === undefined ? started : { ...started, sendNetwork: admission.network };
    // The trace this start runs in, for the webhooks that end the journey later to link to.
    const trace = this.#telemetry?.currentTrace();
    const session = trace === undefined ? counted : { ...counted, trace };
    const view = await this.#writer.create(session);
    await this.#countFirstSend(session, admission);
    this.#logger.info(event, fields);
    this.#events?.emit('challenge_started', session, this.#now(), { channel: this.#methods.firstSend(session) });
    const handle = this.#signer.sign({ sid: session.id, exp: Math.floor(session.expiresAt / 1000) });
    return { handle, setCookie: session.crossOrigin ? '' : sessionCookie(handle, this.#config.sessionTtlSeconds), view };
  }
}
