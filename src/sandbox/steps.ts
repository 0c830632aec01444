import type * as z from 'zod/mini';
import type { Applicant, StrategyAction, VerificationMethod, VerifyActionData } from '../contract/kount/index.js';
import type { StepOutcome } from './action-status.js';
import type { Clock } from './defaults.js';
import type { KbaQuizBook } from './kba-quiz-book.js';
import type { LinkBook } from './links.js';
import type { Outbox } from './outbox.js';
import type { OutgoingWebhook } from './webhook-dispatcher.js';

/** One action of a strategy as the sandbox sends it (counters as strings, like Kount). */
export type ResponseAction = z.input<typeof StrategyAction>;
export type StepAnswer = z.infer<typeof VerifyActionData>;
export type ApplicantDetails = z.infer<typeof Applicant>;

export interface StepSubmission {
  readonly data: StepAnswer;
  /** The verify request's top-level `phoneNumber` / `email` ("for the verification flows"). */
  readonly phoneNumber?: string | undefined;
  readonly email?: string | undefined;
}

/** Why an answer cannot be applied at all (the route answers 400); `field` is a path inside the action's `data`. */
export interface StepRejection {
  readonly field: string;
  readonly message: string;
}

export interface StepContext {
  readonly authenticationId: string;
  readonly applicant: ApplicantDetails | undefined;
  readonly now: Clock;
  readonly outbox: Outbox;
  readonly links: LinkBook;
  readonly quizzes: KbaQuizBook;
  readonly clientId: string;
  sendWebhook(webhook: OutgoingWebhook): void;
  /** Steps that finish outside a verify call (a link opened, a deadline passed) call this so the case moves on. */
  stepFinished(): void;
}

/** A step-up action of a case. Each method implements this in its own file and joins `StepDefinition`. */
export interface VerificationStep {
  readonly method: VerificationMethod;
  readonly outcome: StepOutcome;
  /** Says why this answer cannot be applied (a missing or unknown field), if it cannot. */
  reject(data: StepAnswer): StepRejection | undefined;
  /** Applies the shopper's answer; ignored once the step is finished. */
  submit(submission: StepSubmission): void;
  /** Applies what time did (an expired link ends the step); called before every read. */
  checkDeadline?(): void;
  toAction(): ResponseAction;
}

export interface OtpStepDefinition {
  readonly method: 'OTP';
  readonly channelType: 'SMS_OTP' | 'EMAIL_OTP';
}

export interface KbaStepDefinition {
  readonly method: 'KBA';
}

export interface OthStepDefinition {
  readonly method: 'OTH';
  readonly channelType: 'SMS_NONCE_OTH' | 'EMAIL_NONCE_OTH';
}

export interface DocvStepDefinition {
  readonly method: 'DOCV';
  /** `SYNC`: the capture link comes back in the response; `SMS`: the sandbox texts it. */
  readonly deliveryMode: 'SYNC' | 'SMS';
}

export type StepDefinition = OtpStepDefinition | KbaStepDefinition | OthStepDefinition | DocvStepDefinition;
