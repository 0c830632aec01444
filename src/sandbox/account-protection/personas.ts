import type { AccountProtectionDecision, MfaChannelType } from '../../contract/kount/index.js';

export type AccountProtectionFlow = 'login' | 'signup';

/**
 * A scripted user of Login v2 (`login-…@example.com`) or New Account Opening v2
 * (`signup-…@example.com`), chosen by `person.emailAddress`. A different address space from the
 * Identity Proofing personas, so the two never clash.
 */
export interface AccountProtectionPersona {
  readonly email: string;
  readonly flow: AccountProtectionFlow;
  readonly summary: string;
  readonly decision: AccountProtectionDecision;
  /** The MFA Kount starts on CHALLENGE when the request names a template; none: the customer runs its own challenge. */
  readonly mfa?: MfaChannelType;
}

const rows = (flow: AccountProtectionFlow): AccountProtectionPersona[] => [
  { flow, email: `${flow}-allow@example.com`, decision: 'ALLOW', summary: 'ALLOW. Any e-mail not listed behaves the same.' },
  { flow, email: `${flow}-block@example.com`, decision: 'BLOCK', summary: 'BLOCK.' },
  { flow, email: `${flow}-sms@example.com`, decision: 'CHALLENGE', mfa: 'SMS_OTP', summary: 'CHALLENGE with a 6-digit passcode by SMS.' },
  { flow, email: `${flow}-email@example.com`, decision: 'CHALLENGE', mfa: 'EMAIL_OTP', summary: 'CHALLENGE with a 6-digit passcode by e-mail.' },
  { flow, email: `${flow}-link@example.com`, decision: 'CHALLENGE', mfa: 'EMAIL_NONCE_OTH', summary: 'CHALLENGE with a one-time link by e-mail.' },
  { flow, email: `${flow}-sms-link@example.com`, decision: 'CHALLENGE', mfa: 'SMS_NONCE_OTH', summary: 'CHALLENGE with a one-time link by SMS.' },
  { flow, email: `${flow}-challenge@example.com`, decision: 'CHALLENGE', summary: 'CHALLENGE without MFA: the customer runs its own challenge and reports it with Challenge Outcome.' },
];

export const ACCOUNT_PROTECTION_PERSONAS: readonly AccountProtectionPersona[] = [...rows('login'), ...rows('signup')];

export function accountProtectionPersonaFor(flow: AccountProtectionFlow, email: string | undefined): AccountProtectionPersona {
  const wanted = (email ?? '').trim().toLowerCase();
  const found = ACCOUNT_PROTECTION_PERSONAS.find((persona) => persona.flow === flow && persona.email === wanted);
  return found ?? { flow, email: '', decision: 'ALLOW', summary: 'Any other e-mail: ALLOW.' };
}

/**
 * Repeated failures per `account.id` change the next decision, whatever the persona: from
 * `CHALLENGE_AFTER` failed attempts an ALLOW becomes CHALLENGE, from `BLOCK_AFTER` every answer is BLOCK.
 */
export const FAILED_ATTEMPT_POLICY = { CHALLENGE_AFTER: 3, BLOCK_AFTER: 6 } as const;
