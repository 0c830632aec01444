/**
 * English, the reference catalogue: `Messages` is defined here and every other locale is typed
 * with it, so a missing or misspelt key is a compile error. Interpolation and plurals are
 * functions. Values are plain text: the elements render them as text, never as HTML.
 */
import type { FinalDecision, OtpChannel } from '../../../contract/browser.js';
import type { ErrorCode } from '../../../contract/relay-api.js';

/** Codes the browser side produces itself (see `RelayError` in src/client). */
export type ClientErrorCode = 'network_error' | 'offline' | 'timeout' | 'invalid_response' | 'aborted';

/**
 * A code refined by its error's detail, for copy only (events and `errorCode` keep the code):
 * `send_limited` with `limit: 'network'` (see `messageCodeOf` in ../step-controller.ts).
 */
export type DetailedErrorCode = 'send_limited_network';

/** Every error code an element can be asked to explain. */
export type KnownErrorCode = ErrorCode | ClientErrorCode | DetailedErrorCode;

/**
 * Errors only a step element meets (an answer, a resend): their English travels with the step
 * elements (`en-steps.ts`), so a page pays for them only once it shows a step.
 */
export type StepErrorCode =
  | 'bad_json'
  | 'invalid_body'
  | 'action_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'wrong_code'
  | 'code_expired'
  | 'too_many_attempts'
  | 'resend_too_soon'
  | 'resend_limit_reached'
  | 'send_limited'
  | 'send_limited_network'
  | 'wrong_answers'
  | 'quiz_expired'
  | 'retry_not_allowed'
  | 'channel_unavailable';

/** Strings `<verification-flow>` and every element share; their English ships in the entry. */
export interface CoreMessages {
  // <verification-flow>
  flowLoading: string;
  /** After an error that ends the session: the way to a new verification (`verify-restart`). */
  flowStartAgain: string;
  /** "Step 1 of 2" */
  flowStep: (index: number, total: number) => string;
  flowDecisionTitle: Record<FinalDecision, string>;
  flowDecisionBody: Record<FinalDecision, string>;
  /** An action this version cannot render. */
  flowUnsupported: (name: string) => string;
  /** A step Kount has in a status this version does not know (one it added later): the way forward is Try again. */
  flowUnavailable: string;
  retry: string;

  // errors
  /** A human message for any error code; unknown codes get a generic message. */
  errorMessage: (code: string) => string;

  // durations
  /** A wait as people say it: "45 seconds", "2 minutes", "4 minutes 30 seconds". */
  duration: (seconds: number) => string;

  // shared by the leaf elements
  attemptsLeft: (count: number) => string;
}

/** `<otp-entry>`; its English ships with the element (otp-entry.strings.ts). */
export interface OtpEntryMessages {
  otpLabel: string;
  /** "We sent a 6-digit code to +1 *** *** 4567" (the destination arrives masked). */
  otpSentTo: (channel: OtpChannel, codeLength: number, destination: string) => string;
  /** Hint under the input. */
  otpHint: (codeLength: number) => string;
  otpVerify: string;
  otpVerifying: string;
  otpExpiresIn: (seconds: number) => string;
  otpResend: string;
  otpResendIn: (seconds: number) => string;
  resendsLeft: (count: number) => string;
  /** Shown in place of `otpSentTo` after a resend. */
  otpResendSent: (channel: OtpChannel, codeLength: number, destination: string) => string;
  /** Under the field after a resend: the codes sent before stopped working. */
  otpOnlyNewest: string;
  otpResendSending: string;
  otpNoResendsLeft: string;
  /** The wait during a lockout; the alert above it already says why. */
  otpLockedWait: (seconds: number) => string;
  otpUnlocked: string;
  /** After a lockout: the next wrong code locks again, whatever count the view still holds. */
  otpOneMoreLocks: string;
  otpResendReady: string;
  otpValueMissing: (codeLength: number) => string;
  otpTooShort: (codeLength: number) => string;
  otpPatternMismatch: string;
}

/** `<kba-quiz>`; its English ships with the element. */
export interface KbaQuizMessages {
  /** "Question 2 of 4" */
  kbaQuestionOf: (index: number, total: number) => string;
  /** On a multiple-choice question's meta line (shown without its full stop). */
  kbaChooseAllThatApply: string;
  kbaBack: string;
  kbaNext: string;
  /** The last question's (or a changed answer's) way to the review screen. */
  kbaReviewAnswers: string;
  kbaReviewTitle: string;
  kbaReviewHint: string;
  /** One per question on the review screen; its accessible name adds the question. */
  kbaChange: string;
  kbaNotAnswered: string;
  kbaSubmit: string;
  kbaSubmitting: string;
  kbaChooseOne: string;
  kbaChooseAtLeastOne: string;
  /** The visible countdown: "Time left: 1:30". */
  kbaTimeLeft: (seconds: number) => string;
  /** Said at milestones only (each minute, 30 s, 10 s). */
  kbaTimeLeftAnnouncement: (seconds: number) => string;
  kbaTimeUp: string;
  /** After wrong answers, a late answer or a change elsewhere: the relay drew a fresh questionnaire. */
  kbaNewQuestions: string;
  kbaTooManyAttempts: string;
  kbaLockedWait: (seconds: number) => string;
  kbaUnlocked: string;
  /** After a failure that did not cost anything: nothing typed is lost. */
  kbaAnswersKept: string;
}

/** `<oth-waiting>`; its English ships with the element. */
export interface OthWaitingMessages {
  /** "We sent a link to j***@example.com" (the destination arrives masked). */
  othSentTo: (channel: OtpChannel, destination: string) => string;
  /** After `othSentTo`, while the link waits to be opened. */
  othInstructions: string;
  /** What the link's status means for the shopper (inline type import: the import line is shared). */
  othStatus: Record<import('../../../contract/browser.js').OthStatus, string>;
  /** After a failed link: the way forward. */
  othFailureHelp: (canResend: boolean) => string;
  othResend: string;
  othResendSending: string;
  othResendIn: (seconds: number) => string;
  /** Shown in place of `othSentTo` and announced after a resend; says the earlier link stopped working. */
  othResendSent: (channel: OtpChannel, destination: string) => string;
  othResendReady: string;
  othNoResendsLeft: string;
  othLinksLeft: (count: number) => string;
  /** "Send it by text message instead" */
  othSendBy: (channel: OtpChannel) => string;
  othExpiresIn: (seconds: number) => string;
  othExpired: string;
  othOffline: string;
  othBackOnline: string;
}

/** `<docv-status>`; its English ships with the element. */
export interface DocvStatusMessages {
  /** DocV, SMS delivery: where the capture link went (masked phone, or null when the relay has none). */
  docvSmsSent: (destination: string | null) => string;
  /** DocV, LINK delivery: what to do with the QR code. */
  docvScanQr: string;
  /** Accessible name of the QR code image. */
  docvQrLabel: string;
  docvContinueHere: string;
  /** Said after a link that opens a new tab. */
  docvOpensInNewTab: string;
  /** A LINK delivery without a link this page may show. */
  docvLinkUnavailable: string;
  /** Accessible name of the progress list. */
  docvStepsLabel: string;
  docvStepSent: (delivery: 'SMS' | 'LINK') => string;
  docvStepBegun: string;
  docvStepCaptured: string;
  docvStepProcessing: string;
  /** Read after a finished step (visually it is a tick). */
  docvStepDone: string;
  /** One sentence per progress value, shown and announced when it changes. */
  docvStatus: Record<import('../../../contract/browser.js').DocvProgress, string>;
  docvRetrying: string;
  docvRetriesLeft: (count: number) => string;
  docvOffline: string;
  docvRetryIn: (seconds: number) => string;
  docvRetryReady: string;
  /** Read after the step where a capture that did not pass stopped (visually a cross). */
  docvStepFailed: string;
  /** Before the capture starts, when the link went by SMS. */
  docvResend: string;
  docvResending: string;
  docvResendIn: (seconds: number) => string;
  docvResendReady: string;
  /** Shown and announced after a resend (masked phone, or null when the relay has none). */
  docvResent: (destination: string | null) => string;
}

/** Every string of the suite: what a full catalogue (es.ts, ar.ts, a page's own language) provides. */
export type Messages = CoreMessages & OtpEntryMessages & KbaQuizMessages & OthWaitingMessages & DocvStatusMessages;


const errors = {
  csrf_rejected: 'This page could not be verified. Reload the page and try again.',
  origin_rejected: 'This page is not allowed to verify you. Reload the page and try again.',
  not_found: "We couldn't reach the verification service. Please try again later.",
  method_not_allowed: "We couldn't reach the verification service. Please try again later.",
  session_finished: 'This verification has already finished.',
  session_unknown: "We couldn't find your verification. Please start again.",
  session_missing: 'Your verification session was not found. Please start again.',
  session_invalid: 'Your verification session is not valid. Please start again.',
  session_expired: 'Your verification session has expired. Please start again.',
  internal_error: 'Something went wrong on our side. Please try again.',
  body_consumed: 'Something went wrong on our side. Please try again.',
  upstream_auth_failed: 'The verification service is unavailable right now. Please try again later.',
  upstream_error: 'The verification service had a problem. Please try again.',
  upstream_invalid_response: 'The verification service had a problem. Please try again.',
  upstream_unavailable: 'The verification service is busy right now. Please try again in a moment.',
  store_unavailable: 'The verification service is busy right now. Please try again in a moment.',
  upstream_timeout: 'The verification service took too long to answer. Please try again.',
  network_error: "We can't reach the verification service. Please try again in a moment.",
  offline: "You're offline. Check your internet connection and try again.",
  timeout: 'This is taking too long. Check your connection and try again.',
  invalid_response: 'We got an unexpected answer. Please try again.',
  aborted: 'The request was cancelled.',
} satisfies Record<Exclude<KnownErrorCode, StepErrorCode>, string>;


/**
 * The strings `<verification-flow>` itself shows. What only the step elements show (durations,
 * attempts, their errors) is `stepStrings` in en-steps.ts, loaded with the first step.
 */
export type FlowMessages = Omit<CoreMessages, 'duration' | 'attemptsLeft'>;

export const en: FlowMessages = {
  flowLoading: 'Loading your verification…',
  flowStartAgain: 'Start again',
  flowStep: (index, total) => `Step ${index} of ${total}`,
  flowDecisionTitle: {
    ALLOW: "You're verified",
    BLOCK: "We couldn't verify you",
    REVIEW: "Thanks, we're reviewing it",
  },
  flowDecisionBody: {
    ALLOW: 'Thanks for confirming it was you. You can continue.',
    BLOCK: "We couldn't confirm your identity, so we can't continue this time.",
    REVIEW: "We need a little more time to check your details. We'll be in touch.",
  },
  flowUnsupported: (name) => `This verification step (${name}) isn't available here. Please contact support.`,
  flowUnavailable: "We couldn't finish this check here. Try again in a few minutes.",
  retry: 'Try again',

  errorMessage: (code) =>
    Object.hasOwn(errors, code) ? errors[code as keyof typeof errors] : 'Something went wrong. Please try again.',

};
