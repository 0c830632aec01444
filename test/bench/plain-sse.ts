/**
 * The bench's floor for live updates: a plain `node:http` server-sent events server, written the
 * way a small one usually is. `GET /events?id=…` opens a stream (the `retry:` line and one view),
 * with a heartbeat comment from its own timer every `HEARTBEAT_SECONDS`; `POST /publish?id=…`
 * writes the body as an event to that id's stream. No handle, no session, no store.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProcessFigures } from './process-figures.js';

const heartbeatMs = Number(process.env.HEARTBEAT_SECONDS ?? 15) * 1000;
const view = process.env.VIEW_JSON ?? '{}';
const streams = new Map<string, ServerResponse>();
let nextId = 1;

const server = createServer((incoming, outgoing) => {
  if (answerProcessFigures(incoming, outgoing)) return;
  const url = new URL(incoming.url ?? '/', 'http://localhost');
  const id = url.searchParams.get('id') ?? '';
  if (incoming.method === 'GET' && url.pathname === '/events') {
    outgoing.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    outgoing.write(`retry: 3000\n\nid: 0\nevent: view\ndata: ${view}\n\n`);
    streams.set(id, outgoing);
    const heartbeat = setInterval(() => outgoing.write(': heartbeat\n\n'), heartbeatMs);
    outgoing.once('close', () => {
      clearInterval(heartbeat);
      if (streams.get(id) === outgoing) streams.delete(id);
    });
    return;
  }
  if (incoming.method === 'POST' && url.pathname === '/publish') {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      streams.get(id)?.write(`id: ${nextId++}\nevent: view\ndata: ${Buffer.concat(chunks).toString()}\n\n`);
      outgoing.writeHead(204).end();
    });
    return;
  }
  outgoing.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
