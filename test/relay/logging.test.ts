/** SECURITY 3 and 17: a whole flow's log lines hold no code, contact detail, token or credential. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConsoleLogger } from '../../src/relay/index.js';
import { CORRECT_OTP, FAKE_API_KEY, FAKE_CLIENT_ID } from './fake-kount.js';
import { EMAIL, PHONE_NUMBER, SESSION_SECRET, createTestRelay, send, startOtpChallenge } from './helpers.js';

const WRONG_OTP = '739164';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

async function runFullFlow(logger: ReturnType<typeof createConsoleLogger>) {
  const test = createTestRelay({ logger });
  let browserRequests = 0;
  const browse: typeof send = async (...request) => {
    browserRequests += 1;
    return send(...request);
  };
  const { relay, kount, clock } = test;
  const started = await startOtpChallenge(relay);
  const { handle } = started;
  await browse(relay, '/session', { handle });
  // Issue 5: the access line names the route, never the URL; request ids that could carry personal data are replaced.
  await browse(relay, `/session?handle=${handle}&email=${EMAIL}`, { handle, headers: { traceparent: TRACEPARENT } });
  await browse(relay, `/session/${handle}`, { handle, headers: { 'x-request-id': EMAIL } });
  await browse(relay, '/session', { handle, headers: { 'x-request-id': PHONE_NUMBER } });
  await browse(relay, '/session/answer', { handle, body: { method: 'OTP', otp: WRONG_OTP } });
  await browse(relay, '/session/answer', { handle, body: { method: 'OTP', otp: 'not-digits' } });
  await browse(relay, '/session/answer', { handle, rawBody: `{"method":"OTP","otp":"${WRONG_OTP}"` });
  clock.advanceSeconds(31);
  await browse(relay, '/session/resend', { handle, body: {} });
  await browse(relay, '/session/resend', { handle, body: {} });
  kount.inject('verify', { kind: 'status', status: 401 }, { kind: 'status', status: 401 });
  await browse(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
  kount.inject('verify', { kind: 'body', body: JSON.stringify({ inquiryId: 1, email: EMAIL, phoneNumber: PHONE_NUMBER }) });
  await browse(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
  await browse(relay, '/session/answer', { handle, body: { method: 'OTP', otp: CORRECT_OTP } });
  await relay.outcome(handle);
  await browse(relay, '/session', { handle: `${handle}x` });
  const secondFlow = await startOtpChallenge(relay, { email: EMAIL });
  await browse(relay, '/session/answer', { handle: secondFlow.handle, bearer: true, body: { method: 'OTP', otp: CORRECT_OTP } });
  return { kount, handles: [handle, secondFlow.handle], setCookie: started.setCookie, browserRequests };
}

function forbiddenStrings(kount: { issuedTokens: string[] }, handles: string[]): string[] {
  return [
    CORRECT_OTP,
    WRONG_OTP,
    PHONE_NUMBER,
    PHONE_NUMBER.slice(2),
    EMAIL,
    EMAIL.split('@')[0] ?? EMAIL,
    FAKE_API_KEY,
    FAKE_CLIENT_ID,
    SESSION_SECRET,
    ...kount.issuedTokens,
    ...handles,
  ];
}

describe('logs over a full flow (SECURITY 17)', () => {
  it('the relay never hands the logger a secret or personal datum, before any redaction', async () => {
    const entries: string[] = [];
    const rawLogger = {
      info: (event: string, fields?: Record<string, unknown>) => entries.push(JSON.stringify({ event, fields }, replaceErrors)),
      warn: (event: string, fields?: Record<string, unknown>) => entries.push(JSON.stringify({ event, fields }, replaceErrors)),
      error: (event: string, fields?: Record<string, unknown>) => entries.push(JSON.stringify({ event, fields }, replaceErrors)),
    };
    const { kount, handles } = await runFullFlow(rawLogger);
    assert.ok(entries.length > 15, `only ${entries.length} log entries`);
    for (const forbidden of forbiddenStrings(kount, handles)) {
      for (const entry of entries) assert.ok(!entry.includes(forbidden), `log entry contains ${forbidden}: ${entry}`);
    }
    const events = new Set(entries.map((entry) => (JSON.parse(entry) as { event: string }).event));
    for (const expected of ['kount.token', 'kount.call', 'relay.challenge.started', 'relay.answer', 'relay.resend', 'kount.reauthenticate', 'relay.request_refused', 'relay.request']) {
      assert.ok(events.has(expected), `no ${expected} event`);
    }
  });

  it('the console logger writes one JSON object per line, with none of them either', async () => {
    const lines: string[] = [];
    const { kount, handles, browserRequests } = await runFullFlow(createConsoleLogger({ write: (line) => lines.push(line) }));
    for (const line of lines) {
      assert.ok(!line.includes('\n'));
      const parsed = JSON.parse(line) as { time: string; level: string; event: string };
      assert.ok(parsed.time && parsed.level && parsed.event);
    }
    const all = lines.join('\n');
    for (const forbidden of forbiddenStrings(kount, handles)) assert.ok(!all.includes(forbidden), `logs contain ${forbidden}`);
    const parsed = lines.map((line) => JSON.parse(line) as { event: string; requestId?: string; traceId?: string; inquiryId?: string });
    const requests = parsed.filter((line) => line.event === 'relay.request');
    assert.equal(requests.length, browserRequests, 'one access line per browser request');
    assert.ok(requests.some((line) => line.traceId !== undefined));
    const calls = parsed.filter((line) => line.event === 'kount.call');
    assert.ok(calls.some((line) => line.requestId !== undefined), 'no kount.call line carries a request id');
    for (const call of calls) assert.equal(typeof call.inquiryId, 'string', 'a kount.call line without its inquiry');
  });
});

describe('redaction (defence in depth)', () => {
  it('drops sensitive keys at any depth and masks e-mail addresses and credentials in text', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ write: (line) => lines.push(line), now: () => 0 });
    logger.warn('test.event', {
      otp: '123456',
      answers: ['a'],
      phoneNumber: PHONE_NUMBER,
      nested: { email: EMAIL, access_token: 'tok', Authorization: 'Bearer tok', 'x-api-key': 'k', apiKey: 'k', clientId: 'c', list: [{ otp: '1' }] },
      note: `sent to ${EMAIL} with Bearer abc.def.ghi and Basic c2VjcmV0`,
      retried: 'then with bearer jkl.mno, basic dXNlcg and BASIC cGFzcw',
      code: 'wrong_code',
      error: new Error(`mail ${EMAIL} failed`),
      count: 3,
    });
    const line = lines[0] ?? '';
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(parsed.level, 'warn');
    assert.equal(parsed.event, 'test.event');
    assert.equal(parsed.time, '1970-01-01T00:00:00.000Z');
    assert.equal(parsed.otp, '[redacted]');
    assert.equal(parsed.answers, '[redacted]');
    assert.equal(parsed.phoneNumber, '[redacted]');
    assert.deepEqual(parsed.nested, {
      email: '[redacted]',
      access_token: '[redacted]',
      Authorization: '[redacted]',
      'x-api-key': '[redacted]',
      apiKey: '[redacted]',
      clientId: '[redacted]',
      list: [{ otp: '[redacted]' }],
    });
    assert.equal(parsed.note, 'sent to [email] with Bearer [redacted] and Basic [redacted]');
    assert.equal(parsed.retried, 'then with bearer [redacted], basic [redacted] and BASIC [redacted]', 'the schemes in any case');
    assert.equal(parsed.code, 'wrong_code', 'stable error codes stay readable');
    assert.deepEqual(parsed.error, { name: 'Error', message: 'mail [email] failed' });
    assert.equal(parsed.count, 3);
    for (const secret of ['123456', EMAIL, 'abc.def.ghi', 'c2VjcmV0', 'jkl.mno', 'dXNlcg', 'cGFzcw', PHONE_NUMBER]) assert.ok(!line.includes(secret));
  });

  it('hides a digit code logged under "code"', () => {
    const lines: string[] = [];
    createConsoleLogger({ write: (line) => lines.push(line) }).info('x', { code: '482913' });
    assert.ok(!(lines[0] ?? '').includes('482913'));
  });

  it('survives a broken sink', () => {
    const logger = createConsoleLogger({
      write: () => {
        throw new Error('disk full');
      },
    });
    assert.doesNotThrow(() => logger.error('x'));
  });
});

function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, cause: String(value.cause) } : value;
}
