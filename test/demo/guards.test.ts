/**
 * Issue 9, item 2, in the demo shop: a cross-site `text/plain` form post could make `POST
 * /api/checkout` text any number the attacker names. Every state-changing route of the shop now has
 * the relay's CSRF header and Origin defence, and challenges are admitted by the relay's limits
 * before Kount is asked. Runs the demo in this process, on its own sandbox.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startDemo, type RunningDemo } from '../../demo/app.js';

let demo: RunningDemo;

before(async () => {
  demo = await startDemo({
    port: 0,
    sandboxPort: 0,
    env: { KOUNT_API_URL: '', KOUNT_TOKEN_URL: '', RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '3', RELAY_SENDS_PER_DESTINATION_PER_HOUR: '2' },
  });
});

after(async () => {
  await demo?.close();
});

let phoneCounter = 0;
const uniquePhone = (): string => `+1555${String(process.pid % 10_000).padStart(4, '0')}${String(phoneCounter++).padStart(3, '0')}`;

async function messagesTo(phone: string): Promise<unknown[]> {
  const response = await fetch(`${demo.sandboxUrl}/sandbox/inbox.json?to=${encodeURIComponent(phone)}`);
  return ((await response.json()) as { messages: unknown[] }).messages;
}

function checkoutBody(phone: string, email = 'otp@example.com'): string {
  return JSON.stringify({ name: 'Olivia Shopper', email, phone, deviceSessionId: randomUUID().replaceAll('-', '') });
}

/** What the demo's own page sends: same origin, JSON, the relay's CSRF header. */
function fromThePage(body: string, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', origin: demo.url, 'sec-fetch-site': 'same-origin', 'x-k360-verify': '1', ...headers }, body };
}

describe('the demo shop refuses requests it did not send itself (issue 9, item 2)', () => {
  it('a cross-site text/plain form post to /api/checkout is refused, and nothing is sent to the number it names', async () => {
    const phone = uniquePhone();
    // What an attacker's page can make a browser send: a form with enctype text/plain, no custom header.
    const response = await fetch(`${demo.url}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      body: checkoutBody(phone).replace(/}$/, ',"x":"="}'),
    });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'origin_rejected');
    assert.deepEqual(await messagesTo(phone), []);
  });

  it('every state-changing route needs the CSRF header (a same-site form cannot set it) and a same origin', async () => {
    for (const path of ['/api/checkout', '/api/signup', '/api/login', '/api/open-account', '/api/checkout/confirm', '/api/login/confirm']) {
      const withoutHeader = await fetch(`${demo.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: demo.url }, body: checkoutBody(uniquePhone()) });
      assert.equal(withoutHeader.status, 403, path);
      assert.equal(((await withoutHeader.json()) as { error: { code: string } }).error.code, 'csrf_rejected', path);
      const otherOrigin = await fetch(`${demo.url}${path}`, fromThePage(checkoutBody(uniquePhone()), { origin: 'https://attacker.example', 'sec-fetch-site': 'same-site' }));
      assert.equal(otherOrigin.status, 403, path);
    }
  });

  it('the page itself still checks out, and the shop limits the challenges one network starts and the codes one number gets', async () => {
    // This file's own limits: 3 challenges an hour per client IP, 2 codes an hour per number.
    // Checkouts Kount allows send nothing: their admissions are given back, so they use up nothing.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const allowed = await fetch(`${demo.url}/api/checkout`, fromThePage(checkoutBody(uniquePhone(), 'allow@example.com')));
      assert.deepEqual(await allowed.json(), { outcome: 'ALLOW' });
    }
    const phone = uniquePhone();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${demo.url}/api/checkout`, fromThePage(checkoutBody(phone)));
      statuses.push(response.status);
      if (response.status === 429) {
        assert.ok(Number(response.headers.get('retry-after')) > 0);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'send_limited');
        assert.doesNotMatch(body.error.message, /admitChallenge|RELAY_/, 'shopper copy, not developer text');
      } else {
        // The first view comes with it, for the page's flow (demo/public/journey.js).
        const body = (await response.json()) as { outcome: string; view?: { state: string } };
        assert.equal(body.outcome, 'CHALLENGE');
        assert.equal(body.view?.state, 'challenge');
      }
    }
    assert.deepEqual(statuses, [200, 200, 429], 'the third code to this number is refused');
    assert.equal((await messagesTo(phone)).length, 2, 'and not sent');

    // The refused one counted nothing: a third challenge from this network (another number) starts, a fourth does not.
    assert.equal((await fetch(`${demo.url}/api/checkout`, fromThePage(checkoutBody(uniquePhone())))).status, 200);
    const fourthNumber = uniquePhone();
    const fourth = await fetch(`${demo.url}/api/checkout`, fromThePage(checkoutBody(fourthNumber)));
    assert.equal(fourth.status, 429);
    assert.equal(((await fourth.json()) as { error: { code: string } }).error.code, 'send_limited');
    assert.deepEqual(await messagesTo(fourthNumber), []);
  });
});
