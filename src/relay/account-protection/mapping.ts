/**
 * v1 <-> v2 mapping for Account Protection, exactly as Kount's v1 -> v2 tables (seed 003) say:
 * renamed fields move, new v2 fields come from `additions` (v1 has nowhere to hold them), and a v1
 * field v2 no longer takes is listed in `deprecated` (never dropped silently). Pure functions: no
 * I/O, no clock, no random ids; the caller supplies `inquiryId`.
 *
 * Where the tables and the other published documents disagree, the value goes where Kount reads it
 * and `notes` says so:
 * - the tables call the template attribute `strategy.mfaTemplate`; seed 002 and the rendered
 *   references name the field `strategy.mfaTemplateName` (Login) and `strategy.verificationTemplateName` (NAO);
 * - v1 answers said `decision` in seed 001's sample and `guidance` in the table; both are filled, in
 *   v1's casing (`Allow`).
 */
import {
  accountProtectionDecision,
  type ChallengeInfo,
  type ChallengeOutcomeV1Request,
  type ChallengeOutcomeV2Request,
  type FailedAttemptV1Request,
  type FailedAttemptV2Request,
  type LoginV1Request,
  type LoginV1Response,
  type LoginV2Request,
  type LoginV2Response,
  type NewAccountOpeningV1Request,
  type NewAccountOpeningV1Response,
  type NewAccountOpeningV2Request,
  type NewAccountOpeningV2Response,
  type Person,
  type PolicyManagement,
  type V1MfaTemplate,
  type V1Workflow,
} from '../../contract/kount/index.js';
import { defined } from '../objects.js';

export interface MappingResult<T> {
  readonly value: T;
  /** v1 fields present in the input that v2 no longer takes, as dotted v1 paths. */
  readonly deprecated: string[];
  /** Decisions a reader should know about: where a value went and why, v2 fields v1 cannot show. */
  readonly notes?: string[];
}

/** v2 fields with no v1 source (the tables' "new property" rows). `inquiryId` is required by v2. */
export interface V2Additions {
  inquiryId: string;
  channel?: string;
  person?: Person;
}

export interface LoginV2Additions extends V2Additions {
  account?: { IsActive?: boolean };
}

export interface FailedAttemptV2Additions extends V2Additions {
  userIp?: string;
}

export type NewAccountOpeningV2Additions = LoginV2Additions;

const TARGET_URL_NOTE =
  'mfaTargetUrl success/expired/failed URLs are set on the MFA template in the Kount portal in v2; they are not sent with each request.';

export function loginV1ToV2(request: LoginV1Request, additions: LoginV2Additions): MappingResult<LoginV2Request> {
  const deprecated: string[] = [];
  const notes: string[] = [];
  reportDeprecated(request, ['clientId', 'userAgent', 'context', 'preferredLanguageCode', 'userAuthenticationStatus'], '', deprecated);
  const templateName = readWorkflow(request.workflow, 'workflow', deprecated, notes);
  if (templateName !== undefined) notes.push('workflow.mfaTemplate -> strategy.mfaTemplateName (the table names the attribute strategy.mfaTemplate).');
  if (request.username === undefined) notes.push('account.username is required by Login v2; the v1 request has no username.');

  const value: LoginV2Request = {
    inquiryId: additions.inquiryId,
    ...defined({ channel: additions.channel }),
    deviceSessionId: request.sessionId,
    ...defined({ loginUrl: request.loginUrl, userIp: request.userIp }),
    account: {
      id: request.userId,
      ...defined({
        username: request.username,
        userPassword: request.userPassword,
        IsActive: additions.account?.IsActive,
        creationDateTime: request.userCreationDate,
        type: request.userType,
      }),
    } as LoginV2Request['account'],
    ...defined({
      person: person(additions.person, { emailAddress: request.mfaEmail, phoneNumber: request.mfaPhone }),
      strategy: templateName === undefined ? undefined : { mfaTemplateName: templateName },
      customFields: request.customFields,
    }),
  };
  return result(value, deprecated, notes);
}

export function loginV2ResponseToV1(response: LoginV2Response): MappingResult<LoginV1Response> {
  const notes: string[] = [];
  const value: LoginV1Response = {
    ...decisionFieldsToV1(response, notes),
    ...defined({ sessionId: response.deviceSessionId, trustState: response.trustState, matchedToDevice: response.matchedToDevice }),
    ...mfaToV1(response.mfa),
  };
  reportUnknownKeys(response, LOGIN_V2_RESPONSE_KEYS, notes);
  return result(value, [], notes);
}

export function newAccountOpeningV1ToV2(
  request: NewAccountOpeningV1Request,
  additions: NewAccountOpeningV2Additions,
): MappingResult<NewAccountOpeningV2Request> {
  const deprecated: string[] = [];
  const notes: string[] = [];
  reportDeprecated(request, ['clientId'], '', deprecated);
  const workflowTemplate = readWorkflow(request.workflow, 'workflow', deprecated, notes);
  const strategyTemplate = templateNameOf(request.strategy?.mfaTemplate, 'strategy.mfaTemplate', deprecated, notes);
  const templateName = strategyTemplate ?? workflowTemplate;
  if (templateName !== undefined) {
    notes.push('strategy.mfaTemplate -> strategy.verificationTemplateName (the name New Account Opening v2 reads, seed 002).');
  }
  const account = defined({ ...request.account, IsActive: request.account?.IsActive ?? additions.account?.IsActive, type: request.userType });
  const value: NewAccountOpeningV2Request = {
    inquiryId: additions.inquiryId,
    ...defined({ channel: additions.channel }),
    deviceSessionId: request.deviceSessionId,
    ...defined({
      naoUrl: request.naoUrl,
      userIp: request.userIp,
      account: Object.keys(account).length === 0 ? undefined : account,
      person: person(additions.person, {}),
      strategy: templateName === undefined ? undefined : { verificationTemplateName: templateName },
      customFields: request.customFields,
    }),
  };
  return result(value, deprecated, notes);
}

export function newAccountOpeningV2ResponseToV1(response: NewAccountOpeningV2Response): MappingResult<NewAccountOpeningV1Response> {
  const notes: string[] = [];
  const value: NewAccountOpeningV1Response = {
    ...decisionFieldsToV1(response, notes),
    ...defined({ deviceSessionId: response.deviceSessionId }),
    ...verificationToV1(response.verification),
  };
  reportUnknownKeys(response, NAO_V2_RESPONSE_KEYS, notes);
  return result(value, [], notes);
}

export function challengeOutcomeV1ToV2(
  request: ChallengeOutcomeV1Request,
  additions: Pick<V2Additions, 'inquiryId'>,
): MappingResult<ChallengeOutcomeV2Request> {
  const outcome = request.challengeOutcome;
  const deprecated: string[] = [];
  const notes: string[] = [];
  reportDeprecated(outcome, ['clientId', 'userId', 'loginUrl', 'userType'], 'challengeOutcome.', deprecated);
  if (deprecated.some((path) => path !== 'challengeOutcome.clientId')) {
    notes.push('Kount v2 retrieves userId, loginUrl and userType from decisionCorrelationId.');
  }
  const value: ChallengeOutcomeV2Request = {
    inquiryId: additions.inquiryId,
    ...defined({ eventType: outcome.eventType, deviceSessionId: outcome.sessionId }),
    decisionCorrelationId: outcome.loginDecisionCorrelationId,
    challengeType: outcome.challengeType,
    challengeStatus: outcome.challengeStatus,
    ...defined({ sentTimestamp: outcome.sentTimestamp, completedTimestamp: outcome.completedTimestamp, failureType: outcome.failureType }),
  };
  return result(value, deprecated, notes);
}

export function failedAttemptV1ToV2(request: FailedAttemptV1Request, additions: FailedAttemptV2Additions): MappingResult<FailedAttemptV2Request> {
  const attempt = request.failedAttempt;
  const deprecated: string[] = [];
  reportDeprecated(attempt, ['clientId', 'userAgent'], 'failedAttempt.', deprecated);
  const value: FailedAttemptV2Request = {
    inquiryId: additions.inquiryId,
    ...defined({
      channel: additions.channel,
      deviceSessionId: attempt.sessionId,
      userIp: attempt.userIp ?? additions.userIp,
      loginUrl: attempt.loginUrl,
    }),
    account: { id: attempt.userId, ...defined({ username: attempt.username, password: attempt.userPassword, type: attempt.userType }) },
    ...defined({ person: person(additions.person, {}) }),
  };
  return result(value, deprecated, []);
}

const SHARED_RESPONSE_KEYS = ['decision', 'deviceSessionId', 'deviceId', 'trustState', 'friendlyName', 'matchedToDevice', 'policyManagement', 'tags'];
const LOGIN_V2_RESPONSE_KEYS = new Set([...SHARED_RESPONSE_KEYS, 'mfa']);
const NAO_V2_RESPONSE_KEYS = new Set([...SHARED_RESPONSE_KEYS, 'verification']);
const KNOWN_CHALLENGE_KEYS = new Set(['ID', 'type', 'Error', 'error']);

/** The fields Login and NAO answers share, moved back under their v1 names. */
function decisionFieldsToV1(response: LoginV2Response | NewAccountOpeningV2Response, notes: string[]) {
  const policy: PolicyManagement = response.policyManagement ?? {};
  const segmentName = policy.segmentExecuted?.name;
  if (policy.segmentExecuted?.ID !== undefined) notes.push(noV1Field('policyManagement.segmentExecuted.ID'));
  const triggered = policy.policiesTriggered === undefined ? [] : [policy.policiesTriggered].flat();
  if (triggered.some((policyTriggered) => policyTriggered.ID !== undefined)) notes.push(noV1Field('policyManagement.policiesTriggered.ID'));
  if (triggered.some((policyTriggered) => policyTriggered.Name !== undefined)) notes.push(noV1Field('policyManagement.policiesTriggered.Name'));
  const v1Decision = v1DecisionCasing(response.decision);
  const set = policy.set === undefined ? undefined : defined({ name: policy.set.name, versionName: policy.set.versionName });
  return {
    guidance: v1Decision,
    decision: v1Decision,
    ...defined({
      deviceId: response.deviceId,
      friendlyName: response.friendlyName,
      set,
      userProfile: segmentName,
      userSegment: segmentName,
      tags: response.tags,
      tagWeights: policy.tagWeights,
    }),
  };
}

/** `mfa.ID/type/Error` -> `mfaId/mfaType/mfaError` (Login). */
function mfaToV1(mfa: ChallengeInfo | undefined) {
  return defined({ mfaId: mfa?.ID, mfaType: mfa?.type, mfaError: mfa?.Error ?? mfa?.error });
}

/** `verification.ID/type/Error` -> `verificationId/verificationType/verificationError` (NAO). */
function verificationToV1(verification: ChallengeInfo | undefined) {
  return defined({ verificationId: verification?.ID, verificationType: verification?.type, verificationError: verification?.Error ?? verification?.error });
}

/** `ALLOW` -> `Allow`, the casing of v1's sample answer; an unknown value is passed on as is. */
function v1DecisionCasing(decision: string): string {
  const folded = accountProtectionDecision(decision);
  return folded === undefined ? decision : folded.charAt(0) + folded.slice(1).toLowerCase();
}

function reportUnknownKeys(response: object, known: ReadonlySet<string>, notes: string[]): void {
  for (const key of Object.keys(response)) {
    if (!known.has(key)) notes.push(`${key} is not in the v1 -> v2 tables and is left out of the v1 answer.`);
  }
  for (const container of ['mfa', 'verification'] as const) {
    const challenge = (response as Record<string, unknown>)[container];
    if (challenge === null || typeof challenge !== 'object') continue;
    for (const key of Object.keys(challenge)) {
      if (!KNOWN_CHALLENGE_KEYS.has(key)) notes.push(`${container}.${key} is not in the v1 -> v2 tables and is left out of the v1 answer.`);
    }
  }
}

/** `workflow.mfaTemplate` gives the template name; everything else in `workflow` has no v2 place. */
function readWorkflow(workflow: V1Workflow | undefined, prefix: string, deprecated: string[], notes: string[]): string | undefined {
  if (workflow === undefined) return undefined;
  for (const key of Object.keys(workflow)) {
    if (key !== 'mfaTemplate' && (workflow as Record<string, unknown>)[key] !== undefined) deprecated.push(`${prefix}.${key}`);
  }
  return templateNameOf(workflow.mfaTemplate, `${prefix}.mfaTemplate`, deprecated, notes);
}

function templateNameOf(template: V1MfaTemplate | undefined, path: string, deprecated: string[], notes: string[]): string | undefined {
  if (template === undefined || typeof template === 'string') return template;
  const { name, mfaTemplateName, mfaTargetUrl, ...rest } = template;
  if (mfaTargetUrl !== undefined) {
    const before = deprecated.length;
    reportDeprecated(mfaTargetUrl, Object.keys(mfaTargetUrl), `${path}.mfaTargetUrl.`, deprecated);
    if (deprecated.length > before) notes.push(TARGET_URL_NOTE);
  }
  reportDeprecated(rest, Object.keys(rest), `${path}.`, deprecated);
  return name ?? mfaTemplateName;
}

function reportDeprecated(source: object, keys: readonly string[], prefix: string, deprecated: string[]): void {
  for (const key of keys) {
    if ((source as Record<string, unknown>)[key] !== undefined) deprecated.push(prefix + key);
  }
}

/** The additions' `person` with v1 contact fields laid over it; `undefined` when empty. */
function person(base: Person | undefined, fromV1: { emailAddress?: string | undefined; phoneNumber?: string | undefined }): Person | undefined {
  const merged = defined({ ...base, ...defined(fromV1) });
  return Object.keys(merged).length === 0 ? undefined : merged;
}

function noV1Field(path: string): string {
  return `${path} is new in v2 and has no v1 field; it is left out of the v1 answer.`;
}

function result<T>(value: T, deprecated: string[], notes: string[]): MappingResult<T> {
  return notes.length === 0 ? { value, deprecated } : { value, deprecated, notes };
}

