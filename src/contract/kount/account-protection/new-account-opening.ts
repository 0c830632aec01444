/**
 * Account Protection New Account Opening (NAO). v1 fields are the v1 column of seed 003's NAO
 * tables; v2 is `POST /newaccountopening/v2` with the v2 column plus the rendered reference
 * (`kount-api.md` section 4).
 */
import * as z from 'zod/mini';
import { ChallengeError, ChallengeInfo, CustomFields, DecisionResponseFields, DeviceSessionId, InquiryId, Person, withAliases } from './common.js';
import { KountDateTime, MfaTargetUrl, V1MfaTemplate } from './login.js';

export const NaoAccount = z.looseObject({
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  username: z.optional(z.string().check(z.maxLength(128))),
  userPassword: z.optional(z.string().check(z.maxLength(128))),
  IsActive: z.optional(z.boolean()),
  creationDate: z.optional(KountDateTime),
});

/** Strict, like Login v1: an unknown field is named, never dropped on the way to v2. */
export const NewAccountOpeningV1Request = z.strictObject({
  clientId: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9]{1,64}$/, 'expected 1 to 64 letters or digits'))),
  deviceSessionId: DeviceSessionId,
  naoUrl: z.optional(z.string().check(z.maxLength(256))),
  userIp: z.optional(z.ipv4()),
  account: z.optional(z.strictObject(NaoAccount.shape)),
  userType: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9]{1,128}$/, 'expected 1 to 128 letters or digits'))),
  strategy: z.optional(z.strictObject({ mfaTemplate: z.optional(V1MfaTemplate) })),
  workflow: z.optional(z.looseObject({ mfaTemplate: z.optional(V1MfaTemplate), mfaType: z.optional(z.string()) })),
  customFields: z.optional(CustomFields),
});
export type NewAccountOpeningV1Request = z.infer<typeof NewAccountOpeningV1Request>;

export const NewAccountOpeningV1Response = z.looseObject({
  decision: z.optional(z.string()),
  guidance: z.optional(z.string()),
  deviceSessionId: z.optional(z.string()),
  deviceId: z.optional(z.string()),
  friendlyName: z.optional(z.string()),
  set: z.optional(z.looseObject({ name: z.optional(z.string()), versionName: z.optional(z.string()) })),
  userProfile: z.optional(z.string()),
  userSegment: z.optional(z.string()),
  tags: z.optional(z.array(z.unknown())),
  tagWeights: z.optional(z.unknown()),
  verificationId: z.optional(z.string()),
  verificationType: z.optional(z.string()),
  verificationError: z.optional(ChallengeError),
});
export type NewAccountOpeningV1Response = z.infer<typeof NewAccountOpeningV1Response>;

/**
 * `verificationTemplateName` with `person.emailAddress` or `person.phoneNumber` starts the
 * verification (seed 002); `type` (e.g. `EMAIL`) and `verificationTargetUrl` come from the reference.
 */
export const NaoV2Strategy = withAliases(
  z.looseObject({
    verificationTemplateName: z.optional(z.string().check(z.minLength(1))),
    /** The NAO table keeps `strategy.mfaTemplate`; a name given there (or as Login's `mfaTemplateName`) is the verification template. */
    mfaTemplate: z.optional(z.string().check(z.minLength(1))),
    mfaTemplateName: z.optional(z.string().check(z.minLength(1))),
    type: z.optional(z.string()),
    verificationTargetUrl: z.optional(MfaTargetUrl),
  }),
  { mfaTemplate: 'verificationTemplateName', mfaTemplateName: 'verificationTemplateName' },
);
export type NaoV2Strategy = z.infer<typeof NaoV2Strategy>;

/** Sent as the NAO table names them (`userPassword`, `IsActive`); read also as `password` and `accountIsActive`. */
export const NaoV2Account = withAliases(
  z.looseObject({
    ...NaoAccount.shape,
    password: z.optional(z.string().check(z.maxLength(128))),
    accountIsActive: z.optional(z.boolean()),
    type: z.optional(z.string()),
  }),
  { password: 'userPassword', accountIsActive: 'IsActive' },
);

export const NewAccountOpeningV2Request = withAliases(
  z.looseObject({
    inquiryId: InquiryId,
    channel: z.optional(z.string().check(z.minLength(1))),
    deviceSessionId: DeviceSessionId,
    /** The tables keep `naoUrl`, which is sent; the rendered reference names it `newAccountOpeningUrl`, which is read too. */
    naoUrl: z.optional(z.string().check(z.maxLength(256))),
    newAccountOpeningUrl: z.optional(z.string().check(z.maxLength(256))),
    userIp: z.optional(z.ipv4()),
    account: z.optional(NaoV2Account),
    person: z.optional(Person),
    strategy: z.optional(NaoV2Strategy),
    customFields: z.optional(CustomFields),
  }),
  { newAccountOpeningUrl: 'naoUrl' },
);
export type NewAccountOpeningV2Request = z.infer<typeof NewAccountOpeningV2Request>;

export const NewAccountOpeningV2Response = z.looseObject({
  ...DecisionResponseFields,
  verification: z.optional(ChallengeInfo),
});
export type NewAccountOpeningV2Response = z.infer<typeof NewAccountOpeningV2Response>;
