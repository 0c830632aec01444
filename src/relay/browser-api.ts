/**
 * The HTTP API the elements call, mounted under the base path. Middlewares check who is asking
 * (origin, CSRF header, session handle); each route reads and validates its body, hands over to
 * `Challenges`, and answers with a view or an `ErrorBody`.
 */
import { Hono, type Context } from 'hono';
import { RelayPath } from '../contract/browser.js';
import { AnswerRequest, ResendRequest } from '../contract/relay-api.js';
import type { Challenges } from './challenges.js';
import type { RelayConfig } from './config.js';
import { RelayError, errorAnswer, isRelayError } from './errors.js';
import { OpenStreams, eventStreamHeaders, openEventStream, parseLastEventId } from './event-stream.js';
import { Heartbeat } from './heartbeat.js';
import type { HandleSigner } from './handles.js';
import { noStoreHeaders } from './http-headers.js';
import { readJsonBody } from './json-body.js';
import type { LiveUpdates } from './live-updates.js';
import type { Logger } from './logger.js';
import type { Telemetry } from './telemetry.js';
import { originGuard } from './middleware/origin-guard.js';
import { requestLog } from './middleware/request-log.js';
import { responseHeaders } from './middleware/response-headers.js';
import { sessionHandle, type SessionVariables } from './middleware/session-handle.js';
import type { OriginPolicy } from './origin-policy.js';
import { BODY_CONSUMED_FIX, type RelayRequestContext, type RequestBody } from './request-context.js';
import { parseOrThrow } from './validate.js';
import type { WebhookReceiver } from './webhooks.js';
import { streamNetworkOf } from './stream-leases.js';

export interface BrowserApiDependencies {
  config: Pick<RelayConfig, 'basePath' | 'heartbeatSeconds' | 'trustedProxies'>;
  origins: OriginPolicy;
  challenges: Challenges;
  live: LiveUpdates;
  webhooks: WebhookReceiver;
  signer: HandleSigner;
  now: () => number;
  logger: Logger;
  /** The streams open on this instance, which `relay.close()` ends. */
  streams: OpenStreams;
  /** Each request's span and `http.server.*` metrics, when OpenTelemetry is installed. */
  telemetry?: Telemetry | undefined;
}

/** Copied by whoever takes them (a `Response`, the Node adapter's record), so one object serves every answer. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' });

type RelayEnv = { Variables: SessionVariables; Bindings: RelayRequestContext | undefined };

export function createBrowserApi({ config, origins, challenges, live, webhooks, signer, now, logger, streams, telemetry }: BrowserApiDependencies): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>().basePath(config.basePath === '/' ? '' : config.basePath);
  const bodyOf = (c: Context<RelayEnv>): RequestBody => c.env?.body ?? { kind: 'intact' };
  /** On Node the adapter writes the text itself (RelayRequestContext.native); elsewhere a standard Response. */
  const answer = (c: Context<RelayEnv>, status: number, headers: Record<string, string>, text: string): Response =>
    c.env?.native ? c.env.native.text(status, headers, text) : new Response(text, { status, headers });
  const json = (c: Context<RelayEnv>, body: unknown): Response => answer(c, 200, JSON_HEADERS, JSON.stringify(body));
  const refusal = (c: Context<RelayEnv>, error: unknown): Response => {
    const { status, headers, body } = errorAnswer(error);
    return answer(c, status, headers, body);
  };
  const session = sessionHandle(signer, now);
  const heartbeat = new Heartbeat(config.heartbeatSeconds * 1000);
  // Once for every stream (each open stream holds it).
  const streamDependencies = { live, logger, heartbeat, currentView: (id: string) => challenges.currentView(id), streams, now };

  app.use('*', requestLog(logger, { telemetry }));
  app.use('*', responseHeaders(origins));

  // Before the browser checks: Kount posts server to server, with no CSRF header, cookie or Origin.
  app.post(RelayPath.webhook, async (c) => webhooks.receive(c.req.raw, bodyOf(c), c.env?.native));

  app.use('*', originGuard(origins));

  app.get(RelayPath.view, session, async (c) => json(c, await challenges.view(c.get('sessionId'))));

  app.get(RelayPath.events, session, async (c) => {
    // Hono answers HEAD with the GET route and drops the body unread: a stream would never be closed.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: eventStreamHeaders() });
    return openEventStream(streamDependencies, {
      sessionId: c.get('sessionId'),
      lastEventId: parseLastEventId(c.req.header('last-event-id') ?? null),
      signal: c.env?.cancelsBodyOnClose === true ? undefined : c.req.raw.signal,
      native: c.env?.native,
      clientNetwork: streamNetworkOf(c.env?.socketAddress, c.req.header('x-forwarded-for'), config.trustedProxies),
    });
  });

  app.post(RelayPath.answer, session, async (c) => {
    const answer = parseOrThrow(AnswerRequest, await readJsonBody(c.req.raw, bodyOf(c)));
    return json(c, await challenges.answer(c.get('sessionId'), answer));
  });

  app.post(RelayPath.resend, session, async (c) => {
    const request = parseOrThrow(ResendRequest, await readJsonBody(c.req.raw, bodyOf(c)));
    return json(c, await challenges.resend(c.get('sessionId'), request));
  });

  for (const path of [RelayPath.view, RelayPath.answer, RelayPath.resend, RelayPath.events, RelayPath.webhook]) {
    app.all(path, () => {
      throw new RelayError('method_not_allowed', 'This method is not allowed here.');
    });
  }

  app.notFound((c) => refusal(c, new RelayError('not_found', 'There is nothing here.')));

  app.onError((error, c) => {
    if (isRelayError(error) && error.code === 'body_consumed') {
      // A deployment problem, not a shopper's: loud, with the fix.
      logger.error('relay.body_consumed', { method: c.req.method, route: c.req.routePath, fix: BODY_CONSUMED_FIX });
    } else if (isRelayError(error)) {
      if (!error.logged) logger.info('relay.request_refused', { method: c.req.method, route: c.req.routePath, code: error.code, status: error.status });
    } else {
      logger.error('relay.unexpected_error', { method: c.req.method, route: c.req.routePath, error });
    }
    return refusal(c, error);
  });

  return app;
}
