/** SECURITY 17 and 20 over the issue-3 flows: the log holds no answer, link, phone number, e-mail, signature or body. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConsoleLogger, type Logger } from '../../src/relay/index.js';
import { FAKE_API_KEY, FAKE_CLIENT_ID } from './fake-kount.js';
import type { DocvFakeStep, KbaFakeStep, OthFakeStep, StepMethod } from './fake-steps.js';
import { EMAIL, PHONE_NUMBER, SESSION_SECRET, SseReader, browserRequest, createTestRelay, send, startOtpChallenge } from './helpers.js';
import { deliverWebhook, isoSeconds, signWebhook, webhookKeys, webhookRequest } from './webhook-helpers.js';

const CAPTURE_URL = 'https://capture.kount.test/c/zq81-capture-token';

async function runFlows(logger: Logger) {
  const forbidden: string[] = [CAPTURE_URL, 'zq81-capture-token', PHONE_NUMBER, PHONE_NUMBER.slice(2), EMAIL, EMAIL.split('@')[0] ?? EMAIL, FAKE_API_KEY, FAKE_CLIENT_ID, SESSION_SECRET];
  const relayFor = (steps: StepMethod[]) =>
    createTestRelay({ logger, webhookPublicKey: webhookKeys().publicKeyPem }, { steps, stepOptions: { captureUrl: CAPTURE_URL } });
  const start = async (test: ReturnType<typeof relayFor>) => {
    const { handle } = await startOtpChallenge(test.relay);
    forbidden.push(handle);
    return { handle, fakeCase: test.kount.caseOf((await test.relay.outcome(handle)).authenticationId) };
  };

  // One-time link: stream open, change of channel, a forged and a genuine webhook.
  const oth = relayFor(['OTH']);
  const othRun = await start(oth);
  const stream = new SseReader(await oth.relay.fetch(browserRequest('/session/events', { handle: othRun.handle })));
  oth.clock.advanceSeconds(31);
  await send(oth.relay, '/session/resend', { handle: othRun.handle, body: { channel: 'SMS' } });
  const othEvent = JSON.stringify((othRun.fakeCase.current as OthFakeStep).finish('VERIFIED'));
  othRun.fakeCase.advanceIfPassed();
  const timestamp = isoSeconds(oth.clock.now());
  const signature = signWebhook(timestamp, othEvent);
  forbidden.push(signature, othEvent);
  await oth.relay.fetch(webhookRequest({ body: othEvent, timestamp, signature: signWebhook(timestamp, `${othEvent} `) }));
  await oth.relay.fetch(webhookRequest({ body: othEvent, timestamp, signature }));
  await oth.relay.fetch(webhookRequest({ body: othEvent, timestamp, signature }));
  await oth.relay.settled();
  while ((await stream.next()) !== null);

  // KBA: a wrong attempt, then the right answers.
  const kba = relayFor(['KBA']);
  const kbaRun = await start(kba);
  const quiz = kbaRun.fakeCase.current as KbaFakeStep;
  const wrong = quiz.wrongAnswers();
  forbidden.push(...wrong.flatMap((answer) => answer.choiceIds.filter((id) => id.startsWith('c-'))), JSON.stringify(wrong));
  await send(kba.relay, '/session/answer', { handle: kbaRun.handle, body: { method: 'KBA', answers: wrong } });
  const right = quiz.rightAnswers();
  forbidden.push(...right.flatMap((answer) => answer.choiceIds.filter((id) => id.startsWith('c-'))), JSON.stringify(right));
  forbidden.push(...quiz.questions.map((question) => question.questionText));
  await send(kba.relay, '/session/answer', { handle: kbaRun.handle, body: { method: 'KBA', answers: right } });

  // DocV: progress, a failed capture, a retry, the results event with personal data.
  const docv = relayFor(['DOCV']);
  const docvRun = await start(docv);
  const capture = docvRun.fakeCase.current as DocvFakeStep;
  for (const status of ['FLOW_BEGUN', 'CAPTURED', 'PROCESSING', 'FAILED'] as const) await deliverWebhook(docv.relay, capture.advance(status), docv.clock.now());
  await docv.relay.settled();
  docv.clock.advanceSeconds(31);
  await send(docv.relay, '/session/answer', { handle: docvRun.handle, body: { method: 'DOCV', retry: true } });
  capture.advance('VERIFIED');
  docvRun.fakeCase.advanceIfPassed();
  const results = { sessionId: capture.sessionId, ocr: { firstName: 'JANE', documentNumber: 'S5550104' }, score: { overall: 0.97 }, image: { front: 'https://img.kount.invalid/f.jpg' } };
  forbidden.push('JANE', 'S5550104', 'img.kount.invalid');
  await deliverWebhook(docv.relay, results, docv.clock.now());
  await docv.relay.settled();

  for (const test of [oth, kba, docv]) forbidden.push(...test.kount.issuedTokens);
  return forbidden;
}

describe('logs over the KBA, one-time link and DocV flows with webhooks (SECURITY 17)', () => {
  it('hand the logger no answer, link, contact, signature, body or credential, before any redaction', async () => {
    const entries: string[] = [];
    const record = (event: string, fields?: Record<string, unknown>) =>
      entries.push(JSON.stringify({ event, fields }, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value)));
    const forbidden = await runFlows({ info: record, warn: record, error: record });
    const events = new Set(entries.map((entry) => (JSON.parse(entry) as { event: string }).event));
    for (const expected of ['webhook.rejected', 'webhook.received', 'webhook.duplicate', 'relay.webhook.applied', 'relay.answer', 'relay.resend', 'relay.retry']) {
      assert.ok(events.has(expected), `no ${expected} event`);
    }
    for (const value of forbidden) for (const entry of entries) assert.ok(!entry.includes(value), `log entry contains ${value}: ${entry}`);
  });

  it('the console logger writes none of them either', async () => {
    const lines: string[] = [];
    const forbidden = await runFlows(createConsoleLogger({ write: (line) => lines.push(line) }));
    const all = lines.join('\n');
    for (const value of forbidden) assert.ok(!all.includes(value), `logs contain ${value}`);
  });
});
