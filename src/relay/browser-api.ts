/**
 * The HTTP API the elements call, mounted under the base path. Each route: check who is asking,
 * read and validate the body, hand over to `Challenges`, answer with a view or an `ErrorBody`.
 */
import { Hono } from 'hono';
import { RelayPath } from '../contract/browser.js';
import { AnswerRequest, ResendRequest } from '../contract/relay-api.js';
import type { Challenges } from './challenges.js';
import type { RelayConfig } from './config.js';
import { RelayError, isRelayError, toErrorResponse } from './errors.js';
import { eventStreamHeaders, openEventStream, parseLastEventId } from './event-stream.js';
import { jsonResponse, noStoreHeaders } from './http-headers.js';
import { readJsonBody } from './json-body.js';
import type { LiveUpdates } from './live-updates.js';
import type { Logger } from './logger.js';
import { OriginPolicy } from './origin-policy.js';
import { handleFromRequest } from './request-handle.js';
import { parseOrThrow } from './validate.js';
import type { WebhookReceiver } from './webhooks.js';

export interface BrowserApiDependencies {
  config: Pick<RelayConfig, 'basePath' | 'allowedOrigins' | 'heartbeatSeconds'>;
  challenges: Challenges;
  live: LiveUpdates;
  webhooks: WebhookReceiver;
  logger: Logger;
}

export function createBrowserApi({ config, challenges, live, webhooks, logger }: BrowserApiDependencies): Hono {
  const origins = new OriginPolicy(config.allowedOrigins);
  const app = new Hono().basePath(config.basePath === '/' ? '' : config.basePath);

  // First, so error and not-found answers get the same headers as successes.
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(noStoreHeaders())) c.res.headers.set(name, value);
    origins.decorate(c.req.raw, c.res.headers);
  });

  // Before the browser checks: Kount posts server to server, with no CSRF header, cookie or Origin.
  app.post(RelayPath.webhook, async (c) => webhooks.receive(c.req.raw));

  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return origins.preflight(c.req.raw);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') origins.assertMayChangeState(c.req.raw);
    await next();
  });

  app.get(RelayPath.view, async (c) => jsonResponse(await challenges.view(handleFromRequest(c.req.raw))));

  app.get(RelayPath.events, async (c) => {
    const sessionId = challenges.sessionIdFromHandle(handleFromRequest(c.req.raw));
    // Hono answers HEAD with the GET route and drops the body unread: a stream would never be closed.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: eventStreamHeaders() });
    return openEventStream(
      { live, logger, heartbeatMs: config.heartbeatSeconds * 1000, currentView: (id) => challenges.currentView(id) },
      { sessionId, lastEventId: parseLastEventId(c.req.header('last-event-id') ?? null), signal: c.req.raw.signal },
    );
  });

  app.post(RelayPath.answer, async (c) => {
    const handle = handleFromRequest(c.req.raw);
    // A forged or expired handle is turned away before the body is even read (SECURITY 12).
    challenges.sessionIdFromHandle(handle);
    const answer = parseOrThrow(AnswerRequest, await readJsonBody(c.req.raw));
    return jsonResponse(await challenges.answer(handle, answer));
  });

  app.post(RelayPath.resend, async (c) => {
    const handle = handleFromRequest(c.req.raw);
    challenges.sessionIdFromHandle(handle);
    const request = parseOrThrow(ResendRequest, await readJsonBody(c.req.raw));
    return jsonResponse(await challenges.resend(handle, request));
  });

  for (const path of [RelayPath.view, RelayPath.answer, RelayPath.resend, RelayPath.events, RelayPath.webhook]) {
    app.all(path, () => {
      throw new RelayError('method_not_allowed', 'This method is not allowed here.');
    });
  }

  app.notFound(() => toErrorResponse(new RelayError('not_found', 'There is nothing here.')));

  app.onError((error, c) => {
    if (isRelayError(error)) {
      logger.info('relay.request_refused', { method: c.req.method, route: c.req.routePath, code: error.code, status: error.status });
    } else {
      logger.error('relay.unexpected_error', { method: c.req.method, route: c.req.routePath, error });
    }
    return toErrorResponse(error);
  });

  return app;
}
