/** Issue 5: one access line per request, a request id (and trace id) on every line of it and on its Kount calls, levels. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { CSRF_HEADER } from '../../src/contract/browser.js';
import { AccountProtectionClient } from '../../src/relay/account-protection/index.js';
import { KountClient } from '../../src/relay/kount-client.js';
import { createConsoleLogger, withRequestIds, type LogFields, type LogLevel, type Logger } from '../../src/relay/logger.js';
import { requestLog, traceIdOf } from '../../src/relay/middleware/request-log.js';
import { runInRequestScope } from '../../src/relay/request-scope.js';
import { FakeAccountProtection } from './account-protection/fake-account-protection.js';
import { createFakeClock } from './fake-clock.js';
import { ASSESS_PATH, FAKE_API_KEY, FAKE_API_URL, FAKE_CLIENT_ID, FAKE_TOKEN_URL, FakeKount, VERIFY_PATH } from './fake-kount.js';
import { EMAIL, RELAY_ORIGIN, browserRequest, createTestRelay, send, startOtpChallenge } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const wrong = { method: 'OTP', otp: '000000' };
const sameOriginWrite = { [CSRF_HEADER]: '1', origin: RELAY_ORIGIN, 'sec-fetch-site': 'same-origin' };

interface Line extends Record<string, unknown> {
  level: string;
  event: string;
  requestId?: string;
  traceId?: string;
}

function consoleCapture(level?: LogLevel) {
  const texts: string[] = [];
  const logger = createConsoleLogger({ ...(level === undefined ? {} : { level }), write: (line) => texts.push(line) });
  const lines = (): Line[] => texts.map((text) => JSON.parse(text) as Line);
  return { logger, texts, lines, clear: () => void texts.splice(0) };
}

function relayLoggingTo(level?: LogLevel) {
  const capture = consoleCapture(level);
  return { ...createTestRelay({ logger: capture.logger }), capture };
}

const accessLines = (lines: Line[]) => lines.filter((line) => line.event === 'relay.request');

describe('the access line (relay.request)', () => {
  it('is one info line per request with method, route template, status, duration and the request id it answered with', async () => {
    const { relay, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    const cases = [
      { path: '/session', options: { handle }, method: 'GET', route: '/verify/session', status: 200 },
      { path: '/session/answer', options: { handle, body: wrong }, method: 'POST', route: '/verify/session/answer', status: 422 },
      { path: '/session', options: {}, method: 'GET', route: '/verify/session', status: 401 },
      { path: '/session', options: { handle, method: 'PUT', headers: sameOriginWrite }, method: 'PUT', route: '/verify/session', status: 405 },
      // Refused by a middleware before the route's handler: still logged under the route.
      { path: '/session/answer', options: { handle, body: wrong, headers: { [CSRF_HEADER]: null } }, method: 'POST', route: '/verify/session/answer', status: 403 },
      // The template, never the URL: a path or query may hold a handle or an id.
      { path: `/session/${handle}?handle=${handle}`, options: { handle }, method: 'GET', route: '/verify/*', status: 404 },
      { path: `/session?handle=${handle}`, options: { handle }, method: 'GET', route: '/verify/session', status: 200 },
    ];
    for (const { path, options, method, route, status } of cases) {
      capture.clear();
      const result = await send(relay, path, options);
      assert.equal(result.status, status, path);
      const [access, ...more] = accessLines(capture.lines());
      assert.ok(access, `no access line for ${method} ${path}`);
      assert.equal(more.length, 0, 'one access line per request');
      assert.equal(access.level, 'info');
      assert.equal(access.method, method);
      assert.equal(access.route, route);
      assert.equal(access.status, status);
      assert.equal(typeof access.durationMs, 'number');
      assert.ok((access.durationMs as number) >= 0);
      assert.match(access.requestId ?? '', UUID);
      assert.equal(result.headers.get('x-request-id'), access.requestId);
      assert.ok(!capture.texts.join('\n').includes(handle), 'the handle is in the log');
    }
  });

  it('measures durationMs on the clock given, to a tenth of a millisecond, and names the route by its template', async () => {
    const { logger, lines } = consoleCapture();
    let clock = 1000;
    const app = new Hono();
    app.use('*', requestLog(logger, { now: () => clock }));
    app.get('/orders/:orderId', (c) => {
      clock += 42.25;
      return c.text('ok');
    });
    const response = await app.request('/orders/ord-5521?note=private');
    assert.equal(response.status, 200);
    const [access] = accessLines(lines());
    assert.deepEqual({ ...access, time: undefined, requestId: undefined }, {
      time: undefined,
      level: 'info',
      event: 'relay.request',
      method: 'GET',
      route: '/orders/:orderId',
      status: 200,
      durationMs: 42.3,
      requestId: undefined,
    });
    assert.ok(!JSON.stringify(lines()).includes('ord-5521'));
  });

  it('is written with status 500 when the error handler itself fails', async () => {
    const { logger, lines } = consoleCapture();
    const app = new Hono();
    app.use('*', requestLog(logger));
    app.get('/boom', () => {
      throw new Error('handler failed');
    });
    app.onError(() => {
      throw new Error('error handler failed');
    });
    await assert.rejects(async () => app.request('/boom'));
    assert.deepEqual(accessLines(lines()).map((line) => [line.route, line.status]), [['/boom', 500]]);
  });

  it('is written when an event stream starts (200), with x-request-id on the stream, which stays open', async () => {
    const { relay, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    capture.clear();
    const response = await relay.fetch(browserRequest('/session/events', { handle, headers: { accept: 'text/event-stream', 'x-request-id': 'stream-1' } }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'stream-1');
    const access = accessLines(capture.lines());
    assert.deepEqual(access.map((line) => [line.route, line.status, line.requestId]), [['/verify/session/events', 200, 'stream-1']]);
    const reader = response.body?.getReader();
    assert.ok(reader);
    assert.equal((await reader.read()).done, false, 'the stream is still open after its access line');
    await reader.cancel();
  });
});

describe('request ids', () => {
  it('makes a new id for each request that brings none, and leaves lines outside a request without one', async () => {
    const { relay, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    const backendLines = capture.lines();
    assert.ok(backendLines.some((line) => line.event === 'kount.call'));
    for (const line of backendLines) assert.equal(line.requestId, undefined, `${line.event} has a request id outside a request`);
    const first = await send(relay, '/session', { handle });
    const second = await send(relay, '/session', { handle });
    const ids = [first, second].map((result) => result.headers.get('x-request-id') ?? '');
    for (const id of ids) assert.match(id, UUID);
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual(accessLines(capture.lines()).map((line) => line.requestId), ids);
  });

  it('takes a well-formed x-request-id, echoes it and logs it; a malformed one is replaced, never echoed or logged', async () => {
    const { relay, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    const longest = `a${'b'.repeat(127)}`;
    for (const accepted of ['req-7f3a_9.1:2=', 'Root=1-5759e988-bd862e3fe1be46a994272793', longest]) {
      capture.clear();
      const result = await send(relay, '/session', { handle, headers: { 'x-request-id': accepted } });
      assert.equal(result.headers.get('x-request-id'), accepted);
      assert.deepEqual(accessLines(capture.lines()).map((line) => line.requestId), [accepted]);
    }
    for (const refused of [`${longest}c`, 'two words', EMAIL, '<img src=x>', 'a"b', 'a/b', '+14155554567', 'a,b']) {
      capture.clear();
      const result = await send(relay, '/session', { handle, headers: { 'x-request-id': refused } });
      assert.equal(result.status, 200);
      const echoed = result.headers.get('x-request-id') ?? '';
      assert.match(echoed, UUID, `${refused} was not replaced`);
      assert.deepEqual(accessLines(capture.lines()).map((line) => line.requestId), [echoed]);
      assert.ok(!capture.texts.join('\n').includes(refused), `${refused} is in the log`);
    }
  });

  it('carries the request id and trace id on every line of the request, the kount.call lines included', async () => {
    const { relay, kount, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'status', status: 401 });
    capture.clear();
    const result = await send(relay, '/session/answer', { handle, body: wrong, headers: { 'x-request-id': 'answer-1', traceparent: TRACEPARENT } });
    const lines = capture.lines();
    const events = lines.map((line) => line.event);
    for (const expected of ['kount.reauthenticate', 'kount.token', 'kount.call', 'relay.answer', 'relay.request']) assert.ok(events.includes(expected), `no ${expected} line`);
    assert.equal(lines.filter((line) => line.event === 'kount.call').length, 2, 'the refused call and the retried one');
    for (const line of lines) {
      assert.equal(line.requestId, 'answer-1', `${line.event} lacks the request id`);
      assert.equal(line.traceId, TRACE_ID, `${line.event} lacks the trace id`);
    }
    assert.equal(result.headers.get('x-request-id'), 'answer-1');
  });

  it('gives a logger of the host\'s own the same ids on every line of the request', async () => {
    const seen: Array<{ event: string; fields: Record<string, unknown> }> = [];
    const own = { info: (event: string, fields: Record<string, unknown> = {}) => seen.push({ event, fields }), warn: () => undefined, error: () => undefined };
    const { relay } = createTestRelay({ logger: own });
    const { handle } = await startOtpChallenge(relay);
    seen.splice(0);
    await send(relay, '/session/answer', { handle, body: wrong, headers: { 'x-request-id': 'own-1', traceparent: TRACEPARENT } });
    assert.ok(seen.some((line) => line.event === 'kount.call'));
    for (const line of seen) {
      assert.equal(line.fields.requestId, 'own-1', `${line.event} lacks the request id`);
      assert.equal(line.fields.traceId, TRACE_ID, `${line.event} lacks the trace id`);
    }
  });

  it('keeps concurrent requests apart: each Kount call is logged under the request that made it', async () => {
    const { relay, capture } = relayLoggingTo();
    const sessions = await Promise.all([startOtpChallenge(relay), startOtpChallenge(relay), startOtpChallenge(relay)]);
    const inquiries = await Promise.all(sessions.map(async ({ handle }) => (await relay.outcome(handle)).inquiryId));
    capture.clear();
    await Promise.all(
      sessions.flatMap(({ handle }, index) => [
        send(relay, '/session/answer', { handle, body: wrong, headers: { 'x-request-id': `answer-${index}-a` } }),
        send(relay, '/session', { handle, headers: { 'x-request-id': `view-${index}` } }),
      ]),
    );
    const calls = capture.lines().filter((line) => line.event === 'kount.call');
    assert.equal(calls.length, 3);
    for (const call of calls) {
      const index = inquiries.indexOf(call.inquiryId as string);
      assert.ok(index >= 0, 'kount.call names its inquiry');
      assert.equal(call.requestId, `answer-${index}-a`);
    }
  });
});

describe('traceparent (W3C Trace Context)', () => {
  it('gives the trace id of a valid header', () => {
    assert.equal(traceIdOf(TRACEPARENT), TRACE_ID);
    assert.equal(traceIdOf(`00-${TRACE_ID}-00f067aa0ba902b7-00`), TRACE_ID);
    // A later version may add fields after the flags.
    assert.equal(traceIdOf(`01-${TRACE_ID}-00f067aa0ba902b7-01-what-comes-next`), TRACE_ID);
  });

  it('ignores every malformed header', () => {
    const malformed = [
      '',
      TRACEPARENT.toUpperCase(),
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`,
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-00f067aa0ba902b7`,
      `00-${TRACE_ID}-00f067aa0ba902b7-1`,
      `0-${TRACE_ID}-00f067aa0ba902b7-01`,
      `00_${TRACE_ID}_00f067aa0ba902b7_01`,
      `${TRACEPARENT}, ${TRACEPARENT}`,
      ` ${TRACEPARENT}`,
      `00-${TRACE_ID.slice(0, 31)}g-00f067aa0ba902b7-01`,
      `01-${TRACE_ID}-00f067aa0ba902b7-01-${'x'.repeat(600)}`,
    ];
    for (const header of malformed) assert.equal(traceIdOf(header), undefined, header);
    assert.equal(traceIdOf(null), undefined);
  });

  it('puts the trace id on the request lines, and a malformed header puts none and changes nothing else', async () => {
    const { relay, capture } = relayLoggingTo();
    const { handle } = await startOtpChallenge(relay);
    capture.clear();
    const traced = await send(relay, '/session', { handle, headers: { traceparent: TRACEPARENT } });
    assert.equal(traced.status, 200);
    assert.deepEqual(accessLines(capture.lines()).map((line) => line.traceId), [TRACE_ID]);
    capture.clear();
    const broken = await send(relay, '/session', { handle, headers: { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` } });
    assert.equal(broken.status, 200);
    const [access] = accessLines(capture.lines());
    assert.ok(access);
    assert.equal('traceId' in access, false);
    assert.match(access.requestId ?? '', UUID);
  });
});

describe('inquiryId on kount.call', () => {
  it('names the inquiry of assess and verify calls', async () => {
    const { relay, capture } = relayLoggingTo();
    await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId: 'inq-assess-1', deviceSessionId: 'device-1', applicant: { email: EMAIL } });
    assert.deepEqual(
      capture.lines().filter((line) => line.event === 'kount.call').map((line) => [line.operation, line.inquiryId]),
      [['assess', 'inq-assess-1']],
    );
    const { handle } = await startOtpChallenge(relay);
    const { inquiryId } = await relay.outcome(handle);
    capture.clear();
    await send(relay, '/session/answer', { handle, body: wrong });
    assert.deepEqual(
      capture.lines().filter((line) => line.event === 'kount.call').map((line) => [line.operation, line.inquiryId]),
      [['verify', inquiryId]],
    );
  });

  it('names the inquiry of Account Protection decisions; an MFA resend has none to name', async () => {
    const { logger, lines } = consoleCapture();
    const kount = new FakeKount(createFakeClock());
    const upstream = new FakeAccountProtection(kount);
    const client = new AccountProtectionClient(
      new KountClient({
        apiUrl: FAKE_API_URL,
        tokenUrl: FAKE_TOKEN_URL,
        apiKey: FAKE_API_KEY,
        clientId: FAKE_CLIENT_ID,
        timeoutMs: 500,
        paths: { assess: ASSESS_PATH, verify: VERIFY_PATH },
        fetch: upstream.fetch,
        logger,
      }),
    );
    await client.login({ inquiryId: 'inquiry1', deviceSessionId: 'device1', account: { id: 'user-1', username: 'olivia' } });
    await client.newAccountOpening({ inquiryId: 'inquiry2', deviceSessionId: 'device1' });
    await client.resend('mfa-1');
    assert.deepEqual(
      lines().filter((line) => line.event === 'kount.call').map((line) => [line.operation, line.inquiryId]),
      [
        ['login', 'inquiry1'],
        ['newAccountOpening', 'inquiry2'],
        ['resend', undefined],
      ],
    );
  });
});

describe('log levels', () => {
  const allLevels = (logger: Logger) => {
    logger.debug?.('line.debug');
    logger.info('line.info');
    logger.warn('line.warn');
    logger.error('line.error');
  };

  it('drops the lines below the level, info by default', () => {
    const expected: Record<LogLevel | 'default', string[]> = {
      debug: ['line.debug', 'line.info', 'line.warn', 'line.error'],
      info: ['line.info', 'line.warn', 'line.error'],
      default: ['line.info', 'line.warn', 'line.error'],
      warn: ['line.warn', 'line.error'],
      error: ['line.error'],
    };
    for (const [level, events] of Object.entries(expected)) {
      const capture = consoleCapture(level === 'default' ? undefined : (level as LogLevel));
      allLevels(capture.logger);
      assert.deepEqual(capture.lines().map((line) => [line.event, line.level]), events.map((event) => [event, event.slice(5)]), level);
    }
  });

  it('spends no work on a dropped line, and refuses an unknown level', () => {
    let clockReads = 0;
    const logger = createConsoleLogger({ level: 'error', write: () => {}, now: () => (clockReads += 1) });
    logger.info('dropped', { big: 'x'.repeat(1000) });
    logger.warn('dropped');
    assert.equal(clockReads, 0);
    logger.error('kept');
    assert.equal(clockReads, 1);
    assert.throws(() => createConsoleLogger({ level: 'verbose' as LogLevel }), TypeError);
  });

  it('at warn, a relay writes no access or call lines, and its warnings still carry the request id', async () => {
    const { relay, kount, capture } = relayLoggingTo('warn');
    const { handle } = await startOtpChallenge(relay);
    kount.inject('verify', { kind: 'status', status: 401 });
    await send(relay, '/session/answer', { handle, body: wrong, headers: { 'x-request-id': 'quiet-1' } });
    const lines = capture.lines();
    assert.deepEqual(lines.map((line) => [line.event, line.level, line.requestId]), [['kount.reauthenticate', 'warn', 'quiet-1']]);
  });
});

describe('withRequestIds (a logger of your own)', () => {
  it('adds the request ids inside a request only, lets explicit fields win, and does not wrap a console logger', () => {
    const seen: Array<[string, string, LogFields | undefined]> = [];
    const own: Logger = {
      info: (event, fields) => seen.push(['info', event, fields]),
      warn: (event, fields) => seen.push(['warn', event, fields]),
      error: (event, fields) => seen.push(['error', event, fields]),
    };
    const logger = withRequestIds(own);
    assert.equal(logger.debug, undefined, 'no debug is made up');
    logger.info('outside', { a: 1 });
    runInRequestScope({ requestId: 'r-1', traceId: TRACE_ID }, () => {
      logger.warn('inside', { a: 2 });
      logger.error('explicit', { requestId: 'mine' });
    });
    assert.deepEqual(seen, [
      ['info', 'outside', { a: 1 }],
      ['warn', 'inside', { requestId: 'r-1', traceId: TRACE_ID, a: 2 }],
      ['error', 'explicit', { requestId: 'mine', traceId: TRACE_ID }],
    ]);
    const consoleLogger = createConsoleLogger({ write: () => {} });
    assert.equal(withRequestIds(consoleLogger), consoleLogger);
    assert.equal(withRequestIds(logger), logger);
  });
});
