/**
 * Mounting the relay in Node: `http.createServer(toNodeListener(relay))`, and underneath the
 * Express router and the Fastify plugin. It turns Node's request into a standard `Request` (the
 * full path, even where Express stripped its mount path) and tells the relay what a body parser
 * that ran first left: the raw bytes it kept, the JSON it parsed, or nothing it can use.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { getRequestListener } from '@hono/node-server';
import type { RelayRequestContext, RequestBody } from './request-context.js';

export type FetchHandler = (request: Request, context?: RelayRequestContext) => Response | Promise<Response>;
export type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

/** What frameworks leave on Node's request: Express's full URL, a parsed body, the raw bytes kept by a `verify` hook. */
type FrameworkRequest = IncomingMessage & { originalUrl?: unknown; body?: unknown; rawBody?: unknown };

const contexts = new WeakMap<IncomingMessage, RelayRequestContext>();

/** A Node request listener for the relay (or any fetch handler that takes the relay's context). */
export function toNodeListener(target: FetchHandler | { fetch: FetchHandler }): NodeListener {
  const fetchHandler = typeof target === 'function' ? target : target.fetch.bind(target);
  // overrideGlobalObjects: false, so mounting the relay does not replace the host's global Request/Response.
  const listener = getRequestListener((request, env) => fetchHandler(request, contexts.get((env as HttpBindings).incoming)), { overrideGlobalObjects: false });
  return (incoming, outgoing) => {
    const request = incoming as FrameworkRequest;
    // Express strips its mount path from `url`; the relay routes on the full path.
    if (typeof request.originalUrl === 'string') request.url = request.originalUrl;
    contexts.set(incoming, { body: recoverBody(request) });
    return listener(incoming, outgoing);
  };
}

/**
 * The body as the relay can still have it. `@hono/node-server` reads `rawBody` (a Buffer) instead of
 * the stream when it is there, so raw bytes a framework kept make the body intact again.
 */
function recoverBody(request: FrameworkRequest): RequestBody {
  if (request.method === 'GET' || request.method === 'HEAD') return { kind: 'intact' };
  if (typeof request.rawBody === 'string') request.rawBody = Buffer.from(request.rawBody, 'utf8');
  if (Buffer.isBuffer(request.rawBody)) return { kind: 'intact' };
  if (request.rawBody instanceof Uint8Array) {
    request.rawBody = Buffer.from(request.rawBody);
    return { kind: 'intact' };
  }
  if (!request.readableDidRead && !request.readableEnded) return { kind: 'intact' };
  // Someone read the stream. A JSON parser leaves the value, which serves a browser call (not a webhook signature).
  const json = /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
  return json && request.body !== undefined && request.body !== null && typeof request.body === 'object' ? { kind: 'parsed', value: request.body } : { kind: 'consumed' };
}
