/**
 * The bench's floors for the request path: a minimal Hono app that forwards the browser's answer
 * to the Kount stand-in and answers with what came back, and answers `GET /verify/session` with a
 * constant view (`VIEW_JSON`, one the relay produced). No handle, no validation, no session, no
 * store: what the relay adds is measured against this.
 *
 * `ADAPTER=relay` (the floor) mounts it as src/relay/node.ts mounts the relay: `@hono/node-server`'s
 * request listener with `overrideGlobalObjects: false`, so the host's global Request and Response
 * stay as they are, and every request and response is a real one. `ADAPTER=serve` uses `serve()`'s
 * defaults, which replace those globals with lighter ones: what a library must not do to its host,
 * shown for comparison.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, serve } from '@hono/node-server';
import { Hono } from 'hono';

const upstream = process.env.UPSTREAM_URL ?? '';
const view = process.env.VIEW_JSON ?? '{}';
const app = new Hono();
app.get('/verify/session', (c) => c.body(view, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }));
app.post('/verify/session/answer', async (c) => {
  const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' }, body: await c.req.text() });
  return c.body(await answer.text(), answer.status as 200, { 'content-type': 'application/json' });
});

const ready = (port: number): void => console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${port}` }));
if (process.env.ADAPTER === 'serve') {
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ready(info.port));
} else {
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
  const server = createServer((incoming, outgoing) => void listener(incoming, outgoing));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
}
