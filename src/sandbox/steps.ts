import type * as z from 'zod/mini';
import type { Applicant, StrategyAction, VerificationMethod, VerifyActionData } from '../contract/kount/index.js';
import type { Clock } from './defaults.js';
import { OtpStep } from './otp-step.js';
import type { Outbox } from './outbox.js';

/** One action of a strategy as the sandbox sends it (counters as strings, like Kount). */
export type ResponseAction = z.input<typeof StrategyAction>;
export type StepAnswer = z.infer<typeof VerifyActionData>;
export type ApplicantDetails = z.infer<typeof Applicant>;

/**
 * Kount only documents `challenge` for an open action. For finished actions the sandbox assumes
 * `passed` and `failed`; the contract treats anything but `challenge` as finished, so the relay
 * does not depend on these words.
 */
export type ActionStatus = 'challenge' | 'passed' | 'failed';
export type StepOutcome = 'open' | 'passed' | 'failed';

export interface StepSubmission {
  readonly data: StepAnswer;
  /** The verify request's top-level `phoneNumber` / `email` ("for the verification flows"). */
  readonly phoneNumber?: string | undefined;
  readonly email?: string | undefined;
}

export interface StepContext {
  readonly authenticationId: string;
  readonly applicant: ApplicantDetails | undefined;
  readonly now: Clock;
  readonly outbox: Outbox;
}

/** A step-up action of a case. New methods (KBA, OTH, DOCV) implement this and join `StepDefinition`. */
export interface VerificationStep {
  readonly method: VerificationMethod;
  readonly outcome: StepOutcome;
  /** The field of the action's `data` this method needs and did not get, if any. */
  missingField(data: StepAnswer): string | undefined;
  /** Applies the shopper's answer; ignored once the step is finished. */
  submit(submission: StepSubmission): void;
  toAction(): ResponseAction;
}

export interface OtpStepDefinition {
  readonly method: 'OTP';
  readonly channelType: 'SMS_OTP' | 'EMAIL_OTP';
}

export type StepDefinition = OtpStepDefinition;

export function startStep(definition: StepDefinition, context: StepContext): VerificationStep {
  switch (definition.method) {
    case 'OTP':
      return new OtpStep(definition, context);
  }
}
