/**
 * OpenTelemetry, optional (issue 25): `@opentelemetry/api` is an optional peer dependency. The
 * relay loads it when it is installed and records through whatever SDK the host registered (a
 * MeterProvider, a TracerProvider); with none registered the API's no-op instruments record
 * nothing. Without the package nothing is loaded at all.
 *
 * Attributes come from closed sets only (methods, products, channels, decisions, outcomes, error
 * types, route templates, Kount's host and operation): never a session id, a handle, an inquiry
 * id, a phone number, an e-mail address, a code or an IP address.
 *
 * HTTP in and out use the stable semantic-convention names (`http.server.request.duration`,
 * `http.client.request.duration`, `http.server.active_requests`); the relay's own instruments are
 * named under `k360.` (`RELAY_METRICS` below lists them all, for the dashboard's test).
 *
 * A request's span is found by its children (store commits, Kount calls) through the relay's own
 * request scope, which every request already runs in, not by making it the active context: that
 * would run each request in the context manager's AsyncLocalStorage too, a second store every
 * promise of the request carries. The request span's parent is still the active context (a host's
 * own HTTP instrumentation) continued by the caller's `traceparent`.
 */
import type * as OpenTelemetry from '@opentelemetry/api';
import type { JourneyEvent } from '../contract/journey-events.js';
import { currentRequestScope, type RequestScope } from './request-scope.js';

type Api = typeof OpenTelemetry;
/** Attribute values from closed sets (a local type, so the relay's declarations need no OpenTelemetry types). */
type Attributes = Record<string, string | number | boolean>;

/** The package name, in a constant so bundlers leave the optional import alone. */
const OPENTELEMETRY_API = '@opentelemetry/api';

/** The instrumentation scope the relay records under. */
export const INSTRUMENTATION_SCOPE = 'k360-verify';

/** Every metric the relay records, by name: the dashboard queries only these. */
export const RELAY_METRICS = {
  httpServerDuration: 'http.server.request.duration',
  httpServerActive: 'http.server.active_requests',
  httpClientDuration: 'http.client.request.duration',
  challengeStarted: 'k360.challenge.started',
  challengeCompleted: 'k360.challenge.completed',
  challengeDuration: 'k360.challenge.duration',
  challengeAbandoned: 'k360.challenge.abandoned',
  answerOutcome: 'k360.answer.outcome',
  lockout: 'k360.lockout',
  send: 'k360.send',
  tokenRefresh: 'k360.kount.token.refresh',
  webhookReceived: 'k360.webhook.received',
  webhookLag: 'k360.webhook.lag',
  storeErrors: 'k360.store.errors',
  storeCasRetries: 'k360.store.cas_retries',
  sseOpen: 'k360.sse.open',
} as const;

const HTTP_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** Seconds buckets for request and Kount durations (OpenTelemetry's advice for HTTP). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Seconds buckets for a journey, from a quick code to a document capture. */
const JOURNEY_BUCKETS = [5, 10, 20, 30, 60, 120, 300, 600, 900, 1800];

interface Instruments {
  serverDuration: OpenTelemetry.Histogram;
  serverActive: OpenTelemetry.ObservableUpDownCounter;
  clientDuration: OpenTelemetry.Histogram;
  challengeStarted: OpenTelemetry.Counter;
  challengeCompleted: OpenTelemetry.Counter;
  challengeDuration: OpenTelemetry.Histogram;
  challengeAbandoned: OpenTelemetry.Counter;
  answerOutcome: OpenTelemetry.Counter;
  lockout: OpenTelemetry.Counter;
  send: OpenTelemetry.Counter;
  tokenRefresh: OpenTelemetry.Counter;
  webhookReceived: OpenTelemetry.Counter;
  webhookLag: OpenTelemetry.Histogram;
  storeErrors: OpenTelemetry.Counter;
  storeCasRetries: OpenTelemetry.Counter;
  sseOpen: OpenTelemetry.ObservableUpDownCounter;
}

/** A span the relay started, or nothing to do when tracing is off. */
export interface RelaySpan {
  setAttributes(attributes: Attributes): void;
  updateName(name: string): void;
  fail(errorType: string): void;
  end(): void;
}

const NO_SPAN: RelaySpan = { setAttributes() {}, updateName() {}, fail() {}, end() {} };

export class Telemetry {
  #api: Api | undefined;
  #instruments: Instruments | undefined;
  #tracer: OpenTelemetry.Tracer | undefined;
  #openStreams: (() => number) | undefined;
  /** Requests being handled now, by method (`http.server.active_requests`). */
  readonly #activeRequests = new Map<string, number>();
  /** Each request's context with its span, by the request's scope (kept out of the scope itself, which log lines spread). */
  readonly #requestContexts = new WeakMap<RequestScope, OpenTelemetry.Context>();
  readonly #loaded: Promise<void>;

  constructor() {
    this.#loaded = loadApi().then((api) => api && this.#attach(api));
  }

  /** Whether anything is recorded: the API is loaded (without it, the hot paths skip building what would be recorded). */
  get recording(): boolean {
    return this.#instruments !== undefined;
  }

  /** Resolves once the API was loaded (or found missing); `relay.connect()` waits for it. */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  #attach(api: Api): void {
    this.#api = api;
    const meter = api.metrics.getMeter(INSTRUMENTATION_SCOPE);
    const seconds = (name: string, description: string, boundaries: number[]) =>
      meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: boundaries } });
    this.#instruments = {
      serverDuration: seconds(RELAY_METRICS.httpServerDuration, 'Duration of the relay’s HTTP requests (browser API, webhooks, admin API).', HTTP_BUCKETS),
      serverActive: meter.createObservableUpDownCounter(RELAY_METRICS.httpServerActive, { unit: '{request}', description: 'Requests being handled now.' }),
      clientDuration: seconds(RELAY_METRICS.httpClientDuration, 'Duration of the relay’s calls to Kount 360.', HTTP_BUCKETS),
      challengeStarted: meter.createCounter(RELAY_METRICS.challengeStarted, { unit: '{challenge}', description: 'Challenges stored, by method, product and first channel.' }),
      challengeCompleted: meter.createCounter(RELAY_METRICS.challengeCompleted, { unit: '{challenge}', description: 'Challenges decided, by method, product and decision.' }),
      challengeDuration: seconds(RELAY_METRICS.challengeDuration, 'From a challenge’s start to its decision.', JOURNEY_BUCKETS),
      challengeAbandoned: meter.createCounter(RELAY_METRICS.challengeAbandoned, { unit: '{challenge}', description: 'Challenges that reached their end undecided, by method and product.' }),
      answerOutcome: meter.createCounter(RELAY_METRICS.answerOutcome, { unit: '{answer}', description: 'Answers Kount checked, by method and outcome.' }),
      lockout: meter.createCounter(RELAY_METRICS.lockout, { unit: '{lockout}', description: 'Steps locked after too many wrong codes.' }),
      send: meter.createCounter(RELAY_METRICS.send, { unit: '{message}', description: 'Codes and links sent, or refused by a limit across sessions.' }),
      tokenRefresh: meter.createCounter(RELAY_METRICS.tokenRefresh, { unit: '{token}', description: 'Kount access tokens requested, by outcome.' }),
      webhookReceived: meter.createCounter(RELAY_METRICS.webhookReceived, { unit: '{webhook}', description: 'Kount webhooks received, by outcome.' }),
      webhookLag: seconds(RELAY_METRICS.webhookLag, 'From Kount’s event to the relay receiving its webhook.', HTTP_BUCKETS.concat([30, 60, 300])),
      storeErrors: meter.createCounter(RELAY_METRICS.storeErrors, { unit: '{error}', description: 'Store operations that failed.' }),
      storeCasRetries: meter.createCounter(RELAY_METRICS.storeCasRetries, { unit: '{retry}', description: 'Changes tried again because another request changed the session first.' }),
      sseOpen: meter.createObservableUpDownCounter(RELAY_METRICS.sseOpen, { unit: '{stream}', description: 'Event streams open on this instance.' }),
    };
    // Read when the SDK collects, rather than added to on each request: two fewer records per request.
    this.#instruments.serverActive.addCallback((result) => {
      for (const [method, count] of this.#activeRequests) result.observe(count, { 'http.request.method': method });
    });
    this.#instruments.sseOpen.addCallback((result) => {
      if (this.#openStreams !== undefined) result.observe(this.#openStreams());
    });
    this.#tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
  }

  // HTTP in and out

  /**
   * Starts a request's server span, continuing the caller's `traceparent`, and runs `handle` with
   * it as the parent of what `scope`'s work records; records the duration and the active count.
   * `finish()` gives the matched route's template, known once the request was routed.
   */
  async serveRequest<T>(requestMethod: string, headers: Headers, scope: RequestScope, handle: (span: RelaySpan) => Promise<T>, finish: () => { route: string; status: number }): Promise<T> {
    const api = this.#api;
    const instruments = this.#instruments;
    const tracer = this.#tracer;
    if (api === undefined || instruments === undefined || tracer === undefined) return handle(NO_SPAN);
    // A client picks the method: any but the known ones is `_OTHER` (semantic conventions), so the set stays closed.
    const method = HTTP_METHODS.has(requestMethod) ? requestMethod : '_OTHER';
    this.#activeRequests.set(method, (this.#activeRequests.get(method) ?? 0) + 1);
    const started = performance.now();
    const parent = api.propagation.extract(api.context.active(), headers, headerGetter);
    const span = tracer.startSpan(method, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
    this.#requestContexts.set(scope, api.trace.setSpan(parent, span));
    try {
      return await handle(wrapSpan(api, span));
    } finally {
      const { route, status } = finish();
      const attributes: Attributes = { 'http.request.method': method, 'http.route': route, 'http.response.status_code': status };
      if (status >= 500) attributes['error.type'] = String(status);
      instruments.serverDuration.record((performance.now() - started) / 1000, attributes);
      this.#activeRequests.set(method, (this.#activeRequests.get(method) ?? 1) - 1);
      span.updateName(`${method} ${route}`);
      span.setAttributes(attributes);
      if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end();
    }
  }

  /** The context the current work's spans start in: its request's (with the request's span), else the active one. */
  #parentContext(api: Api): OpenTelemetry.Context {
    const scope = currentRequestScope();
    return (scope === undefined ? undefined : this.#requestContexts.get(scope)) ?? api.context.active();
  }

  /** A call to Kount: a client span around `call`, and its duration with Kount's host and the outcome. */
  async callKount<T>(operation: string, url: string, call: () => Promise<T>, statusOf: (result: T) => number): Promise<T> {
    const api = this.#api;
    const instruments = this.#instruments;
    if (api === undefined || instruments === undefined || this.#tracer === undefined) return call();
    const base: Attributes = { 'http.request.method': 'POST', 'server.address': hostOf(url), 'k360.kount.operation': operation };
    const started = performance.now();
    // A leaf: nothing runs inside it, so it is started without being made the active span (no context switch).
    const span = this.#tracer.startSpan(`POST ${operation}`, { kind: api.SpanKind.CLIENT, attributes: base }, this.#parentContext(api));
    let attributes: Attributes = base;
    try {
      const result = await call();
      const status = statusOf(result);
      attributes = { ...base, 'http.response.status_code': status, ...(status >= 400 ? { 'error.type': String(status) } : {}) };
      if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      return result;
    } catch (error) {
      attributes = { ...base, 'error.type': errorTypeOf(error) };
      span.setStatus({ code: api.SpanStatusCode.ERROR });
      throw error;
    } finally {
      instruments.clientDuration.record((performance.now() - started) / 1000, attributes);
      span.setAttributes(attributes);
      span.end();
    }
  }

  /**
   * An internal leaf step as a child span (a store commit), when tracing is on; started without a
   * context switch, as nothing runs inside it. `failed` hears its error first (to count it).
   */
  inSpan<T>(name: string, work: () => Promise<T>, failed?: (error: unknown) => void): Promise<T> {
    const api = this.#api;
    const tracer = this.#tracer;
    if (api === undefined || tracer === undefined) return work();
    const span = tracer.startSpan(name, { kind: api.SpanKind.INTERNAL }, this.#parentContext(api));
    // One promise more than the work's, rather than an async wrapper's three.
    return work().then(
      (result) => {
        span.end();
        return result;
      },
      (error: unknown) => {
        failed?.(error);
        span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.setAttribute('error.type', errorTypeOf(error));
        span.end();
        throw error;
      },
    );
  }

  /** The active span's ids, to keep with a new session; undefined when nothing is traced. */
  currentTrace(): { traceId: string; spanId: string; flags: number } | undefined {
    const api = this.#api;
    if (api === undefined) return undefined;
    const current = api.trace.getSpanContext(this.#parentContext(api));
    return current !== undefined && api.trace.isSpanContextValid(current) ? { traceId: current.traceId, spanId: current.spanId, flags: current.traceFlags } : undefined;
  }

  /** Links the active span (a webhook's) to the trace its journey started in. */
  linkToJourney(trace: { traceId: string; spanId: string; flags: number } | undefined): void {
    const api = this.#api;
    if (api === undefined || trace === undefined) return;
    api.trace.getSpan(this.#parentContext(api))?.addLink({ context: { traceId: trace.traceId, spanId: trace.spanId, traceFlags: trace.flags, isRemote: true }, attributes: { 'k360.link': 'journey_start' } });
  }

  // The relay's own instruments

  /** A journey's moment (JourneyEvents' sink); `startedAt` is the session's start, for a decision's duration. */
  journey(event: JourneyEvent, startedAt: number, now: number): void {
    const instruments = this.#instruments;
    if (instruments === undefined) return;
    const step: Attributes = { 'k360.method': event.method ?? 'UNKNOWN', 'k360.product': event.product };
    switch (event.name) {
      case 'challenge_started':
        instruments.challengeStarted.add(1, event.channel ? { ...step, 'k360.channel': event.channel } : step);
        if (event.channel) instruments.send.add(1, { 'k360.channel': event.channel, 'k360.outcome': 'sent' });
        break;
      case 'resend':
      case 'retry':
        if (event.channel) instruments.send.add(1, { 'k360.channel': event.channel, 'k360.outcome': 'sent' });
        break;
      case 'send_refused':
        instruments.send.add(1, { ...(event.channel ? { 'k360.channel': event.channel } : {}), 'k360.outcome': 'refused', 'k360.limit': event.limit ?? 'destination' });
        break;
      case 'lockout':
        instruments.lockout.add(1, step);
        break;
      case 'abandoned':
        instruments.challengeAbandoned.add(1, step);
        break;
      case 'decided':
        if (event.decision) {
          instruments.challengeCompleted.add(1, { ...step, 'k360.decision': event.decision });
          instruments.challengeDuration.record(Math.max(0, now - startedAt) / 1000, { ...step, 'k360.decision': event.decision });
        }
        break;
      default:
        break;
    }
  }

  /** An answer Kount checked: `outcome` from the method's closed set (`wrong_code`, `decided`, `progressed`...). */
  answerOutcome(method: string | undefined, product: JourneyEvent['product'], outcome: string): void {
    this.#instruments?.answerOutcome.add(1, { 'k360.method': method ?? 'UNKNOWN', 'k360.product': product, 'k360.outcome': outcome });
  }

  tokenRefresh(outcome: 'ok' | 'error'): void {
    this.#instruments?.tokenRefresh.add(1, { 'k360.outcome': outcome });
  }

  /** A verified webhook's outcome (`applied`, `duplicate`, `not_applied`...) and, when Kount dated the event, how late it came. */
  webhookReceived(outcome: string, lagSeconds?: number): void {
    this.#instruments?.webhookReceived.add(1, { 'k360.outcome': outcome });
    if (lagSeconds !== undefined && lagSeconds >= 0) this.#instruments?.webhookLag.record(lagSeconds);
  }

  storeError(operation: string, errorType: string): void {
    this.#instruments?.storeErrors.add(1, { 'k360.store.operation': operation, 'error.type': errorType });
  }

  storeCasRetry(): void {
    this.#instruments?.storeCasRetries.add(1);
  }

  /** Where `k360.sse.open` is read from when the SDK collects: the streams open on this instance. */
  observeOpenStreams(count: () => number): void {
    this.#openStreams = count;
  }
}

/** The API, when the host installed it; undefined otherwise (a missing optional peer). */
async function loadApi(): Promise<Api | undefined> {
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ OPENTELEMETRY_API)) as Api;
  } catch {
    return undefined;
  }
}

const headerGetter: OpenTelemetry.TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

function wrapSpan(api: Api, span: OpenTelemetry.Span): RelaySpan {
  return {
    setAttributes: (attributes) => void span.setAttributes(attributes),
    updateName: (name) => void span.updateName(name),
    fail: (errorType) => {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
    },
    end: () => span.end(),
  };
}

/** Kount's host, from its URL; a closed value (the relay's own configuration). */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'unknown';
  }
}

/** A closed name for what went wrong: a RelayError's code, else the error's class name. */
function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && /^[a-z_]{1,40}$/.test(error.code)) return error.code;
  return error instanceof Error ? error.name : 'Error';
}
