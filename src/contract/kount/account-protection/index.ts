/** Kount 360 Account Protection: Login v1/v2, New Account Opening v1/v2, Challenge Outcome and Failed Attempt v1/v2, MFA. */
export * from './common.js';
export * from './login.js';
export * from './new-account-opening.js';
export * from './events.js';
export * from './mfa.js';
