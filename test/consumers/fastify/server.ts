// A shop on Fastify 5, which parses JSON bodies itself.
import Fastify from 'fastify';
import { createRelay, relayOptionsFromEnv } from 'k360-verify/relay';
import { relayPlugin } from 'k360-verify/relay/fastify';
import { checkout } from './shop.js';

// #region recipe fastify
const relay = createRelay(relayOptionsFromEnv());
await relay.connect();

const app = Fastify();
await app.register(relayPlugin, { relay }); // no prefix: it answers under /verify (RELAY_BASE_PATH)
// #endregion recipe fastify

app.post('/api/checkout', async (request, reply) => {
  const result = await checkout(relay, request.body as { email: string; phone?: string }, request.ip);
  if (result.setCookie) void reply.header('set-cookie', result.setCookie);
  return { outcome: result.outcome };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log(JSON.stringify({ event: 'ready' }));
