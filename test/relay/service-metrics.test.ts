/**
 * Metrics without a collector (issue 25, item 2): with `RELAY_METRICS=prometheus` the service's
 * admin listener serves Prometheus text at `/metrics` through the OpenTelemetry SDK and its
 * Prometheus exporter (optional peers), with closed labels only; without it `/metrics` is 404; a
 * missing package or an SDK already registered stops start-up with a message that says what to do.
 * This file registers a global MeterProvider: node:test runs it in its own process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { silentLogger } from '../../src/relay/index.js';
import { loadServiceConfig } from '../../src/relay/service/service-config.js';
import { startRelayService, type RunningRelayService } from '../../src/relay/service/relay-service.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { otpJourneyThroughService, sandboxServiceEnv } from './service-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_KEY = 'metrics-admin-key-0123456789-0123456789';
const SECRET = 'metrics-session-secret-0123456789-abcdef';
const PHONE = '+15557654321';
const EMAIL = 'otp@example.com';

let sandbox: RunningSandbox;

function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return sandboxServiceEnv(sandbox, { sessionSecret: SECRET, adminKey: ADMIN_KEY }, extra);
}

async function startService(extra: Record<string, string> = {}): Promise<RunningRelayService> {
  return startRelayService({ ...(await loadServiceConfig(serviceEnv(extra))), logger: silentLogger });
}

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

describe('RELAY_METRICS=prometheus', () => {
  let service: RunningRelayService;
  before(async () => {
    service = await startService({ RELAY_METRICS: 'prometheus' });
  });
  after(() => service?.stop('test'));

  it('serves an OTP journey’s metrics at the admin port’s /metrics, without a key, with no contact, code or handle in them', async () => {
    // The shop's backend starts the challenge; the page answers through the browser API.
    const { code, handle } = await otpJourneyThroughService(service, sandbox, { adminKey: ADMIN_KEY, email: EMAIL, phoneNumber: PHONE });

    const response = await fetch(`${service.adminUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4\b/);
    const text = await response.text();
    assert.match(text, /^k360_challenge_started_total\{[^}]*k360_method="OTP"[^}]*\} 1$/m, text);
    assert.match(text, /^k360_challenge_completed_total\{[^}]*k360_decision="ALLOW"[^}]*\} 1$/m);
    assert.match(text, /^http_server_request_duration_bucket\{[^}]*http_route="\/verify\/session\/answer"[^}]*le="\+Inf"[^}]*\} 1$/m);
    assert.match(text, /^http_client_request_duration_count\{[^}]*k360_kount_operation="verify"[^}]*\} 1$/m);
    for (const secret of [PHONE, PHONE.slice(-7), code, handle, EMAIL, SECRET, ADMIN_KEY]) assert.equal(text.includes(secret), false, `${secret} in the metrics`);
  });

  it('is on the admin listener only: 404 on the public port, refused to a browser, and described in the OpenAPI document', async () => {
    assert.equal((await fetch(`${service.publicUrl}/metrics`)).status, 404);
    assert.equal((await fetch(`${service.adminUrl}/metrics`, { headers: { origin: 'https://shop.example.com' } })).status, 403);
    const document = (await (await fetch(`${service.adminUrl}/admin/v1/openapi.json`)).json()) as { paths: Record<string, { get?: { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> } }> };
    const operation = document.paths['/metrics']?.get;
    assert.ok(operation);
    assert.deepEqual(operation.security, []);
    assert.ok(operation.responses['200']?.content?.['text/plain']);
    assert.ok(operation.responses['404']);
  });

  it('refuses a second start while this one holds the global MeterProvider, and leaves it working', async () => {
    await assert.rejects(startService({ RELAY_METRICS: 'prometheus' }), /already has an OpenTelemetry MeterProvider/);
    assert.match(await (await fetch(`${service.adminUrl}/metrics`)).text(), /^k360_challenge_started_total\{/m);
  });
  it('names the service in target_info: k360-verify-relay unless OTEL_SERVICE_NAME says otherwise', async () => {
    const text = await (await fetch(`${service.adminUrl}/metrics`)).text();
    assert.match(text, /^target_info\{[^}]*service_name="k360-verify-relay"[^}]*\} 1$/m, text.split('\n').find((line) => line.startsWith('target_info')));
    await service.stop('test');
    process.env.OTEL_SERVICE_NAME = 'shop-relay';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=staging';
    try {
      service = await startService({ RELAY_METRICS: 'prometheus' });
    } finally {
      delete process.env.OTEL_SERVICE_NAME;
      delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    }
    const renamed = await (await fetch(`${service.adminUrl}/metrics`)).text();
    assert.match(renamed, /^target_info\{[^}]*service_name="shop-relay"[^}]*\} 1$/m);
    assert.match(renamed, /^target_info\{[^}]*deployment_environment_name="staging"[^}]*\} 1$/m);
  });
});

describe('without RELAY_METRICS', () => {
  it('defaults to none, and refuses another value by the variable’s name, without the value', async () => {
    assert.equal((await loadServiceConfig(serviceEnv())).service.metrics, 'none');
    await assert.rejects(loadServiceConfig(serviceEnv({ RELAY_METRICS: 'prometheus-x' })), (error: Error) => /RELAY_METRICS must be none or prometheus/.test(error.message) && !error.message.includes('prometheus-x'));
  });

  it('answers 404 at /metrics, as the document says', async () => {
    const service = await startService();
    try {
      const response = await fetch(`${service.adminUrl}/metrics`);
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found');
    } finally {
      await service.stop('test');
    }
  });

  it('stop() gave the global MeterProvider back: another SDK, or another start, may register', async () => {
    const provider = new MeterProvider();
    assert.equal(metrics.setGlobalMeterProvider(provider), true);
    try {
      await assert.rejects(startService({ RELAY_METRICS: 'prometheus' }), /already has an OpenTelemetry MeterProvider.*Export through that SDK and leave RELAY_METRICS and RELAY_OPENTELEMETRY unset/);
    } finally {
      metrics.disable();
      await provider.shutdown();
    }
    const again = await startService({ RELAY_METRICS: 'prometheus' });
    try {
      assert.equal((await fetch(`${again.adminUrl}/metrics`)).status, 200);
    } finally {
      await again.stop('test');
    }
  });
});

describe('a missing optional package', () => {
  it('stops `k360-verify relay` at start-up with the package to install, exit 1', async () => {
    // A resolve hook that finds no exporter, as in an install without it; everything else resolves as usual.
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === '@opentelemetry/exporter-prometheus') {
        const error = new Error("Cannot find package '@opentelemetry/exporter-prometheus' imported from " + context.parentURL);
        error.code = 'ERR_MODULE_NOT_FOUND';
        throw error;
      }
      return next(specifier, context);
    }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, 'src/cli/main.ts', 'relay'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: 'tsconfig.node.json', ...serviceEnv({ RELAY_METRICS: 'prometheus' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopWithParent(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, output);
    assert.match(output, /k360-verify relay: RELAY_METRICS=prometheus needs @opentelemetry\/exporter-prometheus, not installed: npm install @opentelemetry\/api @opentelemetry\/sdk-metrics @opentelemetry\/resources @opentelemetry\/exporter-prometheus/);
    assert.doesNotMatch(output, /relay\.listening/);
  });
});
