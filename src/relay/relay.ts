/** Wires the relay together: configuration, Kount client, session store, browser API. */
import type {
  HealthAnswer,
  StartAssessmentAnswer,
  StartAssessmentRequest,
  StartLoginAnswer,
  StartLoginRequest,
  StartNewAccountOpeningAnswer,
  StartNewAccountOpeningRequest,
} from '../contract/admin-api.js';
import type { FailedAttemptV2Request } from '../contract/kount/index.js';
import { AccountProtectionClient, type ChallengeOutcomeReport, type DecisionAnswer } from './account-protection/client.js';
import { AccountProtectionV1 } from './account-protection/v1-facade.js';
import { createBrowserApi } from './browser-api.js';
import { OpenStreams } from './event-stream.js';
import { StreamLeases } from './stream-leases.js';
import { checkHealth } from './health.js';
import { registerInternals } from './internals.js';
import { ChallengeStarts } from './starts.js';
import { normalizedContact } from './channels.js';
import { clientAddressOfRequest, type ClientRequest } from './client-address.js';
import { Challenges, type ChallengeOutcome, type DecidedOutcome, type OutcomeExpectation, type StartChallengeInput, type StartedChallenge, type StartMfaChallengeInput } from './challenges.js';
import { parseRelayConfig, splitRelayOptions, type RelayOptions } from './config.js';
import { handleFromCookieHeader } from './cookies.js';
import { HandleSigner } from './handles.js';
import { KountClient } from './kount-client.js';
import { LiveUpdates, type ViewListener } from './live-updates.js';
import { createConsoleLogger, withRequestIds } from './logger.js';
import { OriginPolicy } from './origin-policy.js';
import type { RelayRequestContext } from './request-context.js';
import type { ChallengeAdmission, ChallengeRequest } from './send-limits.js';
import { createStore } from './store/index.js';
import { parseWebhookPublicKey } from './webhook-signature.js';
import { WebhookReceiver } from './webhooks.js';
import { JourneyEvents } from './journey-events.js';
import { Telemetry } from './telemetry.js';

export interface Relay {
  /**
   * The browser API as a standard fetch handler; mount it so requests keep their full path (base
   * path included). `context` is for adapters: what the host framework did to the body first.
   */
  fetch(request: Request, context?: RelayRequestContext): Promise<Response>;
  /** Where the browser API is mounted (`RELAY_BASE_PATH`), for adapters that route to it. */
  readonly basePath: string;
  /** For the customer's backend: `relay.kount.assess(...)` asks Kount for a decision. */
  kount: KountClient;
  /**
   * For the customer's backend: Kount 360 Account Protection v2 (Login, New Account Opening,
   * Challenge Outcome, Failed Attempt, MFA resend and passcode check) on the same Kount client, so
   * it shares the token cache.
   */
  accountProtection: AccountProtectionClient;
  /** The same calls for a backend still sending Login/NAO/events v1 bodies: v1 in, v2 to Kount, v1 out. */
  accountProtectionV1: AccountProtectionV1;
  /**
   * Call before an assessment, Login or New Account Opening call that may make Kount send a code or
   * link: counts one challenge for `clientIp` and one send for each contact, against the limits
   * across sessions (`RELAY_SENDS_PER_DESTINATION_PER_HOUR`/`_PER_DAY`,
   * `RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR`). Throws a `RelayError` `send_limited` (429, with
   * `retryAfterSeconds`) when one is used up: then do not ask Kount. Pass the admission to
   * `startChallenge` / `startMfaChallenge`, or `release()` it when the decision is not a challenge.
   */
  admitChallenge(request: ChallengeRequest): Promise<ChallengeAdmission>;
  /**
   * The whole Identity Proofing start in one call: `admitChallenge`, then Kount's assessment with the
   * relay's credentials, then `startChallenge` when Kount answers CHALLENGE. Answers Kount's decision
   * and, for a challenge, the `Set-Cookie` value, the handle and the first view; when no challenge
   * starts the admission is given back. Over HTTP: `POST /admin/v1/assessments`.
   */
  startAssessment(input: StartAssessmentRequest): Promise<StartAssessmentAnswer>;
  /** The same for Login v2: a CHALLENGE with an MFA the page can finish starts it (`POST /admin/v1/logins`). */
  startLogin(input: StartLoginRequest): Promise<StartLoginAnswer>;
  /** The same for New Account Opening v2 (`POST /admin/v1/new-account-openings`). */
  startNewAccountOpening(input: StartNewAccountOpeningRequest): Promise<StartNewAccountOpeningAnswer>;
  /** Stores a challenge from an assessment and returns the handle, its cookie and the first view. */
  startChallenge(input: StartChallengeInput): Promise<StartedChallenge>;
  /**
   * Stores a Login v2 / NAO v2 CHALLENGE whose MFA the page finishes (`<otp-entry>` for a passcode,
   * `<oth-waiting>` for a one-time link), exactly like `startChallenge`: same handle, cookie, browser
   * API and `outcome`. When it is decided the relay reports it to Kount with Challenge Outcome.
   */
  startMfaChallenge(input: StartMfaChallengeInput): Promise<StartedChallenge>;
  /** A wrong password (or another failed sign-in the customer saw): Kount's Failed Attempt. */
  reportFailedAttempt(request: FailedAttemptV2Request): Promise<void>;
  /**
   * The customer ran its own challenge after `decision` (a CHALLENGE without MFA): Challenge Outcome
   * against that decision's correlation id. MFAs started with `startMfaChallenge` are reported by the relay.
   */
  reportChallengeOutcome(decision: DecisionAnswer<unknown>, report: ChallengeOutcomeReport): Promise<void>;
  /**
   * The authoritative result for the customer's backend; the browser's word is never trusted. With
   * `{ inquiryId }`, a handle of another inquiry is refused (`OutcomeError` `inquiry_mismatch`).
   * To act on a decision (take the payment, sign the shopper in), use `confirm`.
   */
  outcome(handle: string, expected?: OutcomeExpectation): Promise<ChallengeOutcome>;
  /**
   * The decision of the handle's session for the inquiry being confirmed, once: a handle of another
   * inquiry (`inquiry_mismatch`), an undecided session (`outcome_pending`) and a second confirmation
   * (`outcome_consumed`, also from another instance) throw an `OutcomeError`. So a shopper who
   * passed an easy challenge on one order cannot bring its cookie back to confirm another.
   */
  confirm(handle: string, expected: OutcomeExpectation): Promise<DecidedOutcome>;
  /**
   * The relay's own defence (SECURITY 10) for the customer's state-changing routes, e.g. the one that
   * starts a checkout: throws a `RelayError` (403 `origin_rejected` or `csrf_rejected`) for a request
   * from another site or origin, or without the `x-k360-verify` header a form post cannot set.
   */
  assertMayChangeState(request: Request): void;
  /** The handle in a `Cookie` request header, for calling `outcome` from the customer's backend. */
  handleFromCookie(cookieHeader: string | null): string | null;
  /**
   * The shopper's address, to pass as `clientIp` (SECURITY 39): the socket's peer, or, when that
   * peer is one of `RELAY_TRUSTED_PROXIES`, `X-Forwarded-For` read from the right past the trusted
   * proxies; in canonical form (`::ffff:a.b.c.d` as `a.b.c.d`, IPv6 compressed, lower case).
   * Undefined when the socket's address is unknown. Give it a Node `IncomingMessage` (Express's
   * `req`, Fastify's `request.raw`) or `{ socketAddress, headers }` (Hono on Node:
   * `getConnInfo(c).remote.address` and `c.req.raw.headers`).
   */
  clientAddress(request: ClientRequest): string | undefined;
  /**
   * Calls `listener` with every new view of the handle's session (answers, resends, webhooks) that
   * any instance sharing the store stores, until the returned function is called. Never awaited: a
   * slow listener holds nothing up.
   */
  subscribe(handle: string, listener: ViewListener): () => void;
  /**
   * Connects the session store and checks its credentials. Optional (the store connects on first
   * use), but awaiting it before listening makes a wrong `RELAY_STORE_URL` stop start-up with the reason.
   */
  connect(): Promise<void>;
  /**
   * Whether this instance can serve: `ready` when the store answers within its time limit,
   * `unavailable` with the reason otherwise, or once `close()` has begun. `GET /health/ready` on the
   * admin listener answers it (200 or 503).
   */
  health(): Promise<HealthAnswer>;
  /** Resolves once the work started so far after answers went out (pushes to listeners, customer hooks, Challenge Outcome reports) is done. */
  settled(): Promise<void>;
  /**
   * Graceful shutdown: ends every open event stream with a retry hint (pages reconnect, to another
   * instance behind a balancer), waits for `settled()`, then closes the store's connections. Stop
   * the server from accepting first (`server.close()`), then call this.
   */
  close(): Promise<void>;
}

export function createRelay(options: RelayOptions): Relay {
  const { config: configInput, dependencies } = splitRelayOptions(options);
  const { fetch, random, sleep, onMfaStatus, onEvent, accountProtectionPaths } = dependencies;
  const now = dependencies.now ?? Date.now;
  const config = parseRelayConfig(configInput);
  // A logger of the host's own gets each request's ids on every line too, as the console logger does.
  const logger = withRequestIds(dependencies.logger ?? createConsoleLogger({ level: config.logLevel }));
  // Parsed once; the configuration check above has already refused a key that does not parse.
  const publicKeys = config.webhookPublicKey === undefined ? null : config.webhookPublicKey.map(parseWebhookPublicKey);
  if (publicKeys === null) logger.info('relay.webhooks_disabled', { hint: 'KOUNT_WEBHOOK_PUBLIC_KEY is not set; POST /webhooks/kount answers 503' });
  // OpenTelemetry, when the host installed its API (an optional peer): through the SDK it registered.
  const telemetry = new Telemetry();
  const kount = new KountClient({
    apiUrl: config.apiUrl,
    tokenUrl: config.tokenUrl,
    apiKey: config.apiKey,
    clientId: config.clientId,
    timeoutMs: config.timeoutMs,
    paths: { assess: config.assessPath, verify: config.verifyPath },
    ...(fetch ? { fetch } : {}),
    ...(random ? { random } : {}),
    ...(sleep ? { sleep } : {}),
    now,
    logger,
    telemetry,
  });
  // Whichever engine holds it, the store seals what it keeps (SECURITY 42).
  const store = createStore(config, { now, logger, redis: dependencies.redis, store: dependencies.store });
  const signer = new HandleSigner(config.sessionSecret, { store, logger });
  const live = new LiveUpdates(store, logger);
  const accountProtection = new AccountProtectionClient(kount, accountProtectionPaths === undefined ? {} : { paths: accountProtectionPaths });
  const events = new JourneyEvents(onEvent, logger, telemetry, { store, now });
  const challenges = new Challenges({ config, kount, store, signer, now, logger, accountProtection, events, telemetry });
  const webhooks = new WebhookReceiver({ publicKeys, clientId: config.clientId, store, target: challenges.webhooks, now, logger, onMfaStatus, telemetry });
  const origins = new OriginPolicy(config);
  const streams = new OpenStreams(new StreamLeases({ store, logger, sessionSecret: config.sessionSecret, heartbeatMs: config.heartbeatSeconds * 1000, limits: { perSession: config.streamsPerSession, perClientNetwork: config.streamsPerClientNetwork } }));
  telemetry.observeOpenStreams(() => streams.size);
  const api = createBrowserApi({ config, origins, challenges, live, webhooks, signer, now, logger, streams, telemetry });
  const starts = new ChallengeStarts(challenges, kount, accountProtection, config.defaultCountryCallingCode);
  let closing = false;
  let closed: Promise<void> | undefined;
  /** Not ready from now on, and every open event stream ended with a retry hint. */
  const beginShutdown = (): void => {
    if (closing) return;
    closing = true;
    const ended = streams.closeAll();
    if (ended > 0) logger.info('relay.events.closed_for_shutdown', { streams: ended });
  };
  const sessionIdOf = (handle: string): string => signer.verify(handle, now());

  const relay: Relay = {
    fetch: async (request, context) => api.fetch(request, context),
    basePath: config.basePath,
    kount,
    accountProtection,
    accountProtectionV1: new AccountProtectionV1(accountProtection),
    admitChallenge: (request) => challenges.admit(request),
    startAssessment: (input) => starts.startAssessment(input),
    startLogin: (input) => starts.startLogin(input),
    startNewAccountOpening: (input) => starts.startNewAccountOpening(input),
    // Contacts are kept and sent in the spelling they are counted in (SECURITY 40).
    startChallenge: (input) => challenges.start({ ...input, contact: normalizedContact(input.contact, config.defaultCountryCallingCode) }),
    startMfaChallenge: (input) => challenges.startMfa({ ...input, contact: normalizedContact(input.contact, config.defaultCountryCallingCode) }),
    reportFailedAttempt: async (request) => {
      await accountProtection.failedAttempt(request);
    },
    reportChallengeOutcome: async (decision, report) => {
      await accountProtection.challengeOutcomeFor(decision, report);
    },
    outcome: async (handle, expected) => challenges.outcome(await signer.verifyHeld(handle, now()), expected),
    confirm: async (handle, expected) => challenges.confirm(await signer.verifyHeld(handle, now()), expected),
    assertMayChangeState: (request) => origins.assertMayChangeState(request),
    handleFromCookie: (cookieHeader) => handleFromCookieHeader(cookieHeader),
    clientAddress: (request) => clientAddressOfRequest(request, config.trustedProxies),
    subscribe: (handle, listener) => {
      let stop: (() => void) | undefined;
      let stopped = false;
      live.subscribe(sessionIdOf(handle), listener).then(
        (unsubscribe) => (stopped ? unsubscribe() : (stop = unsubscribe)),
        (error: unknown) => logger.warn('relay.subscribe_failed', { error }),
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    connect: async () => {
      await telemetry.loaded;
      await store.connect();
    },
    health: () => checkHealth({ store, closing: () => closing, now }),
    settled: async () => {
      await webhooks.settled();
      await live.settled();
      await events.settled();
    },
    close: () => (closed ??= (async () => {
      beginShutdown();
      events.close();
      await webhooks.settled();
      await live.settled();
      await events.settled();
      await store.close();
    })()),
  };
  registerInternals(relay, { config, logger, admissions: challenges.admissions, openStreams: () => streams.size, beginShutdown, telemetry, sweepAbandoned: () => events.sweepAbandoned() });
  return relay;
}
