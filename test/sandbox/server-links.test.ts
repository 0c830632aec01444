import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OTH_POLICY, type RunningSandbox, SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox } from '../../src/sandbox/index.js';
import { FakeClock, TOKEN_FORM } from './helpers.js';

describe('startSandbox: links and webhooks over HTTP', () => {
  const clock = new FakeClock();
  const received: string[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(body);
      response.end();
    });
  });
  let running: RunningSandbox;

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    running = await startSandbox({ port: 0, now: clock.now, webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
  });
  after(async () => {
    await running.close();
    receiver.closeAllConnections();
    receiver.close();
  });

  async function openOth(inquiryId: string): Promise<string> {
    const tokenResponse = await fetch(`${running.url}${SANDBOX_PATHS.token}`, {
      method: 'POST',
      headers: { authorization: `Basic ${SANDBOX_API_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: TOKEN_FORM,
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const assessed = await fetch(`${running.url}${SANDBOX_PATHS.assess}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-client-id': SANDBOX_CLIENT_ID, 'x-correlation-id': 'c', 'content-type': 'application/json' },
      body: JSON.stringify({ strategy: 'S', inquiryId, deviceSessionId: 'd', applicant: { email: 'oth@example.com' } }),
    });
    assert.equal(assessed.status, 200);
    const link = running.sandbox.messages.latest()?.link;
    assert.ok(link);
    return link;
  }

  it('hands out links on its own address that a browser can open and confirm', async () => {
    const link = await openOth('http-oth-1');
    assert.ok(link.startsWith(`${running.url}/sandbox/oth/`));
    const page = await fetch(link);
    assert.equal(page.status, 200);
    const confirmed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: 'choice=confirm',
      redirect: 'manual',
    });
    assert.equal(confirmed.status, 303);
    await running.sandbox.webhooks.settled();
    assert.equal(received.length, 1);
    assert.equal((JSON.parse(received[0] ?? '{}') as { verificationStatus: string }).verificationStatus, 'VERIFIED');
  });

  it('sends the expiry webhook by itself once a link has run out', async () => {
    await openOth('http-oth-2');
    const before = received.length;
    clock.advance(OTH_POLICY.lifetimeMs);
    for (let waited = 0; received.length === before && waited < 3000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(received.length, before + 1);
    assert.equal((JSON.parse(received.at(-1) ?? '{}') as { verificationStatus: string }).verificationStatus, 'TERMINATED');
  });
});
