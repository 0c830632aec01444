/**
 * One-time passcode: what happens to a code the shopper types, and to a resend. A code is counted
 * as an attempt before Kount is asked (SECURITY 14): a wrong one stays counted and the fifth locks
 * answers for a while; a right or expired one, or a call that failed, gives the attempt back.
 */
import type { OtpActionView } from '../../contract/browser.js';
import type { StrategyAction } from '../../contract/kount/index.js';
import { maskedDestination, otpChannel } from '../channels.js';
import { RelayError } from '../errors.js';
import { newReservationId, type Limits } from '../limits.js';
import type { Session } from '../sessions.js';
import { secondsUntilIso } from '../time.js';
import type { VerificationOutcome } from '../verification-outcome.js';
import { expectAnswer, type ChallengeMethod, type MethodDependencies, type Operation, type Settlement } from './challenge-method.js';
import { sendOperation } from './send.js';

const DEFAULT_CODE_LENGTH = 6;

export function otpMethod(dependencies: MethodDependencies): ChallengeMethod {
  const { stepUp, limits } = dependencies;
  return {
    name: 'OTP',
    view: (action, session, now) => buildOtpView(action, session, now, limits),
    firstSend: (action, session) => otpChannel(action.data?.channelType, session),
    answer: (action, answer, session) => {
      const { otp } = expectAnswer(answer, 'OTP');
      return passcodeAttempt(
        limits,
        limits.answerDigest(session.id, otp),
        (reserved) => stepUp.verify(reserved, action, { otp }),
        (session, response) => stepUp.apply(session, response, action.method),
      );
    },
    resend: (action, request, session) => {
      const channel = otpChannel(action.data?.channelType, session);
      if (request.channel !== undefined && request.channel !== channel) throw new RelayError('channel_unavailable', 'This step cannot move to another channel.');
      return sendOperation(dependencies, action, { kind: 'resend', sends: channel });
    },
  };
}

/** What a passcode check tells about the session, read from whichever call checked it. */
export interface PasscodeResult {
  session: Session;
  outcome: VerificationOutcome;
  errorCode?: string | undefined;
}

/**
 * A passcode sent once to whichever Kount call checks it (Identity Proofing verify, or Account
 * Protection's MFA); `digest` (`Limits.answerDigest`) lets identical passcodes in flight share it.
 */
export function passcodeAttempt<Reply>(
  limits: Limits,
  digest: string,
  check: (reserved: Session) => Promise<Reply>,
  read: (session: Session, reply: Reply) => PasscodeResult,
): Operation<Reply> {
  const id = newReservationId();
  return {
    kind: 'answer',
    sends: null,
    shared: { id, digest },
    reserve: (session, now) => limits.reserveAttempt(session, id, now, digest),
    call: check,
    settle: (session, reply, now): Settlement => {
      const result = read(session, reply);
      const next = limits.settleAttempt(result.session, id, result.outcome === 'wrong_code', now);
      const refusal =
        result.outcome === 'wrong_code'
          ? new RelayError('wrong_code', 'That code is not right. Check it and try again.')
          : result.outcome === 'code_expired'
            ? new RelayError('code_expired', 'That code has expired. Ask for a new one.')
            : undefined;
      return { session: next, outcome: result.outcome, log: { failedOtpAttempts: next.failedOtpAttempts }, errorCode: result.errorCode, ...(refusal ? { refusal } : {}) };
    },
    release: (session) => limits.release(session, id),
  };
}

export function buildOtpView(action: StrategyAction, session: Session, now: number, limits: Limits): OtpActionView {
  const data = action.data ?? {};
  const channel = otpChannel(data.channelType, session);
  return {
    method: 'OTP',
    channel,
    destination: maskedDestination(channel, session),
    codeLength: codeLength(data.codeLength),
    remainingAttempts: limits.remainingAttempts(data.remainingVerificationAttempts, session, now),
    remainingResends: limits.remainingResends(data, session),
    resendAvailableInSeconds: limits.resendAvailableInSeconds(session, now),
    lockedForSeconds: limits.lockedForSeconds(session, now),
    codeExpiresInSeconds: secondsUntilIso(data.expiresAt, now),
  };
}

/** `codeLength` is not in Kount's published data; used when present and plausible. */
function codeLength(raw: unknown): number {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 4 && raw <= 10 ? raw : DEFAULT_CODE_LENGTH;
}
