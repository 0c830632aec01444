/**
 * Document verification: the capture happens on Kount's pages (webhooks report its progress). The
 * page can ask for the capture link again before the capture starts, and start over after a failed
 * or unclear capture when Kount allows it; both are sends (SECURITY 15).
 */
import type { DocvActionView, DocvProgress, OtpChannel } from '../../contract/browser.js';
import { knownMethod, type ActionData, type StrategyAction } from '../../contract/kount/index.js';
import { RelayError } from '../errors.js';
import type { Limits } from '../limits.js';
import { maskPhoneNumber } from '../channels.js';
import type { Session } from '../sessions.js';
import { safeLinkUrl } from '../../contract/safe-url.js';
import { expectAnswer, type ChallengeMethod, type MethodDependencies } from './challenge-method.js';
import { sendOperation } from './send.js';

export function docvMethod(dependencies: MethodDependencies): ChallengeMethod {
  const { limits } = dependencies;
  return {
    name: 'DOCV',
    view: (action, session, now) => buildDocvView(action, session, now, limits),
    firstSend: (action) => docvSendChannel(action.data),
    answer: (action, answer) => {
      expectAnswer(answer, 'DOCV');
      if (!kountAllowsDocvRetry(action.data)) throw new RelayError('retry_not_allowed', 'Document verification cannot be started again now.');
      return sendOperation(dependencies, action, { kind: 'retry', sends: docvSendChannel(action.data) });
    },
    resend: (action, request) => {
      const current = action.data?.deliveryMode?.toUpperCase() === 'SMS' ? 'SMS' : undefined;
      if (request.channel !== undefined && request.channel !== current) throw new RelayError('channel_unavailable', 'This step cannot move to another channel.');
      if (docvProgress(action.data) !== 'SENT') throw new RelayError('retry_not_allowed', 'The capture link can be sent again only before the capture starts.');
      return sendOperation(dependencies, action, { kind: 'resend', sends: docvSendChannel(action.data) });
    },
    patchTarget: docvPatchTarget,
  };
}

/** The capture link goes by SMS or e-mail; a link shown in the page (`SYNC`) sends nothing. */
function docvSendChannel(data: ActionData | undefined): OtpChannel | null {
  const mode = data?.deliveryMode?.toUpperCase();
  return mode === 'SMS' ? 'SMS' : mode === 'EMAIL' ? 'EMAIL' : null;
}

/**
 * DocV's webhooks may name only the case: a document status for this case goes to its open DocV
 * action, else to the last one.
 */
function docvPatchTarget(session: Session, update: { authenticationId: string | undefined; patch: Partial<ActionData> }): number | undefined {
  if (update.authenticationId !== session.authenticationId || update.patch.documentVerificationStatus === undefined) return undefined;
  const docv = session.actions.map((action, position) => ({ action, position })).filter(({ action }) => knownMethod(action.method) === 'DOCV');
  return (docv.find(({ action }) => action.status?.toLowerCase() === 'challenge') ?? docv.at(-1))?.position;
}

const DOCV_PROGRESS: Readonly<Record<string, DocvProgress>> = {
  MESSAGE_SENT: 'SENT',
  FLOW_BEGUN: 'BEGUN',
  CAPTURED: 'CAPTURED',
  PROCESSING: 'PROCESSING',
  VERIFIED: 'VERIFIED',
  FAILED: 'FAILED',
  NEEDS_RETRY: 'NEEDS_RETRY',
};

/** Kount's `documentVerificationStatus` as the view's progress; a value Kount adds later reads as "sent". */
export function docvProgress(data: ActionData | undefined): DocvProgress {
  return DOCV_PROGRESS[data?.documentVerificationStatus?.trim().toUpperCase() ?? ''] ?? 'SENT';
}

/** Kount's own word on a DocV retry: a failed or unclear capture, retries left, not refused. */
export function kountAllowsDocvRetry(data: ActionData | undefined): boolean {
  const progress = docvProgress(data);
  if (progress !== 'FAILED' && progress !== 'NEEDS_RETRY') return false;
  if (data?.retryAllowed === false || (data?.remainingRetries !== undefined && data.remainingRetries <= 0)) return false;
  return data?.retryAllowed === true || (data?.remainingRetries ?? 0) > 0;
}

export function buildDocvView(action: StrategyAction, session: Session, now: number, limits: Limits): DocvActionView {
  const data = action.data ?? {};
  const mode = data.deliveryMode?.trim().toUpperCase();
  const delivery = mode === 'SYNC' ? 'LINK' : mode === 'SMS' ? 'SMS' : data.captureUrl === undefined ? 'SMS' : 'LINK';
  const phoneNumber = session.contact.phoneNumber;
  const progress = docvProgress(data);
  const sendsLeft = limits.remainingResends(data, session) > 0;
  return {
    method: 'DOCV',
    delivery,
    destination: delivery === 'SMS' && phoneNumber ? maskPhoneNumber(phoneNumber) : null,
    captureUrl: delivery === 'LINK' ? safeLinkUrl(data.captureUrl) : null,
    progress,
    // The relay's resend cap counts retries too, so the button goes when either side says no.
    retryAllowed: kountAllowsDocvRetry(data) && sendsLeft,
    remainingRetries: data.remainingRetries ?? null,
    resendAllowed: delivery === 'SMS' && progress === 'SENT' && sendsLeft,
    sendAvailableInSeconds: limits.resendAvailableInSeconds(session, now),
  };
}
