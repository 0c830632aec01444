/**
 * MFA after a Login v2 or New Account Opening v2 CHALLENGE, finished in the page. The relay keeps
 * such a challenge as an ordinary verification session whose one action is built here from Kount's
 * `mfa` / `verification` object, so the browser API, the views (`OtpActionView`, `OthActionView`),
 * the handle, the limits and the live updates are exactly those of an Identity Proofing step-up.
 * What differs is who answers: the passcode check and resend go to Account Protection's MFA calls
 * (by the MFA id), a link completes through `MFA.StatusUpdate`, and the result is reported to Kount
 * with Challenge Outcome against the decision's correlation id.
 */
import type { FinalDecision } from '../../contract/browser.js';
import type {
  ActionData,
  ChallengeOutcomeV2Request,
  ChallengeType,
  FailureType,
  LoginV2Response,
  MfaKind,
  MfaStatusResponse,
  MfaStatusUpdateEvent,
  NewAccountOpeningV2Response,
  StrategyAction,
} from '../../contract/kount/index.js';
import { VerificationStatus } from '../../contract/kount/index.js';
import { RelayError } from '../errors.js';
import type { Contact, MfaState } from '../sessions.js';
import { undecidedOutcome, type VerificationOutcome } from '../verification-outcome.js';
import type { DecisionAnswer } from './client.js';

/** The decision that started an MFA and the contact it went to: what `relay.startMfaChallenge` is given beyond the session's options. */
export interface MfaDecisionInput {
  /** What `relay.accountProtection.login(...)` or `.newAccountOpening(...)` answered: a CHALLENGE with `mfa` / `verification`. */
  decision: DecisionAnswer<LoginV2Response> | DecisionAnswer<NewAccountOpeningV2Response>;
  /**
   * The phone number or e-mail address the customer sent Kount in `person`; kept on the server and
   * shown only masked. Only the one on the MFA's channel is kept (the MFA cannot move channel).
   */
  contact: Contact;
  /**
   * How the MFA is finished, when Kount's `mfa.type` does not say (`EMAIL`, say): `OTP` for a
   * passcode typed into the page, `OTH` for a one-time link. Kount's own word wins when it has one.
   */
  method?: 'OTP' | 'OTH';
}

/** The MFA the decision started, checked before anything is stored. */
export function mfaFromDecision(input: MfaDecisionInput, now: number): { mfa: MfaState; contact: Contact } {
  const { decision } = input;
  if (decision.decision !== 'CHALLENGE') {
    throw new RelayError('invalid_body', 'startMfaChallenge needs a decision that is a CHALLENGE.', { field: 'decision.decision' });
  }
  const challenge = decision.challenge;
  if (challenge === undefined) {
    throw new RelayError('invalid_body', 'This CHALLENGE started no MFA (no mfa.ID or verification.ID): run your own challenge and report it with Challenge Outcome.', {
      field: 'decision.challenge',
    });
  }
  const kind: MfaKind | undefined = challenge.kind;
  const method = kind?.method ?? input.method;
  const channel = kind?.channel ?? channelOfContact(input.contact);
  if (method === undefined || channel === undefined) {
    throw new RelayError('invalid_body', 'The MFA type does not say whether it is a passcode or a link; pass method.', { field: 'method' });
  }
  const destination = channel === 'SMS' ? input.contact.phoneNumber?.trim() : input.contact.email?.trim();
  if (!destination) {
    throw new RelayError('invalid_body', `The MFA goes by ${channel === 'SMS' ? 'SMS' : 'e-mail'}; pass that contact so the page can show where.`, {
      field: channel === 'SMS' ? 'contact.phoneNumber' : 'contact.email',
    });
  }
  const isLogin = 'mfa' in decision.response && decision.response.mfa !== undefined;
  return {
    mfa: {
      id: challenge.id,
      method,
      channel,
      eventType: isLogin ? 'LOGIN' : 'NEW_ACCOUNT_OPENING',
      decisionCorrelationId: decision.decisionCorrelationId,
      inquiryId: decision.inquiryId,
      deviceSessionId: decision.deviceSessionId,
      sentAt: now,
    },
    contact: channel === 'SMS' ? { phoneNumber: destination } : { email: destination },
  };
}

function channelOfContact(contact: Contact): 'SMS' | 'EMAIL' | undefined {
  if (contact.phoneNumber?.trim() && !contact.email?.trim()) return 'SMS';
  if (contact.email?.trim() && !contact.phoneNumber?.trim()) return 'EMAIL';
  return undefined;
}

/** The session's one action: what `view.ts` reads to build the passcode or link view. */
export function mfaAction(mfa: MfaState): StrategyAction {
  return {
    method: mfa.method,
    status: 'challenge',
    data: {
      channelType: `${mfa.channel}_${mfa.method === 'OTH' ? 'NONCE_OTH' : 'OTP'}`,
      verificationStatus: 'MESSAGE_SENT',
    },
  };
}

/** Kount's MFA fields (an answer or a webhook) as action data; a status Kount adds later is left out. */
export function mfaStatusPatch(status: MfaStatusResponse | MfaStatusUpdateEvent | Record<string, never>): Partial<ActionData> {
  // Both shapes are loose objects whose counters the contract has already turned into numbers.
  const fields = status as Record<string, unknown>;
  const patch: Partial<ActionData> = {};
  const verificationStatus = typeof fields.mfaStatus === 'string' ? fields.mfaStatus.trim().toUpperCase() : undefined;
  if (VerificationStatus.safeParse(verificationStatus).success) patch.verificationStatus = verificationStatus;
  for (const name of ['sendAttempts', 'verificationAttempts', 'remainingSendAttempts', 'remainingVerificationAttempts'] as const) {
    const value = fields[name];
    if (typeof value === 'number') patch[name] = value;
  }
  if (typeof fields.expiresAt === 'string') patch.expiresAt = fields.expiresAt;
  return patch;
}

/** What an MFA status means for the session: a final decision, a wrong or expired passcode, or news. */
export function readMfaStatus(status: { mfaStatus?: string | undefined; error?: { code?: string | undefined } | undefined }): {
  decision: FinalDecision | null;
  outcome: VerificationOutcome;
} {
  const verificationStatus = status.mfaStatus?.trim().toUpperCase();
  if (verificationStatus === 'VERIFIED') return { decision: 'ALLOW', outcome: 'decided' };
  if (verificationStatus === 'TERMINATED' || verificationStatus === 'FAILED_AUTHORIZATION') return { decision: 'BLOCK', outcome: 'decided' };
  return { decision: null, outcome: undecidedOutcome(verificationStatus, status.error?.code) };
}

const CHALLENGE_TYPES: Readonly<Record<`${MfaState['channel']}_${MfaState['method']}`, ChallengeType>> = {
  SMS_OTP: 'TextPIN',
  EMAIL_OTP: 'EmailPIN',
  SMS_OTH: 'TextLink',
  EMAIL_OTH: 'EmailLink',
};

/** Why a finished MFA failed, in Challenge Outcome's words. */
export function failureTypeOf(errorCode: string | undefined): FailureType {
  switch (errorCode?.toUpperCase()) {
    case 'LINK_EXPIRED':
      return 'ExpiredLink';
    case 'OTP_EXPIRED':
      return 'TimedOut';
    case 'SESSION_EXPIRED':
      return 'ExpiredSession';
    default:
      // Attempts used up, a link refused by its owner, a status without a reason: the answer was not accepted.
      return 'IncorrectResponse';
  }
}

/** Kount's date-time format to the millisecond (`YYYY-MM-DDThh:mm:ss.fffZ`). */
const kountTime = (epochMs: number): string => new Date(epochMs).toISOString();

/** The Challenge Outcome for a decided MFA, against the decision that started it. */
export function challengeOutcomeOf(mfa: MfaState, decision: FinalDecision, now: number, errorCode: string | undefined): ChallengeOutcomeV2Request {
  const success = decision === 'ALLOW';
  return {
    inquiryId: mfa.inquiryId,
    eventType: mfa.eventType,
    ...(mfa.deviceSessionId === undefined || mfa.deviceSessionId === '' ? {} : { deviceSessionId: mfa.deviceSessionId }),
    decisionCorrelationId: mfa.decisionCorrelationId,
    challengeType: CHALLENGE_TYPES[`${mfa.channel}_${mfa.method}`],
    challengeStatus: success ? 'Success' : 'Failed',
    sentTimestamp: kountTime(mfa.sentAt),
    completedTimestamp: kountTime(now),
    ...(success ? {} : { failureType: failureTypeOf(errorCode) }),
  };
}
