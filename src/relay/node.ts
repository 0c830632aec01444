/** Mounting the relay in Node: `http.createServer`, Express (`app.use(listener)`) or Fastify (`reply.raw`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';

export type FetchHandler = (request: Request) => Response | Promise<Response>;
export type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

/**
 * A Node request listener for a fetch handler. Mount it before any body parser (the relay reads and
 * limits the raw body itself).
 */
export function toNodeListener(fetchHandler: FetchHandler): NodeListener {
  // overrideGlobalObjects: false, so mounting the relay does not replace the host's global Request/Response.
  const listener = getRequestListener((request) => fetchHandler(request), { overrideGlobalObjects: false });
  return (incoming, outgoing) => {
    // Express strips its mount path from `url`; the relay routes on the full path.
    const originalUrl = (incoming as IncomingMessage & { originalUrl?: unknown }).originalUrl;
    if (typeof originalUrl === 'string') incoming.url = originalUrl;
    return listener(incoming, outgoing);
  };
}
