/**
 * Mounting the relay in Node: `http.createServer(toNodeListener(relay))`, and underneath the
 * Express router and the Fastify plugin. It turns Node's request into a standard `Request` (the
 * full path, even where Express stripped its mount path) and tells the relay what a body parser
 * that ran first left: the raw bytes it kept, the JSON it parsed, or nothing it can use. The
 * relay's own answers (views, errors, event streams) are written straight to Node's response
 * (`NodeResponses` below); any other `Response` goes through @hono/node-server as it is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { EventSink, NativeResponses, RelayRequestContext, RequestBody, StreamBody } from './request-context.js';

export type FetchHandler = (request: Request, context?: RelayRequestContext) => Response | Promise<Response>;
export type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

/** What frameworks leave on Node's request: Express's full URL, a parsed body, the raw bytes kept by a `verify` hook. */
type FrameworkRequest = IncomingMessage & { originalUrl?: unknown; body?: unknown; rawBody?: unknown };

const contexts = new WeakMap<IncomingMessage, RelayRequestContext>();

/** A Node request listener for the relay (or any fetch handler that takes the relay's context). */
export function toNodeListener(target: FetchHandler | { fetch: FetchHandler }): NodeListener {
  const fetchHandler = typeof target === 'function' ? target : target.fetch.bind(target);
  // overrideGlobalObjects: false, so mounting the relay does not replace the host's global Request/Response.
  const listener = getRequestListener(
    (request, env) => {
      const { incoming, outgoing } = env as HttpBindings;
      const context = contexts.get(incoming);
      // Needed only until the relay has answered (an open stream would hold it as long as it is open).
      contexts.delete(incoming);
      const answer = fetchHandler(request, context);
      return context?.native instanceof NodeResponses ? context.native.settle(answer, outgoing, request) : answer;
    },
    { overrideGlobalObjects: false },
  );
  return (incoming, outgoing) => {
    const request = incoming as FrameworkRequest;
    // Express strips its mount path from `url`; the relay routes on the full path.
    if (typeof request.originalUrl === 'string') request.url = request.originalUrl;
    // @hono/node-server cancels the response body when the connection closes (see RelayRequestContext).
    contexts.set(incoming, { body: recoverBody(request), cancelsBodyOnClose: true, native: new NodeResponses(), socketAddress: incoming.socket.remoteAddress });
    return listener(incoming, outgoing);
  };
}

/**
 * The relay's answers written straight to Node's `ServerResponse`. A fetch `Response` with a body,
 * read back by the adapter, costs a web stream, a reader and several promises per answer, and for an
 * open event stream holds them (and an encoder, a queue, a pending read) as long as it is open. The
 * route answers a head-only `Response` instead (the middlewares add their headers to it as to any
 * other); once the relay has answered, its head is sent here and the body written: a view or an
 * error with one `end`, an event stream as it goes.
 */
class NodeResponses implements NativeResponses {
  #pending: { response: Response; headers: Record<string, string>; body: StreamBody | string } | undefined;

  stream(status: number, headers: Record<string, string>, body: StreamBody): Response {
    return this.#hold(status, headers, body);
  }

  text(status: number, headers: Record<string, string>, body: string): Response {
    return this.#hold(status, headers, body);
  }

  #hold(status: number, headers: Record<string, string>, body: StreamBody | string): Response {
    const previous = this.#pending?.body;
    if (previous !== undefined && typeof previous !== 'string') previous.discard();
    // The head's headers stay a plain record (headersOf): a fetch `Headers` filled from it, read and
    // changed by the middlewares and read back here cost more than the rest of a view's answer.
    const response = new Response(null, { status });
    this.#pending = { response, headers: { ...headers }, body };
    return response;
  }

  headersOf(response: Response): Record<string, string> | undefined {
    const pending = this.#pending;
    return pending !== undefined && pending.response === response ? pending.headers : undefined;
  }

  async settle(answer: Response | Promise<Response>, outgoing: ServerResponse, request: Request): Promise<Response> {
    let response: Response;
    try {
      response = await answer;
    } catch (error) {
      // The adapter answers 500; a stream that was about to start never will.
      const body = this.#pending?.body;
      this.#pending = undefined;
      if (body !== undefined && typeof body !== 'string') body.discard();
      throw error;
    }
    const pending = this.#pending;
    if (pending === undefined) return response;
    this.#pending = undefined;
    const { body } = pending;
    // Another answer went out instead (an error after the route), or the client has gone already.
    if (!isSameHead(response, pending.response) || outgoing.destroyed || outgoing.headersSent) {
      if (typeof body !== 'string') body.discard();
      return outgoing.headersSent ? RESPONSE_ALREADY_SENT : response;
    }
    const headers = outgoingHeaders(pending.headers, response.headers);
    if (typeof body === 'string') {
      headers['content-length'] = String(Buffer.byteLength(body));
      outgoing.writeHead(response.status, headers);
      outgoing.end(body);
      return RESPONSE_ALREADY_SENT;
    }
    outgoing.writeHead(response.status, headers);
    flattenHead(outgoing);
    // `on`, not `once` (which wraps the listener): a response closes once.
    outgoing.on('close', () => body.discard());
    forgetRequestHeaders(request);
    body.start(new NodeSink(outgoing));
    return RESPONSE_ALREADY_SENT;
  }
}

/** An event stream's writes, straight to Node's response. */
class NodeSink implements EventSink {
  readonly #outgoing: ServerResponse;

  constructor(outgoing: ServerResponse) {
    this.#outgoing = outgoing;
  }

  write(text: string): boolean {
    const outgoing = this.#outgoing;
    if (outgoing.destroyed || outgoing.writableEnded) return false;
    outgoing.write(text);
    return true;
  }

  end(): void {
    if (!this.#outgoing.writableEnded) this.#outgoing.end();
  }
}

/**
 * Node keeps a response's head as long as the response (`_header`), as the string it built one
 * concatenation per header line: about 1.5 KB of string pieces for the relay's dozen headers,
 * held by every open stream. Reading it through once makes V8 flatten it into one string of its length.
 */
function flattenHead(outgoing: ServerResponse): void {
  const head: unknown = Reflect.get(outgoing, '_header');
  if (typeof head === 'string') head.indexOf('\0');
}

/**
 * @hono/node-server keeps its request object until the connection closes (to abort its signal), with
 * the `Headers` it built when the relay read them: an open stream would hold every request header
 * (the cookie included) for hours. The stream no longer needs them; read again, they are built again.
 */
function forgetRequestHeaders(request: Request): void {
  const cached = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'headersKey');
  if (cached !== undefined) Reflect.set(request, cached, undefined);
}

/**
 * The route's response, or Hono's copy of it (made when a middleware had set `c.res` before the
 * route answered, or for HEAD): head-only, with the same status, and no content type of its own (the
 * head's is in its record; any other answer names one).
 */
function isSameHead(response: Response, expected: Response): boolean {
  if (response === expected) return true;
  return response.status === expected.status && response.body === null && !response.headers.has('content-type');
}

/** The head's record, with what the middlewares set on the `Response` itself over it. */
function outgoingHeaders(record: Record<string, string>, headers: Headers): Record<string, string | string[]> {
  const outgoing: Record<string, string | string[]> = record;
  for (const [name, value] of headers) if (name !== 'set-cookie') outgoing[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) outgoing['set-cookie'] = cookies;
  return outgoing;
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
