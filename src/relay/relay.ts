/** Wires the relay together: configuration, Kount client, session store, browser API. */
import type { Hono } from 'hono';
import { createBrowserApi } from './browser-api.js';
import { Challenges, type ChallengeOutcome, type StartChallengeInput, type StartedChallenge } from './challenges.js';
import { parseRelayConfig, type RelayOptions } from './config.js';
import { handleFromCookieHeader } from './cookies.js';
import { KountClient } from './kount-client.js';
import { createConsoleLogger } from './logger.js';
import { createStoreFromUrl } from './store.js';

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
}

export function createRelay(options: RelayOptions): Relay {
  const { fetch, now = Date.now, random, sleep, logger = createConsoleLogger(), store, ...configInput } = options;
  const config = parseRelayConfig(configInput);
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
  const challenges = new Challenges({ config, kount, store: store ?? createStoreFromUrl(config.storeUrl, now), now, logger });
  const api: Hono = createBrowserApi({ config, challenges, logger });

  return {
    fetch: async (request) => api.fetch(request),
    kount,
    startChallenge: (input) => challenges.start(input),
    outcome: (handle) => challenges.outcome(handle),
    handleFromCookie: (cookieHeader) => handleFromCookieHeader(cookieHeader),
  };
}

