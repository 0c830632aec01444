/**
 * The admin API's operations, once: the routes (`admin-api.ts`) and the OpenAPI document
 * (`openapi.ts`) are both built from this table, and each operation id is the name of its twin on
 * the Node `Relay`.
 */
import type * as z from 'zod/mini';
import {
  AdmissionAnswer,
  AdmitChallengeRequest,
  ConfirmAnswer,
  FailedAttemptV2Request,
  OutcomeAnswer,
  OutcomeRequest,
  ReleaseAdmissionRequest,
  StartAssessmentAnswer,
  StartAssessmentRequest,
  StartChallengeRequest,
  StartedChallenge,
  StartLoginAnswer,
  StartLoginRequest,
  StartMfaChallengeRequest,
  StartNewAccountOpeningAnswer,
  StartNewAccountOpeningRequest,
} from '../../contract/admin-api.js';

/** Error codes an operation may answer with, besides the ones every operation may (see `COMMON_ERRORS`). */
type ErrorCodes = readonly string[];

export interface AdminOperation {
  readonly operationId: string;
  /** The Node twin, when it is not `relay.<operationId>`. */
  readonly nodeTwin?: string;
  readonly method: 'post';
  /** Under `/admin/v1`. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly request: z.ZodMiniType;
  readonly success: { readonly status: 200 | 201 | 204; readonly schema?: z.ZodMiniType; readonly description: string };
  readonly errors: ErrorCodes;
}

/** Kount is asked: its failures reach the shop with these codes. */
const KOUNT_ERRORS = ['upstream_auth_failed', 'upstream_error', 'upstream_invalid_response', 'upstream_unavailable', 'upstream_timeout'] as const;
const SESSION_ERRORS = ['session_missing', 'session_invalid', 'session_expired', 'session_unknown'] as const;

/** Every operation may answer these. */
export const COMMON_ERRORS = ['unauthorized', 'origin_rejected', 'bad_json', 'invalid_body', 'payload_too_large', 'unsupported_media_type', 'store_unavailable', 'internal_error'] as const;

export const ADMIN_OPERATIONS: readonly AdminOperation[] = [
  {
    operationId: 'startAssessment',
    method: 'post',
    path: '/assessments',
    summary: 'Identity Proofing in one call: limits, Kount assessment, challenge',
    description:
      'Admits the challenge against the limits across sessions (429 `send_limited`: Kount is not asked), asks Kount for an Identity Proofing assessment with the relay’s credentials, and starts the verification session when Kount answers CHALLENGE. Pass `challenge.setCookie` on to the browser as a `Set-Cookie` header, then render `<verification-flow>`. When no challenge starts the admission is given back.',
    request: StartAssessmentRequest,
    success: { status: 200, schema: StartAssessmentAnswer, description: 'Kount’s decision, and the challenge when one started.' },
    errors: ['send_limited', ...KOUNT_ERRORS],
  },
  {
    operationId: 'startLogin',
    method: 'post',
    path: '/logins',
    summary: 'Account Protection Login v2 in one call: limits, Kount decision, MFA',
    description:
      'As `startAssessment`, for Login v2. A CHALLENGE with an MFA the page can finish (a passcode or a one-time link) starts it; the relay reports its outcome to Kount. A CHALLENGE without one answers `challenge: null`: run your own and report it with Challenge Outcome, using `decisionCorrelationId`.',
    request: StartLoginRequest,
    success: { status: 200, schema: StartLoginAnswer, description: 'Kount’s decision, and the MFA challenge when one started.' },
    errors: ['send_limited', ...KOUNT_ERRORS],
  },
  {
    operationId: 'startNewAccountOpening',
    method: 'post',
    path: '/new-account-openings',
    summary: 'Account Protection New Account Opening v2 in one call',
    description: 'As `startLogin`, for New Account Opening v2 (`verification` instead of `mfa`).',
    request: StartNewAccountOpeningRequest,
    success: { status: 200, schema: StartNewAccountOpeningAnswer, description: 'Kount’s decision, and the verification challenge when one started.' },
    errors: ['send_limited', ...KOUNT_ERRORS],
  },
  {
    operationId: 'admitChallenge',
    method: 'post',
    path: '/admissions',
    summary: 'Take the limits for a challenge about to start',
    description:
      'Counts one challenge for `clientIp`’s network (an IPv4 address, or its IPv6 /64) and one send for each contact, from that network and over all networks (phone numbers in E.164, e-mail addresses in lower case). Call it before asking Kount yourself for a decision that may send a code, and pass the returned token to `startChallenge`/`startMfaChallenge`, or to `releaseAdmission` when no challenge started.',
    request: AdmitChallengeRequest,
    success: { status: 201, schema: AdmissionAnswer, description: 'The admission, as an opaque token valid for an hour.' },
    errors: ['send_limited'],
  },
  {
    operationId: 'releaseAdmission',
    nodeTwin: 'admission.release()',
    method: 'post',
    path: '/admissions/release',
    summary: 'Give an admission back: no challenge started',
    description: 'Gives back every count the admission took. Once: releasing it again, or after a start kept it, does nothing.',
    request: ReleaseAdmissionRequest,
    success: { status: 204, description: 'Given back (or settled before).' },
    errors: [],
  },
  {
    operationId: 'startChallenge',
    method: 'post',
    path: '/challenges',
    summary: 'Start a challenge from an assessment the shop got from Kount',
    description: 'Stores the challenge of an Identity Proofing answer whose decision is CHALLENGE, and answers the handle, its `Set-Cookie` value and the first view.',
    request: StartChallengeRequest,
    success: { status: 201, schema: StartedChallenge, description: 'The verification session.' },
    errors: [],
  },
  {
    operationId: 'startMfaChallenge',
    method: 'post',
    path: '/mfa-challenges',
    summary: 'Start an MFA from a Login v2 or NAO v2 answer the shop got from Kount',
    description: 'Stores the MFA of a CHALLENGE, to be finished in the page; when it is decided the relay reports Challenge Outcome with `decisionCorrelationId`.',
    request: StartMfaChallengeRequest,
    success: { status: 201, schema: StartedChallenge, description: 'The verification session.' },
    errors: [],
  },
  {
    operationId: 'reportFailedAttempt',
    method: 'post',
    path: '/failed-attempts',
    summary: 'Report a failed sign-in (a wrong password) to Kount',
    description: 'Kount’s Failed Attempt v2, sent with the relay’s credentials.',
    request: FailedAttemptV2Request,
    success: { status: 204, description: 'Kount took it.' },
    errors: [...KOUNT_ERRORS],
  },
  {
    operationId: 'outcome',
    method: 'post',
    path: '/outcomes',
    summary: 'Read the outcome of the browser’s verification',
    description: 'The authoritative state of the session named by the browser’s `Cookie` header (or its handle), for this inquiry only. Does not consume it (a receipt page).',
    request: OutcomeRequest,
    success: { status: 200, schema: OutcomeAnswer, description: 'Pending or decided.' },
    errors: ['inquiry_mismatch', ...SESSION_ERRORS],
  },
  {
    operationId: 'confirm',
    method: 'post',
    path: '/confirmations',
    summary: 'Confirm the decision once, for this inquiry',
    description:
      'Returns the decision of the session named by the browser’s `Cookie` header (or its handle) for this inquiry, once, on any instance: another inquiry’s session is `inquiry_mismatch`, an undecided one `outcome_pending`, a second confirmation `outcome_consumed` (all 409). A retry with the `confirmationKey` of the confirmation that went through gets its answer again (an answer lost to a 503 during a store failover).',
    request: OutcomeRequest,
    success: { status: 200, schema: ConfirmAnswer, description: 'The decision, confirmed now.' },
    errors: ['inquiry_mismatch', 'outcome_pending', 'outcome_consumed', ...SESSION_ERRORS],
  },
];
