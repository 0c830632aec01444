// A shop on plain node:http: the relay under /verify, the shop's checkout route, and the built page (./dist) if there is one.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createRelay, relayOptionsFromEnv, toNodeListener } from 'k360-verify/relay';
import { checkout } from './shop.js';

// #region recipe node-http
const relay = createRelay(relayOptionsFromEnv()); // KOUNT_* and RELAY_* from the environment
await relay.connect(); // a wrong RELAY_STORE_URL stops start-up here
const relayListener = toNodeListener(relay);

const server = createServer((request, response) => {
  if (request.url === relay.basePath || request.url?.startsWith(`${relay.basePath}/`)) {
    void relayListener(request, response);
    return;
  }
  void shop(request, response); // the shop's own routes
});
// #endregion recipe node-http

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function shop(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): Promise<void> {
  if (request.method === 'POST' && request.url === '/api/checkout') {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const result = await checkout(relay, JSON.parse(body) as { email: string; phone?: string }, request.socket.remoteAddress);
    response.writeHead(200, { 'content-type': 'application/json', ...(result.setCookie ? { 'set-cookie': result.setCookie } : {}) });
    response.end(JSON.stringify({ outcome: result.outcome }));
    return;
  }
  const path = normalize(request.url === '/' ? '/index.html' : (request.url ?? '/').split('?')[0] ?? '/');
  try {
    const file = await readFile(join(process.cwd(), 'dist', path));
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(file);
  } catch {
    response.writeHead(404).end('Not found');
  }
}

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ event: 'ready' })));
