import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import type { Logger } from '../logger.js';
import type { RelayRequestContext } from '../request-context.js';
import { runInRequestScope, type RequestScope } from '../request-scope.js';
import type { Telemetry } from '../telemetry.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An id from a proxy or a load balancer (UUIDs, `Root=1-…` trace ids): short, and nothing that could break a log line or a header. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:=-]{1,128}$/;

/** W3C Trace Context `traceparent`: version, trace id, parent id, flags; a later version may append fields. */
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-[^\s,]*)?$/;
const MAX_TRACEPARENT_LENGTH = 512;

export interface RequestLogOptions {
  /** A monotonic clock in milliseconds for `durationMs`; `performance.now` by default. */
  now?: () => number;
  /** The request's server span and `http.server.*` metrics, when OpenTelemetry is installed. */
  telemetry?: Telemetry | undefined;
}

/**
 * Mount first. Takes the request's ids (a well-formed `traceparent`'s trace id; a well-formed
 * `x-request-id`, or a new one), runs the rest of the request inside them (so every line it logs,
 * Kount calls included, carries them), answers with `x-request-id`, and writes one `relay.request`
 * line: method, route template (never the URL, which may hold ids), status, duration. At `info`:
 * it is the line an operator follows, one per request; `warn` leaves out all such routine lines.
 * For an event stream the line is written when the stream starts, and `durationMs` is the time
 * to open it; the stream's later lines carry the same `requestId`.
 */
export function requestLog(logger: Logger, options: RequestLogOptions = {}): MiddlewareHandler<{ Bindings: RelayRequestContext | undefined }> {
  const now = options.now ?? (() => performance.now());
  const telemetry = options.telemetry;
  return (c, next) => {
    const startedAt = now();
    const scope = requestScopeOf(c.req.raw.headers);
    let answered = false;
    // Only a failing error handler gets here without an answer; the server then answers 500.
    const outcome = () => ({ route: routeTemplateOf(c), status: answered ? c.res.status : 500 });
    const handle = () =>
      runInRequestScope(scope, async () => {
        try {
          await next();
          answered = true;
          // The relay's own answers on Node take it in the plain record the adapter sends.
          const native = c.env?.native?.headersOf(c.res);
          if (native === undefined) c.res.headers.set(REQUEST_ID_HEADER, scope.requestId);
          else native[REQUEST_ID_HEADER] = scope.requestId;
        } finally {
          logger.info('relay.request', { method: c.req.method, ...outcome(), durationMs: Math.round((now() - startedAt) * 10) / 10, ...scope });
        }
      });
    return telemetry === undefined ? handle() : telemetry.serveRequest(c.req.method, c.req.raw.headers, scope, handle, outcome);
  };
}

/**
 * The most specific route template the URL matched, also when a middleware answered before it (a
 * 401 or 403 is still logged under `/session/answer`); the catch-all (`/verify/*`) when none did.
 */
function routeTemplateOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index -= 1) {
    const path = routes[index]?.path;
    if (path !== undefined && !path.endsWith('*')) return path;
  }
  return routePath(c);
}

/** The ids a request is logged under; malformed headers are ignored, never echoed or logged. */
export function requestScopeOf(headers: Headers): RequestScope {
  const incoming = headers.get(REQUEST_ID_HEADER);
  const requestId = incoming !== null && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  const traceId = traceIdOf(headers.get('traceparent'));
  return traceId === undefined ? { requestId } : { requestId, traceId };
}

/** The trace id of a valid `traceparent`; `undefined` for anything the W3C rules say to ignore. */
export function traceIdOf(traceparent: string | null): string | undefined {
  if (traceparent === null || traceparent.length > MAX_TRACEPARENT_LENGTH) return undefined;
  const match = TRACEPARENT_PATTERN.exec(traceparent);
  if (match === null) return undefined;
  const [, version, traceId, parentId, extra] = match;
  // Version ff is forbidden; version 00 has exactly four fields; all-zero ids are invalid.
  if (version === 'ff' || (version === '00' && extra !== undefined)) return undefined;
  if (traceId === undefined || /^0+$/.test(traceId) || parentId === undefined || /^0+$/.test(parentId)) return undefined;
  return traceId;
}
