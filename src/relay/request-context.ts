/**
 * What the host framework did to a request before the relay saw it. Express and Fastify parse
 * bodies before routes run; the Node adapters tell the relay which case it is, so it can use what
 * is left (the raw bytes, or the parsed JSON for a browser request) or say what to change.
 */
import { RelayError } from './errors.js';

export type RequestBody =
  /**
   * The body is still in the request (or the raw bytes a framework kept were put back). On Node,
   * `read` takes it from the connection as it is, without building a fetch `Request` around it
   * (resolves null, with the rest of the body left unread, once it passes `limitBytes`).
   */
  | { kind: 'intact'; read?: (limitBytes: number) => Promise<Uint8Array | null> }
  /** A JSON body parser read it: its value is here; the raw bytes are gone. */
  | { kind: 'parsed'; value: unknown }
  /** Something read it and kept nothing the relay can use. */
  | { kind: 'consumed' };

export interface RelayRequestContext {
  body?: RequestBody;
  /**
   * True when the server cancels a response's body once its connection closes (`@hono/node-server`
   * does): an event stream then ends by that alone, and does not need the request's `signal`,
   * which would build a whole fetch `Request` for each open stream.
   */
  cancelsBodyOnClose?: boolean;
  /**
   * On Node (`toNodeListener`): bodies the adapter writes itself, straight to Node's response,
   * instead of a `ReadableStream` read back through the adapter (an open event stream then holds
   * about what a plain `node:http` one does).
   */
  native?: NativeResponses;
  /**
   * The socket's peer address, where the server knows it (the Node adapters): with
   * `RELAY_TRUSTED_PROXIES` it gives the client network that bounds event streams (SECURITY 43).
   */
  socketAddress?: string | undefined;
}

/** Where a body written as it goes (an event stream) is written. */
export interface EventSink {
  /** Writes `text`; false once the client has gone, when nothing more can be written. */
  write(text: string): boolean;
  /** Ends the body (the response is complete). */
  end(): void;
}

/** A body written as it goes, once its head is sent. */
export interface StreamBody {
  /** The head is sent: write from now on. */
  start(sink: EventSink): void;
  /** The client went away, or another answer was sent instead (an error after the route): stop. */
  discard(): void;
}

export interface NativeResponses {
  /**
   * A response whose head the adapter sends, with the headers the middlewares added by then, and
   * whose body `body` writes. Returned by the route like any other response.
   */
  stream(status: number, headers: Record<string, string>, body: StreamBody): Response;
  /** The same for a whole body known now (a view, an error): written with one `end`, never through a body stream. */
  text(status: number, headers: Record<string, string>, body: string): Response;
  /**
   * The headers of an answer `stream` or `text` made, as the plain record the adapter sends: a
   * middleware adds its headers here instead of to the `Response` (which then builds no fetch
   * `Headers` for them); `undefined` for any other response. Headers a middleware sets on the
   * `Response` itself are sent too, and win over the record's.
   */
  headersOf(response: Response): Record<string, string> | undefined;
}

export const BODY_CONSUMED_FIX =
  'Mount the relay before the body parser (app.use(relayRouter(relay)) first), or keep the raw bytes: express.json({ verify: keepRawBody }) from k360-verify/relay/express.';

export function bodyConsumed(what: string): RelayError {
  return new RelayError('body_consumed', `${what} was read by a body parser before the relay. ${BODY_CONSUMED_FIX}`);
}
