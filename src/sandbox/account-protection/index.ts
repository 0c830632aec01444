/** Account Protection v2 in the sandbox: Login, New Account Opening, events, MFA by passcode or link. */
export { ACCOUNT_PROTECTION_SANDBOX_PATHS, accountProtectionRoutes, type AccountProtectionDependencies } from './routes.js';
export { ACCOUNT_PROTECTION_PERSONAS, FAILED_ATTEMPT_POLICY, accountProtectionPersonaFor, type AccountProtectionPersona } from './personas.js';
export type { MfaStatusUpdatePayload, MfaStatusBody, LinkState } from './mfa-session.js';
