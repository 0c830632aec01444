/**
 * The relay as a service: one relay, two listeners. The public one serves the browser API and
 * Kount's webhooks (a reverse proxy routes `/verify/` of the shop's origin to it); the admin one
 * serves the server-to-server API, health and (with `RELAY_METRICS=prometheus`) `/metrics`, on a
 * private address; with `RELAY_OPENTELEMETRY=sdk`, traces and metrics go where `OTEL_*` says. With
 * `RELAY_EVENTS_WEBHOOK_URL`, the journey events go to the shop as signed
 * webhooks (`events-webhook.ts`). A graceful stop ends the event streams at once (pages reconnect
 * to another instance), lets requests in flight finish within the shutdown bound, gives the
 * events still undelivered a short grace, then closes the store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApi } from '../admin/admin-api.js';
import type { RelayConfig } from '../config.js';
import { internalsOf } from '../internals.js';
import type { Logger } from '../logger.js';
import { toNodeListener } from '../node.js';
import { createRelay, type Relay } from '../relay.js';
import { EventsWebhook, type EventsWebhookTuning } from './events-webhook.js';
import { startServiceTelemetry, type ServiceTelemetry } from './service-telemetry.js';
import type { ServiceConfig } from './service-config.js';

export interface RunningRelayService {
  readonly relay: Relay;
  /** Where the public listener answers, e.g. `http://127.0.0.1:8080`. */
  readonly publicUrl: string;
  readonly adminUrl: string;
  /** Resolves once the relay's work and the events webhook's deliveries (retries included) so far are done. */
  settled(): Promise<void>;
  /** Graceful stop, bounded by `shutdownSeconds`; resolves once everything is closed. */
  stop(reason?: string): Promise<void>;
}

/** At a stop, how long undelivered journey events may still take (less if the shutdown bound leaves less). */
const EVENTS_WEBHOOK_GRACE_MS = 5_000;

export interface RelayServiceOptions {
  relay: RelayConfig;
  service: ServiceConfig;
  logger?: Logger;
  /** The events webhook's retry delays, timeout and bounds, for tests; production keeps the defaults. */
  eventsWebhook?: EventsWebhookTuning;
}

export async function startRelayService(options: RelayServiceOptions): Promise<RunningRelayService> {
  const { eventsWebhookUrl, eventsWebhookSecret } = options.service;
  // The schema refuses one without the other; a configuration built by hand gets the same answer.
  if ((eventsWebhookUrl === undefined) !== (eventsWebhookSecret === undefined)) throw new Error('Invalid relay configuration: set both the events webhook URL and its secret, or neither');
  // Before the relay is made: it takes its meter when it is made, and a meter taken earlier stays a no-op.
  const telemetry = await startServiceTelemetry(options.service);
  let relay: Relay;
  // Made once the relay's logger is known; no event comes before the relay serves a request.
  let eventsWebhook: EventsWebhook | undefined;
  try {
    relay = createRelay({
      ...options.relay,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(eventsWebhookUrl === undefined ? {} : { onEvent: (event) => eventsWebhook?.deliver(event) }),
    });
    // A wrong store URL or credentials stop start-up here, with the reason.
    await relay.connect();
  } catch (error) {
    await telemetry?.close();
    throw error;
  }
  const { logger } = internalsOf(relay);
  if (eventsWebhookUrl !== undefined && eventsWebhookSecret !== undefined) {
    eventsWebhook = new EventsWebhook({ ...options.eventsWebhook, url: eventsWebhookUrl, secrets: eventsWebhookSecret, logger });
  }
  const scrapeMetrics = async (scrape: NonNullable<ServiceTelemetry['scrape']>): Promise<string> => {
    const { text, failed } = await scrape();
    if (failed > 0) logger.warn('relay.metrics.collect_failed', { failed });
    return text;
  };
  const publicServer = createServer(toNodeListener(relay));
  const adminServer = createServer(toNodeListener(createAdminApi(relay, { apiKeys: options.service.adminApiKeys, ...(telemetry?.scrape ? { metrics: () => scrapeMetrics(telemetry.scrape!) } : {}) })));
  let publicUrl: string;
  let adminUrl: string;
  try {
    publicUrl = await listen(publicServer, options.service.port, options.service.host);
    adminUrl = await listen(adminServer, options.service.adminPort, options.service.adminHost);
  } catch (error) {
    publicServer.close();
    await relay.close();
    await eventsWebhook?.close(0);
    await telemetry?.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop'): Promise<void> =>
    (stopping ??= (async () => {
      const started = Date.now();
      const boundMs = options.service.shutdownSeconds * 1000;
      logger.info('relay.shutdown_started', { reason, streams: internalsOf(relay).openStreams(), boundSeconds: options.service.shutdownSeconds });
      // Stop accepting, and mark the instance not ready, before anything else.
      const publicClosed = closed(publicServer);
      internalsOf(relay).beginShutdown();
      // A connection whose response just ended (an event stream, an answer) stays open for keep-alive: close each once idle.
      const sweep = setInterval(() => publicServer.closeIdleConnections(), 50);
      publicServer.closeIdleConnections();
      const inTime = await Promise.race([publicClosed.then(() => true), delay(boundMs).then(() => false)]);
      clearInterval(sweep);
      if (!inTime) {
        logger.warn('relay.shutdown_forced', { boundSeconds: options.service.shutdownSeconds });
        publicServer.closeAllConnections();
      }
      // After the relay: its close waits for the last events to be handed over.
      await relay.close();
      await eventsWebhook?.close(Math.min(EVENTS_WEBHOOK_GRACE_MS, Math.max(0, boundMs - (Date.now() - started))));
      const adminClosed = closed(adminServer);
      adminServer.closeAllConnections();
      await adminClosed;
      await telemetry?.close();
      logger.info('relay.shutdown_done', { durationMs: Date.now() - started });
    })());

  logger.info('relay.listening', { public: publicUrl, admin: adminUrl, basePath: relay.basePath, metrics: options.service.metrics, opentelemetry: options.service.opentelemetry, eventsWebhook: eventsWebhook !== undefined });
  const settled = async (): Promise<void> => {
    await relay.settled();
    await eventsWebhook?.settled();
  };
  return { relay, publicUrl, adminUrl, settled, stop };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

function closed(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
