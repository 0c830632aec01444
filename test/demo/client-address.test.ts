/**
 * SECURITY 39 in the demo shop (issue 23, items 3 and 12): behind its balancer the demo took the
 * first `X-Forwarded-For` entry even on a direct hit, so a shopper reaching an instance directly
 * could name any address and get a fresh per-network allowance with each one. The demo now asks
 * `relay.clientAddress`, which reads the header only from `RELAY_TRUSTED_PROXIES`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { startDemo, type RunningDemo } from '../../demo/app.js';
import { freePort } from '../../demo/cluster/redis-server.js';

const running: RunningDemo[] = [];

after(async () => {
  await Promise.all(running.map((demo) => demo.close()));
});

/** A demo that counts 2 challenges an hour per client network; `publicUrl` set as the cluster sets it for an instance behind its balancer. */
async function demoWith(env: Record<string, string>): Promise<RunningDemo> {
  const port = await freePort();
  const demo = await startDemo({
    port,
    sandboxPort: 0,
    publicUrl: `http://localhost:${port}`,
    env: { KOUNT_API_URL: '', KOUNT_TOKEN_URL: '', RELAY_CHALLENGES_PER_CLIENT_IP_PER_HOUR: '2', ...env },
  });
  running.push(demo);
  return demo;
}

let phoneCounter = 0;
const uniquePhone = (): string => `+1555${String(process.pid % 10_000).padStart(4, '0')}${String(500 + phoneCounter++).padStart(3, '0')}`;

/** A checkout Kount challenges (a code is sent), as the demo's page posts it, with `X-Forwarded-For` as given. */
async function checkout(demo: RunningDemo, forwardedFor: string): Promise<number> {
  const response = await fetch(`${demo.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: demo.url, 'sec-fetch-site': 'same-origin', 'x-k360-verify': '1', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ name: 'Olivia Shopper', email: 'otp@example.com', phone: uniquePhone(), deviceSessionId: randomUUID().replaceAll('-', '') }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('SECURITY 39: the demo reads X-Forwarded-For only from its own balancer', () => {
  it('an instance behind a balancer, hit directly with a forged X-Forwarded-For, counts the request under the socket address', async () => {
    // The balancer is elsewhere (192.0.2.1): this test's connection is a direct hit.
    const demo = await demoWith({ RELAY_TRUSTED_PROXIES: '192.0.2.1' });
    const statuses = [];
    for (const forged of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '2001:db8::9']) statuses.push(await checkout(demo, forged));
    assert.deepEqual(statuses, [200, 200, 429, 429], 'each forged address is not a fresh allowance: one network, 2 an hour');
  });

  it('a demo without a balancer never reads the header', async () => {
    const demo = await demoWith({});
    const statuses = [];
    for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) statuses.push(await checkout(demo, forged));
    assert.deepEqual(statuses, [200, 200, 429]);
  });

  it("through its own balancer (a trusted proxy), the client's address is the one the balancer forwarded", async () => {
    // This test's connection comes from loopback, like the demo cluster's balancer: its X-Forwarded-For is believed.
    const demo = await demoWith({ RELAY_TRUSTED_PROXIES: '127.0.0.1,::1' });
    assert.deepEqual([await checkout(demo, '198.51.100.7'), await checkout(demo, '198.51.100.7'), await checkout(demo, '198.51.100.8')], [200, 200, 200], 'two clients, two networks');
    assert.equal(await checkout(demo, '::ffff:198.51.100.7'), 429, 'the third from one client (in any spelling) is refused');
    assert.equal(await checkout(demo, '1.2.3.4, 198.51.100.7'), 429, 'an entry the client wrote left of the one the balancer added is not read');
  });
});
