/** `k360-verify/relay/express` in a real Express 5 server: with no body parser, a plain global JSON parser, and one that keeps the raw bytes. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { keepRawBody, relayRouter } from '../../src/relay/express.js';
import type { Relay } from '../../src/relay/index.js';
import { browserPost, eventStream, otpJourney, signedWebhook, startFrameworkHarness, type FrameworkHarness, type MountedRelay } from './framework-harness.js';

type Parser = 'none' | 'json' | 'json-keeping-raw';

function expressApp(parser: Parser) {
  return async (relay: () => Relay): Promise<MountedRelay> => {
    const app = express();
    // The shop's own parser comes first, as most Express apps have it.
    if (parser === 'json') app.use(express.json());
    if (parser === 'json-keeping-raw') app.use(express.json({ verify: keepRawBody }));
    app.use((request, response, next) => relayRouter(relay())(request, response, next));
    app.get('/shop/health', (_request, response) => void response.json({ ok: true }));
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    };
  };
}

for (const parser of ['none', 'json-keeping-raw'] as const) {
  describe(`Express 5, ${parser === 'none' ? 'no body parser' : 'a global express.json({ verify: keepRawBody })'}`, () => {
    let harness: FrameworkHarness;
    before(async () => (harness = await startFrameworkHarness(expressApp(parser))));
    after(() => harness.close());

    it('finishes an OTP journey', () => otpJourney(harness));
    it('streams live updates', () => eventStream(harness));
    it('accepts a signed webhook, which decides the session', async () => {
      const { statuses, decided } = await signedWebhook(harness);
      assert.deepEqual(statuses, [200]);
      assert.deepEqual(decided.state === 'decided' && decided.decision, 'ALLOW');
    });
    it('leaves the shop’s own routes alone', async () => {
      assert.deepEqual(await (await fetch(`${harness.url}/shop/health`)).json(), { ok: true });
    });
  });
}

describe('Express 5, a plain global express.json() first', () => {
  let harness: FrameworkHarness;
  before(async () => (harness = await startFrameworkHarness(expressApp('json'))));
  after(() => harness.close());

  it('still finishes an OTP journey: the relay validates the parsed JSON', () => otpJourney(harness));

  it('refuses a webhook with 500 body_consumed naming the fix (not "bad signature"), logs it, and Kount keeps re-sending', async () => {
    const { statuses, decided } = await signedWebhook(harness);
    assert.ok(statuses.length >= 2 && statuses.every((status) => status === 500), `deliveries: ${statuses.join(', ')}`);
    assert.equal(decided.state, 'challenge');
    const logged = harness.logger.entries.find((entry) => entry.event === 'relay.body_consumed');
    assert.match(String(logged?.fields.fix), /keepRawBody/);
    assert.ok(!harness.logger.entries.some((entry) => entry.event === 'webhook.rejected'));
  });

  it('answers a body it cannot recover with body_consumed, the fix in the message', async () => {
    const app = express();
    app.use(express.text({ type: '*/*' }));
    const harnessRelay = harness.relay;
    app.use(relayRouter(harnessRelay));
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await browserPost({ ...harness, url }, '/session/answer', 'not-a-real-handle', '{"method":"OTP","otp":"123456"}');
      // The handle is checked first: a forged one is 401 before anything reads the body.
      assert.equal(response.status, 401);
      const started = await harnessRelay.startChallenge({
        assessment: await harnessRelay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: '+15550003333' } }),
        contact: { phoneNumber: '+15550003333' },
      });
      const consumed = await browserPost({ ...harness, url }, '/session/answer', started.handle, '{"method":"OTP","otp":"123456"}');
      assert.equal(consumed.status, 500);
      const body = (await consumed.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'body_consumed');
      assert.match(body.error.message, /Mount the relay before the body parser/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
