/** Fixed credentials and paths of the sandbox; the relay's configuration for local runs uses these. */

export const SANDBOX_CLIENT_ID = '900900';

/** What the Kount portal calls the "API key": Base64 of `clientId:clientSecret`, sent after `Basic `. */
export const SANDBOX_API_KEY = Buffer.from(`${SANDBOX_CLIENT_ID}:sandbox-secret`, 'utf8').toString('base64');

/**
 * Identity Proofing paths. Only `/verify` is pinned by Kount's documentation; the assessment leaf
 * (`/assess`) is our assumption, so the relay must take it from configuration.
 */
export const SANDBOX_PATHS = {
  token: '/as/token',
  assess: '/business/identity-proofing/v1/assess',
  verify: '/business/identity-proofing/v1/verify',
} as const;

/** The legacy Okta issuer's token path; Kount is migrating tenants to `/as/token`, so both are served. */
export const LEGACY_TOKEN_PATH = '/oauth2/ausdppkujzCPQuIrY357/v1/token';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 1200;

/** Used when the assessment carries no phone number, so the SMS personas work with just an e-mail. */
export const DEFAULT_SMS_DESTINATION = '+15550104567';

/** Milliseconds since the epoch; injectable so tests can move time. */
export type Clock = () => number;
