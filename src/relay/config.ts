/**
 * Relay configuration: one schema for options given in code and for the environment, so both get
 * the same checks and the same defaults.
 */
import * as z from 'zod/mini';
import { readFileSync } from 'node:fs';
import type { AccountProtectionPaths } from './account-protection/client.js';
import type { KountFetch } from './kount-client.js';
import type { Logger } from './logger.js';
import type { RedisModule, StoreOption } from './store/index.js';
import { isSecureOrLoopbackUrl } from '../contract/safe-url.js';
import { TrustedProxies, isTrustedProxyEntry } from './client-address.js';
import { DEFAULT_COUNTRY_CALLING_CODE } from './phone-number.js';
import type { JourneyEventListener } from './journey-events.js';
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

function isRedisUrl(value: string, allowDatabase: boolean): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && (allowDatabase ? /^(\/\d{0,2})?$/ : /^\/?$/).test(url.pathname) && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

/**
 * `memory:` for one process; Redis for several: one `redis://[user:password@]host:port[/db]`
 * (`rediss://` for TLS), or, for a cluster's seed nodes or Sentinel's sentinels, several separated by commas.
 */
const StoreUrl = z.string().check(
  z.refine((value) => value === 'memory:' || value.split(',').every((item) => isRedisUrl(item.trim(), true)), 'must be memory:, or redis://[user:password@]host:port[/db] (rediss:// for TLS), or several such URLs separated by commas'),
);

const StoreMode = z.enum(['standalone', 'cluster', 'sentinel']);

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

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);

const Seconds = (minimum: number, maximum: number) => z.number().check(z.int(), z.minimum(minimum), z.maximum(maximum));
const SendCount = z.number().check(z.int(), z.minimum(1), z.maximum(100_000));

/** Given as a list (the environment, a config file), or already parsed (a parsed config passed on to `createRelay`). */
const TrustedProxyList = z.pipe(
  z.union([
    z.array(z.string().check(z.refine(isTrustedProxyEntry, 'must be an IP address or a CIDR block, like 10.0.0.0/8 or 2001:db8::/32'))).check(z.maxLength(256)),
    z.instanceof(TrustedProxies),
  ]),
  z.transform((value): TrustedProxies => (value instanceof TrustedProxies ? value : new TrustedProxies(value))),
);

/** ITU-T E.164 country calling codes are one to three digits and never start with 0. */
const CountryCallingCode = z.string().check(z.regex(/^[1-9]\d{0,2}$/, 'must be a country calling code of 1 to 3 digits, without + (1 for the US and Canada, 44 for the UK)'));

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
  /** SECURITY 34, 43: open event streams per session over all instances; one more closes the oldest. */
  streamsPerSession: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(16)), 4),
  /** SECURITY 43: open event streams per client network over all instances; one more closes the oldest. */
  streamsPerClientNetwork: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 16),
  storeUrl: z._default(StoreUrl, 'memory:'),
  /** `standalone` (one primary), `cluster` (Redis Cluster: `storeUrl` lists seed nodes) or `sentinel` (`storeUrl` lists the sentinels). */
  storeMode: z._default(StoreMode, 'standalone'),
  /** Sentinel: the name the sentinels monitor the primary under. */
  storeSentinelName: z.optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w.-]+$/, 'must be a name of letters, digits, _ . -'))),
  /** Sentinel: the data nodes' credentials (the sentinels' are in their URLs). */
  storeNodeUsername: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  storeNodePassword: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  /** Replicas that must acknowledge a session's write before it counts as done; by default 1 where the primary has replicas, else 0. */
  storeMinReplicasAcked: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(10))),
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
  /**
   * Against SMS and e-mail pumping, across sessions and instances: sends to one phone number or
   * e-mail address asked for from one client network (an IPv4 address or an IPv6 /64), so an
   * attacker on one network cannot use up a victim's allowance on another (SECURITY 37).
   */
  sendsPerDestinationPerHour: z._default(SendCount, 5),
  sendsPerDestinationPerDay: z._default(SendCount, 10),
  /** Every send to one destination in a day, whoever asked: the bound on pumping from many networks. Unset: 3 × `sendsPerDestinationPerDay`. */
  sendsPerDestinationHardCapPerDay: z.optional(SendCount),
  /** Challenges the customer's backend may start for one client network (`relay.admitChallenge`). */
  challengesPerClientIpPerHour: z._default(SendCount, 20),
  /** Proxies whose `X-Forwarded-For` entries `relay.clientAddress` believes (SECURITY 39); none by default: the socket's peer is the client. */
  trustedProxies: z._default(TrustedProxyList, () => TrustedProxies.none),
  /** Put in front of phone numbers written without `+` or `00` before they are counted or sent (SECURITY 40). */
  defaultCountryCallingCode: z._default(CountryCallingCode, DEFAULT_COUNTRY_CALLING_CODE),
  /** Lines below this level are not written by the relay's own console logger (a `logger` given in code decides for itself). */
  logLevel: z._default(LogLevel, 'info'),
});
export type RelayConfig = z.output<typeof RelayConfig>;

/** The store's options checked together: each mode's URL shape, and Sentinel's name. Returns what is wrong, by option. */
export function storeProblems(config: Pick<RelayConfig, 'storeUrl' | 'storeMode' | 'storeSentinelName'>): Array<{ field: string; problem: string }> {
  const problems: Array<{ field: string; problem: string }> = [];
  if (config.storeUrl === 'memory:') {
    if (config.storeMode !== 'standalone') problems.push({ field: 'storeMode', problem: `is ${config.storeMode}, which needs Redis URLs in RELAY_STORE_URL, not memory:` });
    return problems;
  }
  const urls = config.storeUrl.split(',').map((item) => item.trim());
  if (config.storeMode === 'standalone' && urls.length > 1) problems.push({ field: 'storeUrl', problem: 'lists several URLs, which only RELAY_STORE_MODE=cluster (seed nodes) or sentinel (the sentinels) takes' });
  if (config.storeMode !== 'standalone' && urls.some((url) => !isRedisUrl(url, false))) {
    problems.push({ field: 'storeUrl', problem: `must not name a database (/db) in ${config.storeMode} mode: ${config.storeMode === 'cluster' ? 'a cluster has only database 0' : 'the URLs are the sentinels'}` });
  }
  if (config.storeMode === 'sentinel' && config.storeSentinelName === undefined) problems.push({ field: 'storeSentinelName', problem: 'is required with RELAY_STORE_MODE=sentinel (the name the sentinels monitor the primary under)' });
  return problems;
}

/** Collaborators a test or a host can swap; none of them is configuration. */
export interface RelayDependencies {
  fetch?: KountFetch;
  now?: () => number;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
  logger?: Logger;
  /**
   * Overrides `storeUrl`: an engine the host runs (`StoreEngine`: it gets only sealed text, the
   * relay seals with `sessionSecret`), or a store that seals already (`MemorySessionStore`...).
   */
  store?: StoreOption;
  /** Gets Account Protection's verified, de-duplicated `MFA.StatusUpdate` webhooks; without it they are logged and acknowledged. */
  onMfaStatus?: MfaStatusHandler;
  /**
   * Gets each moment of every journey (`JourneyEvent`: a challenge started, a code or answers
   * submitted, a wrong answer, a lockout, a resend or retry, a send refused, the decision), once,
   * from the instance that stored it, with closed values and the shop's `inquiryId`: never a
   * contact, a code or a session id. Called after the response's work; errors are logged.
   */
  onEvent?: JourneyEventListener;
  /** node-redis as the host installed it (e.g. another major version); `@redis/client` is loaded otherwise. */
  redis?: RedisModule;
  /** Account Protection paths Kount has not pinned (resend, passcode check) or that differ per tenant; defaults in `DEFAULT_ACCOUNT_PROTECTION_PATHS`. */
  accountProtectionPaths?: Partial<AccountProtectionPaths>;
}

export type RelayOptions = z.input<typeof RelayConfig> & RelayDependencies;

const DEPENDENCY_NAMES = ['fetch', 'now', 'random', 'sleep', 'logger', 'store', 'redis', 'onMfaStatus', 'onEvent', 'accountProtectionPaths'] as const satisfies ReadonlyArray<keyof RelayDependencies>;

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
export type EnvironmentKind = 'text' | 'integer' | 'list' | 'secrets' | 'boolean';

/** How one environment variable feeds one option. */
export interface EnvironmentEntry {
  readonly variable: string;
  readonly kind: EnvironmentKind;
  /** A name the variable had before; read when the variable itself is not set. */
  readonly formerly?: string;
  /** What the option does, as the configuration page's table says it (Markdown; links relative to docs/relay/). */
  readonly meaning: string;
  /** What happens when it is not set, for an option the schema has no default for (Markdown). */
  readonly unset?: string;
}

/**
 * Which environment variable feeds which option, how its text becomes a value, and what the
 * configuration page's table (docs/relay/configuration.md) says of it (`meaning`; `unset` where the
 * schema has no default). That table is written from this list and the schema's defaults by the build.
 */
export const ENVIRONMENT = {
  apiUrl: {
    variable: 'KOUNT_API_URL',
    kind: 'text',
    meaning: 'Kount 360 API host, e.g. `https://api-sandbox.kount.com`',
    unset: 'the local sandbox (demo)',
  },
  tokenUrl: {
    variable: 'KOUNT_TOKEN_URL',
    kind: 'text',
    meaning: 'OAuth2 token endpoint, e.g. `https://login-uat.equifax.com/as/token`',
    unset: 'the local sandbox (demo)',
  },
  apiKey: {
    variable: 'KOUNT_API_KEY',
    kind: 'text',
    meaning: "the portal's API key, sent after `Basic ` to the token endpoint",
    unset: 'sandbox key (demo)',
  },
  clientId: {
    variable: 'KOUNT_CLIENT_ID',
    kind: 'text',
    meaning: 'Kount client id, sent as `x-client-id`',
    unset: 'sandbox id (demo)',
  },
  assessPath: {
    variable: 'KOUNT_ASSESS_PATH',
    kind: 'text',
    meaning: 'Identity Proofing assessment path (not published by Kount: check with your Kount contact)',
  },
  verifyPath: {
    variable: 'KOUNT_VERIFY_PATH',
    kind: 'text',
    meaning: 'step-up verification path',
  },
  timeoutMs: {
    variable: 'KOUNT_TIMEOUT_MS',
    kind: 'integer',
    meaning: 'time limit per Kount call',
  },
  sessionSecret: {
    variable: 'RELAY_SESSION_SECRET',
    kind: 'secrets',
    meaning: '≥ 32 characters, signs session handles and admission tokens and seals what the store keeps; a comma-separated list while rotating: the first signs and seals, every one verifies and opens. Rotate in two phases on every instance: add the new one last (`old,new`), then put it first (`new,old`), then drop the old one after the longer of a session life and one hour (see [Rotating secrets](instances.md#rotating-secrets-in-two-phases))',
    unset: 'random per start (demo)',
  },
  allowedOrigins: {
    variable: 'RELAY_ALLOWED_ORIGINS',
    kind: 'list',
    meaning: 'comma-separated origins allowed to call the relay from another origin (CORS + CSRF)',
    unset: 'none',
  },
  publicOrigin: {
    variable: 'RELAY_PUBLIC_ORIGIN',
    kind: 'text',
    meaning: "the shop's origin as browsers see it, behind a proxy that ends TLS or rewrites `Host`; counts as the same origin",
    unset: 'none',
  },
  trustForwardedHeaders: {
    variable: 'RELAY_TRUST_FORWARDED_HEADERS',
    kind: 'boolean',
    meaning: "`true`: read `X-Forwarded-Proto` / `X-Forwarded-Host` for the same-origin check; only behind a proxy that sets them and drops clients' copies",
  },
  basePath: {
    variable: 'RELAY_BASE_PATH',
    kind: 'text',
    meaning: 'where the browser API is mounted',
  },
  sessionTtlSeconds: {
    variable: 'RELAY_SESSION_TTL_SECONDS',
    kind: 'integer',
    meaning: 'life of a verification session and its handle',
  },
  webhookPublicKey: {
    variable: 'KOUNT_WEBHOOK_PUBLIC_KEY',
    kind: 'text',
    meaning: "Kount's webhook signing key (PEM, or the Base64 DER key the portal shows); while Kount rotates it, both keys (PEM blocks one after another, or Base64 keys separated by commas), and a delivery signed with either is accepted. Add Kount's new key on every instance before Kount signs with it; unset, the webhook route answers 503",
    unset: 'the sandbox\'s key (demo)',
  },
  heartbeatSeconds: {
    variable: 'RELAY_SSE_HEARTBEAT_SECONDS',
    kind: 'integer',
    meaning: 'heartbeat comment interval on live-update streams (1 to 15)',
  },
  streamsPerSession: {
    variable: 'RELAY_STREAMS_PER_SESSION',
    kind: 'integer',
    meaning: 'open live-update streams one session may hold over all instances (1 to 16); one more closes the oldest, which then polls',
  },
  streamsPerClientNetwork: {
    variable: 'RELAY_STREAMS_PER_CLIENT_NETWORK',
    kind: 'integer',
    meaning: 'open live-update streams one client network (an IPv4 address or an IPv6 /64) may hold over all instances; one more closes the oldest, which then polls. Raise it when many shoppers share one address (a carrier NAT)',
  },
  storeUrl: {
    variable: 'RELAY_STORE_URL',
    kind: 'text',
    meaning: 'where sessions live: `memory:` (one process) or `redis://[user:password@]host:port[/db]` / `rediss://…` (TLS) for several instances; with `RELAY_STORE_MODE=cluster` one or more seed nodes, with `sentinel` the sentinels, comma-separated (no `/db`), see [Several instances](instances.md)',
  },
  storeMode: {
    variable: 'RELAY_STORE_MODE',
    kind: 'text',
    meaning: '`standalone` (one primary), `cluster` (Redis Cluster) or `sentinel` (a primary watched by Sentinel, followed through a failover)',
  },
  storeSentinelName: {
    variable: 'RELAY_STORE_SENTINEL_NAME',
    kind: 'text',
    meaning: 'with `sentinel`: the name the sentinels monitor the primary under',
    unset: 'none (required with `sentinel`)',
  },
  storeNodeUsername: {
    variable: 'RELAY_STORE_NODE_USERNAME',
    kind: 'text',
    meaning: "with `sentinel`: the data nodes' ACL user (the sentinels' credentials go in their URLs)",
    unset: 'none',
  },
  storeNodePassword: {
    variable: 'RELAY_STORE_NODE_PASSWORD',
    kind: 'text',
    meaning: "with `sentinel`: the data nodes' password",
    unset: 'none',
  },
  storeMinReplicasAcked: {
    variable: 'RELAY_STORE_MIN_REPLICAS_ACKED',
    kind: 'integer',
    meaning: "replicas that must acknowledge each session write (`WAIT`, within `RELAY_STORE_TIMEOUT_MS`) before the relay answers; when fewer do, the answer is `503 store_unavailable` and the change is not reported as done",
    unset: '1 where the primary has replicas, else 0',
  },
  storePrefix: {
    variable: 'RELAY_STORE_PREFIX',
    kind: 'text',
    meaning: 'put before every key in Redis (several relays, or other programs, can share one Redis)',
  },
  storeTimeoutMs: {
    variable: 'RELAY_STORE_TIMEOUT_MS',
    kind: 'integer',
    meaning: 'time limit of every Redis command; over it the request gets `503 store_unavailable`',
  },
  maxFailedOtpAttempts: {
    variable: 'RELAY_MAX_WRONG_CODES',
    kind: 'integer',
    formerly: 'RELAY_MAX_FAILED_OTP_ATTEMPTS',
    meaning: 'wrong codes per session before answers are refused for a while (1 to 100) (`RELAY_MAX_FAILED_OTP_ATTEMPTS`, its former name, is still read)',
  },
  otpLockoutSeconds: {
    variable: 'RELAY_OTP_LOCKOUT_SECONDS',
    kind: 'integer',
    meaning: 'how long answers are refused after the last wrong code allowed',
  },
  maxResends: {
    variable: 'RELAY_MAX_RESENDS',
    kind: 'integer',
    meaning: 'resends (and DocV retries) per session (0 to 20)',
  },
  resendIntervalSeconds: {
    variable: 'RELAY_RESEND_INTERVAL_SECONDS',
    kind: 'integer',
    meaning: 'least time between two sends of one session',
  },
  sendsPerDestinationPerHour: {
    variable: 'RELAY_SENDS_PER_DESTINATION_PER_HOUR',
    kind: 'integer',
    meaning: 'codes and links sent to one phone number or e-mail address in an hour for one client network (an IPv4 address or an IPv6 /64; starts without `clientIp` share one network), over all sessions and instances',
  },
  sendsPerDestinationPerDay: {
    variable: 'RELAY_SENDS_PER_DESTINATION_PER_DAY',
    kind: 'integer',
    meaning: 'the same in a day',
  },
  sendsPerDestinationHardCapPerDay: {
    variable: 'RELAY_SENDS_PER_DESTINATION_HARD_CAP_PER_DAY',
    kind: 'integer',
    meaning: 'codes and links sent to one phone number or e-mail address in a day from all networks together (pumping from many networks); a warning is logged from 80 % of it, and at each refusal',
    unset: 'three times `RELAY_SENDS_PER_DESTINATION_PER_DAY` (30)',
  },
  challengesPerClientIpPerHour: {
    variable: 'RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR',
    kind: 'integer',
    meaning: 'challenges `relay.admitChallenge` lets one client network (an IPv4 address or an IPv6 /64) start in an hour',
  },
  trustedProxies: {
    variable: 'RELAY_TRUSTED_PROXIES',
    kind: 'list',
    meaning: "comma-separated addresses and CIDR blocks (IPv4 and IPv6) of the proxies in front of the shop: `relay.clientAddress` reads `X-Forwarded-For` from the right past these only; set it to your load balancer's addresses, never to a range clients can connect from",
    unset: "none: the socket's peer is the client, `X-Forwarded-For` is never read",
  },
  defaultCountryCallingCode: {
    variable: 'RELAY_DEFAULT_COUNTRY_CALLING_CODE',
    kind: 'text',
    meaning: 'country calling code (digits, no `+`) put in front of phone numbers written without `+` or `00` (a leading trunk `0` is dropped), before they are counted or sent: every number is E.164',
  },
  logLevel: {
    variable: 'RELAY_LOG_LEVEL',
    kind: 'text',
    meaning: '`debug`, `info`, `warn` or `error`: lines below it are not written (the console logger; a `logger` given in code decides for itself)',
  },
} as const satisfies Record<keyof RelayConfig, EnvironmentEntry>;

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
  if (parsed.success) {
    const problems = storeProblems(parsed.data);
    if (problems.length === 0) return parsed.data;
    throw new Error(`Invalid relay configuration: ${problems.map(({ field, problem }) => `${describeField(field)} ${problem}`).join('; ')}`);
  }
  const problems = parsed.error.issues.map((issue) => {
    const [field = '', ...rest] = issue.path.map(String);
    const name = describeField(field) + (rest.length > 0 ? `[${rest.join('.')}]` : '');
    const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[field] : undefined;
    return `${name} ${explainConfigIssue(issue, given)}`;
  });
  throw new Error(`Invalid relay configuration: ${problems.join('; ')}`);
}

/**
 * A variable's text: `NAME`, or the contents of the file `NAME_FILE` names (Docker and Kubernetes
 * secrets), one trailing newline trimmed. Both set is refused by name; the value is never quoted.
 */
export function environmentText(env: Record<string, string | undefined>, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  const hasDirect = direct !== undefined && direct.trim() !== '';
  const hasFile = file !== undefined && file.trim() !== '';
  if (hasDirect && hasFile) throw new Error(`Invalid relay configuration: ${name} and ${name}_FILE are both set; keep one`);
  if (hasDirect) return direct;
  if (!hasFile) return undefined;
  let text: string;
  try {
    text = readFileSync(file.trim(), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`Invalid relay configuration: ${name}_FILE names a file that cannot be read (${code})`);
  }
  const trimmed = text.replace(/\r?\n$/, '');
  if (trimmed.trim() === '') throw new Error(`Invalid relay configuration: ${name}_FILE names an empty file`);
  return trimmed;
}

/**
 * The options an environment gives for a table of entries, as values the schema checks, and the
 * variable each was read from (its `_FILE` or former name included), for messages that name it.
 */
export function readEnvironment(
  env: Record<string, string | undefined>,
  entries: Readonly<Record<string, EnvironmentEntry>>,
): { values: Record<string, unknown>; readFrom: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const readFrom: Record<string, string> = {};
  for (const [field, entry] of Object.entries(entries)) {
    const current = environmentText(env, entry.variable);
    const former = entry.formerly === undefined ? undefined : environmentText(env, entry.formerly);
    if (current !== undefined && former !== undefined && current.trim() !== former.trim()) {
      throw new Error(`Invalid relay configuration: ${entry.variable} and ${entry.formerly} (its former name) are both set, to different values; keep ${entry.variable}`);
    }
    const raw = current ?? former;
    if (raw === undefined) continue;
    values[field] = environmentValue(raw, entry.kind);
    readFrom[field] = current !== undefined ? entry.variable : entry.formerly!;
  }
  return { values, readFrom };
}

/**
 * Reads the relay's options from the environment. `defaults` fill in what the environment leaves
 * out (the environment wins); the result is fully checked, so a bad deployment fails at start-up.
 * Every variable may instead be given as `NAME_FILE`, the path of a file holding the value.
 */
export function relayOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  defaults: Partial<RelayOptions> = {},
): RelayConfig & RelayDependencies {
  const { values: fromEnvironment, readFrom } = readEnvironment(env, ENVIRONMENT);
  const { config: defaultConfig, dependencies } = splitRelayOptions(defaults);
  const config = parseRelayConfig({ ...defaultConfig, ...fromEnvironment }, (field) =>
    readFrom[field] ?? (field in ENVIRONMENT ? ENVIRONMENT[field as EnvironmentField].variable : field),
  );
  return { ...config, ...dependencies };
}

/** Every option's default, as the schema fills it in (what the configuration page's table shows). */
export function relayConfigDefaults(): Partial<RelayConfig> {
  const required = { apiUrl: 'https://kount.invalid', tokenUrl: 'https://kount.invalid', apiKey: '-', clientId: '-', sessionSecret: '-'.repeat(32) };
  const filled: Partial<RelayConfig> = RelayConfig.parse(required);
  for (const field of Object.keys(required) as (keyof RelayConfig)[]) delete filled[field];
  return filled;
}
