/**
 * Account Protection events: Challenge Outcome (the customer ran its own challenge after a
 * CHALLENGE decision) and Failed Attempt (e.g. a wrong password). v1 is the combined events call
 * `{ challengeOutcome: {...}, failedAttempt: {...} }`; v2 has one flat call each
 * (`/events/challenge-outcome`, `/events/failed-attempt`). Both answer `{}`.
 */
import * as z from 'zod/mini';
import { CustomFields, DeviceSessionId, InquiryId, Person, withAliases } from './common.js';
import { KountDateTime } from './login.js';

export const ChallengeType = z.enum([
  'Captcha',
  'Captcha2',
  'Puzzle',
  'SecretQuestion',
  'EmailLink',
  'EmailPIN',
  'TextPIN',
  'TextLink',
  'MFAAppGoogle',
  'MFAAppDuo',
  'MFAAppiOS',
  'MFAAppAuthy',
  'MFAAppMicrosoft',
  'MFAAppLastPass',
  'MFAAppOther',
]);
export type ChallengeType = z.infer<typeof ChallengeType>;

export const ChallengeStatus = z.enum(['Success', 'Failed']);
export type ChallengeStatus = z.infer<typeof ChallengeStatus>;

export const FailureType = z.enum(['TimedOut', 'IncorrectResponse', 'ExpiredSession', 'ExpiredLink', 'InvalidLink', 'InvalidData', 'MissingData']);
export type FailureType = z.infer<typeof FailureType>;

export const DecisionEventType = z.enum([
  'UNKNOWN_TYPE',
  'LOGIN',
  'NEW_ACCOUNT_OPENING',
  'PAYMENTS',
  'CONDITIONAL',
  'IDENTITY_PROOFING',
  'APP_RISK',
  'CASE_QUEUE_MANAGEMENT',
]);
export type DecisionEventType = z.infer<typeof DecisionEventType>;

const ClientId = z.string().check(z.regex(/^[a-zA-Z0-9]{1,64}$/, 'expected 1 to 64 letters or digits'));

export const ChallengeOutcomeV1 = z.strictObject({
  clientId: z.optional(ClientId),
  eventType: z.optional(DecisionEventType),
  sessionId: z.optional(DeviceSessionId),
  loginDecisionCorrelationId: z.string().check(z.minLength(1)),
  challengeType: ChallengeType,
  challengeStatus: ChallengeStatus,
  userId: z.optional(z.string()),
  sentTimestamp: z.optional(KountDateTime),
  completedTimestamp: z.optional(KountDateTime),
  failureType: z.optional(FailureType),
  loginUrl: z.optional(z.string()),
  userType: z.optional(z.string()),
});
export type ChallengeOutcomeV1 = z.infer<typeof ChallengeOutcomeV1>;

export const ChallengeOutcomeV1Request = z.strictObject({ challengeOutcome: ChallengeOutcomeV1 });
export type ChallengeOutcomeV1Request = z.infer<typeof ChallengeOutcomeV1Request>;

export const ChallengeOutcomeV2Request = z.looseObject({
  inquiryId: InquiryId,
  eventType: z.optional(DecisionEventType),
  deviceSessionId: z.optional(DeviceSessionId),
  /** The `x-correlation-id` of the Login or NAO answer this outcome belongs to. */
  decisionCorrelationId: z.string().check(z.minLength(1)),
  challengeType: ChallengeType,
  challengeStatus: ChallengeStatus,
  sentTimestamp: z.optional(KountDateTime),
  completedTimestamp: z.optional(KountDateTime),
  failureType: z.optional(FailureType),
});
export type ChallengeOutcomeV2Request = z.infer<typeof ChallengeOutcomeV2Request>;

export const FailedAttemptV1 = z.strictObject({
  clientId: z.optional(ClientId),
  sessionId: z.optional(DeviceSessionId),
  userId: z.string().check(z.minLength(1), z.maxLength(255)),
  username: z.optional(z.string().check(z.maxLength(128))),
  userPassword: z.optional(z.string().check(z.maxLength(128))),
  /** Listed by the events reference; the v2 table calls `userIp` new, so it is carried over as is. */
  userIp: z.optional(z.ipv4()),
  loginUrl: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  userType: z.optional(z.string()),
});
export type FailedAttemptV1 = z.infer<typeof FailedAttemptV1>;

export const FailedAttemptV1Request = z.strictObject({ failedAttempt: FailedAttemptV1 });
export type FailedAttemptV1Request = z.infer<typeof FailedAttemptV1Request>;

/** The old combined events call carries either part or both. */
export const EventsV1Request = z.strictObject({
  challengeOutcome: z.optional(ChallengeOutcomeV1),
  failedAttempt: z.optional(FailedAttemptV1),
});
export type EventsV1Request = z.infer<typeof EventsV1Request>;

/** The failed password is sent as `account.password` here (not `userPassword` as in Login v2): seed 003 says so. Login's name is read too. */
export const FailedAttemptV2Account = withAliases(
  z.looseObject({
    id: z.string().check(z.minLength(1), z.maxLength(255)),
    username: z.optional(z.string().check(z.maxLength(128))),
    password: z.optional(z.string().check(z.maxLength(128))),
    userPassword: z.optional(z.string().check(z.maxLength(128))),
    type: z.optional(z.string()),
  }),
  { userPassword: 'password' },
);

export const FailedAttemptV2Request = z.looseObject({
  inquiryId: InquiryId,
  channel: z.optional(z.string().check(z.minLength(1))),
  deviceSessionId: z.optional(DeviceSessionId),
  userIp: z.optional(z.ipv4()),
  loginUrl: z.optional(z.string()),
  account: FailedAttemptV2Account,
  person: z.optional(Person),
  customFields: z.optional(CustomFields),
});
export type FailedAttemptV2Request = z.infer<typeof FailedAttemptV2Request>;

/** Both events answer `{}`; anything else Kount adds is kept. */
export const EventResponse = z.looseObject({});
export type EventResponse = z.infer<typeof EventResponse>;
