/**
 * The relay and the real sandbox over HTTP, for integration tests. The relay's address must exist
 * before the sandbox (its webhook target), the sandbox's key before the relay: the sandbox signs
 * its webhooks with its own key and posts them to the relay's receiver.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { createRelay, toNodeListener, type NodeListener, type Relay, type RelayOptions } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createCapturingLogger } from './helpers.js';

export interface SandboxRelay {
  sandbox: RunningSandbox;
  relay: Relay;
  relayUrl: string;
  logger: ReturnType<typeof createCapturingLogger>;
  /** A browser call to the relay's API with the session cookie; a body makes it a POST with the CSRF header. */
  browser(path: string, handle: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** `options`: relay options over the harness's own (a Redis store, say). */
export async function startSandboxRelay(options: Partial<RelayOptions> = {}): Promise<SandboxRelay> {
  let listener: NodeListener | undefined;
  const server = createServer((incoming, outgoing) => void listener?.(incoming, outgoing));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = await startSandbox({ webhookUrl: `${relayUrl}/verify/webhooks/kount`, webhookRetryIntervalMs: 50 });
  const logger = createCapturingLogger();
  const relay = createRelay({
    apiUrl: sandbox.url,
    tokenUrl: sandbox.url + SANDBOX_PATHS.token,
    apiKey: SANDBOX_API_KEY,
    clientId: SANDBOX_CLIENT_ID,
    sessionSecret: 'integration-secret-0123456789-abcdefghij',
    webhookPublicKey: sandbox.sandbox.webhookPublicKey,
    heartbeatSeconds: 1,
    logger,
    ...options,
  });
  listener = toNodeListener(relay.fetch);

  return {
    sandbox,
    relay,
    relayUrl,
    logger,
    browser: (path, handle, init = {}) =>
      fetch(`${relayUrl}/verify${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${handle}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: relayUrl }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
    async close() {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
