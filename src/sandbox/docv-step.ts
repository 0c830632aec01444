import { randomUUID } from 'node:crypto';
import { sameSecret } from './constant-time.js';
import type * as z from 'zod/mini';
import type { ActionData, DocumentVerificationStatus } from '../contract/kount/index.js';
import type { DocvLinkHandler, DocvLinkState, DocvPageStep, IssuedLink } from './links.js';
import { DEFAULT_SMS_DESTINATION } from './defaults.js';
import { ACTION_STATUS_BY_OUTCOME, type StepOutcome } from './action-status.js';
import {
  type DocvStepDefinition,
  type ResponseAction,
  type StepAnswer,
  type StepContext,
  type StepRejection,
  type StepSubmission,
  type VerificationStep,
} from './steps.js';
import { type DocvResult, docvOnboardingWebhook, docvResultsWebhook, docvStatusWebhook } from './webhook-payloads.js';

type ActionDataBody = z.input<typeof ActionData>;
type DeliveryMode = DocvStepDefinition['deliveryMode'];

/** Our assumptions: one retry after a failed or unusable capture; link sends capped as for OTP. */
export const DOCV_POLICY = {
  maxRetries: 1,
  maxSends: 4,
} as const;

export type DocvErrorCode = 'RETRY_NOT_ALLOWED' | 'RESEND_LIMIT_REACHED';

const RESULT_BY_STEP: Readonly<Record<'verified' | 'failed' | 'needs-retry', DocvResult>> = {
  verified: 'VERIFIED',
  failed: 'FAILED',
  'needs-retry': 'NEEDS_RETRY',
};

const NEXT_STATUS: Readonly<Partial<Record<DocumentVerificationStatus, { readonly step: DocvPageStep; readonly status: DocumentVerificationStatus }>>> = {
  MESSAGE_SENT: { step: 'begin', status: 'FLOW_BEGUN' },
  FLOW_BEGUN: { step: 'capture', status: 'CAPTURED' },
  CAPTURED: { step: 'process', status: 'PROCESSING' },
};

const IN_FLIGHT: ReadonlySet<DocumentVerificationStatus> = new Set(['MESSAGE_SENT', 'FLOW_BEGUN', 'CAPTURED', 'PROCESSING']);
const RETRYABLE: ReadonlySet<DocumentVerificationStatus> = new Set(['FAILED', 'NEEDS_RETRY']);

const nonBlank = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

/**
 * Document verification. `SYNC` returns the capture link in the response (`captureUrl`, for a QR
 * code); `SMS` texts it. The fake phone page walks MESSAGE_SENT → FLOW_BEGUN → CAPTURED →
 * PROCESSING → VERIFIED | FAILED | NEEDS_RETRY, with a signed webhook at each change. After FAILED
 * or NEEDS_RETRY, `data.resend: true` starts a retry with a new link while retries are left;
 * without one left, the step has failed. Before the flow begins, `resend` sends the link again.
 */
export class DocvStep implements VerificationStep, DocvLinkHandler {
  readonly method = 'DOCV';
  readonly kind = 'DOCV';
  readonly #context: StepContext;
  readonly #sessionId = randomUUID();
  #deliveryMode: DeliveryMode;
  #destination: string;
  #link: IssuedLink | undefined;
  #status: DocumentVerificationStatus = 'MESSAGE_SENT';
  #sendAttempts = 0;
  #verificationAttempts = 0;
  #retriesUsed = 0;
  #error: { readonly code: DocvErrorCode; readonly message: string } | undefined;

  constructor(definition: DocvStepDefinition, context: StepContext) {
    this.#context = context;
    this.#deliveryMode = definition.deliveryMode;
    this.#destination = nonBlank(context.applicant?.phoneNumber) ?? DEFAULT_SMS_DESTINATION;
    this.#sendLink();
  }

  get status(): DocumentVerificationStatus {
    return this.#status;
  }

  get outcome(): StepOutcome {
    if (this.#status === 'VERIFIED') return 'passed';
    if (RETRYABLE.has(this.#status) && !this.#retryAllowed) return 'failed';
    return 'open';
  }

  reject(data: StepAnswer): StepRejection | undefined {
    return data.resend === true ? undefined : { field: 'resend', message: 'DOCV takes only `resend: true` (send the link again, or retry)' };
  }

  /** A top-level `phoneNumber` texts the new link to that number, also when the link was shown as a QR code. */
  submit({ data, phoneNumber }: StepSubmission): void {
    if (this.outcome !== 'open' || data.resend !== true) return;
    this.#error = undefined;
    const isRetry = RETRYABLE.has(this.#status);
    if (!isRetry && this.#status !== 'MESSAGE_SENT') {
      this.#error = { code: 'RETRY_NOT_ALLOWED', message: `Nothing to retry while the verification is ${this.#status}.` };
      return;
    }
    if (this.#sendAttempts >= DOCV_POLICY.maxSends) {
      this.#error = { code: 'RESEND_LIMIT_REACHED', message: 'No link sends are left.' };
      return;
    }
    const newPhone = nonBlank(phoneNumber);
    if (newPhone !== undefined) {
      this.#deliveryMode = 'SMS';
      this.#destination = newPhone;
    }
    if (isRetry) this.#retriesUsed += 1;
    this.#status = 'MESSAGE_SENT';
    this.#sendLink();
  }

  linkState(token: string): DocvLinkState {
    if (!sameSecret(this.#link?.token, token)) return 'replaced';
    return IN_FLIGHT.has(this.#status) ? 'live' : 'done';
  }

  advance(token: string, step: DocvPageStep): DocvLinkState {
    if (this.linkState(token) !== 'live') return this.linkState(token);
    const next = NEXT_STATUS[this.#status];
    if (next !== undefined && next.step === step) {
      this.#changeStatus(next.status);
      if (next.status === 'FLOW_BEGUN') this.#context.sendWebhook(docvOnboardingWebhook(this.#context.authenticationId, this.#sessionId, 'FLOW_BEGUN'));
    } else if (this.#status === 'PROCESSING' && (step === 'verified' || step === 'failed' || step === 'needs-retry')) {
      this.#finishCapture(RESULT_BY_STEP[step]);
    }
    return this.linkState(token);
  }

  toAction(): ResponseAction {
    const showLink = this.#deliveryMode === 'SYNC' && IN_FLIGHT.has(this.#status);
    const data: ActionDataBody = {
      sessionId: this.#sessionId,
      documentVerificationStatus: this.#status,
      deliveryMode: this.#deliveryMode,
      captureUrl: showLink ? this.#link?.url : undefined,
      sendAttempts: String(this.#sendAttempts),
      remainingSendAttempts: String(DOCV_POLICY.maxSends - this.#sendAttempts),
      verificationAttempts: String(this.#verificationAttempts),
      remainingRetries: String(this.#remainingRetries),
      retryAllowed: this.#retryAllowed,
      error: this.#error === undefined ? undefined : { ...this.#error },
    };
    return { method: this.method, status: ACTION_STATUS_BY_OUTCOME[this.outcome], data };
  }

  get #remainingRetries(): number {
    return DOCV_POLICY.maxRetries - this.#retriesUsed;
  }

  get #retryAllowed(): boolean {
    return RETRYABLE.has(this.#status) && this.#remainingRetries > 0 && this.#sendAttempts < DOCV_POLICY.maxSends;
  }

  #sendLink(): void {
    const { outbox, links, authenticationId, applicant } = this.#context;
    const link = links.issue(this, authenticationId);
    this.#link = link;
    this.#sendAttempts += 1;
    if (this.#deliveryMode === 'SMS') {
      const firstName = applicant?.name?.first?.trim();
      const greeting = firstName ? `Hi ${firstName}, continue` : 'Continue';
      outbox.send({
        channel: 'SMS',
        to: this.#destination,
        body: `${greeting} your identity check on this phone: ${link.url} — have your driving licence or passport ready.`,
        link: link.url,
        authenticationId,
      });
    }
    this.#sendStatusWebhook();
  }

  #changeStatus(status: DocumentVerificationStatus): void {
    this.#status = status;
    this.#sendStatusWebhook();
  }

  #finishCapture(result: DocvResult): void {
    const { authenticationId, applicant, now } = this.#context;
    this.#verificationAttempts += 1;
    this.#changeStatus(result);
    this.#context.sendWebhook(
      docvResultsWebhook({
        authenticationId,
        sessionId: this.#sessionId,
        result,
        firstName: applicant?.name?.first?.trim() || 'JANE',
        lastName: applicant?.name?.last?.trim() || 'SAMPLE',
        capturedAt: new Date(now()).toISOString(),
      }),
    );
    this.#context.stepFinished();
  }

  #sendStatusWebhook(): void {
    const { clientId, authenticationId } = this.#context;
    this.#context.sendWebhook(
      docvStatusWebhook({
        clientId,
        authenticationId,
        sessionId: this.#sessionId,
        documentVerificationStatus: this.#status,
        sendAttempts: this.#sendAttempts,
        verificationAttempts: this.#verificationAttempts,
      }),
    );
  }
}
