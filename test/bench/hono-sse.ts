/**
 * A second floor for live updates, to tell the relay's own cost from its HTTP stack's: a bare Hono
 * app on the relay's Node adapter (`@hono/node-server` with `overrideGlobalObjects: false`, as
 * src/relay/node.ts mounts it) answering `GET /events?id=…` with a `ReadableStream` of the same
 * events and one shared heartbeat timer. No handle, session, store or subscription.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { answerProcessFigures } from './process-figures.js';

const heartbeatMs = Number(process.env.HEARTBEAT_SECONDS ?? 15) * 1000;
const view = process.env.VIEW_JSON ?? '{}';
const encoder = new TextEncoder();
const beats = new Set<() => void>();
setInterval(() => {
  for (const beat of beats) beat();
}, heartbeatMs).unref();

const app = new Hono();
app.get('/events', (c) => {
  let beat: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`retry: 3000\n\nid: 0\nevent: view\ndata: ${view}\n\n`));
      beat = () => controller.enqueue(encoder.encode(': heartbeat\n\n'));
      beats.add(beat);
      c.req.raw.signal.addEventListener('abort', () => beat && beats.delete(beat), { once: true });
    },
    cancel() {
      if (beat) beats.delete(beat);
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' } });
});

const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
const server = createServer((incoming, outgoing) => {
  if (!answerProcessFigures(incoming, outgoing)) void listener(incoming, outgoing);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
