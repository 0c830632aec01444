/** The browser's picture of a session: the open step, narrowed to what the element needs. */
import type {
  ActionView,
  DocvActionView,
  DocvProgress,
  KbaActionView,
  OtpActionView,
  OtpChannel,
  OthActionView,
  OthStatus,
  SessionView,
} from '../contract/browser.js';
import { knownMethod, type ActionData, type StrategyAction } from '../contract/kount/index.js';
import type { RelayConfig } from './config.js';
import { maskEmail, maskPhoneNumber } from './mask.js';
import { openActionIndex, type Session } from './sessions.js';

export type ViewLimits = Pick<RelayConfig, 'maxResends' | 'resendIntervalSeconds'>;

const DEFAULT_CODE_LENGTH = 6;

export function buildView(session: Session, now: number, limits: ViewLimits): SessionView {
  const index = openActionIndex(session.actions);
  const action = session.actions[index];
  // A session without an open action always carries a decision (see `verification-outcome.ts`); REVIEW is the safe reading otherwise.
  if (session.decision !== null || !action) {
    return { state: 'decided', decision: session.decision ?? 'REVIEW', revision: session.revision };
  }
  return {
    state: 'challenge',
    step: { index: index + 1, total: session.actions.length },
    action: buildActionView(action, session, now, limits),
    revision: session.revision,
  };
}

function buildActionView(action: StrategyAction, session: Session, now: number, limits: ViewLimits): ActionView {
  switch (knownMethod(action.method)) {
    case 'OTP':
      return buildOtpView(action, session, now, limits);
    case 'KBA':
      // A quiz without questions cannot be answered; the flow says so rather than showing an empty form.
      return action.data?.questions?.length ? buildKbaView(action.data, now) : { method: 'UNSUPPORTED', name: 'KBA' };
    case 'OTH':
      return buildOthView(action, session, now, limits);
    case 'DOCV':
      return buildDocvView(action, session, limits);
    case undefined:
      return { method: 'UNSUPPORTED', name: methodName(action.method) };
  }
}

/**
 * Kount's text reaches the browser only when it looks like a method name; anything else (an
 * upstream echoing a token or an id, say) is replaced, so the view cannot leak it (SECURITY 9).
 */
function methodName(raw: string): string {
  const trimmed = raw.trim();
  return /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(trimmed) ? trimmed.toUpperCase() : 'UNKNOWN';
}

function remainingResendsOf(data: ActionData, session: Session, limits: ViewLimits): number {
  const ourResendsLeft = Math.max(0, limits.maxResends - session.resendCount);
  return data.remainingSendAttempts === undefined ? ourResendsLeft : Math.min(ourResendsLeft, data.remainingSendAttempts);
}

function buildOtpView(action: StrategyAction, session: Session, now: number, limits: ViewLimits): OtpActionView {
  const data = action.data ?? {};
  const channel = otpChannel(data.channelType, session);
  const remainingResends = remainingResendsOf(data, session, limits);
  return {
    method: 'OTP',
    channel,
    destination: maskedDestination(channel, session),
    codeLength: codeLength(data.codeLength),
    remainingAttempts: data.remainingVerificationAttempts ?? null,
    remainingResends,
    resendAvailableInSeconds: secondsUntil(session.lastSendAt + limits.resendIntervalSeconds * 1000, now),
    lockedForSeconds: session.lockedUntil === null ? 0 : secondsUntil(session.lockedUntil, now),
    codeExpiresInSeconds: codeExpiresInSeconds(data.expiresAt, now),
  };
}

/** Kount names the channel in `channelType` (`SMS_OTP`, `EMAIL_NONCE_OTH`, ...). */
export function otpChannel(channelType: string | undefined, session: Session): OtpChannel {
  switch (channelType?.toUpperCase()) {
    case 'EMAIL_OTP':
    case 'EMAIL_NONCE_OTH':
      return 'EMAIL';
    case 'SMS_OTP':
    case 'SMS_NONCE_OTH':
      return 'SMS';
    default:
      // Kount did not say; the contact we hold tells which one it can have used.
      return session.contact.phoneNumber === undefined && session.contact.email !== undefined ? 'EMAIL' : 'SMS';
  }
}

function maskedDestination(channel: OtpChannel, session: Session): string {
  const { phoneNumber, email } = session.contact;
  if (channel === 'EMAIL') return email ? maskEmail(email) : '';
  return phoneNumber ? maskPhoneNumber(phoneNumber) : '';
}

/** Kount's ids as the browser sees them; `kbaAnswersForKount` maps them back. */
export const kbaViewId = (id: number | string): string => String(id);

function buildKbaView(data: ActionData, now: number): KbaActionView {
  return {
    method: 'KBA',
    questions: (data.questions ?? []).map((question) => ({
      id: kbaViewId(question.questionId),
      text: question.questionText,
      // Only a type Kount marks as single choice gets radios; unknown types get checkboxes, which can express any answer.
      selection: (question.choiceType?.type ?? '').toUpperCase().includes('SINGLE') ? 'single' : 'multiple',
      choices: question.choices.map((choice) => ({ id: kbaViewId(choice.choiceId), text: choice.choiceText })),
    })),
    timeLimitSeconds: codeExpiresInSeconds(data.expiresAt, now),
    remainingAttempts: data.remainingVerificationAttempts ?? null,
  };
}

const OTH_STATUSES: ReadonlySet<string> = new Set<OthStatus>([
  'MESSAGE_SENT',
  'VERIFIED',
  'TERMINATED',
  'FAILED_AUTHORIZATION',
  'VERIFICATION_ATTEMPT_FAILED',
  'INVALID',
  'UNKNOWN',
]);

function buildOthView(action: StrategyAction, session: Session, now: number, limits: ViewLimits): OthActionView {
  const data = action.data ?? {};
  const channel = otpChannel(data.channelType, session);
  const status = data.verificationStatus?.toUpperCase() ?? 'UNKNOWN';
  return {
    method: 'OTH',
    channel,
    destination: maskedDestination(channel, session),
    status: OTH_STATUSES.has(status) ? (status as OthStatus) : 'UNKNOWN',
    remainingResends: remainingResendsOf(data, session, limits),
    resendAvailableInSeconds: secondsUntil(session.lastSendAt + limits.resendIntervalSeconds * 1000, now),
    expiresInSeconds: codeExpiresInSeconds(data.expiresAt, now),
    otherChannels: otherChannels(channel, session),
  };
}

/** The channels a one-time link can move to: the relay must hold that contact. */
export function otherChannels(current: OtpChannel, session: Session): OtpChannel[] {
  const held: OtpChannel[] = [];
  if (session.contact.phoneNumber?.trim()) held.push('SMS');
  if (session.contact.email?.trim()) held.push('EMAIL');
  return held.filter((channel) => channel !== current);
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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The capture link exactly as Kount sent it, if it is safe to put in a QR code: https, or http on
 * this machine (the sandbox). Never built from anything the request carried.
 */
export function safeCaptureUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  return allowed ? url.href : null;
}

function buildDocvView(action: StrategyAction, session: Session, limits: ViewLimits): DocvActionView {
  const data = action.data ?? {};
  const mode = data.deliveryMode?.trim().toUpperCase();
  const delivery = mode === 'SYNC' ? 'LINK' : mode === 'SMS' ? 'SMS' : data.captureUrl === undefined ? 'SMS' : 'LINK';
  const phoneNumber = session.contact.phoneNumber;
  return {
    method: 'DOCV',
    delivery,
    destination: delivery === 'SMS' && phoneNumber ? maskPhoneNumber(phoneNumber) : null,
    captureUrl: delivery === 'LINK' ? safeCaptureUrl(data.captureUrl) : null,
    progress: docvProgress(data),
    // The relay's resend cap counts retries too, so the button goes when either side says no.
    retryAllowed: kountAllowsDocvRetry(data) && remainingResendsOf(data, session, limits) > 0,
    remainingRetries: data.remainingRetries ?? null,
  };
}

/** `codeLength` is not in Kount's published data; used when present and plausible. */
function codeLength(raw: unknown): number {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 4 && raw <= 10 ? raw : DEFAULT_CODE_LENGTH;
}

function codeExpiresInSeconds(expiresAt: string | undefined, now: number): number | null {
  if (expiresAt === undefined) return null;
  const time = Date.parse(expiresAt);
  return Number.isNaN(time) ? null : secondsUntil(time, now);
}

export function secondsUntil(time: number, now: number): number {
  return Math.max(0, Math.ceil((time - now) / 1000));
}
