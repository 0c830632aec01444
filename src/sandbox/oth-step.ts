import { randomUUID } from 'node:crypto';
import { sameSecret } from './constant-time.js';
import type * as z from 'zod/mini';
import type { ActionData, ResendStatus, VerificationStatus } from '../contract/kount/index.js';
import type { IssuedLink, OthLinkHandler, OthLinkState } from './links.js';
import { DEFAULT_SMS_DESTINATION } from './defaults.js';
import type { MessageChannel } from './outbox.js';
import { ACTION_STATUS_BY_OUTCOME, type StepOutcome } from './action-status.js';
import {
  type OthStepDefinition,
  type ResponseAction,
  type StepAnswer,
  type StepContext,
  type StepRejection,
  type StepSubmission,
  type VerificationStep,
} from './steps.js';
import { othStatusWebhook } from './webhook-payloads.js';

type ResendStatusValue = z.infer<typeof ResendStatus>;
type ActionDataBody = z.input<typeof ActionData>;
type OthChannelType = OthStepDefinition['channelType'];

/**
 * Kount 360 does not publish the link's life; the legacy product used 5 minutes. The sandbox uses
 * OTP's 10 minutes and its send limit (the first send plus three resends).
 */
export const OTH_POLICY = {
  lifetimeMs: 10 * 60 * 1000,
  maxSends: 4,
} as const;

/** The sandbox's own codes, as for OTP. */
export type OthErrorCode = 'LINK_EXPIRED' | 'REFUSED_BY_USER' | 'RESEND_LIMIT_REACHED';

interface OthError {
  readonly code: OthErrorCode;
  readonly message: string;
}

const CHANNEL_TYPE_BY_CHANNEL: Readonly<Record<MessageChannel, OthChannelType>> = { SMS: 'SMS_NONCE_OTH', EMAIL: 'EMAIL_NONCE_OTH' };

const nonBlank = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

/**
 * A one-time link ("one-time hyperlink", `NONCE_OTH`) by e-mail or SMS. Opening the link shows a
 * page that confirms (`VERIFIED`) or refuses (`FAILED_AUTHORIZATION`); the link works once, dies
 * after `OTH_POLICY.lifetimeMs` (the session ends `TERMINATED`) or when a new one is sent. When the
 * session ends the signed `WebhookEventRequest` goes out, whatever ended it.
 */
export class OthStep implements VerificationStep, OthLinkHandler {
  readonly method = 'OTH';
  readonly kind = 'OTH';
  readonly #context: StepContext;
  readonly #sessionId = randomUUID();
  #channel: MessageChannel;
  #destination: string;
  #link: IssuedLink | undefined;
  #usedToken: string | undefined;
  #linkExpiresAtMs = 0;
  #sentAtMs = 0;
  #sendAttempts = 0;
  #verificationAttempts = 0;
  #verificationStatus: VerificationStatus = 'UNKNOWN';
  #resendStatus: ResendStatusValue = 'UNKNOWN_RESEND_STATUS';
  #error: OthError | undefined;

  constructor(definition: OthStepDefinition, context: StepContext) {
    this.#context = context;
    this.#channel = definition.channelType === 'SMS_NONCE_OTH' ? 'SMS' : 'EMAIL';
    const applicant = context.applicant;
    this.#destination = this.#channel === 'SMS' ? nonBlank(applicant?.phoneNumber) ?? DEFAULT_SMS_DESTINATION : (applicant?.email ?? '').trim();
    this.#send();
  }

  get channel(): MessageChannel {
    return this.#channel;
  }

  get outcome(): StepOutcome {
    if (this.#verificationStatus === 'VERIFIED') return 'passed';
    if (this.#verificationStatus === 'TERMINATED' || this.#verificationStatus === 'FAILED_AUTHORIZATION') return 'failed';
    return 'open';
  }

  reject(data: StepAnswer): StepRejection | undefined {
    return data.resend === true ? undefined : { field: 'resend', message: 'OTH takes only `resend: true`; the link itself completes the step' };
  }

  /**
   * A resend sends a new link and kills the old one. A top-level `phoneNumber` alone moves the
   * session to SMS, an `email` alone to e-mail (a change of channel); with both, the channel stays
   * and its destination is updated.
   */
  submit({ data, phoneNumber, email }: StepSubmission): void {
    this.checkDeadline();
    if (this.outcome !== 'open' || data.resend !== true) return;
    this.#error = undefined;
    if (this.#sendAttempts >= OTH_POLICY.maxSends) {
      this.#resendStatus = 'FAILED';
      this.#end('TERMINATED', { code: 'RESEND_LIMIT_REACHED', message: 'No link sends are left.' });
      return;
    }
    const newPhone = nonBlank(phoneNumber);
    const newEmail = nonBlank(email);
    if (newPhone !== undefined && newEmail === undefined) {
      this.#channel = 'SMS';
      this.#destination = newPhone;
    } else if (newEmail !== undefined && newPhone === undefined) {
      this.#channel = 'EMAIL';
      this.#destination = newEmail;
    } else if (newPhone !== undefined && newEmail !== undefined) {
      this.#destination = this.#channel === 'SMS' ? newPhone : newEmail;
    }
    this.#send();
  }

  checkDeadline(): void {
    if (this.outcome === 'open' && this.#context.now() >= this.#linkExpiresAtMs) {
      this.#end('TERMINATED', { code: 'LINK_EXPIRED', message: 'The link expired before it was used.' });
    }
  }

  linkState(token: string): OthLinkState {
    this.checkDeadline();
    if (sameSecret(this.#usedToken, token)) return this.#verificationStatus === 'VERIFIED' ? 'verified' : 'refused';
    if (!sameSecret(this.#link?.token, token)) return 'replaced';
    if (this.outcome === 'open') return 'live';
    return this.#error?.code === 'LINK_EXPIRED' ? 'expired' : 'closed';
  }

  confirm(token: string): OthLinkState {
    if (this.linkState(token) !== 'live') return this.linkState(token);
    this.#use(token);
    this.#end('VERIFIED', undefined);
    return this.linkState(token);
  }

  refuse(token: string): OthLinkState {
    if (this.linkState(token) !== 'live') return this.linkState(token);
    this.#use(token);
    this.#end('FAILED_AUTHORIZATION', { code: 'REFUSED_BY_USER', message: 'The person who got the link said it was not them.' });
    return this.linkState(token);
  }

  toAction(): ResponseAction {
    const data: ActionDataBody = {
      sessionId: this.#sessionId,
      mfaType: 'NONCE_OTH',
      channelType: CHANNEL_TYPE_BY_CHANNEL[this.#channel],
      verificationStatus: this.#verificationStatus,
      resendStatus: this.#resendStatus,
      sendAttempts: String(this.#sendAttempts),
      remainingSendAttempts: String(OTH_POLICY.maxSends - this.#sendAttempts),
      verificationAttempts: String(this.#verificationAttempts),
      sentTimeStamp: new Date(this.#sentAtMs).toISOString(),
      expiresAt: this.outcome === 'open' ? new Date(this.#linkExpiresAtMs).toISOString() : undefined,
      error: this.#error === undefined ? undefined : { ...this.#error },
    };
    return { method: this.method, status: ACTION_STATUS_BY_OUTCOME[this.outcome], data };
  }

  #send(): void {
    const { now, outbox, links, authenticationId, applicant } = this.#context;
    const link = links.issue(this, authenticationId);
    this.#link = link;
    this.#sentAtMs = now();
    this.#linkExpiresAtMs = this.#sentAtMs + OTH_POLICY.lifetimeMs;
    this.#sendAttempts += 1;
    this.#verificationStatus = 'MESSAGE_SENT';
    this.#resendStatus = 'SENT';
    const minutes = Math.round(OTH_POLICY.lifetimeMs / 60_000);
    const firstName = applicant?.name?.first?.trim();
    const greeting = firstName ? `Hi ${firstName}, please` : 'Please';
    outbox.send({
      channel: this.#channel,
      to: this.#destination,
      body: `${greeting} confirm it’s you: ${link.url} — the link works once and expires in ${minutes} minutes. Not you? Open it and choose “This wasn’t me”.`,
      link: link.url,
      authenticationId,
    });
  }

  #use(token: string): void {
    this.#usedToken = token;
    this.#verificationAttempts += 1;
  }

  #end(status: 'VERIFIED' | 'TERMINATED' | 'FAILED_AUTHORIZATION', error: OthError | undefined): void {
    this.#verificationStatus = status;
    this.#error = error;
    this.#context.sendWebhook(
      othStatusWebhook({
        authenticationId: this.#context.authenticationId,
        sessionId: this.#sessionId,
        channelType: CHANNEL_TYPE_BY_CHANNEL[this.#channel],
        verificationStatus: status,
        sendAttempts: this.#sendAttempts,
        verificationAttempts: this.#verificationAttempts,
        remainingSendAttempts: OTH_POLICY.maxSends - this.#sendAttempts,
        sentTimeStamp: new Date(this.#sentAtMs).toISOString(),
        error,
      }),
    );
    this.#context.stepFinished();
  }
}
