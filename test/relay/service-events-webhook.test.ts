/**
 * The standalone relay's journey events as webhooks (issue 25, item 3): with
 * `RELAY_EVENTS_WEBHOOK_URL` and `RELAY_EVENTS_WEBHOOK_SECRET`, each event reaches the shop's
 * endpoint in order, signed as Standard Webhooks do (checked with `standardwebhooks`, the spec's
 * reference library, not with the relay's own code), retried with the same `webhook-id` when the
 * endpoint fails for now, not retried when it refuses, never with a contact, a code or a handle,
 * and never holding up a stop for longer than its grace.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { JourneyEvent } from '../../src/contract/journey-events.js';
import type { LogFields, Logger } from '../../src/relay/logger.js';
import { EventsWebhook } from '../../src/relay/service/events-webhook.js';
import { loadServiceConfig } from '../../src/relay/service/service-config.js';
import { startRelayService, type RunningRelayService } from '../../src/relay/service/relay-service.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { sandboxServiceEnv } from './service-env.js';

const ADMIN_KEY = 'events-admin-key-0123456789-0123456789';
const SESSION_SECRET = 'events-session-secret-0123456789-abcdef';
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PHONE = '+15557654321';
const EMAIL = 'otp@example.com';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** The shop's endpoint: records every request and answers what `respond` says. */
interface Receiver {
  url: string;
  requests: Received[];
  respond: (request: Omit<Received, 'status'>, earlierWithSameId: number) => number | 'hang';
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], respond: () => 204, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const id = request.headers['webhook-id'];
      const earlier = receiver.requests.filter((seen) => seen.headers['webhook-id'] === id).length;
      const status = receiver.respond({ headers: request.headers, body }, earlier);
      if (status === 'hang') return;
      receiver.requests.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/k360/events`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

interface LogLine {
  level: string;
  event: string;
  fields: LogFields;
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (event: string, fields: LogFields = {}) => void lines.push({ level, event, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The envelope, verified by the reference library (it throws on a bad signature or an old timestamp). */
function verified(request: Received): { type: string; timestamp: string; data: JourneyEvent } {
  const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
  return new Webhook(WEBHOOK_SECRET).verify(request.body, headers) as { type: string; timestamp: string; data: JourneyEvent };
}

let sandbox: RunningSandbox;
let receiver: Receiver;

function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return sandboxServiceEnv(sandbox, { sessionSecret: SESSION_SECRET, adminKey: ADMIN_KEY }, { RELAY_EVENTS_WEBHOOK_URL: receiver.url, RELAY_EVENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, ...extra });
}

async function startService(logger: Logger, extra: Record<string, string> = {}, retryDelaysMs = [50, 50, 50, 50]): Promise<RunningRelayService> {
  return startRelayService({ ...(await loadServiceConfig(serviceEnv(extra))), logger, eventsWebhook: { retryDelaysMs, attemptTimeoutMs: 2_000 } });
}

/** The shop's backend starts an OTP challenge through the admin API. */
async function startChallenge(service: RunningRelayService): Promise<{ inquiryId: string; handle: string; code: string }> {
  const inquiryId = randomUUID();
  const started = await fetch(`${service.adminUrl}/admin/v1/assessments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contact: { email: EMAIL, phoneNumber: PHONE }, assessment: { strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device-1', applicant: { email: EMAIL, phoneNumber: PHONE } } }),
  });
  assert.equal(started.status, 200);
  const { challenge } = (await started.json()) as { challenge: { handle: string } };
  const code = sandbox.sandbox.messages.latest(PHONE)?.code;
  assert.ok(code);
  return { inquiryId, handle: challenge.handle, code };
}

/** The page answers through the browser API. */
async function answer(service: RunningRelayService, handle: string, otp: string): Promise<number> {
  const response = await fetch(`${service.publicUrl}/verify/session/answer`, {
    method: 'POST',
    headers: { cookie: `${SESSION_COOKIE}=${handle}`, 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: service.publicUrl },
    body: JSON.stringify({ method: 'OTP', otp }),
  });
  await response.body?.cancel();
  return response.status;
}

const ofInquiry = (inquiryId: string) => receiver.requests.filter((request) => (JSON.parse(request.body) as { data: JourneyEvent }).data.inquiryId === inquiryId);

before(async () => {
  sandbox = await startSandbox();
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sandbox.close();
});

describe('RELAY_EVENTS_WEBHOOK_URL: journey events POSTed to the shop, signed as Standard Webhooks', () => {
  let service: RunningRelayService;
  let logger: ReturnType<typeof recordingLogger>;
  before(async () => {
    logger = recordingLogger();
    service = await startService(logger);
  });
  after(() => service.stop('test'));
  beforeEach(() => {
    receiver.respond = () => 204;
    logger.lines.splice(0);
  });

  it('tells an OTP journey in order, each request verified by the reference library, with no contact, code or handle in it', async () => {
    // The endpoint is down for the first event once: the journey's later events wait behind its retry.
    receiver.respond = ({ body }, earlier) => (earlier === 0 && body.includes('"k360.journey.challenge_started"') ? 503 : 200);
    const { inquiryId, handle, code } = await startChallenge(service);
    assert.equal(await answer(service, handle, code === '000000' ? '111111' : '000000'), 422);
    assert.equal(await answer(service, handle, code), 200);
    await service.settled();

    const requests = ofInquiry(inquiryId);
    const delivered = requests.filter((request) => request.status === 200).map(verified);
    assert.deepEqual(
      delivered.map((message) => message.data.name),
      ['challenge_started', 'code_submitted', 'wrong_answer', 'code_submitted', 'decided'],
    );
    assert.equal(requests.length, 6, 'one retry, of the first event');
    for (const message of delivered) {
      assert.deepEqual(Object.keys(message).sort(), ['data', 'timestamp', 'type']);
      assert.equal(message.type, `k360.journey.${message.data.name}`);
      assert.equal(message.timestamp, message.data.at);
      assert.deepEqual(JourneyEvent.parse(message.data), message.data);
    }
    assert.equal(delivered.at(-1)?.data.decision, 'ALLOW');
    assert.equal(new Set(requests.map((request) => request.headers['webhook-id'])).size, 5, 'one id per event');
    for (const request of requests) {
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(String(request.headers['webhook-id']), /^msg_[0-9a-f]{32}$/);
      assert.ok(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000) < 30, 'unix seconds, now');
      assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
      for (const secret of [PHONE, PHONE.slice(-7), EMAIL, code, handle, SESSION_SECRET, WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6)]) {
        assert.equal(request.body.includes(secret), false, `${secret} in a body`);
      }
    }
    const logged = JSON.stringify(logger.lines);
    for (const secret of [WEBHOOK_SECRET.slice(6), receiver.url, '"k360.journey.']) assert.equal(logged.includes(secret), false, `${secret} in the log`);
  });

  it('tries a 503 again with the same webhook-id, signed anew each time, until a 2xx: the event is accepted once', async () => {
    receiver.respond = (_request, earlier) => (earlier < 2 ? 503 : 200);
    const { inquiryId } = await startChallenge(service);
    await service.settled();
    const requests = ofInquiry(inquiryId);
    assert.deepEqual(
      requests.map((request) => request.status),
      [503, 503, 200],
    );
    assert.equal(new Set(requests.map((request) => request.headers['webhook-id'])).size, 1);
    assert.equal(new Set(requests.map((request) => request.body)).size, 1, 'the same body every time');
    for (const request of requests) assert.equal(verified(request).data.name, 'challenge_started');
    const failed = logger.lines.filter((line) => line.event === 'relay.events_webhook.failed');
    assert.deepEqual(
      failed.map(({ level, fields }) => ({ level, status: fields.status, attempt: fields.attempt, event: fields.event })),
      [
        { level: 'warn', status: 503, attempt: 1, event: 'challenge_started' },
        { level: 'warn', status: 503, attempt: 2, event: 'challenge_started' },
      ],
    );
    assert.ok(logger.lines.some((line) => line.event === 'relay.events_webhook.delivered' && line.fields.attempt === 3));
  });

  it('does not try a 400 again, and says so in the log', async () => {
    receiver.respond = () => 400;
    const { inquiryId } = await startChallenge(service);
    await service.settled();
    assert.deepEqual(
      ofInquiry(inquiryId).map((request) => request.status),
      [400],
    );
    const failed = logger.lines.filter((line) => line.event === 'relay.events_webhook.failed');
    assert.deepEqual(
      failed.map(({ level, fields }) => ({ level, status: fields.status, attempt: fields.attempt, gaveUp: fields.gaveUp })),
      [{ level: 'error', status: 400, attempt: 1, gaveUp: true }],
    );
  });

  it('gives up after the last attempt on an endpoint that keeps failing', async () => {
    receiver.respond = () => 500;
    const { inquiryId } = await startChallenge(service);
    await service.settled();
    assert.equal(ofInquiry(inquiryId).length, 5, 'the first attempt and four retries');
    assert.equal(logger.lines.filter((line) => line.event === 'relay.events_webhook.failed' && line.fields.gaveUp === true).length, 1);
  });
});

describe('stopping with events undelivered', () => {
  afterEach(() => {
    receiver.respond = () => 204;
  });

  it('drops them after the grace (bounded by RELAY_SHUTDOWN_SECONDS), counted in the log', async () => {
    const logger = recordingLogger();
    const service = await startService(logger, { RELAY_SHUTDOWN_SECONDS: '1' }, [60_000]);
    let reached = false;
    receiver.respond = () => {
      reached = true;
      return 'hang';
    };
    await startChallenge(service);
    while (!reached) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await service.stop('test');
    assert.ok(Date.now() - started < 3_000, `stopped in ${Date.now() - started} ms`);
    const dropped = logger.lines.find((line) => line.event === 'relay.events_webhook.dropped');
    assert.equal(dropped?.fields.reason, 'shutdown');
    assert.equal(dropped?.fields.count, 1);
  });
});

describe('the queue’s bound', () => {
  it('drops the oldest waiting message past maxPending, and one journey’s events wait for each other', async () => {
    const logger = recordingLogger();
    const posted: string[] = [];
    // An endpoint that never answers: what is started stays in flight until the close aborts it.
    const hanging: typeof fetch = (_url, init) => {
      posted.push((JSON.parse(String(init?.body)) as { data: JourneyEvent }).data.inquiryId);
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const webhook = new EventsWebhook({ url: 'https://shop.example/events', secrets: [WEBHOOK_SECRET], logger, fetch: hanging, maxPending: 3, maxConcurrent: 2 });
    const event = (inquiryId: string): JourneyEvent => ({ name: 'challenge_started', at: new Date().toISOString(), inquiryId, product: 'identity_proofing', method: 'OTP', channel: 'SMS' });
    for (const inquiryId of ['a', 'a', 'b', 'c', 'd']) webhook.deliver(event(inquiryId));
    // `a` twice: its second waits for its first, so `b` takes the other slot.
    assert.deepEqual(posted, ['a', 'b']);
    // Five in, three kept: the first `a` and `b` are in flight, the oldest waiting ones (the second `a`, then `c`) went.
    assert.equal(webhook.pending, 3);
    await webhook.close(20);
    const dropped = logger.lines.filter((line) => line.event === 'relay.events_webhook.dropped').map((line) => line.fields);
    assert.deepEqual(dropped, [
      { reason: 'queue_full', count: 1, maxPending: 3 },
      { reason: 'shutdown', count: 3, graceMs: 20 },
      { reason: 'queue_full', count: 1, maxPending: 3 },
    ]);
  });
});

describe('rotating the secret', () => {
  it('signs with each secret, so a receiver holding either one verifies', async () => {
    const next = `whsec_${randomBytes(32).toString('base64')}`;
    const sent: Received[] = [];
    const capture: typeof fetch = async (_url, init) => {
      sent.push({ headers: init?.headers as IncomingHttpHeaders, body: String(init?.body), status: 200 });
      return new Response(null, { status: 200 });
    };
    const webhook = new EventsWebhook({ url: 'https://shop.example/events', secrets: [WEBHOOK_SECRET, next], logger: recordingLogger(), fetch: capture });
    webhook.deliver({ name: 'decided', at: new Date().toISOString(), inquiryId: 'inquiry-1', product: 'identity_proofing', method: 'OTP', decision: 'ALLOW' });
    await webhook.settled();
    const [request] = sent;
    assert.ok(request);
    assert.match(String(request.headers['webhook-signature']), /^v1,\S+ v1,\S+$/);
    assert.equal(verified(request).data.decision, 'ALLOW');
    const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
    assert.ok(new Webhook(next).verify(request.body, headers));
    assert.throws(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(request.body, headers), /No matching signature found/);
  });
});

describe('configuration', () => {
  const good = { RELAY_EVENTS_WEBHOOK_URL: 'https://shop.example/k360/events', RELAY_EVENTS_WEBHOOK_SECRET: WEBHOOK_SECRET };

  it('takes both, the secret from a file or several while rotating', async () => {
    const loaded = await loadServiceConfig(serviceEnv(good));
    assert.equal(loaded.service.eventsWebhookUrl, good.RELAY_EVENTS_WEBHOOK_URL);
    assert.deepEqual(loaded.service.eventsWebhookSecret, [WEBHOOK_SECRET]);
    const next = `whsec_${randomBytes(24).toString('base64')}`;
    assert.deepEqual((await loadServiceConfig(serviceEnv({ ...good, RELAY_EVENTS_WEBHOOK_SECRET: `${WEBHOOK_SECRET},${next}` }))).service.eventsWebhookSecret, [WEBHOOK_SECRET, next]);
    const folder = await mkdtemp(join(tmpdir(), 'k360-events-'));
    try {
      await writeFile(join(folder, 'secret'), `${WEBHOOK_SECRET}\n`);
      const { RELAY_EVENTS_WEBHOOK_SECRET: _secret, ...withoutSecret } = serviceEnv(good);
      const fromFile = await loadServiceConfig({ ...withoutSecret, RELAY_EVENTS_WEBHOOK_SECRET_FILE: join(folder, 'secret') });
      assert.deepEqual(fromFile.service.eventsWebhookSecret, [WEBHOOK_SECRET]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    const { RELAY_EVENTS_WEBHOOK_URL: _url, RELAY_EVENTS_WEBHOOK_SECRET: _secret, ...neither } = serviceEnv();
    const without = await loadServiceConfig(neither);
    assert.equal(without.service.eventsWebhookUrl, undefined);
  });

  it('stops start-up on one without the other, a malformed secret or a plain-http URL, naming the variable and never the value', async () => {
    const { RELAY_EVENTS_WEBHOOK_URL: _url, RELAY_EVENTS_WEBHOOK_SECRET: _secret, ...base } = serviceEnv();
    await assert.rejects(loadServiceConfig({ ...base, RELAY_EVENTS_WEBHOOK_URL: good.RELAY_EVENTS_WEBHOOK_URL }), /RELAY_EVENTS_WEBHOOK_SECRET is required when the events webhook URL is set/);
    await assert.rejects(loadServiceConfig({ ...base, RELAY_EVENTS_WEBHOOK_SECRET: WEBHOOK_SECRET }), /RELAY_EVENTS_WEBHOOK_URL is required when the events webhook secret is set/);
    for (const bad of [WEBHOOK_SECRET.slice(6), 'whsec_c2hvcnQ=', 'whsec_not base64!']) {
      await assert.rejects(loadServiceConfig({ ...base, ...good, RELAY_EVENTS_WEBHOOK_SECRET: bad }), (error: Error) => /RELAY_EVENTS_WEBHOOK_SECRET must be whsec_ followed by the base64 of 24 to 64 random bytes/.test(error.message) && !error.message.includes(bad));
    }
    for (const url of ['http://shop.example/events', 'https://user:pass@shop.example/events', 'ftp://shop.example/']) {
      await assert.rejects(loadServiceConfig({ ...base, ...good, RELAY_EVENTS_WEBHOOK_URL: url }), /RELAY_EVENTS_WEBHOOK_URL must be an https URL \(http only for localhost\), without a user or password/);
    }
    const loaded = await loadServiceConfig(serviceEnv(good));
    await assert.rejects(startRelayService({ ...loaded, service: { ...loaded.service, eventsWebhookSecret: undefined } }), /set both the events webhook URL and its secret, or neither/);
  });
});
