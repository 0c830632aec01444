/**
 * A small load balancer for the demo cluster and the multi-instance tests: each request goes to the
 * next instance in turn (no stickiness, no session affinity), bodies and event streams pass through
 * as they come. Like a real balancer it skips an instance that refuses the connection (killed,
 * restarting) and tries the next, which is safe: such a request never reached anyone.
 */
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  readonly port: number;
  /** How many requests each instance has been sent (by position in `targets`). */
  readonly served: readonly number[];
  close(): Promise<void>;
}

/** Bodies the elements and Kount send are small; anything larger is refused rather than buffered. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export async function startRoundRobinProxy(options: { targets: readonly string[]; port?: number; host?: string }): Promise<RoundRobinProxy> {
  const targets = options.targets.map((target) => new URL(target));
  const served = targets.map(() => 0);
  let next = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, attempt: number): void => {
    const index = next;
    next = (next + 1) % targets.length;
    const target = targets[index] as URL;
    const headers = { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '', 'x-forwarded-proto': 'http' };
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
      served[index] = (served[index] ?? 0) + 1;
      outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': String(index) });
      outgoing.flushHeaders();
      answer.pipe(outgoing);
      outgoing.once('close', () => answer.destroy());
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (!outgoing.headersSent && error.code === 'ECONNREFUSED' && attempt < targets.length) return forward(incoming, outgoing, body, attempt + 1);
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' }).end('No instance answered.');
      else outgoing.destroy();
    });
    outgoing.once('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        outgoing.writeHead(413).end();
        incoming.destroy();
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => forward(incoming, outgoing, Buffer.concat(chunks), 1));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    // `localhost`: browsers treat it as a secure context, so the relay's `__Host-` cookie works over http.
    url: `http://localhost:${port}`,
    port,
    served,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
