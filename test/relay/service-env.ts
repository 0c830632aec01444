/** The environment a standalone service is started with in tests: the sandbox's Kount, loopback ports the system picks. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
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

/**
 * An OTP journey through a standalone service, as a shop runs it: the backend starts it over the
 * admin API (with `headers`, a traceparent say), the page answers the inbox's code through the
 * browser API and gets ALLOW. Answers what must never show up in telemetry.
 */
export async function otpJourneyThroughService(
  service: { adminUrl: string; publicUrl: string; relay: { settled(): Promise<void> } },
  sandbox: RunningSandbox,
  shop: { adminKey: string; email: string; phoneNumber: string; headers?: Record<string, string> },
): Promise<{ code: string; handle: string }> {
  const contact = { email: shop.email, phoneNumber: shop.phoneNumber };
  const started = await fetch(`${service.adminUrl}/admin/v1/assessments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.adminKey}`, 'content-type': 'application/json', ...shop.headers },
    body: JSON.stringify({ contact, assessment: { strategy: 'CheckoutStepUp', inquiryId: randomUUID(), deviceSessionId: 'device-1', applicant: contact } }),
  });
  assert.equal(started.status, 200);
  const { challenge } = (await started.json()) as { challenge: { handle: string; view: { action: { method: string } } } };
  assert.equal(challenge.view.action.method, 'OTP');
  const code = sandbox.sandbox.messages.latest(shop.phoneNumber)?.code;
  assert.ok(code);
  const answered = await fetch(`${service.publicUrl}/verify/session/answer`, {
    method: 'POST',
    headers: { cookie: `${SESSION_COOKIE}=${challenge.handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: service.publicUrl },
    body: JSON.stringify({ method: 'OTP', otp: code }),
  });
  assert.equal(answered.status, 200);
  assert.equal(((await answered.json()) as { decision: string }).decision, 'ALLOW');
  await service.relay.settled();
  return { code, handle: challenge.handle };
}
