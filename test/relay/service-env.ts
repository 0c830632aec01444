/** The environment a standalone service is started with in tests: the sandbox's Kount, loopback ports the system picks. */
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, type RunningSandbox } from '../../src/sandbox/index.js';

export function sandboxServiceEnv(sandbox: RunningSandbox, secrets: { sessionSecret: string; adminKey: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KOUNT_API_URL: sandbox.url,
    KOUNT_TOKEN_URL: sandbox.url + SANDBOX_PATHS.token,
    KOUNT_API_KEY: SANDBOX_API_KEY,
    KOUNT_CLIENT_ID: SANDBOX_CLIENT_ID,
    RELAY_SESSION_SECRET: secrets.sessionSecret,
    RELAY_ADMIN_API_KEYS: secrets.adminKey,
    RELAY_PORT: '0',
    RELAY_HOST: '127.0.0.1',
    RELAY_ADMIN_PORT: '0',
    ...extra,
  };
}
