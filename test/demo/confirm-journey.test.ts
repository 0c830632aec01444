/**
 * Issue 23, item 11: the demo's `/api/:journey/confirm` ignored `:journey`, so the cookies of a
 * passed checkout confirmed on `/api/login/confirm` (a sign-in the shopper never verified). The
 * confirm route now takes only an order started on its own journey.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER } from '../../src/contract/browser.js';
import { startDemo, type RunningDemo } from '../../demo/app.js';

let demo: RunningDemo;

before(async () => {
  demo = await startDemo({ port: 0, sandboxPort: 0, env: { KOUNT_API_URL: '', KOUNT_TOKEN_URL: '' } });
});

after(async () => {
  await demo?.close();
});

/** A POST as the demo's page sends it, with the browser's cookies. */
function post(path: string, cookies: string, body: unknown = {}): Promise<Response> {
  return fetch(`${demo.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: demo.url, 'sec-fetch-site': 'same-origin', [CSRF_HEADER]: '1', cookie: cookies },
    body: JSON.stringify(body),
  });
}

/** A checkout whose code was answered right: the browser's cookies for it (the relay's handle and the shop's order). */
async function passedCheckout(): Promise<string> {
  const phone = `+1555${String(process.pid % 10_000).padStart(4, '0')}777`;
  const started = await post('/api/checkout', '', { name: 'Olivia Shopper', email: 'otp@example.com', phone, deviceSessionId: randomUUID().replaceAll('-', '') });
  assert.equal(((await started.json()) as { outcome: string }).outcome, 'CHALLENGE');
  const cookies = started.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const inbox = (await (await fetch(`${demo.sandboxUrl}/sandbox/inbox.json?to=${encodeURIComponent(phone)}`)).json()) as { messages: Array<{ code?: string }> };
  const code = inbox.messages[0]?.code;
  assert.ok(code, 'the sandbox sent a code');
  const answered = await post('/verify/session/answer', cookies, { method: 'OTP', otp: code });
  assert.equal(answered.status, 200);
  return cookies;
}

describe("the demo's confirm route checks the journey the cookies belong to (issue 23, item 11)", () => {
  it("a passed checkout's cookies do not confirm a sign-in or an account opening; they confirm the checkout", async () => {
    const cookies = await passedCheckout();
    for (const journey of ['login', 'open-account', 'signup']) {
      const refused = await post(`/api/${journey}/confirm`, cookies);
      assert.equal(refused.status, 401, journey);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'session_missing', journey);
    }
    const confirmed = await post('/api/checkout/confirm', cookies);
    assert.equal(confirmed.status, 200);
    assert.deepEqual(await confirmed.json(), { state: 'decided', decision: 'ALLOW' });
  });
});
