/**
 * The bench's floors for the request path: a minimal Hono app on the same Node adapter that
 * forwards the browser's answer to the Kount stand-in and answers with what came back, and answers
 * `GET /verify/session` with a constant view (`VIEW_JSON`, one the relay produced). No handle, no
 * validation, no session, no store: what the relay adds is measured against this.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const upstream = process.env.UPSTREAM_URL ?? '';
const view = process.env.VIEW_JSON ?? '{}';
const app = new Hono();
app.get('/verify/session', (c) => c.body(view, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }));
app.post('/verify/session/answer', async (c) => {
  const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' }, body: await c.req.text() });
  return c.body(await answer.text(), answer.status as 200, { 'content-type': 'application/json' });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${info.port}` }));
});
void server;
