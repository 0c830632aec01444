/**
 * Kount 360 Account Protection calls (v2) on top of `KountClient`: same token cache, headers,
 * time limit and errors. None is retried, since each one changes state at Kount (a decision is
 * recorded, an event counted, a message sent); a 401 gets one fresh token, as everywhere.
 */
import {
  accountProtectionDecision,
  type AccountProtectionDecision,
  type ChallengeInfo,
  ChallengeOutcomeV2Request,
  EventResponse,
  FailedAttemptV2Request,
  LoginV2Request,
  LoginV2Response,
  MfaResendRequest,
  MfaStatusResponse,
  MfaVerifyRequest,
  mfaKind,
  type MfaKind,
  NewAccountOpeningV2Request,
  NewAccountOpeningV2Response,
} from '../../contract/kount/index.js';
import type { KountClient } from '../kount-client.js';
import { parseOrThrow } from '../validate.js';

export interface AccountProtectionPaths {
  login: string;
  newAccountOpening: string;
  challengeOutcome: string;
  failedAttempt: string;
  /** Not published: Kount documents a POST `.../resend` with `sessionId` = `mfa.ID` / `verification.ID`, not its full path. */
  resend: string;
  /** Not published at all (see `MfaVerifyRequest`): the sandbox's assumption, to be confirmed with Kount. */
  verifyPasscode: string;
}

/** `kount-api.md` section 1. Challenge Outcome also appears as `/events/challengeOutcome` in one sample. */
export const DEFAULT_ACCOUNT_PROTECTION_PATHS: Readonly<AccountProtectionPaths> = Object.freeze({
  login: '/login/v2',
  newAccountOpening: '/newaccountopening/v2',
  challengeOutcome: '/events/challenge-outcome',
  failedAttempt: '/events/failed-attempt',
  resend: '/login/v2/resend',
  verifyPasscode: '/login/v2/verify',
});

export interface AccountProtectionClientOptions {
  paths?: Partial<AccountProtectionPaths>;
}

/** The MFA (Login) or verification (NAO) Kount started, when it started one. */
export interface StartedChallenge {
  /** `mfa.ID` / `verification.ID`: for resend, the passcode check and `MFA.StatusUpdate.mfaId`. */
  readonly id: string;
  readonly type: string | undefined;
  /** What the page has to render; `undefined` for a type the elements do not know. */
  readonly kind: MfaKind | undefined;
}

export interface DecisionAnswer<Response> {
  readonly response: Response;
  /** `ALLOW`/`BLOCK`/`CHALLENGE` whatever Kount's casing; `undefined` for a new value: treat it as not allowed. */
  readonly decision: AccountProtectionDecision | undefined;
  /**
   * The answer's `x-correlation-id` header, to send later as `decisionCorrelationId`. When Kount's
   * answer has none, the id the relay sent with the request (Kount's examples echo it).
   */
  readonly decisionCorrelationId: string;
  readonly inquiryId: string;
  readonly deviceSessionId: string;
  readonly challenge: StartedChallenge | undefined;
}

/** What a Challenge Outcome needs besides what the decision already knows. */
export type ChallengeOutcomeReport = Pick<
  ChallengeOutcomeV2Request,
  'challengeType' | 'challengeStatus' | 'sentTimestamp' | 'completedTimestamp' | 'failureType' | 'eventType' | 'deviceSessionId'
>;

export class AccountProtectionClient {
  readonly #kount: KountClient;
  readonly #paths: AccountProtectionPaths;

  constructor(kount: KountClient, options: AccountProtectionClientOptions = {}) {
    this.#kount = kount;
    this.#paths = { ...DEFAULT_ACCOUNT_PROTECTION_PATHS, ...options.paths };
  }

  async login(request: LoginV2Request): Promise<DecisionAnswer<LoginV2Response>> {
    const body = parseOrThrow(LoginV2Request, request, 'login request');
    const answer = await this.#kount.callJson('login', this.#paths.login, body, LoginV2Response);
    return decisionAnswer(answer, body, answer.body.mfa);
  }

  async newAccountOpening(request: NewAccountOpeningV2Request): Promise<DecisionAnswer<NewAccountOpeningV2Response>> {
    const body = parseOrThrow(NewAccountOpeningV2Request, request, 'new account opening request');
    const answer = await this.#kount.callJson('newAccountOpening', this.#paths.newAccountOpening, body, NewAccountOpeningV2Response);
    return decisionAnswer(answer, body, answer.body.verification);
  }

  async challengeOutcome(request: ChallengeOutcomeV2Request): Promise<EventResponse> {
    const body = parseOrThrow(ChallengeOutcomeV2Request, request, 'challenge outcome');
    return (await this.#kount.callJson('challengeOutcome', this.#paths.challengeOutcome, body, EventResponse)).body;
  }

  /** The customer ran its own challenge after `decision`: reports it against that decision's correlation id. */
  async challengeOutcomeFor(decision: DecisionAnswer<unknown>, report: ChallengeOutcomeReport): Promise<EventResponse> {
    return this.challengeOutcome({
      deviceSessionId: decision.deviceSessionId,
      ...report,
      inquiryId: decision.inquiryId,
      decisionCorrelationId: decision.decisionCorrelationId,
    });
  }

  async failedAttempt(request: FailedAttemptV2Request): Promise<EventResponse> {
    const body = parseOrThrow(FailedAttemptV2Request, request, 'failed attempt');
    return (await this.#kount.callJson('failedAttempt', this.#paths.failedAttempt, body, EventResponse)).body;
  }

  /** Sends the passcode or link again; `mfaOrVerificationId` is `mfa.ID` (Login) or `verification.ID` (NAO). */
  async resend(mfaOrVerificationId: string): Promise<MfaStatusResponse> {
    const body = parseOrThrow(MfaResendRequest, { sessionId: mfaOrVerificationId }, 'resend request');
    return (await this.#kount.callJson('resend', this.#paths.resend, body, MfaStatusResponse)).body;
  }

  /** Checks a passcode typed into the page. The call is an assumption (see `MfaVerifyRequest`). */
  async verifyPasscode(mfaOrVerificationId: string, otp: string): Promise<MfaStatusResponse> {
    const body = parseOrThrow(MfaVerifyRequest, { sessionId: mfaOrVerificationId, otp }, 'passcode check');
    return (await this.#kount.callJson('verifyPasscode', this.#paths.verifyPasscode, body, MfaStatusResponse)).body;
  }

  toJSON(): Record<string, unknown> {
    return { paths: { ...this.#paths } };
  }
}

/**
 * A Login v2 or NAO v2 answer the shop got from Kount itself, read as the relay reads its own:
 * for `startMfaChallenge` from a backend that calls Kount directly (the admin API).
 */
export function decisionFromKountAnswer<Response extends { decision: string; mfa?: ChallengeInfo; verification?: ChallengeInfo }>(
  response: Response,
  request: { inquiryId: string; deviceSessionId: string; decisionCorrelationId: string },
): DecisionAnswer<Response> {
  return decisionAnswer({ body: response, headers: new Headers({ 'x-correlation-id': request.decisionCorrelationId }), requestCorrelationId: request.decisionCorrelationId }, request, response.mfa ?? response.verification);
}

function decisionAnswer<Response extends { decision: string }>(
  answer: { body: Response; headers: Headers; requestCorrelationId: string },
  request: { inquiryId: string; deviceSessionId: string },
  challenge: ChallengeInfo | undefined,
): DecisionAnswer<Response> {
  return {
    response: answer.body,
    decision: accountProtectionDecision(answer.body.decision),
    decisionCorrelationId: answer.headers.get('x-correlation-id')?.trim() || answer.requestCorrelationId,
    inquiryId: request.inquiryId,
    deviceSessionId: request.deviceSessionId,
    challenge: challenge?.ID === undefined ? undefined : { id: challenge.ID, type: challenge.type, kind: mfaKind(challenge.type) },
  };
}
