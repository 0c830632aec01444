/**
 * Kount's news laid over the sessions: a verified step-up webhook (the event's fields, then what
 * Kount says now), an Account Protection `MFA.StatusUpdate`, and the refresh a read makes when a
 * webhook left a session waiting for Kount. Nothing here moves a step backwards (SECURITY 23).
 */
import type { MfaStatusUpdateEvent, VerificationResponse } from '../contract/kount/index.js';
import { RelayError } from './errors.js';
import type { Logger } from './logger.js';
import type { Methods } from './methods/index.js';
import { mfaErrorCodeOf, type AccountProtectionMfa } from './methods/mfa.js';
import type { StepUp } from './methods/step-up.js';
import { patchAction } from './progress.js';
import { stepUpSessionIdOf, type SessionIndex } from './session-index.js';
import type { SessionWriter, StoredChange } from './session-writer.js';
import { openAction, type Session } from './sessions.js';
import type { SessionStore, VersionedSession } from './store/index.js';
import { WebhookNotApplied, type StepUpdate, type WebhookApplication, type WebhookTarget } from './webhook-events.js';
import type { Telemetry } from './telemetry.js';

/** After a failed read-time refresh, the next one waits this long (a shopper polling every 2 s does not hammer a Kount that is down). */
const REFRESH_RETRY_MS = 10_000;
/** A webhook's refresh is tried twice at most: Kount waits for the answer, and re-sends the event if it is a 5xx. */
const WEBHOOK_REFRESH_RETRIES = 1;

export interface WebhookApplierDependencies {
  writer: SessionWriter;
  store: SessionStore;
  index: SessionIndex;
  stepUp: StepUp;
  methods: Methods;
  mfa: AccountProtectionMfa | undefined;
  now: () => number;
  logger: Logger;
  /** Links a webhook's span to the trace its journey started in, when OpenTelemetry is installed. */
  telemetry?: Telemetry | undefined;
}

/** Kount's picture of the case after an event: its answer, or null with `failed` when it could not be asked. */
type Refresh = { response: VerificationResponse | null; failed: boolean };

export class WebhookApplier implements WebhookTarget {
  readonly #dependencies: WebhookApplierDependencies;

  constructor(dependencies: WebhookApplierDependencies) {
    this.#dependencies = dependencies;
  }

  /** Resolves once every Challenge Outcome report started so far has been answered or has failed. */
  async settled(): Promise<void> {
    await this.#dependencies.mfa?.settled();
  }

  /**
   * A verified step-up webhook: the event's fields first, then what Kount says now (a refresh: the
   * decision, the next action). The refresh runs before the change, so a shopper's answer never
   * waits on it; the change is stored only where it is newer. When Kount cannot be asked, the
   * event's own fields are kept, the session is marked for the next read to ask again, and the
   * caller learns it failed so that Kount re-sends.
   */
  async applyWebhook(update: StepUpdate): Promise<WebhookApplication> {
    const { index, logger } = this.#dependencies;
    const sessionId = await index.find(update);
    if (sessionId === null) return 'unknown_session';
    const stored = await this.#readNamed(sessionId);
    const before = stored.session;
    this.#dependencies.telemetry?.linkToJourney(before.trace);
    // Account Protection MFAs hear from Kount through `applyMfaStatus` only.
    if (before.mfa !== undefined) return 'unknown_session';
    if (isFinished(before)) return 'finished';

    const refresh = await this.#refreshForWebhook(before);
    // The session read above is the writer's first try: unless another change landed meanwhile, one read in all.
    const change = await this.#change(sessionId, (session, now) => (isFinished(session) ? session : this.#updated(session, update, refresh, now)), stored);
    const result = resultOf(change);
    if (result === 'applied') logger.info('relay.webhook.applied', { inquiryId: change.after.inquiryId, shape: update.shape, decision: change.after.decision, revision: change.after.revision });
    if (refresh.failed && result !== 'finished') throw new WebhookNotApplied('kount_unavailable', 'Kount could not be asked for the case after this event.');
    return result;
  }

  /**
   * A verified `MFA.StatusUpdate` for an MFA this relay holds: never moves it backwards, decides it
   * on VERIFIED (ALLOW) or TERMINATED (BLOCK), pushes the new view and reports the outcome to Kount.
   */
  async applyMfaStatus(event: MfaStatusUpdateEvent): Promise<WebhookApplication> {
    const { index, mfa, logger, now } = this.#dependencies;
    const sessionId = await index.findMfa(event.mfaId);
    if (sessionId === null || mfa === undefined) return 'unknown_session';
    const change = await this.#change(sessionId, (session) => (session.mfa === undefined || isFinished(session) ? session : mfa.applyStatus(session, event)));
    if (change.before.mfa === undefined) return 'unknown_session';
    this.#dependencies.telemetry?.linkToJourney(change.before.trace);
    const result = resultOf(change);
    if (result !== 'applied') return result;
    const { before, after } = change;
    logger.info('relay.webhook.applied', { inquiryId: after.inquiryId, shape: 'MFA.StatusUpdate', decision: after.decision, revision: after.revision });
    if (before.decision === null && after.decision !== null) mfa.reportDecided(after, mfaErrorCodeOf(event), now());
    return result;
  }

  /** A session a webhook left waiting for Kount asks Kount now, at most every `REFRESH_RETRY_MS`. */
  async refreshIfDue(session: Session): Promise<Session> {
    const { writer, stepUp, logger, now } = this.#dependencies;
    if (session.refreshDueAt === undefined || now() < session.refreshDueAt || isFinished(session)) return session;
    let refreshed: VerificationResponse | null;
    try {
      refreshed = await stepUp.refresh(session, 0);
    } catch (error) {
      logger.warn('relay.refresh_failed', { inquiryId: session.inquiryId, error });
      const later = await writer
        .change(session.id, (current, at) => (current.refreshDueAt === undefined ? current : { ...current, refreshDueAt: at + REFRESH_RETRY_MS }))
        .catch(() => null);
      return later?.after ?? session;
    }
    const { after } = await writer.change(session.id, (current) =>
      current.refreshDueAt === undefined || refreshed === null ? current : withoutRefreshDue(stepUp.mergeRefresh(current, refreshed)),
    );
    return after;
  }

  async #refreshForWebhook(session: Session): Promise<Refresh> {
    try {
      return { response: await this.#dependencies.stepUp.refresh(session, WEBHOOK_REFRESH_RETRIES), failed: false };
    } catch (error) {
      this.#dependencies.logger.warn('relay.refresh_failed', { inquiryId: session.inquiryId, error });
      return { response: null, failed: true };
    }
  }

  /** The event's fields, then Kount's answer; when Kount could not be asked, the next read asks again. */
  #updated(session: Session, update: StepUpdate, refresh: Refresh, now: number): Session {
    let next = this.#patched(session, update);
    if (refresh.response !== null) next = withoutRefreshDue(this.#dependencies.stepUp.mergeRefresh(next, refresh.response));
    if (refresh.failed && next.refreshDueAt === undefined) next = { ...next, refreshDueAt: now };
    return next;
  }

  /** Lays the event's fields over the action it names: by step-up session id, else the one a method claims for the case. */
  #patched(session: Session, update: StepUpdate): Session {
    if (Object.keys(update.patch).length === 0) return session;
    const byStepUp = update.stepUpSessionId === undefined ? -1 : session.actions.findIndex((action) => stepUpSessionIdOf(action) === update.stepUpSessionId);
    const index = byStepUp >= 0 ? byStepUp : this.#dependencies.methods.patchTarget(session, update);
    const target = index === undefined ? undefined : session.actions[index];
    if (index === undefined || target === undefined) return session;
    const actions = [...session.actions];
    actions[index] = patchAction(target, update.patch);
    return { ...session, actions };
  }

  /**
   * The session the index names. Its aliases live exactly as long as it does, so one that reads as
   * none is one this instance cannot open (sealed with a secret not rolled out here) or one that
   * ended this instant: either way a 5xx, so that Kount's re-send lands where it can be applied, or
   * finds no alias and is acknowledged then. Never "unknown session" (SECURITY 38).
   */
  async #readNamed(sessionId: string): Promise<VersionedSession> {
    const stored = await this.#dependencies.store.read(sessionId);
    if (stored === null) throw unreadable();
    return stored;
  }

  /** A webhook's change to a session the index names. A store that fails, or no longer finds it, is the caller's 5xx. */
  async #change(sessionId: string, change: (session: Session, now: number) => Session, read?: VersionedSession): Promise<StoredChange> {
    try {
      return await this.#dependencies.writer.change(sessionId, change, read);
    } catch (error) {
      if (error instanceof RelayError && error.code === 'session_unknown') throw unreadable(error);
      throw error;
    }
  }
}

function unreadable(cause?: unknown): WebhookNotApplied {
  return new WebhookNotApplied('session_unreadable', 'The session this event names could not be read on this instance.', cause === undefined ? undefined : { cause });
}

/** What a webhook's change did, read from what it was given and what it stored. */
function resultOf(change: StoredChange): Exclude<WebhookApplication, 'unknown_session'> {
  if (isFinished(change.before)) return 'finished';
  return change.after === change.before ? 'unchanged' : 'applied';
}

function isFinished(session: Session): boolean {
  return session.decision !== null || openAction(session) === undefined;
}

function withoutRefreshDue(session: Session): Session {
  const { refreshDueAt: _done, ...rest } = session;
  return rest;
}
