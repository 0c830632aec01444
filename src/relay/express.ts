/**
 * `k360-verify/relay/express`: the relay in an Express 5 app.
 *
 * ```ts
 * app.use(relayRouter(relay));                          // anywhere; best before any body parser
 * app.use(express.json({ verify: keepRawBody }));       // a global JSON parser: keep the raw bytes for webhooks
 * ```
 * It answers requests under the relay's base path (`RELAY_BASE_PATH`, `/verify`) and passes every
 * other request on. Mounted after a JSON parser, browser calls use the parsed value; Kount's
 * webhooks need the raw bytes (their signature covers them), which `keepRawBody` keeps.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { toNodeListener } from './node.js';
import type { Relay } from './relay.js';

export function relayRouter(relay: Pick<Relay, 'fetch' | 'basePath'>): RequestHandler {
  const listener = toNodeListener(relay);
  const base = relay.basePath === '/' ? '' : relay.basePath;
  return (request, response, next) => {
    const path = (request.originalUrl || request.url).split('?')[0] ?? '';
    if (base !== '' && path !== base && !path.startsWith(`${base}/`)) {
      next();
      return;
    }
    listener(request, response).catch(next);
  };
}

/**
 * For body parsers' `verify` option (`express.json({ verify: keepRawBody })`): keeps the bytes
 * as `request.rawBody`, where the relay (and many webhook libraries) look for them.
 */
export function keepRawBody(request: IncomingMessage, _response: unknown, buffer: Buffer): void {
  (request as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}
