import type { StepDefinition } from './steps.js';

/** Final decisions in Identity Proofing's casing (its sample answers `Allow`/`Challenge`). */
export type FinalDecision = 'Allow' | 'Decline';

/**
 * A scripted shopper, chosen by the applicant's e-mail. Adding a persona is adding a row: the case
 * runs `steps` in order (decision `Challenge` while one is open) and ends with `verdict` once all
 * are passed, or `Decline` as soon as one fails.
 */
export interface Persona {
  readonly email: string;
  /** One line for the inbox page, so testers know what to type. */
  readonly summary: string;
  /** Sent as `strategy.description`. */
  readonly description: string;
  readonly steps: readonly StepDefinition[];
  readonly verdict: FinalDecision;
}

export const PERSONAS: readonly Persona[] = [
  {
    email: 'allow@example.com',
    summary: 'Allowed at once, no challenge. Any e-mail not listed here behaves the same.',
    description: 'No step-up required',
    steps: [],
    verdict: 'Allow',
  },
  {
    email: 'block@example.com',
    summary: 'Declined at once, no challenge.',
    description: 'Declined by policy',
    steps: [],
    verdict: 'Decline',
  },
  {
    email: 'otp@example.com',
    summary: 'Challenged with a 6-digit code by SMS to the applicant’s phone number (+15550104567 when none is given).',
    description: 'Step-up with SMS one-time passcode',
    steps: [{ method: 'OTP', channelType: 'SMS_OTP' }],
    verdict: 'Allow',
  },
  {
    email: 'otp-email@example.com',
    summary: 'Challenged with a 6-digit code by e-mail to the applicant’s address.',
    description: 'Step-up with e-mail one-time passcode',
    steps: [{ method: 'OTP', channelType: 'EMAIL_OTP' }],
    verdict: 'Allow',
  },
  {
    email: 'kba@example.com',
    summary: 'Challenged with 3 to 5 knowledge questions (single and multiple choice), 5 minutes to answer, 2 attempts. The answers are listed below.',
    description: 'Step-up with knowledge-based questions',
    steps: [{ method: 'KBA' }],
    verdict: 'Allow',
  },
  {
    email: 'oth@example.com',
    summary: 'Challenged with a one-time link by e-mail to the applicant’s address; open it from the messages below and confirm (or choose “This wasn’t me”).',
    description: 'Step-up with e-mail one-time link',
    steps: [{ method: 'OTH', channelType: 'EMAIL_NONCE_OTH' }],
    verdict: 'Allow',
  },
  {
    email: 'oth-sms@example.com',
    summary: 'Challenged with a one-time link by SMS to the applicant’s phone number (+15550104567 when none is given).',
    description: 'Step-up with SMS one-time link',
    steps: [{ method: 'OTH', channelType: 'SMS_NONCE_OTH' }],
    verdict: 'Allow',
  },
  {
    email: 'docv@example.com',
    summary: 'Challenged with document verification; the checkout shows the capture link as a QR code (sync mode). Drive the fake phone page from the links below.',
    description: 'Step-up with document verification',
    steps: [{ method: 'DOCV', deliveryMode: 'SYNC' }],
    verdict: 'Allow',
  },
  {
    email: 'docv-sms@example.com',
    summary: 'Challenged with document verification; the capture link goes by SMS to the applicant’s phone number (+15550104567 when none is given).',
    description: 'Step-up with document verification by SMS link',
    steps: [{ method: 'DOCV', deliveryMode: 'SMS' }],
    verdict: 'Allow',
  },
  {
    email: 'otp-kba@example.com',
    summary: 'Challenged twice: a 6-digit code by SMS, then knowledge questions. Allowed once both pass.',
    description: 'Step-up with SMS one-time passcode, then knowledge-based questions',
    steps: [{ method: 'OTP', channelType: 'SMS_OTP' }, { method: 'KBA' }],
    verdict: 'Allow',
  },
];

const UNKNOWN_APPLICANT: Persona = {
  email: '',
  summary: 'Any other e-mail: allowed at once.',
  description: 'No step-up required',
  steps: [],
  verdict: 'Allow',
};

export function personaFor(email: string | undefined): Persona {
  const wanted = (email ?? '').trim().toLowerCase();
  return PERSONAS.find((persona) => persona.email === wanted) ?? UNKNOWN_APPLICANT;
}
