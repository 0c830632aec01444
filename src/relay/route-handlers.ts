/**
 * The relay as the `GET`/`POST`/… exports of a fetch-style route file: a Next.js App Router
 * catch-all route (`app/verify/[...path]/route.ts`), or any framework whose routes take a
 * standard `Request` and answer a `Response`. Such frameworks hand the body over unread, so the
 * relay reads and checks it itself.
 */
import type { Relay } from './relay.js';

export type RouteHandler = (request: Request) => Promise<Response>;

export function routeHandlers(relay: Pick<Relay, 'fetch'>): { GET: RouteHandler; HEAD: RouteHandler; POST: RouteHandler; OPTIONS: RouteHandler } {
  const handle: RouteHandler = (request) => relay.fetch(request);
  return { GET: handle, HEAD: handle, POST: handle, OPTIONS: handle };
}
