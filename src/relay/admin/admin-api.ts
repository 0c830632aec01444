/**
 * The admin listener: the server-to-server API (`/admin/v1/…`, bearer keys), health
 * (`/health/alive`, `/health/ready`) and, when the service serves them, metrics (`/metrics`), for a
 * shop's backend in any language and for the platform.
 * It is never mounted on the public listener, answers no CORS preflight, and refuses anything a
 * browser sends (an `Origin` header). Each route parses its body with the operation's schema,
 * calls the relay's twin of the same name, and answers in the browser API's error shape.
 */
import { Hono, type Context } from 'hono';
import { ReleaseAdmissionRequest, StartChallengeRequest, StartMfaChallengeRequest, OutcomeRequest, AdmitChallengeRequest } from '../../contract/admin-api.js';
import type { AssessmentResponse } from '../../contract/kount/index.js';
import { decisionFromKountAnswer } from '../account-protection/client.js';
import { RelayError } from '../errors.js';
import { jsonResponse, noStoreHeaders } from '../http-headers.js';
import { internalsOf } from '../internals.js';
import { readJsonBody } from '../json-body.js';
import type { Logger } from '../logger.js';
import { requestLog } from '../middleware/request-log.js';
import type { Relay } from '../relay.js';
import type { ChallengeAdmission } from '../send-limits.js';
import { parseOrThrow } from '../validate.js';
import { adminError, adminErrorResponse } from './admin-errors.js';
import { bearerKeys } from './api-keys.js';
import { ADMIN_BASE_PATH, HEALTH_PATHS, METRICS_PATH, adminOpenApiDocument } from './openapi.js';
import { ADMIN_OPERATIONS } from './operations.js';

/** Prometheus' text exposition format, the type its scrapers ask for. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Kount's requests carry the shopper's details and custom fields: larger than a browser's answer, still small. */
export const ADMIN_BODY_LIMIT_BYTES = 64 * 1024;

export interface AdminApiOptions {
  /** Bearer keys (`RELAY_ADMIN_API_KEYS`); several while one is rotated. */
  apiKeys: readonly string[];
  /** Defaults to the relay's own logger. */
  logger?: Logger;
  /**
   * Prometheus' text of what was recorded (`RELAY_METRICS=prometheus`), served at `/metrics`
   * without a key, as health is; without it `/metrics` is 404.
   */
  metrics?: () => Promise<string>;
}

type Handler = (body: unknown, relay: Relay, c: Context) => Promise<unknown>;

export function createAdminApi(relay: Relay, options: AdminApiOptions): Hono {
  const { admissions, logger: relayLogger, telemetry } = internalsOf(relay);
  const logger = options.logger ?? relayLogger;
  const app = new Hono();
  let openApi: string | undefined;

  app.use('*', requestLog(logger, { telemetry }));
  app.use('*', async (c, next) => {
    // A page that can reach this listener must not be able to use it: browsers always send Origin on these requests.
    if (c.req.header('origin') !== undefined) {
      return new Response(JSON.stringify({ error: { code: 'origin_rejected', message: 'The admin API is for servers; browsers may not call it.' } }), {
        status: 403,
        headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' },
      });
    }
    await next();
  });

  app.get(HEALTH_PATHS.alive, () => jsonResponse({ status: 'alive' }));
  app.get(HEALTH_PATHS.ready, async () => {
    const health = await relay.health();
    if (health.status !== 'ready') logger.warn('relay.not_ready', { reason: health.reason });
    return jsonResponse(health, health.status === 'ready' ? 200 : 503);
  });
  const { metrics } = options;
  if (metrics !== undefined) {
    app.get(METRICS_PATH, async () => new Response(await metrics(), { headers: { ...noStoreHeaders(), 'content-type': PROMETHEUS_CONTENT_TYPE } }));
  }
  app.get(`${ADMIN_BASE_PATH}/openapi.json`, () => {
    openApi ??= JSON.stringify(adminOpenApiDocument());
    return new Response(openApi, { headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' } });
  });

  app.use(`${ADMIN_BASE_PATH}/*`, bearerKeys(options.apiKeys));

  const handlers: Record<string, Handler> = {
    startAssessment: (body) => relay.startAssessment(body as Parameters<Relay['startAssessment']>[0]),
    startLogin: (body) => relay.startLogin(body as Parameters<Relay['startLogin']>[0]),
    startNewAccountOpening: (body) => relay.startNewAccountOpening(body as Parameters<Relay['startNewAccountOpening']>[0]),
    admitChallenge: async (body) => {
      const request = parseOrThrow(AdmitChallengeRequest, body);
      const admission = await relay.admitChallenge({ contact: request.contact, ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }) });
      return { admission: admissions.seal(admission) };
    },
    releaseAdmission: async (body) => {
      const { admission } = parseOrThrow(ReleaseAdmissionRequest, body);
      await (await admissions.open(admission, 'admission'))?.release();
      return undefined;
    },
    startChallenge: async (body) => {
      const request = parseOrThrow(StartChallengeRequest, body);
      return withAdmission(request.admission, (admission) =>
        relay.startChallenge({
          assessment: request.assessment as AssessmentResponse,
          contact: request.contact,
          ...(admission ? { admission } : {}),
          ...(request.crossOrigin ? { crossOrigin: true } : {}),
        }),
      ).then(startedChallenge);
    },
    startMfaChallenge: async (body) => {
      const request = parseOrThrow(StartMfaChallengeRequest, body);
      const decision = decisionFromKountAnswer(request.response, request);
      return withAdmission(request.admission, (admission) =>
        relay.startMfaChallenge({
          decision,
          contact: request.contact,
          ...(request.method ? { method: request.method } : {}),
          ...(admission ? { admission } : {}),
          ...(request.crossOrigin ? { crossOrigin: true } : {}),
        }),
      ).then(startedChallenge);
    },
    reportFailedAttempt: async (body) => {
      await relay.reportFailedAttempt(body as Parameters<Relay['reportFailedAttempt']>[0]);
      return undefined;
    },
    outcome: async (body) => {
      const request = parseOrThrow(OutcomeRequest, body);
      const { state, decision, inquiryId, authenticationId } = await relay.outcome(handleOf(relay, request), { inquiryId: request.inquiryId });
      return { state, decision, inquiryId, authenticationId };
    },
    confirm: async (body) => {
      const request = parseOrThrow(OutcomeRequest, body);
      const { state, decision, inquiryId, authenticationId } = await relay.confirm(handleOf(relay, request), {
        inquiryId: request.inquiryId,
        ...(request.confirmationKey === undefined ? {} : { confirmationKey: request.confirmationKey }),
      });
      return { state, decision, inquiryId, authenticationId };
    },
  };

  /** An admission token is settled once: a start keeps it; a start that fails gives it back. */
  async function withAdmission<Result>(token: string | undefined, start: (admission: ChallengeAdmission | undefined) => Promise<Result>): Promise<Result> {
    const admission = token === undefined ? undefined : ((await admissions.open(token, 'admission')) ?? undefined);
    try {
      return await start(admission);
    } finally {
      await admission?.release();
    }
  }

  for (const operation of ADMIN_OPERATIONS) {
    const handler = handlers[operation.operationId];
    if (handler === undefined) throw new Error(`No handler for the admin operation ${operation.operationId}`);
    app.on(operation.method.toUpperCase(), ADMIN_BASE_PATH + operation.path, async (c) => {
      const body = await readJsonBody(c.req.raw, { kind: 'intact' }, ADMIN_BODY_LIMIT_BYTES);
      const result = await handler(body, relay, c);
      if (operation.success.status === 204) return new Response(null, { status: 204, headers: noStoreHeaders() });
      return jsonResponse(result, operation.success.status);
    });
  }

  app.notFound(() => jsonResponse({ error: { code: 'not_found', message: 'There is nothing here.' } }, 404));
  app.onError((error, c) => {
    if (!(error instanceof RelayError) && !(error instanceof Error && error.name === 'OutcomeError')) {
      logger.error('relay.admin.unexpected_error', { method: c.req.method, route: c.req.routePath, error });
    }
    return adminErrorResponse(error);
  });
  return app;
}

function handleOf(relay: Relay, request: { cookie?: string | undefined; handle?: string | undefined }): string {
  const handle = request.handle ?? relay.handleFromCookie(request.cookie ?? null);
  if (handle === null || handle === undefined) {
    throw new RelayError('session_missing', 'Give the browser\'s Cookie header (with the verification cookie) or the handle.', { field: 'cookie' });
  }
  return handle;
}

function startedChallenge(started: { handle: string; setCookie: string; view: unknown }): { handle: string; setCookie: string; view: unknown } {
  return { handle: started.handle, setCookie: started.setCookie, view: started.view };
}

export { adminError };
