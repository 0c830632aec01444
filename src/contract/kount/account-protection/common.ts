/**
 * Shapes shared by the Account Protection v2 calls (Login, New Account Opening, Failed Attempt):
 * `person`, `account`, `policyManagement`, custom fields and the decision vocabulary. Field names
 * follow Kount's v1 -> v2 tables (seed 003) where they name a field; where they do not, the rendered
 * references summarised in `kount-api.md` section 4.
 *
 * Request schemas are loose: a field Kount documents later (for example `person.addresses[]`) passes
 * through to Kount untouched. Where Kount's pages disagree on a name, both are read (`withAliases`). Response
 * schemas are loose and take enum-like values as strings, so a value Kount adds later is surfaced
 * instead of failing the whole answer.
 */
import * as z from 'zod/mini';
import { normalizeDecision } from '../decision.js';

/** Account Protection answers `ALLOW`/`BLOCK`/`CHALLENGE` (kount-api.md section 7, item 10). */
export const AccountProtectionDecision = z.enum(['ALLOW', 'BLOCK', 'CHALLENGE']);
export type AccountProtectionDecision = z.infer<typeof AccountProtectionDecision>;

/**
 * The decision in any casing (`Allow`, `allow`, `ALLOW`), or `undefined` for a value outside the
 * Account Protection vocabulary, which callers must treat as "not allowed".
 */
export function accountProtectionDecision(raw: string): AccountProtectionDecision | undefined {
  const folded = normalizeDecision(raw);
  return folded === 'ALLOW' || folded === 'BLOCK' || folded === 'CHALLENGE' ? folded : undefined;
}

/**
 * Kount's own pages spell some request fields two ways (kount-api.md section 8). A request may use
 * either; Kount is sent one. `aliases` maps each other spelling to the one sent. Both given with
 * different values is refused by name rather than one of them dropped.
 */
export function withAliases<Schema extends z.ZodMiniType<Record<string, unknown>>>(schema: Schema, aliases: Readonly<Record<string, string>>) {
  return z.pipe(
    schema,
    z.transform((value: z.output<Schema>, context) => {
      const renamed: Record<string, unknown> = { ...value };
      for (const [alias, sent] of Object.entries(aliases)) {
        if (renamed[alias] === undefined) {
          delete renamed[alias];
          continue;
        }
        if (renamed[sent] !== undefined && renamed[sent] !== renamed[alias]) {
          context.issues.push({ code: 'custom', message: `give ${sent} or ${alias} (the same field), not both`, input: value, path: [alias] });
          continue;
        }
        renamed[sent] = renamed[alias];
        delete renamed[alias];
      }
      return renamed as z.output<Schema>;
    }),
  );
}

/** v1 `sessionId` pattern; v2 `deviceSessionId` receives the same value, so it keeps the pattern. */
export const DEVICE_SESSION_ID_PATTERN = /^[\w-]{0,32}$/;
export const DeviceSessionId = z.string().check(z.regex(DEVICE_SESSION_ID_PATTERN, 'expected up to 32 letters, digits, _ or -'));

/**
 * Customer-supplied journey id, new and required in v2. Kount's live-tested example strips the
 * hyphens from a UUID because Login v2 rejects them (kount-api.md section 4), so they are refused here
 * with a clear message instead of an opaque 400 from Kount.
 */
export const InquiryId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^-]*$/, 'must not contain hyphens (Kount rejects them)'));

export const AddressType = z.enum(['UNKNOWN_ADDRESS_TYPE', 'BILLING', 'SHIPPING']);
export type AddressType = z.infer<typeof AddressType>;

export const PersonName = z.looseObject({
  first: z.optional(z.string()),
  last: z.optional(z.string()),
  preferred: z.optional(z.string()),
});
export type PersonName = z.infer<typeof PersonName>;

/** `addressType` defaults to `UNKNOWN_ADDRESS_TYPE` at Kount; leaving it out means that. */
export const PersonAddress = z.looseObject({
  line1: z.optional(z.string()),
  line2: z.optional(z.string()),
  city: z.optional(z.string()),
  region: z.optional(z.string()),
  postalCode: z.optional(z.string()),
  countryCode: z.optional(z.string()),
  addressType: z.optional(AddressType),
});
export type PersonAddress = z.infer<typeof PersonAddress>;

export const Person = z.looseObject({
  name: z.optional(PersonName),
  emailAddress: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
  address: z.optional(PersonAddress),
});
export type Person = z.infer<typeof Person>;

const CUSTOM_FIELD_LIMIT = 256;

/** Keys up to 256 characters; values boolean, number or a string up to 256 characters (Login v1 reference). */
export const CustomFields = z.record(
  z.string().check(z.minLength(1), z.maxLength(CUSTOM_FIELD_LIMIT)),
  z.union([z.boolean(), z.number(), z.string().check(z.maxLength(CUSTOM_FIELD_LIMIT))]),
);
export type CustomFields = z.infer<typeof CustomFields>;

/** Ids in responses are strings in every sample; numbers are accepted rather than failing a real answer. */
const ResponseId = z.union([z.string(), z.number()]);

/** `mfa.Error` / `verification.Error`: a code such as `NOT_ENOUGH_INFO`, or an object in some answers. */
export const ChallengeError = z.union([z.string(), z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()) })]);
export type ChallengeError = z.infer<typeof ChallengeError>;

export const PolicySet = z.looseObject({ name: z.optional(z.string()), versionName: z.optional(z.string()) });
export const SegmentExecuted = z.looseObject({ ID: z.optional(ResponseId), name: z.optional(z.string()) });
export const PolicyTriggered = z.looseObject({ ID: z.optional(ResponseId), Name: z.optional(z.string()) });

export const PolicyManagement = z.looseObject({
  set: z.optional(PolicySet),
  segmentExecuted: z.optional(SegmentExecuted),
  /** The tables name `policiesTriggered.ID/Name`; a list in every example, one object tolerated. */
  policiesTriggered: z.optional(z.union([z.array(PolicyTriggered), PolicyTriggered])),
  tagWeights: z.optional(z.unknown()),
});
export type PolicyManagement = z.infer<typeof PolicyManagement>;

/** Fields every v2 decision answer (Login, NAO) shares. */
export const DecisionResponseFields = {
  /** Raw, in Kount's casing; read it with `accountProtectionDecision`. */
  decision: z.string(),
  deviceSessionId: z.optional(z.string()),
  deviceId: z.optional(z.string()),
  trustState: z.optional(z.string()),
  friendlyName: z.optional(z.string()),
  matchedToDevice: z.optional(z.union([z.string(), z.boolean()])),
  policyManagement: z.optional(PolicyManagement),
  tags: z.optional(z.array(z.unknown())),
};

/** `mfa` (Login) and `verification` (NAO): the id used for resend and `MFA.StatusUpdate.mfaId`. */
export const ChallengeInfo = z.looseObject({
  ID: z.optional(z.string()),
  type: z.optional(z.string()),
  Error: z.optional(ChallengeError),
  /** The NAO reference spells it in lower case. */
  error: z.optional(ChallengeError),
});
export type ChallengeInfo = z.infer<typeof ChallengeInfo>;
