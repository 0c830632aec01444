import { Hono, type MiddlewareHandler } from 'hono';
import { requireApiCredentials } from './api-guard.js';
import { CaseStore } from './cases.js';
import { controlRoutes } from './control-routes.js';
import {
  type Clock,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  LEGACY_TOKEN_PATH,
  SANDBOX_API_KEY,
  SANDBOX_CLIENT_ID,
  SANDBOX_PATHS,
} from './defaults.js';
import { type Endpoint, RequestCounter, type SandboxStats } from './endpoints.js';
import { FaultStore, injectFaults, isAbortError, type SandboxFaults } from './faults.js';
import { docvPageRoutes } from './docv-page.js';
import { accountProtectionRoutes, type MfaStatusUpdatePayload } from './account-protection/index.js';
import { assessHandler, verifyHandler } from './identity-proofing-routes.js';
import { inboxRoutes, sandboxPageHeaders } from './inbox.js';
import { DeviceSessionLog } from './device-sessions.js';
import { KbaQuizBook } from './kba-quiz-book.js';
import { kbaRoutes } from './kba-routes.js';
import { LinkBook } from './links.js';
import { othPageRoutes } from './oth-page.js';
import { Outbox, type SentMessages } from './outbox.js';
import { tokenHandler } from './token-route.js';
import { TokenIssuer } from './tokens.js';
import {
  DEFAULT_WEBHOOK_ATTEMPT_TIMEOUT_MS,
  DEFAULT_WEBHOOK_RETRY_INTERVAL_MS,
  type SandboxWebhooks,
  WebhookDispatcher,
} from './webhook-dispatcher.js';
import { webhookRoutes } from './webhook-routes.js';
import { WebhookSigner } from './webhook-signer.js';

export interface SandboxOptions {
  readonly clientId?: string;
  /** The value expected after `Basic ` on the token endpoint. */
  readonly apiKey?: string;
  readonly tokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch; pass a fake clock to expire tokens and codes in tests. */
  readonly now?: Clock;
  /** Where clients reach the sandbox (http or https). Used for the token issuer and for links, never the Host header. */
  readonly publicUrl?: string;
  /** Where to POST signed webhooks (the relay's receiver). Unset: events are recorded in `webhooks` but not sent. */
  readonly webhookUrl?: string | undefined;
  /** Pause before each re-send of a webhook the receiver did not take (Kount: 2 minutes). */
  readonly webhookRetryIntervalMs?: number;
  /** How long one delivery attempt may take before it counts as failed. */
  readonly webhookAttemptTimeoutMs?: number;
}

export interface Sandbox {
  fetch(request: Request): Promise<Response>;
  readonly messages: SentMessages;
  readonly faults: SandboxFaults;
  stats(): SandboxStats;
  /** The webhook signing key (SubjectPublicKeyInfo, PEM): configure the relay's receiver with it. */
  readonly webhookPublicKey: string;
  /** Webhook events produced, delivery attempts, and webhook faults. */
  readonly webhooks: SandboxWebhooks;
  /** Applies passed deadlines now (an expired one-time link ends its step and sends its webhook); `startSandbox` runs it every second. */
  checkDeadlines(): void;
  /** Abandons webhook deliveries and retries still pending (records stay readable). */
  close(): void;
  /** Forgets tokens, cases, messages, links, quizzes, webhooks, faults and counters; abandons pending webhook deliveries. */
  reset(): void;
}

const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:4010';

function countRequests(counter: RequestCounter, endpoint: Endpoint): MiddlewareHandler {
  return async (_c, next) => {
    counter.count(endpoint);
    await next();
  };
}

/** An absolute http(s) URL without a trailing slash; anything else is a configuration error. */
function httpUrl(value: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new TypeError(`${option} must be an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`${option} must be an absolute http(s) URL`);
  return value.replace(/\/+$/, '');
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? SANDBOX_CLIENT_ID;
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  const publicUrl = httpUrl(options.publicUrl ?? DEFAULT_PUBLIC_URL, 'publicUrl');
  const webhookUrl = options.webhookUrl === undefined || options.webhookUrl === '' ? undefined : httpUrl(options.webhookUrl, 'webhookUrl');
  const tokens = new TokenIssuer({
    clientId,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    now,
    issuer: `${publicUrl}/as`,
  });
  const outbox = new Outbox(now);
  const cases = new CaseStore();
  const faults = new FaultStore();
  const counter = new RequestCounter();
  const links = new LinkBook(publicUrl, now);
  const quizzes = new KbaQuizBook();
  const deviceSessions = new DeviceSessionLog();
  const signer = new WebhookSigner();
  // With a receiver configured the key is made now, so the relay can be given it before any event.
  if (webhookUrl !== undefined) void signer.publicKeyPem;
  const webhooks = new WebhookDispatcher({
    signer,
    target: webhookUrl,
    now,
    retryIntervalMs: options.webhookRetryIntervalMs ?? DEFAULT_WEBHOOK_RETRY_INTERVAL_MS,
    attemptTimeoutMs: options.webhookAttemptTimeoutMs ?? DEFAULT_WEBHOOK_ATTEMPT_TIMEOUT_MS,
  });

  const stats = (): SandboxStats => ({ ...counter.snapshot(), tokensIssued: tokens.issuedCount });
  const reset = (): void => {
    tokens.clear();
    outbox.clear();
    cases.clear();
    faults.clear();
    counter.clear();
    links.clear();
    quizzes.clear();
    webhooks.clear();
    deviceSessions.clear();
  };

  const apiGuard = requireApiCredentials(tokens, clientId);
  const identityProofing = { cases, services: { now, outbox, links, quizzes, clientId, webhooks } };

  const app = new Hono();
  for (const path of [SANDBOX_PATHS.assess, '/login/v2', '/newaccountopening/v2']) app.post(path, deviceSessions.middleware());
  for (const path of [SANDBOX_PATHS.token, LEGACY_TOKEN_PATH]) {
    app.post(path, countRequests(counter, 'token'), injectFaults(faults, 'token'), tokenHandler(tokens, apiKey));
  }
  // Counting and faults come before authentication: a fault must fire however the request is built.
  app.post(SANDBOX_PATHS.assess, countRequests(counter, 'assess'), injectFaults(faults, 'assess'), apiGuard, assessHandler(identityProofing));
  app.post(SANDBOX_PATHS.verify, countRequests(counter, 'verify'), injectFaults(faults, 'verify'), apiGuard, verifyHandler(identityProofing));
  // Account Protection's MFA.StatusUpdate goes out signed like every other webhook (Kount's
  // "Verification Status Update"); the MFA id stands in for both ids the dispatcher records.
  const publishMfaStatus = (event: MfaStatusUpdatePayload): void => {
    webhooks.emit({ kind: 'MFA.StatusUpdate', authenticationId: event.mfaId, sessionId: event.mfaId, payload: { ...event } });
  };
  app.route('/', accountProtectionRoutes({ apiGuard, outbox, now, publicUrl, clientId, publishMfaStatus })); // before the controls: it hooks /sandbox/reset
  app.use('/sandbox/*', sandboxPageHeaders);
  app.route('/sandbox', inboxRoutes(outbox, links, quizzes));
  app.route('/sandbox', kbaRoutes(quizzes));
  app.get('/sandbox/device-sessions.json', (c) => c.json({ deviceSessionIds: deviceSessions.list() }));
  app.route('/sandbox', othPageRoutes(links));
  app.route('/sandbox', docvPageRoutes(links));
  app.route('/sandbox', webhookRoutes(webhooks, () => signer.publicKeyPem));
  app.route('/sandbox', controlRoutes({ faults, stats, reset }));
  app.notFound((c) => c.json({ error: 'not_found', message: 'no such sandbox route' }, 404));
  app.onError((error, c) => {
    // A client that gave up during a delay or hang sees its own abort, as with a real server.
    if (isAbortError(error)) throw error;
    // Only the error's name: messages could quote request data, and logs must stay free of PII.
    console.error(`[k360-sandbox] internal error: ${error.name}`);
    return c.json({ error: 'internal_error', message: 'the sandbox failed' }, 500);
  });

  return {
    fetch: async (request) => app.fetch(request),
    messages: outbox,
    faults,
    stats,
    get webhookPublicKey() {
      return signer.publicKeyPem;
    },
    webhooks,
    checkDeadlines: () => cases.checkDeadlines(),
    close: () => webhooks.stop(),
    reset,
  };
}
