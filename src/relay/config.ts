/**
 * Relay configuration: one schema for options given in code and for the environment, so both get
 * the same checks and the same defaults.
 */
import * as z from 'zod/mini';
import type { AccountProtectionPaths } from './account-protection/client.js';
import type { KountFetch } from './kount-client.js';
import type { Logger } from './logger.js';
import type { SessionStore } from './store/index.js';
import { isSecureOrLoopbackUrl } from '../contract/safe-url.js';
import type { MfaStatusHandler } from './webhook-events.js';
import { parseWebhookPublicKey, splitWebhookPublicKeys } from './webhook-signature.js';

/** The API key travels to these URLs, so plain http is allowed only to this machine (the sandbox). */
const UpstreamUrl = z.string().check(z.refine(isSecureOrLoopbackUrl, 'must be an https URL (http only for localhost)'));

const UpstreamPath = z.string().check(z.regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be a path starting with /'));

/** An origin exactly as a browser sends it in `Origin`: scheme, host, optional port, nothing else. */
const AllowedOrigin = z.string().check(
  z.refine((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin like https://shop.example.com (no path, no trailing slash, no wildcard)'),
);

const BasePath = z.string().check(z.regex(/^(\/[A-Za-z0-9_.-]+)*$|^\/$/, 'must be a path like /verify'));

/** `memory:` for one process; Redis (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) for several. */
const StoreUrl = z.string().check(
  z.refine((value) => {
    if (value === 'memory:') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^(\/\d{0,2})?$/.test(url.pathname) && url.search === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'must be memory: or redis://[user:password@]host:port[/db] (rediss:// for TLS)'),
);

const StorePrefix = z.string().check(z.regex(/^[A-Za-z0-9:_.{}-]{0,64}$/, 'must be up to 64 letters, digits or : _ . - { }'));

/** Checked at start-up, so a wrong key fails the deployment rather than every webhook. */
const WebhookPublicKey = z.string().check(
  z.minLength(1),
  z.refine((value) => {
    try {
      parseWebhookPublicKey(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be an RSA public key of at least 2048 bits: PEM, or the Base64 of a DER SubjectPublicKeyInfo'),
);

const SessionSecret = z.string().check(z.minLength(32, 'must be at least 32 characters'));

/** One key, or several while Kount rotates its signing key: PEM blocks one after another, or Base64 DER keys separated by commas. */
const WebhookPublicKeys = z.pipe(
  z.union([z.string(), z.array(z.string()).check(z.minLength(1), z.maxLength(8))]),
  z.transform((value): string[] => (typeof value === 'string' ? splitWebhookPublicKeys(value) : value)),
).check(z.refine((keys) => keys.length > 0 && keys.every((key) => WebhookPublicKey.safeParse(key).success), 'must be an RSA public key of at least 2048 bits (PEM, or the Base64 of a DER SubjectPublicKeyInfo), or several: PEM blocks one after another, or Base64 keys separated by commas'));

const Seconds = (minimum: number, maximum: number) => z.number().check(z.int(), z.minimum(minimum), z.maximum(maximum));
const SendCount = z.number().check(z.int(), z.minimum(1), z.maximum(100_000));

export const RelayConfig = z.object({
  apiUrl: UpstreamUrl,
  tokenUrl: UpstreamUrl,
  apiKey: z.string().check(z.minLength(1)),
  clientId: z.string().check(z.minLength(1)),
  assessPath: z._default(UpstreamPath, '/business/identity-proofing/v1/assess'),
  verifyPath: z._default(UpstreamPath, '/business/identity-proofing/v1/verify'),
  timeoutMs: z._default(z.number().check(z.int(), z.minimum(100), z.maximum(120_000)), 10_000),
  /**
   * Signs session handles and seals stored contacts. A list rotates without ending open sessions:
   * the first signs and seals, every one verifies and opens.
   */
  sessionSecret: z.pipe(
    z.union([SessionSecret, z.array(SessionSecret).check(z.minLength(1), z.maxLength(8))]),
    z.transform((value): string[] => (typeof value === 'string' ? [value] : value)),
  ),
  allowedOrigins: z._default(z.array(AllowedOrigin), []),
  /** The shop's origin as browsers see it, when a proxy in front ends TLS or rewrites `Host`. */
  publicOrigin: z.optional(AllowedOrigin),
  /** Read `X-Forwarded-Proto` / `X-Forwarded-Host` for the same-origin check: only behind a proxy that sets them and strips clients' copies. */
  trustForwardedHeaders: z._default(z.boolean(), false),
  basePath: z._default(BasePath, '/verify'),
  sessionTtlSeconds: z._default(Seconds(60, 86_400), 900),
  /** Kount's webhook signing key; without it the webhook route answers 503. */
  webhookPublicKey: z.optional(WebhookPublicKeys),
  /** SECURITY 25: a comment on every open event stream at least this often, so proxies keep it open. */
  heartbeatSeconds: z._default(Seconds(1, 15), 15),
  storeUrl: z._default(StoreUrl, 'memory:'),
  /** Put before every key a shared store writes. */
  storePrefix: z._default(StorePrefix, 'k360:'),
  /** Time limit of every command to a shared store; over it the request gets 503 `store_unavailable`. */
  storeTimeoutMs: z._default(z.number().check(z.int(), z.minimum(10), z.maximum(10_000)), 1000),
  /** SECURITY 14: wrong codes accepted per session before the relay stops asking Kount. */
  maxFailedOtpAttempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 5),
  otpLockoutSeconds: z._default(Seconds(1, 86_400), 300),
  /** SECURITY 15: resends per session and the gap between two sends. */
  maxResends: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(20)), 3),
  resendIntervalSeconds: z._default(Seconds(0, 3_600), 30),
  /** Against SMS and e-mail pumping, across sessions and instances: sends to one phone number or e-mail address. */
  sendsPerDestinationPerHour: z._default(SendCount, 5),
  sendsPerDestinationPerDay: z._default(SendCount, 10),
  /** Challenges the customer's backend may start for one client IP (`relay.admitChallenge`). */
  challengesPerClientIpPerHour: z._default(SendCount, 20),
});
export type RelayConfig = z.output<typeof RelayConfig>;

/** Collaborators a test or a host can swap; none of them is configuration. */
export interface RelayDependencies {
  fetch?: KountFetch;
  now?: () => number;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
  logger?: Logger;
  /** Overrides `storeUrl`, e.g. for a store the host already runs. */
  store?: SessionStore;
  /** Gets Account Protection's verified, de-duplicated `MFA.StatusUpdate` webhooks; without it they are logged and acknowledged. */
  onMfaStatus?: MfaStatusHandler;
  /** Account Protection paths Kount has not pinned (resend, passcode check) or that differ per tenant; defaults in `DEFAULT_ACCOUNT_PROTECTION_PATHS`. */
  accountProtectionPaths?: Partial<AccountProtectionPaths>;
}

export type RelayOptions = z.input<typeof RelayConfig> & RelayDependencies;

const DEPENDENCY_NAMES = ['fetch', 'now', 'random', 'sleep', 'logger', 'store', 'onMfaStatus', 'accountProtectionPaths'] as const satisfies ReadonlyArray<keyof RelayDependencies>;

/** Options split into configuration (checked by the schema) and collaborators (passed on as they are). */
export function splitRelayOptions(options: Partial<RelayOptions>): { config: Record<string, unknown>; dependencies: RelayDependencies } {
  const config: Record<string, unknown> = { ...options };
  const dependencies: Record<string, unknown> = {};
  for (const name of DEPENDENCY_NAMES) {
    if (options[name] !== undefined) dependencies[name] = options[name];
    delete config[name];
  }
  return { config, dependencies: dependencies as RelayDependencies };
}

/** `secrets`: one value, or several separated by commas (rotation). */
type EnvironmentKind = 'text' | 'integer' | 'list' | 'secrets' | 'boolean';

/** Which environment variable feeds which option, and how its text becomes a value. */
const ENVIRONMENT = {
  /** Kount 360 API host, e.g. https://api-sandbox.kount.com */
  apiUrl: { variable: 'KOUNT_API_URL', kind: 'text' },
  /** OAuth2 token endpoint, e.g. https://login-uat.equifax.com/as/token */
  tokenUrl: { variable: 'KOUNT_TOKEN_URL', kind: 'text' },
  /** The API key from the Kount portal, sent verbatim after `Basic ` to the token endpoint. */
  apiKey: { variable: 'KOUNT_API_KEY', kind: 'text' },
  /** The Kount client id, sent as `x-client-id`. */
  clientId: { variable: 'KOUNT_CLIENT_ID', kind: 'text' },
  /** Identity Proofing assessment path (default /business/identity-proofing/v1/assess). */
  assessPath: { variable: 'KOUNT_ASSESS_PATH', kind: 'text' },
  /** Step-up verification path (default /business/identity-proofing/v1/verify). */
  verifyPath: { variable: 'KOUNT_VERIFY_PATH', kind: 'text' },
  /** Per-call time limit for Kount in milliseconds (default 10000). */
  timeoutMs: { variable: 'KOUNT_TIMEOUT_MS', kind: 'integer' },
  /** At least 32 characters; signs session handles. Comma-separated to rotate: the first signs, all verify. */
  sessionSecret: { variable: 'RELAY_SESSION_SECRET', kind: 'secrets' },
  /** Comma-separated origins that may call the relay from another origin (CORS and CSRF checks). */
  allowedOrigins: { variable: 'RELAY_ALLOWED_ORIGINS', kind: 'list' },
  /** The shop's public origin behind a TLS-ending or Host-rewriting proxy, e.g. https://shop.example.com; counts as same-origin. */
  publicOrigin: { variable: 'RELAY_PUBLIC_ORIGIN', kind: 'text' },
  /** true: trust X-Forwarded-Proto and X-Forwarded-Host for the same-origin check (default false). */
  trustForwardedHeaders: { variable: 'RELAY_TRUST_FORWARDED_HEADERS', kind: 'boolean' },
  /** Where the browser API is mounted (default /verify). */
  basePath: { variable: 'RELAY_BASE_PATH', kind: 'text' },
  /** Life of a verification session and its handle, in seconds (default 900). */
  sessionTtlSeconds: { variable: 'RELAY_SESSION_TTL_SECONDS', kind: 'integer' },
  /** Kount's webhook signing key (PEM, or the Base64 DER key the portal shows); several while Kount rotates it. Unset: the webhook route answers 503. */
  webhookPublicKey: { variable: 'KOUNT_WEBHOOK_PUBLIC_KEY', kind: 'text' },
  /** Seconds between heartbeat comments on live-update streams (1-15, default 15). */
  heartbeatSeconds: { variable: 'RELAY_SSE_HEARTBEAT_SECONDS', kind: 'integer' },
  /** Session store: `memory:` (default, one process) or `redis://…` / `rediss://…` (several instances). */
  storeUrl: { variable: 'RELAY_STORE_URL', kind: 'text' },
  /** Key prefix in a shared store (default k360:). */
  storePrefix: { variable: 'RELAY_STORE_PREFIX', kind: 'text' },
  /** Time limit per store command in milliseconds (default 1000). */
  storeTimeoutMs: { variable: 'RELAY_STORE_TIMEOUT_MS', kind: 'integer' },
  /** Wrong codes per session before answers are refused for a while (default 5). */
  maxFailedOtpAttempts: { variable: 'RELAY_MAX_FAILED_OTP_ATTEMPTS', kind: 'integer' },
  /** How long answers are refused after too many wrong codes, in seconds (default 300). */
  otpLockoutSeconds: { variable: 'RELAY_OTP_LOCKOUT_SECONDS', kind: 'integer' },
  /** Resends (and DocV retries) per session (default 3). */
  maxResends: { variable: 'RELAY_MAX_RESENDS', kind: 'integer' },
  /** Seconds between two sends of one session (default 30). */
  resendIntervalSeconds: { variable: 'RELAY_RESEND_INTERVAL_SECONDS', kind: 'integer' },
  /** Codes and links sent to one phone number or e-mail address per hour, over all sessions (default 5). */
  sendsPerDestinationPerHour: { variable: 'RELAY_SENDS_PER_DESTINATION_PER_HOUR', kind: 'integer' },
  /** The same per day (default 10). */
  sendsPerDestinationPerDay: { variable: 'RELAY_SENDS_PER_DESTINATION_PER_DAY', kind: 'integer' },
  /** Challenges started for one client IP per hour, counted by `relay.admitChallenge` (default 20). */
  challengesPerClientIpPerHour: { variable: 'RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR', kind: 'integer' },
} as const satisfies Record<keyof RelayConfig, { variable: string; kind: EnvironmentKind }>;

type EnvironmentField = keyof typeof ENVIRONMENT;

function environmentValue(raw: string, kind: EnvironmentKind): unknown {
  const trimmed = raw.trim();
  if (kind === 'integer') return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  if (kind === 'boolean') return trimmed === 'true' || trimmed === '1' ? true : trimmed === 'false' || trimmed === '0' ? false : trimmed;
  if (kind === 'list') return trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim()).filter(Boolean);
  if (kind === 'secrets') {
    const items = trimmed.split(',').map((item) => item.trim());
    return items.length === 1 ? items[0] : items;
  }
  return trimmed;
}

function explainConfigIssue(issue: z.core.$ZodIssue, given: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return given === undefined ? 'is required' : issue.expected === 'number' ? 'must be a whole number' : issue.expected === 'boolean' ? 'must be true or false' : `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' ? `must be at least ${String(issue.minimum)} characters` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_union': {
      // A value or a list of them: say what is wrong with the value.
      const inner = issue.errors.flat()[0];
      return given === undefined ? 'is required' : inner === undefined ? issue.message : explainConfigIssue(inner, given);
    }
    default:
      // Our own checks carry a message written for this purpose; zod/mini's defaults say only "Invalid input".
      return issue.message;
  }
}

/** Throws with the option's name (or its environment variable) and what is wrong, never the value. */
export function parseRelayConfig(input: unknown, describeField: (field: string) => string = (field) => field): RelayConfig {
  const parsed = RelayConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [field = '', ...rest] = issue.path.map(String);
    const name = describeField(field) + (rest.length > 0 ? `[${rest.join('.')}]` : '');
    const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[field] : undefined;
    return `${name} ${explainConfigIssue(issue, given)}`;
  });
  throw new Error(`Invalid relay configuration: ${problems.join('; ')}`);
}

/**
 * Reads the relay's options from the environment. `defaults` fill in what the environment leaves
 * out (the environment wins); the result is fully checked, so a bad deployment fails at start-up.
 */
export function relayOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  defaults: Partial<RelayOptions> = {},
): RelayOptions {
  const fromEnvironment: Record<string, unknown> = {};
  for (const [field, { variable, kind }] of Object.entries(ENVIRONMENT)) {
    const raw = env[variable];
    if (raw !== undefined && raw.trim() !== '') fromEnvironment[field] = environmentValue(raw, kind);
  }
  const { config: defaultConfig, dependencies } = splitRelayOptions(defaults);
  const config = parseRelayConfig({ ...defaultConfig, ...fromEnvironment }, (field) =>
    field in ENVIRONMENT ? ENVIRONMENT[field as EnvironmentField].variable : field,
  );
  return { ...config, ...dependencies };
}
