/**
 * A relay mounted in a real framework's server, with the real sandbox over HTTP and its signed
 * webhooks, and the three journeys every adapter must carry: an OTP challenge answered wrong then
 * right, a live-update stream, and a one-time link finished by Kount's signed webhook.
 */
import assert from 'node:assert/strict';
import { CSRF_HEADER, SESSION_COOKIE, SessionView } from '../../src/contract/browser.js';
import { createRelay, type Relay } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { Shopper } from '../cluster/shopper.js';
import { createCapturingLogger } from './helpers.js';

export interface MountedRelay {
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export interface FrameworkHarness {
  url: string;
  relay: Relay;
  sandbox: RunningSandbox;
  logger: ReturnType<typeof createCapturingLogger>;
  close(): Promise<void>;
}

/** `mount` starts the framework's server with the relay it is given (looked up late: the relay needs the sandbox, which needs the server's URL). */
export async function startFrameworkHarness(mount: (relay: () => Relay) => Promise<MountedRelay>): Promise<FrameworkHarness> {
  let relay: Relay | undefined;
  const mounted = await mount(() => {
    if (relay === undefined) throw new Error('the relay is not ready yet');
    return relay;
  });
  const sandbox = await startSandbox({ webhookUrl: `${mounted.url}/verify/webhooks/kount`, webhookRetryIntervalMs: 100 });
  const logger = createCapturingLogger();
  relay = createRelay({
    apiUrl: sandbox.url,
    tokenUrl: sandbox.url + SANDBOX_PATHS.token,
    apiKey: SANDBOX_API_KEY,
    clientId: SANDBOX_CLIENT_ID,
    sessionSecret: 'framework-secret-0123456789-abcdefghijk',
    webhookPublicKey: sandbox.sandbox.webhookPublicKey,
    logger,
  });
  return {
    url: mounted.url,
    relay,
    sandbox,
    logger,
    async close() {
      await sandbox.close();
      await mounted.close();
      await relay?.close();
    },
  };
}

async function challenge(harness: FrameworkHarness, email: string, phoneNumber: string): Promise<Shopper> {
  const { relay } = harness;
  const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'device-1', applicant: { email, phoneNumber } });
  const started = await relay.startChallenge({ assessment, contact: { email, phoneNumber } });
  return Shopper.withHandle(harness.url, started.handle);
}

/** Wrong code (422 wrong_code), then the code from the inbox (ALLOW), all through the framework. */
export async function otpJourney(harness: FrameworkHarness): Promise<void> {
  const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const shopper = await challenge(harness, 'otp@example.com', phone);
  const view = await shopper.view();
  assert.equal(view.state === 'challenge' && view.action.method, 'OTP');
  const code = harness.sandbox.sandbox.messages.latest(phone)?.code;
  assert.ok(code);
  const wrong = await shopper.answer({ method: 'OTP', otp: code === '000000' ? '111111' : '000000' });
  assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
  assert.equal((wrong.body as { error: { code: string } }).error.code, 'wrong_code');
  const right = await shopper.answer({ method: 'OTP', otp: code });
  assert.equal(right.status, 200, JSON.stringify(right.body));
  assert.deepEqual(right.body, { state: 'decided', decision: 'ALLOW', revision: 2 });
}

/** The live-update stream opens through the framework and carries the current view. */
export async function eventStream(harness: FrameworkHarness): Promise<void> {
  const shopper = await challenge(harness, 'oth@example.com', '+15550001111');
  const stream = await shopper.events();
  assert.equal(stream.status, 200);
  const first = await stream.waitFor(() => true);
  assert.equal(first.view.state === 'challenge' && first.view.action.method, 'OTH');
  await stream.close();
}

/** A one-time link confirmed "on the phone": the sandbox's signed webhook decides the session. Answers the delivery statuses. */
export async function signedWebhook(harness: FrameworkHarness): Promise<{ statuses: Array<number | null>; decided: SessionView }> {
  const shopper = await challenge(harness, 'oth@example.com', '+15550002222');
  const link = harness.sandbox.sandbox.messages.latest('oth@example.com')?.link;
  assert.ok(link);
  const before = harness.sandbox.sandbox.webhooks.deliveries().length;
  await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=confirm', redirect: 'manual' });
  // The first delivery is enough to know how the framework handled it.
  const deadline = Date.now() + 5000;
  while (harness.sandbox.sandbox.webhooks.deliveries().length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const statuses = harness.sandbox.sandbox.webhooks.deliveries().slice(before).map((delivery) => delivery.status);
  return { statuses, decided: await shopper.view() };
}

/** A state-changing browser call, as `<verification-flow>` on the shop's own origin sends it. */
export function browserPost(harness: FrameworkHarness, path: string, handle: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${harness.url}/verify${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, [CSRF_HEADER]: '1', origin: harness.url, cookie: `${SESSION_COOKIE}=${handle}` },
    body,
  });
}
