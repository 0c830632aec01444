/** Wires the relay together: configuration, Kount client, session store, browser API. */
import type { Hono } from 'hono';
import { createBrowserApi } from './browser-api.js';
import { Challenges, type ChallengeOutcome, type StartChallengeInput, type StartedChallenge } from './challenges.js';
import { parseRelayConfig, type RelayOptions } from './config.js';
import { handleFromCookieHeader } from './cookies.js';
import { KountClient } from './kount-client.js';
import { LiveUpdates, type ViewListener } from './live-updates.js';
import { createConsoleLogger } from './logger.js';
import { createStoreFromUrl } from './store.js';
import { parseWebhookPublicKey } from './webhook-signature.js';
import { WebhookReceiver } from './webhooks.js';

export interface Relay {
  /** The browser API as a standard fetch handler; mount it so requests keep their full path (base path included). */
  fetch(request: Request): Promise<Response>;
  /** For the customer's backend: `relay.kount.assess(...)` asks Kount for a decision. */
  kount: KountClient;
  /** Stores a challenge from an assessment and returns the handle, its cookie and the first view. */
  startChallenge(input: StartChallengeInput): Promise<StartedChallenge>;
  /** The authoritative result for the customer's backend; the browser's word is never trusted. */
  outcome(handle: string): Promise<ChallengeOutcome>;
  /** The handle in a `Cookie` request header, for calling `outcome` from the customer's backend. */
  handleFromCookie(cookieHeader: string | null): string | null;
  /**
   * Calls `listener` with every new view of the handle's session (answers, resends, webhooks) that
   * this process stores, until the returned function is called. Never awaited: a slow listener
   * holds nothing up. With several relay instances, only changes made by this one arrive here.
   */
  subscribe(handle: string, listener: ViewListener): () => void;
  /** Resolves once every webhook accepted so far has been applied and pushed (graceful shutdown, tests). */
  settled(): Promise<void>;
}

export function createRelay(options: RelayOptions): Relay {
  const { fetch, now = Date.now, random, sleep, logger = createConsoleLogger(), store, onMfaStatus, ...configInput } = options;
  const config = parseRelayConfig(configInput);
  // Parsed once; the configuration check above has already refused a key that does not parse.
  const publicKey = config.webhookPublicKey === undefined ? null : parseWebhookPublicKey(config.webhookPublicKey);
  if (publicKey === null) logger.info('relay.webhooks_disabled', { hint: 'KOUNT_WEBHOOK_PUBLIC_KEY is not set; POST /webhooks/kount answers 503' });
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
  });
  const sessionStore = store ?? createStoreFromUrl(config.storeUrl, now);
  const live = new LiveUpdates(sessionStore, logger);
  const challenges = new Challenges({ config, kount, store: sessionStore, now, logger, live });
  const webhooks = new WebhookReceiver({ publicKey, clientId: config.clientId, store: sessionStore, challenges, now, logger, onMfaStatus });
  const api: Hono = createBrowserApi({ config, challenges, live, webhooks, logger });

  return {
    fetch: async (request) => api.fetch(request),
    kount,
    startChallenge: (input) => challenges.start(input),
    outcome: (handle) => challenges.outcome(handle),
    handleFromCookie: (cookieHeader) => handleFromCookieHeader(cookieHeader),
    subscribe: (handle, listener) => challenges.subscribe(handle, listener),
    settled: () => webhooks.settled(),
  };
}

