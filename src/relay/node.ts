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
    // @hono/node-server cancels the response body when the connection closes (see RelayRequestContext).
    contexts.set(incoming, { body: recoverBody(request), cancelsBodyOnClose: true });
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
  if (!request.readableDidRead && !request.readableEnded) return { kind: 'intact', read: (limitBytes) => readIncoming(request, limitBytes) };
  // Someone read the stream. A JSON parser leaves the value, which serves a browser call (not a webhook signature).
  const json = /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
  return json && request.body !== undefined && request.body !== null && typeof request.body === 'object' ? { kind: 'parsed', value: request.body } : { kind: 'consumed' };
}

/**
 * The body straight from the connection, up to `limitBytes` (null past it: the rest is left to
 * flow away unread, so the 413 can still be sent). A fetch `Request` built around the same bytes
 * costs more than the relay's own work on a small answer.
 */
function readIncoming(incoming: IncomingMessage, limitBytes: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanUp = (): void => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      cleanUp();
      incoming.resume();
      resolve(null);
    };
    const onEnd = (): void => {
      cleanUp();
      resolve(new Uint8Array(Buffer.concat(chunks, total)));
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    const onClose = (): void => {
      cleanUp();
      reject(new Error('The connection closed before the request body ended.'));
    };
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onError);
    incoming.once('close', onClose);
  });
}
