/** The browser's picture of a session: the open step, narrowed to what the element needs. */
import type { ActionView, OtpActionView, SessionView } from '../contract/browser.js';
import { knownMethod, type StrategyAction } from '../contract/kount/index.js';
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
  if (knownMethod(action.method) === 'OTP') return buildOtpView(action, session, now, limits);
  // KBA, OTH and DOCV views come with their elements; until then the flow says it cannot render them.
  return { method: 'UNSUPPORTED', name: methodName(action.method) };
}

/**
 * Kount's text reaches the browser only when it looks like a method name; anything else (an
 * upstream echoing a token or an id, say) is replaced, so the view cannot leak it (SECURITY 9).
 */
function methodName(raw: string): string {
  const trimmed = raw.trim();
  return /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(trimmed) ? trimmed.toUpperCase() : 'UNKNOWN';
}

function buildOtpView(action: StrategyAction, session: Session, now: number, limits: ViewLimits): OtpActionView {
  const data = action.data ?? {};
  const channel = otpChannel(data.channelType, session);
  const ourResendsLeft = Math.max(0, limits.maxResends - session.resendCount);
  const remainingResends = data.remainingSendAttempts === undefined ? ourResendsLeft : Math.min(ourResendsLeft, data.remainingSendAttempts);
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

function otpChannel(channelType: string | undefined, session: Session): OtpActionView['channel'] {
  switch (channelType?.toUpperCase()) {
    case 'EMAIL_OTP':
      return 'EMAIL';
    case 'SMS_OTP':
      return 'SMS';
    default:
      // Kount did not say; the contact we hold tells which one it can have used.
      return session.contact.phoneNumber === undefined && session.contact.email !== undefined ? 'EMAIL' : 'SMS';
  }
}

function maskedDestination(channel: OtpActionView['channel'], session: Session): string {
  const { phoneNumber, email } = session.contact;
  if (channel === 'EMAIL') return email ? maskEmail(email) : '';
  return phoneNumber ? maskPhoneNumber(phoneNumber) : '';
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
