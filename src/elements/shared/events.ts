/**
 * The suite's public events. One class per event with a typed, readonly `detail`; all bubble and
 * cross shadow roots (`composed`) so a page can listen on `document` or on any ancestor.
 */
import type { FinalDecision, SessionView } from '../../contract/browser.js';
import type { ErrorCode } from '../../contract/relay-api.js';

export interface VerifyCompleteDetail {
  /** The decision the relay reported. Tell your backend; it asks the relay for the authoritative outcome. */
  readonly decision: FinalDecision;
}

export interface VerifyErrorDetail {
  /** A stable error code: one of the contract's `ErrorCode`s or a client code (`network_error`, `timeout`, ...). */
  readonly code: string;
  /** A human message in the element's language (never HTML). */
  readonly message: string;
}

export interface VerifyStepDetail {
  /** The view the relay returned after the step. */
  readonly view: SessionView;
}

/** The verification reached a final decision. */
export class VerifyCompleteEvent extends CustomEvent<VerifyCompleteDetail> {
  static readonly eventName = 'verify-complete' as const;
  constructor(detail: VerifyCompleteDetail) {
    super(VerifyCompleteEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

/** The verification cannot go on in this page (session expired or invalid, unrecoverable error). */
export class VerifyErrorEvent extends CustomEvent<VerifyErrorDetail> {
  static readonly eventName = 'verify-error' as const;
  constructor(detail: VerifyErrorDetail) {
    super(VerifyErrorEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

/** A leaf element received a new view from the relay (after an answer, a resend or a refresh). */
export class VerifyStepEvent extends CustomEvent<VerifyStepDetail> {
  static readonly eventName = 'verify-step' as const;
  constructor(detail: VerifyStepDetail) {
    super(VerifyStepEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

/** The funnel moments `verify-analytics` reports (docs/elements/funnel-events.md). */
export type VerifyAnalyticsName =
  | 'step_shown'
  | 'code_submitted'
  | 'answers_submitted'
  | 'wrong_answer'
  | 'resend'
  | 'channel_change'
  | 'lockout'
  | 'link_opened'
  | 'capture_progress'
  | 'retry'
  | 'error'
  | 'abandoned'
  | 'decided';

/**
 * The closed set an `error` funnel event's `value` comes from (docs/elements/funnel-events.md): the
 * relay's codes but those with an event of their own (`wrong_answer`, `lockout`), and the page's
 * own for a relay it could not hear. `session_missing` (no verification cookie or handle reached
 * the relay) is told apart from `session_expired` on purpose: the first is usually blocked or
 * cleared cookies, the second a shopper who took too long.
 */
export type VerifyAnalyticsErrorCode =
  | Exclude<ErrorCode, 'wrong_code' | 'wrong_answers' | 'too_many_attempts'>
  | 'network_error'
  | 'offline'
  | 'timeout'
  | 'invalid_response';

/** What a funnel event carries: never a code, an answer, a contact or Kount's text. */
export interface VerifyAnalyticsDetail {
  readonly name: VerifyAnalyticsName;
  /** The step's method; null before any step was shown (a failed first load). */
  readonly method: 'OTP' | 'KBA' | 'OTH' | 'DOCV' | null;
  /** 1-based position of the step in the strategy; null before any step was shown. */
  readonly step: number | null;
  /** Whole milliseconds since the step was shown (0 for `step_shown`). */
  readonly elapsedMs: number;
  /** Random for each verification on the page: ties one journey's events together, and nothing else. */
  readonly correlationId: string;
  /**
   * `error`: the error code (a `VerifyAnalyticsErrorCode`); `capture_progress`: the DocV progress (`BEGUN`, `CAPTURED`...);
   * `channel_change`: the new channel; `decided`: the decision. Absent otherwise.
   */
  readonly value?: string;
}

/** A moment of the journey a shop may want to count (Onfido calls these user-analytics events). */
export class VerifyAnalyticsEvent extends CustomEvent<VerifyAnalyticsDetail> {
  static readonly eventName = 'verify-analytics' as const;
  constructor(detail: VerifyAnalyticsDetail) {
    super(VerifyAnalyticsEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

export interface VerifyRestartDetail {
  /** Why this verification cannot go on: the error code that ended it (`session_expired`, `session_missing`, ...). */
  readonly reason: string;
}

/**
 * The shopper chose "Start again" after the session ended (expired, lost in a restart). Start a
 * new verification (ask your backend for a new challenge) and call `preventDefault()`; an event
 * nobody prevents reloads the page, so the shopper is never left at a dead end.
 */
export class VerifyRestartEvent extends CustomEvent<VerifyRestartDetail> {
  static readonly eventName = 'verify-restart' as const;
  constructor(detail: VerifyRestartDetail) {
    super(VerifyRestartEvent.eventName, { detail, bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'verify-analytics': VerifyAnalyticsEvent;
    'verify-complete': VerifyCompleteEvent;
    'verify-error': VerifyErrorEvent;
    'verify-restart': VerifyRestartEvent;
    'verify-step': VerifyStepEvent;
  }
}
