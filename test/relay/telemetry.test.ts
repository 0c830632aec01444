/**
 * OpenTelemetry (issue 25, item 1): with the SDK registered (in-memory readers and exporters), the
 * relay records HTTP in and out under the stable semantic-convention names, its own `k360.*`
 * instruments, and spans (a server span per request continuing `traceparent`, children for each
 * store commit and each Kount call); every attribute comes from a closed set, never a contact, a
 * code, a session, a handle, an inquiry id or an address. Without an SDK nothing is recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import type { Relay } from '../../src/relay/index.js';
import { RELAY_METRICS } from '../../src/relay/telemetry.js';
import type { KbaAnswerKey, RunningSandbox } from '../../src/sandbox/index.js';
import { startSandboxRelay, type SandboxRelay } from './sandbox-relay.js';

const PHONE = '+15551234567';

/** A reader the test collects from when it wants, instead of on a timer. */
class OnDemandReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Point = DataPoint<unknown> & { metric: string };

describe('OpenTelemetry: metrics and traces with no personal data', () => {
  const reader = new OnDemandReader();
  const spans = new InMemorySpanExporter();
  let harness: SandboxRelay;
  let sandbox: RunningSandbox;
  let relay: Relay;

  before(async () => {
    // As a host does at start-up, before the relay is made: the SDK, a context manager, W3C propagation.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    harness = await startSandboxRelay({ resendIntervalSeconds: 0 });
    ({ sandbox, relay } = harness);
    await relay.connect();
  });
  after(async () => {
    await harness.close();
    metrics.disable();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  async function points(): Promise<Point[]> {
    await relay.settled();
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.flatMap((metric: MetricData) => (metric.dataPoints as Array<DataPoint<unknown>>).map((point) => ({ ...point, metric: metric.descriptor.name }))));
  }

  const sum = (all: Point[], metric: string, match: Record<string, string | number> = {}) =>
    all
      .filter((point) => point.metric === metric && Object.entries(match).every(([key, value]) => point.attributes[key] === value))
      .reduce((total, point) => total + (typeof point.value === 'number' ? point.value : ((point.value as { count?: number }).count ?? 0)), 0);

  async function challenge(email: string, phoneNumber = PHONE) {
    const inquiryId = crypto.randomUUID();
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device-1', applicant: { email, phoneNumber } });
    const started = await relay.startChallenge({ assessment, contact: { email, phoneNumber } });
    return { ...started, inquiryId, authenticationId: assessment.authenticationId };
  }
  const answer = (handle: string, body: unknown, headers: Record<string, string> = {}) => harness.browser('/session/answer', handle, { body, headers });
  const press = (link: string, field: string, value: string) =>
    fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${field}=${value}`, redirect: 'manual' });

  it('records an OTP, a KBA, a link and a DocV journey and an Account Protection MFA', async () => {
    // OTP: a wrong code, then the right one.
    const otp = await challenge('otp@example.com');
    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    assert.equal((await answer(otp.handle, { method: 'OTP', otp: code === '000000' ? '111111' : '000000' })).status, 422);
    assert.equal((await answer(otp.handle, { method: 'OTP', otp: code })).status, 200);
    // KBA: the inbox's answers.
    const kba = await challenge('kba@example.com');
    const key = (await (await fetch(`${sandbox.url}/sandbox/kba.json?authenticationId=${kba.authenticationId}`)).json()) as KbaAnswerKey;
    const answers = key.questions.map((item) => ({ questionId: String(item.questionId), choiceIds: item.answers.map(String) }));
    assert.equal((await answer(kba.handle, { method: 'KBA', answers })).status, 200);
    // A one-time link refused on the phone: Kount's webhook decides.
    await challenge('oth@example.com');
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await press(link, 'choice', 'refuse');
    // DocV by SMS, verified.
    const docv = await challenge('docv-sms@example.com');
    const capture = sandbox.sandbox.messages.latest(PHONE)?.link;
    assert.ok(capture && docv.handle);
    for (const step of ['begin', 'capture', 'process', 'verified']) await press(capture, 'step', step);
    // Account Protection: a login's passcode.
    const login = await relay.accountProtection.login({
      inquiryId: `inquiry${Date.now()}`,
      deviceSessionId: 'device-ap',
      account: { id: 'user-otel', username: 'user-otel' },
      person: { emailAddress: 'login-sms@example.com', phoneNumber: PHONE },
      strategy: { mfaTemplateName: 'SandboxLogin' },
    });
    const mfa = await relay.startMfaChallenge({ decision: login, contact: { phoneNumber: PHONE, email: 'login-sms@example.com' } });
    const mfaCode = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(mfaCode);
    assert.equal((await answer(mfa.handle, { method: 'OTP', otp: mfaCode })).status, 200);
    await sandbox.sandbox.webhooks.settled();

    const all = await points();
    for (const method of ['OTP', 'KBA', 'OTH', 'DOCV']) assert.ok(sum(all, RELAY_METRICS.challengeStarted, { 'k360.method': method, 'k360.product': 'identity_proofing' }) >= 1, method);
    assert.equal(sum(all, RELAY_METRICS.challengeStarted, { 'k360.product': 'account_protection', 'k360.method': 'OTP', 'k360.channel': 'SMS' }), 1);
    assert.ok(sum(all, RELAY_METRICS.challengeCompleted, { 'k360.method': 'OTP', 'k360.decision': 'ALLOW' }) >= 2);
    assert.equal(sum(all, RELAY_METRICS.challengeCompleted, { 'k360.method': 'OTH', 'k360.decision': 'BLOCK' }), 1);
    assert.equal(sum(all, RELAY_METRICS.challengeCompleted, { 'k360.method': 'DOCV', 'k360.decision': 'ALLOW' }), 1);
    assert.equal(sum(all, RELAY_METRICS.challengeCompleted, { 'k360.method': 'KBA', 'k360.decision': 'ALLOW' }), 1);
    assert.ok(sum(all, RELAY_METRICS.challengeDuration) >= 5, 'a duration for each decision');
    assert.equal(sum(all, RELAY_METRICS.answerOutcome, { 'k360.method': 'OTP', 'k360.outcome': 'wrong_code', 'k360.product': 'identity_proofing' }), 1);
    assert.ok(sum(all, RELAY_METRICS.send, { 'k360.channel': 'SMS', 'k360.outcome': 'sent' }) >= 3);
    assert.ok(sum(all, RELAY_METRICS.tokenRefresh, { 'k360.outcome': 'ok' }) >= 1);
    assert.ok(sum(all, RELAY_METRICS.webhookReceived, { 'k360.outcome': 'received' }) >= 2, 'the link’s and the capture’s webhooks');
    assert.ok(sum(all, RELAY_METRICS.webhookLag) >= 2);
    assert.ok(sum(all, RELAY_METRICS.httpServerDuration, { 'http.request.method': 'POST', 'http.route': '/verify/session/answer', 'http.response.status_code': 422 }) >= 1);
    assert.ok(sum(all, RELAY_METRICS.httpServerDuration, { 'http.route': '/verify/webhooks/kount', 'http.response.status_code': 200 }) >= 2);
    assert.ok(sum(all, RELAY_METRICS.httpClientDuration, { 'server.address': '127.0.0.1', 'k360.kount.operation': 'verify', 'http.response.status_code': 200 }) >= 1);
    assert.ok(all.some((point) => point.metric === RELAY_METRICS.httpServerActive));
    assert.ok(all.some((point) => point.metric === RELAY_METRICS.sseOpen), 'the open streams are observed');
  });

  it('a lockout and a refused send are counted by their closed values', async () => {
    const limited = await startSandboxRelay({ resendIntervalSeconds: 0, sendsPerDestinationPerHour: 1, maxFailedOtpAttempts: 1 });
    // connect() waits for the API to load: until then nothing is recorded.
    await limited.relay.connect();
    try {
      const assessment = await limited.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: PHONE } });
      const { handle } = await limited.relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
      assert.equal((await limited.browser('/session/resend', handle, { body: {} })).status, 429);
      assert.equal((await limited.browser('/session/answer', handle, { body: { method: 'OTP', otp: '000001' } })).status, 422);
      await limited.relay.settled();
      const all = await points();
      assert.ok(sum(all, RELAY_METRICS.send, { 'k360.outcome': 'refused', 'k360.limit': 'destination', 'k360.channel': 'SMS' }) >= 1);
      assert.ok(sum(all, RELAY_METRICS.lockout, { 'k360.method': 'OTP' }) >= 1);
    } finally {
      await limited.close();
    }
  });

  it('traces each request in a server span that continues the caller’s traceparent, with the store commits and Kount calls as its children', async () => {
    const otp = await challenge('otp@example.com');
    spans.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await answer(otp.handle, { method: 'OTP', otp: '000000' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    assert.ok(response.status === 422 || response.status === 200);
    await relay.settled();
    const finished: ReadableSpan[] = spans.getFinishedSpans();
    const server = finished.find((span) => span.name === 'POST /verify/session/answer');
    assert.ok(server, finished.map((span) => span.name).join(', '));
    assert.equal(server.spanContext().traceId, traceId, 'the incoming trace is continued');
    assert.equal(server.parentSpanContext?.spanId, '00f067aa0ba902b7');
    const children = finished.filter((span) => span.parentSpanContext?.spanId === server.spanContext().spanId).map((span) => span.name);
    assert.ok(children.includes('k360.store.commit'), children.join(', '));
    assert.ok(children.includes('POST verify'), children.join(', '));
    const kountCall = finished.find((span) => span.name === 'POST verify');
    assert.equal(kountCall?.attributes['server.address'], '127.0.0.1');
    assert.equal(server.attributes['http.route'], '/verify/session/answer');
  });

  it('links the span of the webhook that ends a journey to the trace the journey started in', async () => {
    spans.reset();
    // The shop's backend starts the challenge inside its own traced request.
    const shop = trace.getTracer('shop');
    const started = await shop.startActiveSpan('POST /checkout', async (span) => {
      try {
        return { ...(await challenge('oth@example.com')), traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      } finally {
        span.end();
      }
    });
    const link = sandbox.sandbox.messages.latest('oth@example.com')?.link;
    assert.ok(link);
    await press(link, 'choice', 'confirm');
    await sandbox.sandbox.webhooks.settled();
    await relay.settled();
    const webhook = spans.getFinishedSpans().find((span) => span.name === 'POST /verify/webhooks/kount');
    assert.ok(webhook, spans.getFinishedSpans().map((span) => span.name).join(', '));
    assert.notEqual(webhook.spanContext().traceId, started.traceId, 'Kount’s delivery is a trace of its own');
    assert.deepEqual(
      webhook.links.map((item) => [item.context.traceId, item.context.spanId, item.attributes?.['k360.link']]),
      [[started.traceId, started.spanId, 'journey_start']],
    );
  });

  it('never puts a contact, a code, a session, a handle, an inquiry id or an address in an attribute, a span name or a metric label (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000_000, max: 9_999_999 }), fc.integer({ min: 0, max: 999_999 }), async (local, guess) => {
        spans.reset();
        const phone = `+1555${local}`;
        const started = await challenge('otp@example.com', phone);
        const code = sandbox.sandbox.messages.latest(phone)?.code;
        assert.ok(code);
        const wrong = String(guess).padStart(6, '0');
        await answer(started.handle, { method: 'OTP', otp: wrong === code ? '999999' : wrong });
        await answer(started.handle, { method: 'OTP', otp: code });
        const labels = JSON.stringify((await points()).map((point) => [point.metric, point.attributes]));
        const traced = JSON.stringify(spans.getFinishedSpans().map((span) => [span.name, span.attributes, span.events.map((event) => [event.name, event.attributes])]));
        for (const text of [labels, traced]) {
          for (const secret of [phone, phone.slice(-7), code, wrong, started.handle, started.inquiryId, 'otp@example.com', '127.0.0.1:']) {
            assert.ok(!text.includes(secret), `${secret} in ${text.slice(0, 400)}`);
          }
        }
      }),
      { numRuns: 6 },
    );
  });

  it('counts a method a client made up as _OTHER, so the set of values stays closed', async () => {
    // Node's parser takes WebDAV's methods, which are not HTTP's own.
    const response = await fetch(`${harness.relayUrl}/verify/session`, { method: 'PROPFIND' });
    assert.ok(response.status >= 400);
    const all = await points();
    assert.ok(sum(all, RELAY_METRICS.httpServerDuration, { 'http.request.method': '_OTHER' }) >= 1);
    assert.equal(all.filter((point) => point.attributes['http.request.method'] === 'PROPFIND').length, 0);
  });

  it('records nothing without an SDK: the API’s no-op instruments', async () => {
    metrics.disable();
    trace.disable();
    spans.reset();
    const quiet = await startSandboxRelay();
    try {
      await quiet.relay.connect();
      const before = JSON.stringify((await reader.collect()).resourceMetrics.scopeMetrics);
      const assessment = await quiet.relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: crypto.randomUUID(), deviceSessionId: 'd', applicant: { email: 'otp@example.com', phoneNumber: PHONE } });
      const { handle } = await quiet.relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
      await quiet.browser('/session/answer', handle, { body: { method: 'OTP', otp: '000000' } });
      await quiet.relay.settled();
      const after = JSON.stringify((await reader.collect()).resourceMetrics.scopeMetrics);
      assert.equal(after.replace(/"(start|end)Time":\[\d+,\d+\]/g, ''), before.replace(/"(start|end)Time":\[\d+,\d+\]/g, ''), 'no new points');
      assert.deepEqual(spans.getFinishedSpans(), []);
    } finally {
      await quiet.close();
    }
  });
});

