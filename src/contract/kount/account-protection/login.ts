/**
 * Account Protection Login. v1 is `POST /login` (seed 001: every field with its pattern and enum,
 * plus `preferredLanguageCode`, `workflow` and `customFields` from the rendered reference); v2 is
 * `POST /login/v2` with the fields of seed 003's tables.
 */
import * as z from 'zod/mini';
import {
  ChallengeError,
  ChallengeInfo,
  CustomFields,
  DecisionResponseFields,
  DeviceSessionId,
  InquiryId,
  Person,
  withAliases,
} from './common.js';

export const LoginContext = z.enum(['LOGIN', 'PRE_AUTH', 'GIFT_CARD', 'LOYALTY', 'COUPON', 'FORM_FILL', 'MARKETING', 'PRE_LOGIN']);
export type LoginContext = z.infer<typeof LoginContext>;

/** `YYYY-MM-DD'T'hh:mm:ss.fff'Z'`; the reference's own sample leaves out the fraction, so it is optional. */
export const KountDateTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'expected YYYY-MM-DDThh:mm:ss[.fff]Z'));

const maxChars = (limit: number) => z.string().check(z.regex(new RegExp(`^.{0,${limit}}$`, 'su'), `expected at most ${limit} characters`));

export const MfaTargetUrl = z.looseObject({
  success: z.optional(z.string()),
  expired: z.optional(z.string()),
  failed: z.optional(z.string()),
});

/**
 * `workflow.mfaTemplate`: the tables address `workflow.mfaTemplate.mfaTargetUrl.*`, so it can be an
 * object; support articles pass the template name as a plain string. Both are accepted.
 */
export const V1MfaTemplate = z.union([
  z.string().check(z.minLength(1)),
  z.looseObject({ name: z.optional(z.string()), mfaTemplateName: z.optional(z.string()), mfaTargetUrl: z.optional(MfaTargetUrl) }),
]);
export type V1MfaTemplate = z.infer<typeof V1MfaTemplate>;

/** `v1Workflow`: only `mfaTemplate` and `mfaType` (e.g. `EMAIL`) are named anywhere. */
export const V1Workflow = z.looseObject({
  mfaTemplate: z.optional(V1MfaTemplate),
  mfaType: z.optional(z.string()),
});
export type V1Workflow = z.infer<typeof V1Workflow>;

/**
 * Strict: an unknown top-level field is refused by name instead of being dropped on the way to v2.
 */
export const LoginV1Request = z.strictObject({
  clientId: z.string().check(z.regex(/^[a-zA-Z0-9]{1,64}$/, 'expected 1 to 64 letters or digits')),
  sessionId: DeviceSessionId,
  // The reference prints `.{1,255}$` (not anchored at the start); read as "1 to 255 characters".
  userId: z.string().check(z.regex(/^.{1,255}$/su, 'expected 1 to 255 characters')),
  username: z.optional(maxChars(128)),
  userPassword: z.optional(maxChars(128)),
  userIp: z.optional(z.ipv4()),
  loginUrl: z.optional(maxChars(256)),
  userAuthenticationStatus: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9]{1,64}$/, 'expected 1 to 64 letters or digits'))),
  userCreationDate: z.optional(KountDateTime),
  userType: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9]{1,128}$/, 'expected 1 to 128 letters or digits'))),
  mfaPhone: z.optional(z.string()),
  mfaEmail: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  context: z.optional(LoginContext),
  preferredLanguageCode: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-zA-Z]{2})?$/, 'expected a language code such as en or en-US'))),
  workflow: z.optional(V1Workflow),
  customFields: z.optional(CustomFields),
});
export type LoginV1Request = z.infer<typeof LoginV1Request>;

/**
 * v1 answer: the sample in seed 001 plus the v1 column of seed 003's response table. The sample says
 * `decision` and `freindlyName` (sic); the table says `guidance` and `friendlyName`. All four are read.
 */
export const LoginV1Response = z.looseObject({
  decision: z.optional(z.string()),
  guidance: z.optional(z.string()),
  sessionId: z.optional(z.string()),
  userProfile: z.optional(z.string()),
  userSegment: z.optional(z.string()),
  trustState: z.optional(z.string()),
  friendlyName: z.optional(z.string()),
  freindlyName: z.optional(z.string()),
  deviceId: z.optional(z.string()),
  matchedToDevice: z.optional(z.union([z.string(), z.boolean()])),
  set: z.optional(z.looseObject({ name: z.optional(z.string()), versionName: z.optional(z.string()) })),
  tags: z.optional(z.array(z.unknown())),
  tagWeights: z.optional(z.unknown()),
  mfaType: z.optional(z.string()),
  mfaEnabled: z.optional(z.boolean()),
  mfaId: z.optional(z.string()),
  mfaError: z.optional(ChallengeError),
});
export type LoginV1Response = z.infer<typeof LoginV1Response>;

/**
 * `account` of Login v2: `username` is "renamed and required" (seed 003); `id` carries v1's required
 * `userId`. Sent as seed 003's table names them, `userPassword` and `IsActive`; read also as
 * `password` (Failed Attempt's name) and `accountIsActive` (the live-tested example's).
 */
export const LoginV2Account = withAliases(
  z.looseObject({
    id: z.string().check(z.minLength(1), z.maxLength(255)),
    username: z.string().check(z.maxLength(128)),
    userPassword: z.optional(z.string().check(z.maxLength(128))),
    password: z.optional(z.string().check(z.maxLength(128))),
    IsActive: z.optional(z.boolean()),
    accountIsActive: z.optional(z.boolean()),
    creationDateTime: z.optional(KountDateTime),
    type: z.optional(z.string()),
  }),
  { password: 'userPassword', accountIsActive: 'IsActive' },
);
export type LoginV2Account = z.infer<typeof LoginV2Account>;

/**
 * `strategy.mfaTemplateName` starts MFA when `person.emailAddress` or `person.phoneNumber` is given
 * (seed 002). The v1 -> v2 table calls the attribute `strategy.mfaTemplate`, and is read too; seed
 * 002's three MFA set-up pages and the live-tested example send the name as `mfaTemplateName`, so
 * that is what Kount is sent (kount-api.md section 8: "send this").
 */
export const LoginV2Strategy = withAliases(
  z.looseObject({
    mfaTemplateName: z.optional(z.string().check(z.minLength(1))),
    mfaTemplate: z.optional(z.string().check(z.minLength(1))),
    mfaTemplateValues: z.optional(z.record(z.string(), z.unknown())),
  }),
  { mfaTemplate: 'mfaTemplateName' },
);
export type LoginV2Strategy = z.infer<typeof LoginV2Strategy>;

export const LoginV2Request = z.looseObject({
  inquiryId: InquiryId,
  channel: z.optional(z.string().check(z.minLength(1))),
  deviceSessionId: DeviceSessionId,
  loginUrl: z.optional(z.string().check(z.maxLength(256))),
  userIp: z.optional(z.ipv4()),
  account: LoginV2Account,
  person: z.optional(Person),
  strategy: z.optional(LoginV2Strategy),
  customFields: z.optional(CustomFields),
});
export type LoginV2Request = z.infer<typeof LoginV2Request>;

export const LoginV2Response = z.looseObject({
  ...DecisionResponseFields,
  mfa: z.optional(ChallengeInfo),
});
export type LoginV2Response = z.infer<typeof LoginV2Response>;
