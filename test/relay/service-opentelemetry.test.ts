/**
 * OTLP for those with a collector (issue 25, item 2): with `RELAY_OPENTELEMETRY=sdk` the service
 * starts OpenTelemetry's Node SDK from the standard `OTEL_*` variables, and an OTP journey's spans
 * and metrics reach the collector (here a stand-in on loopback taking OTLP/HTTP JSON), under the
 * resource the environment names, with no contact, code or handle in them. With
 * `RELAY_METRICS=prometheus` too, `/metrics` serves the same SDK's metrics.
 * The SDK registers itself globally: node:test runs this file in its own process.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/relay/index.js';
import { loadServiceConfig } from '../../src/relay/service/service-config.js';
import { startRelayService, type RunningRelayService } from '../../src/relay/service/relay-service.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { otpJourneyThroughService, sandboxServiceEnv } from './service-env.js';

const ADMIN_KEY = 'otlp-admin-key-0123456789-0123456789-abc';
const SECRET = 'otlp-session-secret-0123456789-abcdefghij';
const PHONE = '+15557654399';
const EMAIL = 'otp@example.com';

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

/** A collector's OTLP/HTTP endpoint that keeps every JSON body it is sent, by signal. */
class StandInCollector {
  readonly bodies: { traces: string[]; metrics: string[] } = { traces: [], metrics: [] };
  readonly #server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') this.bodies.traces.push(body);
      else if (request.url === '/v1/metrics') this.bodies.metrics.push(body);
      response.writeHead(request.url === '/v1/traces' || request.url === '/v1/metrics' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  spans(): Array<{ name: string; attributes: KeyValue[]; links?: unknown[]; resource: KeyValue[] }> {
    return this.bodies.traces.flatMap((text) => {
      const { resourceSpans } = JSON.parse(text) as { resourceSpans: Array<{ resource: { attributes: KeyValue[] }; scopeSpans: Array<{ spans: Array<{ name: string; attributes: KeyValue[] }> }> }> };
      return resourceSpans.flatMap((group) => group.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ ...span, resource: group.resource.attributes }))));
    });
  }

  metricNames(): Set<string> {
    const names = new Set<string>();
    for (const text of this.bodies.metrics) {
      const { resourceMetrics } = JSON.parse(text) as { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }> };
      for (const group of resourceMetrics) for (const scope of group.scopeMetrics) for (const metric of scope.metrics) names.add(metric.name);
    }
    return names;
  }
}

const attribute = (attributes: KeyValue[], key: string): unknown => {
  const found = attributes.find((entry) => entry.key === key)?.value;
  return found === undefined ? undefined : Object.values(found)[0];
};

let sandbox: RunningSandbox;
const collector = new StandInCollector();

before(async () => {
  sandbox = await startSandbox();
  const endpoint = await collector.start();
  // The standard variables, as a platform team sets them for any service; the SDK reads them from the process.
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: 'shop-relay',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
  });
});
after(async () => {
  await collector.close();
  await sandbox.close();
});

async function startService(extra: Record<string, string>): Promise<RunningRelayService> {
  return startRelayService({ ...(await loadServiceConfig(sandboxServiceEnv(sandbox, { sessionSecret: SECRET, adminKey: ADMIN_KEY }, extra))), logger: silentLogger });
}

/** An OTP journey through the service, started by the backend with a traceparent. */
async function journey(service: RunningRelayService, phone: string): Promise<{ traceId: string; secrets: string[] }> {
  const traceId = randomUUID().replaceAll('-', '');
  const { code, handle } = await otpJourneyThroughService(service, sandbox, { adminKey: ADMIN_KEY, email: EMAIL, phoneNumber: phone, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
  return { traceId, secrets: [phone, phone.slice(-7), code, handle, EMAIL, SECRET, ADMIN_KEY] };
}

describe('RELAY_OPENTELEMETRY=sdk', () => {
  let secrets: string[] = [];

  it('exports an OTP journey’s spans and metrics over OTLP, under the environment’s resource', async () => {
    const service = await startService({ RELAY_OPENTELEMETRY: 'sdk' });
    let traceId: string;
    try {
      ({ traceId, secrets } = await journey(service, PHONE));
    } finally {
      // A stop flushes what is still batched.
      await service.stop('test');
    }
    const spans = collector.spans();
    const names = spans.map((span) => span.name);
    for (const name of ['POST /admin/v1/assessments', 'POST /verify/session/answer', 'POST verify', 'k360.store.commit']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const admin = spans.find((span) => span.name === 'POST /admin/v1/assessments') as unknown as { traceId: string };
    assert.equal(admin.traceId.toLowerCase(), traceId, 'the caller’s traceparent is continued');
    for (const span of spans) {
      assert.equal(attribute(span.resource, 'service.name'), 'shop-relay');
      assert.equal(attribute(span.resource, 'deployment.environment.name'), 'test');
    }
    const metricNames = collector.metricNames();
    for (const name of ['k360.challenge.started', 'k360.challenge.completed', 'k360.answer.outcome', 'http.server.request.duration', 'http.client.request.duration']) assert.ok(metricNames.has(name), `${name} in ${[...metricNames].join(', ')}`);
  });

  it('sends no contact, code, handle or secret to the collector', () => {
    assert.ok(secrets.length > 0 && collector.bodies.traces.length > 0 && collector.bodies.metrics.length > 0);
    for (const body of [...collector.bodies.traces, ...collector.bodies.metrics]) {
      for (const secret of secrets) assert.equal(body.includes(secret), false, `${secret} sent to the collector`);
    }
  });

  it('with RELAY_METRICS=prometheus too: /metrics reads the SDK’s metrics, and traces still go to the collector; unnamed, the service is k360-verify-relay', async () => {
    collector.bodies.traces.splice(0);
    const named = process.env.OTEL_SERVICE_NAME;
    delete process.env.OTEL_SERVICE_NAME;
    const service = await startService({ RELAY_OPENTELEMETRY: 'sdk', RELAY_METRICS: 'prometheus' }).finally(() => (process.env.OTEL_SERVICE_NAME = named));
    try {
      await journey(service, '+15557654398');
      const scraped = await (await fetch(`${service.adminUrl}/metrics`)).text();
      assert.match(scraped, /^k360_challenge_started_total\{[^}]*k360_method="OTP"[^}]*\} 1$/m);
      assert.match(scraped, /^target_info\{[^}]*service_name="k360-verify-relay"[^}]*\} 1$/m);
      assert.match(scraped, /^target_info\{[^}]*deployment_environment_name="test"[^}]*\} 1$/m);
    } finally {
      await service.stop('test');
    }
    assert.ok(collector.spans().some((span) => span.name === 'POST /verify/session/answer'));
  });

  it('refuses another value by the variable’s name', async () => {
    await assert.rejects(
      loadServiceConfig(sandboxServiceEnv(sandbox, { sessionSecret: SECRET, adminKey: ADMIN_KEY }, { RELAY_OPENTELEMETRY: 'otlp' })),
      (error: Error) => /RELAY_OPENTELEMETRY must be none or sdk/.test(error.message),
    );
  });
});
