// A shop on Express 5 with a global JSON body parser, as most have.
import express from 'express';
import { createRelay, relayOptionsFromEnv } from 'k360-verify/relay';
import { keepRawBody, relayRouter } from 'k360-verify/relay/express';
import { checkout } from './shop.js';

// #region recipe express
const relay = createRelay(relayOptionsFromEnv());
await relay.connect();

const app = express();
app.use(express.json({ verify: keepRawBody })); // keepRawBody: Kount's webhook signatures cover the raw bytes
app.use(relayRouter(relay)); // answers under /verify (RELAY_BASE_PATH), passes everything else on
// #endregion recipe express

app.post('/api/checkout', async (request, response) => {
  const result = await checkout(relay, request.body as { email: string; phone?: string }, request.ip);
  if (result.setCookie) response.setHeader('set-cookie', result.setCookie);
  response.json({ outcome: result.outcome });
});

app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ event: 'ready' })));
