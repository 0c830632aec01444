/**
 * Issue 24, item 4: everyone runs the demo from one address, so the relay's per-network limits
 * (20 challenges an hour from one network) locked an exploring newcomer out, with copy that blamed
 * "these details". On loopback the demo raises them, its landing page says which limits apply and
 * how to reset them, and a refusal names the limit that applied.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import { Hono } from 'hono';
import { CSRF_HEADER } from '../../src/contract/browser.js';
import { DEMO_LOOPBACK_LIMITS, startDemo, type RunningDemo } from '../../demo/app.js';
import { errorResponse } from '../../demo/responses.js';
import { RelayError } from '../../src/relay/index.js';

let demo: RunningDemo;

before(async () => {
  demo = await startDemo({ port: 0, sandboxPort: 0, env: { KOUNT_API_URL: '', KOUNT_TOKEN_URL: '' } });
});

after(async () => {
  await demo?.close();
});

function checkout(phone: string): Promise<Response> {
  return fetch(`${demo.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: demo.url, 'sec-fetch-site': 'same-origin', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ name: 'Olivia Shopper', email: 'otp@example.com', phone, deviceSessionId: randomUUID().replaceAll('-', '') }),
  });
}

describe('the demo explains its limits (issue 24, item 4)', () => {
  it('its landing page says which limits apply and how to reset them', async () => {
    const page = await (await fetch(`${demo.url}/`)).text();
    const limits = page.slice(page.indexOf('id="limits"'));
    assert.ok(page.includes('id="limits"'), 'a section about the limits');
    // The figures the demo passes to the relay, so the page cannot drift from them.
    assert.ok(limits.includes(`${DEMO_LOOPBACK_LIMITS.RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR} verifications an hour from one network`), 'the start limit per network');
    assert.ok(limits.includes(`${DEMO_LOOPBACK_LIMITS.RELAY_SENDS_PER_DESTINATION_PER_HOUR} codes an hour and ${DEMO_LOOPBACK_LIMITS.RELAY_SENDS_PER_DESTINATION_PER_DAY} a day`), 'the limits per phone number or e-mail address');
    assert.match(limits, /npm run demo/, 'how to reset them: restart the demo');
  });

  it('a newcomer on loopback starts more than 20 challenges in an hour, each with new details', async () => {
    const run = `${process.pid % 1_000}`.padStart(3, '0');
    for (let index = 0; index < 21; index += 1) {
      const response = await checkout(`+1555${run}${String(index).padStart(4, '0')}`);
      const body = (await response.json()) as { outcome?: string; error?: { message: string } };
      assert.equal(response.status, 200, `checkout ${index + 1}: ${body.error?.message}`);
      assert.equal(body.outcome, 'CHALLENGE');
    }
  });

  for (const [limit, expected] of [
    ['network', 'Too many verifications were started from this network. Please try again later.'],
    ['destination', 'We have sent too many codes to these details. Please try again later.'],
  ] as const) {
    it(`the shop's refusal names the ${limit} limit to the shopper, and passes the detail on`, async () => {
      const log = mock.method(console, 'error', () => {});
      try {
        const app = new Hono().post('/api/checkout', (c) => errorResponse(c, new RelayError('send_limited', 'developer text', { retryAfterSeconds: 600, limit })));
        const response = await app.request('/api/checkout', { method: 'POST' });
        assert.equal(response.status, 429);
        assert.deepEqual(await response.json(), { error: { code: 'send_limited', message: expected, retryAfterSeconds: 600, limit } });
      } finally {
        log.mock.restore();
      }
    });
  }
});
