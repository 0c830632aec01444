import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import type { ActionData, ResendStatus, VerificationStatus } from '../contract/kount/index.js';
import { DEFAULT_SMS_DESTINATION } from './defaults.js';
import { generateOtp, OTP_POLICY, otpMatches } from './otp.js';
import { ACTION_STATUS_BY_OUTCOME, type StepOutcome } from './action-status.js';
import {
  type OtpStepDefinition,
  type ResponseAction,
  type StepAnswer,
  type StepContext,
  type StepRejection,
  type StepSubmission,
  type VerificationStep,
} from './steps.js';

type ResendStatusValue = z.infer<typeof ResendStatus>;
type ActionDataBody = z.input<typeof ActionData>;

/**
 * Error codes are the sandbox's own: Kount's verify response shows an `error{code?, message}` but
 * no documented codes. They let the relay tell a wrong code from an expired one.
 */
export type OtpErrorCode = 'OTP_MISMATCH' | 'OTP_EXPIRED' | 'VERIFICATION_ATTEMPTS_EXHAUSTED' | 'RESEND_LIMIT_REACHED';

interface OtpError {
  readonly code: OtpErrorCode;
  readonly message: string;
}

const minutes = (ms: number): number => Math.round(ms / 60_000);

/**
 * A one-time passcode sent by SMS or e-mail. Rules (Kount publishes none, see `OTP_POLICY`): the
 * code is single use and dies after its lifetime or when a new one is sent; every submission counts
 * as a verification attempt, an expired one included; resending never resets that count; running
 * out of attempts or sends ends the step as `TERMINATED`.
 */
export class OtpStep implements VerificationStep {
  readonly method = 'OTP';
  readonly #channelType: OtpStepDefinition['channelType'];
  readonly #context: StepContext;
  /** The step-up service's session id (design §1): webhooks about this step would name it. */
  readonly #sessionId = randomUUID();
  #destination: string;
  #code: string | undefined;
  #codeExpiresAtMs = 0;
  #sentAtMs = 0;
  #sendAttempts = 0;
  #verificationAttempts = 0;
  #verificationStatus: VerificationStatus = 'UNKNOWN';
  #resendStatus: ResendStatusValue = 'UNKNOWN_RESEND_STATUS';
  #error: OtpError | undefined;

  constructor(definition: OtpStepDefinition, context: StepContext) {
    this.#channelType = definition.channelType;
    this.#context = context;
    const applicant = context.applicant;
    this.#destination = this.#isSms ? applicant?.phoneNumber?.trim() || DEFAULT_SMS_DESTINATION : (applicant?.email ?? '').trim();
    this.#send();
  }

  get outcome(): StepOutcome {
    if (this.#verificationStatus === 'VERIFIED') return 'passed';
    if (this.#verificationStatus === 'TERMINATED') return 'failed';
    return 'open';
  }

  reject(data: StepAnswer): StepRejection | undefined {
    return data.resend === true || data.otp !== undefined ? undefined : { field: 'otp', message: 'required for OTP' };
  }

  submit({ data, phoneNumber, email }: StepSubmission): void {
    if (this.outcome !== 'open') return;
    this.#error = undefined;
    // Assumption: a request with both `resend: true` and an `otp` is a resend; the code is not checked.
    if (data.resend === true) {
      this.#resend(this.#isSms ? phoneNumber : email);
      return;
    }
    this.#check(data.otp ?? '');
  }

  toAction(): ResponseAction {
    const data: ActionDataBody = {
      sessionId: this.#sessionId,
      mfaType: 'OTP',
      channelType: this.#channelType,
      verificationStatus: this.#verificationStatus,
      resendStatus: this.#resendStatus,
      sendAttempts: String(this.#sendAttempts),
      verificationAttempts: String(this.#verificationAttempts),
      remainingSendAttempts: String(OTP_POLICY.maxSends - this.#sendAttempts),
      remainingVerificationAttempts: String(OTP_POLICY.maxVerificationAttempts - this.#verificationAttempts),
      sentTimeStamp: new Date(this.#sentAtMs).toISOString(),
      expiresAt: this.outcome === 'open' ? new Date(this.#codeExpiresAtMs).toISOString() : undefined,
      error: this.#error === undefined ? undefined : { ...this.#error },
    };
    return { method: this.method, status: ACTION_STATUS_BY_OUTCOME[this.outcome], data };
  }

  get #isSms(): boolean {
    return this.#channelType === 'SMS_OTP';
  }

  /** Assumption: a resend may carry a new destination in the verify request's `phoneNumber`/`email`. */
  #resend(newDestination: string | undefined): void {
    if (this.#sendAttempts >= OTP_POLICY.maxSends) {
      this.#resendStatus = 'FAILED';
      this.#terminate('RESEND_LIMIT_REACHED', 'No passcode sends are left.');
      return;
    }
    if (newDestination !== undefined && newDestination.trim() !== '') this.#destination = newDestination.trim();
    this.#send();
  }

  #send(): void {
    const { now, outbox, authenticationId, applicant } = this.#context;
    const code = generateOtp(this.#code);
    this.#code = code;
    this.#sentAtMs = now();
    this.#codeExpiresAtMs = this.#sentAtMs + OTP_POLICY.lifetimeMs;
    this.#sendAttempts += 1;
    this.#verificationStatus = 'MESSAGE_SENT';
    this.#resendStatus = 'SENT';
    const firstName = applicant?.name?.first?.trim();
    const greeting = firstName ? `Hi ${firstName}, your` : 'Your';
    outbox.send({
      channel: this.#isSms ? 'SMS' : 'EMAIL',
      to: this.#destination,
      body: `${greeting} verification code is ${code}. It expires in ${minutes(OTP_POLICY.lifetimeMs)} minutes. Do not share it with anyone.`,
      code,
      authenticationId,
    });
  }

  #check(givenCode: string): void {
    this.#verificationAttempts += 1;
    const code = this.#code;
    if (code === undefined || this.#context.now() >= this.#codeExpiresAtMs) {
      this.#failAttempt('OTP_EXPIRED', 'The passcode has expired. Ask for a new one.');
    } else if (otpMatches(code, givenCode)) {
      this.#code = undefined;
      this.#verificationStatus = 'VERIFIED';
    } else {
      this.#failAttempt('OTP_MISMATCH', 'The passcode does not match.');
    }
  }

  #failAttempt(code: OtpErrorCode, message: string): void {
    if (this.#verificationAttempts >= OTP_POLICY.maxVerificationAttempts) {
      this.#terminate('VERIFICATION_ATTEMPTS_EXHAUSTED', `${message} No verification attempts are left.`);
      return;
    }
    this.#verificationStatus = 'VERIFICATION_ATTEMPT_FAILED';
    this.#error = { code, message };
  }

  #terminate(code: OtpErrorCode, message: string): void {
    this.#code = undefined;
    this.#verificationStatus = 'TERMINATED';
    this.#error = { code, message };
  }
}
