/** `k360-verify/relay/fastify` in a real Fastify 5 server, which always parses JSON bodies itself; also with a JSON parser of the app's own. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { relayPlugin } from '../../src/relay/fastify.js';
import type { Relay } from '../../src/relay/index.js';
import { eventStream, otpJourney, signedWebhook, startFrameworkHarness, type FrameworkHarness, type MountedRelay } from './framework-harness.js';

function fastifyApp(ownJsonParser: boolean) {
  return async (relay: () => Relay): Promise<MountedRelay> => {
    const app = Fastify();
    if (ownJsonParser) {
      // An app-wide parser of the shop's own, replacing Fastify's: the relay's routes must not see it.
      app.removeContentTypeParser('application/json');
      app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, { parsedByTheShop: true, text: body }));
    }
    // The relay is created after the server listens (it needs the sandbox, which needs this URL): register a forwarder.
    await app.register(relayPlugin, { relay: { fetch: (request, context) => relay().fetch(request, context), basePath: '/verify' } });
    app.post('/shop/echo', async (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  };
}

for (const ownJsonParser of [false, true]) {
  describe(`Fastify 5, ${ownJsonParser ? 'with a global JSON parser of the shop’s own' : 'with its default JSON parser'}`, () => {
    let harness: FrameworkHarness;
    before(async () => (harness = await startFrameworkHarness(fastifyApp(ownJsonParser))));
    after(() => harness.close());

    it('finishes an OTP journey', () => otpJourney(harness));
    it('streams live updates', () => eventStream(harness));
    it('accepts a signed webhook over the exact bytes, which decides the session', async () => {
      const { statuses, decided } = await signedWebhook(harness);
      assert.deepEqual(statuses, [200]);
      assert.equal(decided.state === 'decided' && decided.decision, 'ALLOW');
    });
    it('leaves the shop’s own routes and parsers alone', async () => {
      const echoed = await (await fetch(`${harness.url}/shop/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json();
      assert.deepEqual(echoed, ownJsonParser ? { parsedByTheShop: true, text: '{"a":1}' } : { a: 1 });
    });
  });
}

describe('Fastify 5 registration', () => {
  it('refuses a prefix, naming RELAY_BASE_PATH', async () => {
    const app = Fastify();
    const relay = { fetch: async () => new Response(null), basePath: '/verify' };
    await assert.rejects(async () => {
      await app.register(relayPlugin, { relay, prefix: '/api' });
      await app.ready();
    }, /without a prefix.*RELAY_BASE_PATH/);
  });
});
