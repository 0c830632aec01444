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
import { assessHandler, verifyHandler } from './identity-proofing-routes.js';
import { inboxRoutes, sandboxPageHeaders } from './inbox.js';
import { Outbox, type SentMessages } from './outbox.js';
import { tokenHandler } from './token-route.js';
import { TokenIssuer } from './tokens.js';

export interface SandboxOptions {
  readonly clientId?: string;
  /** The value expected after `Basic ` on the token endpoint. */
  readonly apiKey?: string;
  readonly tokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch; pass a fake clock to expire tokens and codes in tests. */
  readonly now?: Clock;
  /** Where clients reach the sandbox. Used for the token issuer (and later for links), never the Host header. */
  readonly publicUrl?: string;
}

export interface Sandbox {
  fetch(request: Request): Promise<Response>;
  readonly messages: SentMessages;
  readonly faults: SandboxFaults;
  stats(): SandboxStats;
  /** Forgets tokens, cases, messages, faults and counters. */
  reset(): void;
}

const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:4010';

function countRequests(counter: RequestCounter, endpoint: Endpoint): MiddlewareHandler {
  return async (_c, next) => {
    counter.count(endpoint);
    await next();
  };
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? SANDBOX_CLIENT_ID;
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  const publicUrl = (options.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');
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

  const stats = (): SandboxStats => ({ ...counter.snapshot(), tokensIssued: tokens.issuedCount });
  const reset = (): void => {
    tokens.clear();
    outbox.clear();
    cases.clear();
    faults.clear();
    counter.clear();
  };

  const apiGuard = requireApiCredentials(tokens, clientId);
  const identityProofing = { cases, outbox, now };

  const app = new Hono();
  for (const path of [SANDBOX_PATHS.token, LEGACY_TOKEN_PATH]) {
    app.post(path, countRequests(counter, 'token'), injectFaults(faults, 'token'), tokenHandler(tokens, apiKey));
  }
  // Counting and faults come before authentication: a fault must fire however the request is built.
  app.post(SANDBOX_PATHS.assess, countRequests(counter, 'assess'), injectFaults(faults, 'assess'), apiGuard, assessHandler(identityProofing));
  app.post(SANDBOX_PATHS.verify, countRequests(counter, 'verify'), injectFaults(faults, 'verify'), apiGuard, verifyHandler(identityProofing));
  app.use('/sandbox/*', sandboxPageHeaders);
  app.route('/sandbox', inboxRoutes(outbox));
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
    reset,
  };
}
