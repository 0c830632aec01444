// A shop on plain node:http: the relay under /verify, the shop's checkout route, and the built page (./dist) if there is one.
// #region recipe node-http
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RelayError, createRelay, relayOptionsFromEnv, toErrorResponse, toNodeListener } from 'k360-verify/relay';
import { checkout, servePage } from './shop.js'; // the shop's own: its checkout (see "Integrate") and its pages

const relay = createRelay(relayOptionsFromEnv()); // KOUNT_* and RELAY_* from the environment
await relay.connect(); // a wrong RELAY_STORE_URL stops start-up here
const relayListener = toNodeListener(relay);

const server = createServer((request, response) => {
  if (request.url === relay.basePath || request.url?.startsWith(`${relay.basePath}/`)) void relayListener(request, response);
  else if (request.method === 'POST' && request.url === '/api/checkout') void startCheckout(request, response);
  else void servePage(request, response);
});

async function startCheckout(request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    // It sends codes: the relay's CSRF and Origin check (403 for another site's form or script).
    relay.assertMayChangeState(asFetchRequest(request));
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const result = await checkout(relay, JSON.parse(body) as { email: string; phone?: string }, request.socket.remoteAddress);
    response.writeHead(200, { 'content-type': 'application/json', ...(result.setCookie ? { 'set-cookie': result.setCookie } : {}) });
    response.end(JSON.stringify({ outcome: result.outcome }));
  } catch (error) {
    if (!(error instanceof RelayError)) console.error(error);
    const refusal = toErrorResponse(error); // the relay's JSON: 403 origin_rejected, 429 send_limited…
    response.writeHead(refusal.status, Object.fromEntries(refusal.headers)).end(await refusal.text());
  }
}

/** What the check reads, as the fetch `Request` it takes: the method, the URL (on the `Host` asked for) and the headers. */
function asFetchRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(request.headersDistinct)) for (const value of values ?? []) headers.append(name, value);
  return new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`), { method: request.method ?? 'GET', headers });
}
// #endregion recipe node-http

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ event: 'ready' })));
