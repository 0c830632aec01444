import assert from 'node:assert/strict';
import { constants, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createSandbox, type Sandbox, SANDBOX_WEBHOOK_KEY_BITS, signedBytes, webhookTimestamp, WEBHOOK_MAX_ATTEMPTS } from '../../src/sandbox/index.js';
import { assess, BASE_URL, get, getToken, harness, jsonOf, onlyAction, pathOf, postForm } from './helpers.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly atMs: number;
}

interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
after(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

/** A local webhook receiver answering each post with `answer(post number, request)`. */
async function startReceiver(answer: (index: number, received: Received) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks), atMs: Date.now() };
      received.push(entry);
      response.statusCode = answer(received.length - 1, entry);
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/webhooks/kount`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(receiver);
  return receiver;
}

function verifies(publicKeyPem: string, timestamp: string | Buffer, body: string | Buffer, signatureBase64: string): boolean {
  const signed = Buffer.isBuffer(timestamp) ? Buffer.concat([timestamp, Buffer.from(body)]) : signedBytes(timestamp, Buffer.from(body));
  return verify(
    'sha256',
    signed,
    { key: createPublicKey(publicKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    Buffer.from(signatureBase64, 'base64'),
  );
}

function receivedVerifies(sandbox: Sandbox, entry: Received): boolean {
  return verifies(sandbox.webhookPublicKey, String(entry.headers['x-event-timestamp']), entry.body, String(entry.headers['x-event-signature']));
}

/** A DocV case: its assessment emits one `DOCVerification.StatusUpdate` at once. */
async function openDocv(sandbox: Sandbox): Promise<{ link: string }> {
  const opened = await assess(sandbox, await getToken(sandbox), { email: 'docv@example.com' });
  return { link: String(onlyAction(opened).data['captureUrl']) };
}

function statusOf(entry: Received): unknown {
  const body = JSON.parse(entry.body.toString('utf8')) as Record<string, unknown>;
  return body['documentVerificationStatus'] ?? `${String(body['status'])} (onboarding)`;
}

describe('sandbox webhook signing', () => {
  it('exports a 2048-bit RSA public key as SubjectPublicKeyInfo PEM, also over HTTP', async () => {
    const { sandbox } = harness();
    assert.match(sandbox.webhookPublicKey, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const key = createPublicKey(sandbox.webhookPublicKey);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, SANDBOX_WEBHOOK_KEY_BITS);
    assert.equal(sandbox.webhookPublicKey, sandbox.webhookPublicKey, 'one key per sandbox');
    assert.notEqual(createSandbox().webhookPublicKey, sandbox.webhookPublicKey, 'each sandbox makes its own');
    const served = await get(sandbox, '/sandbox/webhook-public-key.pem');
    assert.equal(served.status, 200);
    assert.equal(await served.text(), sandbox.webhookPublicKey);
  });

  it('formats timestamps as ISO-8601 UTC to the second', () => {
    assert.equal(webhookTimestamp(Date.UTC(2026, 10, 22, 3, 18, 0, 999)), '2026-11-22T03:18:00Z');
  });

  it('signs timestamp + body with RSA-PSS (SHA-256, MGF1-SHA-256, salt 32); any changed byte breaks it', async () => {
    const { sandbox, clock } = harness();
    await openDocv(sandbox);
    const [event] = sandbox.webhooks.events();
    assert.ok(event);
    assert.equal(event.timestamp, webhookTimestamp(clock.now()));
    assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(verifies(sandbox.webhookPublicKey, event.timestamp, event.body, event.signature), 'the signature verifies');
    assert.equal(Buffer.from(event.signature, 'base64').length, SANDBOX_WEBHOOK_KEY_BITS / 8);

    const body = Buffer.from(event.body, 'utf8');
    for (let index = 0; index < body.length; index += 1) {
      const changed = Buffer.from(body);
      changed[index] = (changed[index] ?? 0) ^ 0x01;
      assert.equal(verifies(sandbox.webhookPublicKey, event.timestamp, changed, event.signature), false, `body byte ${index}`);
    }
    const timestamp = Buffer.from(event.timestamp, 'utf8');
    for (let index = 0; index < timestamp.length; index += 1) {
      const changed = Buffer.from(timestamp);
      changed[index] = (changed[index] ?? 0) ^ 0x01;
      assert.equal(verifies(sandbox.webhookPublicKey, changed, body, event.signature), false, `timestamp byte ${index}`);
    }
    assert.equal(verifies(sandbox.webhookPublicKey, event.timestamp, `${event.body} `, event.signature), false, 'an extra byte');
    assert.equal(verifies(createSandbox().webhookPublicKey, event.timestamp, event.body, event.signature), false, 'another key');
  });

  it('records events but sends nothing without a webhookUrl', async () => {
    const { sandbox } = harness();
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.equal(sandbox.webhooks.target, undefined);
    assert.equal(sandbox.webhooks.events().length, 1);
    assert.deepEqual(sandbox.webhooks.deliveries(), []);
  });

  it('refuses a webhookUrl or publicUrl that is not http(s)', () => {
    assert.throws(() => createSandbox({ webhookUrl: 'ftp://example.test/hook' }), TypeError);
    assert.throws(() => createSandbox({ webhookUrl: 'not a url' }), TypeError);
    assert.throws(() => createSandbox({ publicUrl: 'javascript:alert(1)' }), TypeError);
  });
});

describe('sandbox webhook delivery', () => {
  it('posts the exact bytes with X-Event-Timestamp and X-Event-Signature, and logs the attempt', async () => {
    const receiver = await startReceiver();
    const { sandbox } = harness({ webhookUrl: receiver.url });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    const [event] = sandbox.webhooks.events();
    const [entry] = receiver.received;
    assert.ok(event && entry);
    assert.equal(entry.headers['content-type'], 'application/json');
    assert.equal(entry.headers['x-event-timestamp'], event.timestamp);
    assert.equal(entry.headers['x-event-signature'], event.signature);
    assert.equal(entry.body.toString('utf8'), event.body);
    assert.ok(receivedVerifies(sandbox, entry));
    assert.equal(entry.headers['cookie'], undefined);
    assert.deepEqual(sandbox.webhooks.deliveries(), [
      { eventId: event.eventId, kind: 'DOCVerification.StatusUpdate', target: receiver.url, attempt: 1, status: 200, timestamp: event.timestamp },
    ]);
    assert.equal(event.eventId, (JSON.parse(event.body) as { id: string }).id, 'the envelope id');

    const listed = await jsonOf(await get(sandbox, '/sandbox/webhooks.json'));
    assert.equal(listed['target'], receiver.url);
    assert.deepEqual(listed['deliveries'], sandbox.webhooks.deliveries());
    assert.deepEqual(listed['events'], sandbox.webhooks.events());
  });

  it('a bare event’s id is the SHA-256 of its body', async () => {
    const { sandbox } = harness();
    const { link } = await openDocv(sandbox);
    await postForm(sandbox, pathOf(link), { step: 'begin' });
    const onboarding = sandbox.webhooks.events().find((event) => event.kind === 'DocVOnboardingEventRequest');
    assert.ok(onboarding);
    const { createHash } = await import('node:crypto');
    assert.equal(onboarding.eventId, createHash('sha256').update(onboarding.body).digest('hex'));
  });

  it('does not make the step wait for the receiver', async () => {
    const receiver = await startReceiver();
    const { sandbox } = harness({ webhookUrl: receiver.url });
    sandbox.webhooks.addFault({ kind: 'delay', delayMs: 400 });
    const started = Date.now();
    await openDocv(sandbox);
    assert.ok(Date.now() - started < 300, 'the assessment answered before the webhook went out');
    await sandbox.webhooks.settled();
  });

  it('retries non-2xx answers, signing each retry again, until one is taken', async () => {
    const receiver = await startReceiver((index) => (index < 2 ? 500 : 204));
    const sandbox = createSandbox({ webhookUrl: receiver.url, webhookRetryIntervalMs: 30 });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.equal(receiver.received.length, 3);
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => [delivery.attempt, delivery.status]),
      [
        [1, 500],
        [2, 500],
        [3, 204],
      ],
    );
    for (const entry of receiver.received) assert.ok(receivedVerifies(sandbox, entry));
    assert.equal(new Set(receiver.received.map((entry) => entry.body.toString())).size, 1, 'the same bytes each time');
    const gaps = receiver.received.slice(1).map((entry, index) => entry.atMs - (receiver.received[index]?.atMs ?? 0));
    assert.ok(gaps.every((gap) => gap >= 25), `retries wait the interval: ${gaps.join(', ')}`);
  });

  it(`gives up after ${WEBHOOK_MAX_ATTEMPTS} posts (4 retries)`, async () => {
    const receiver = await startReceiver(() => 503);
    const sandbox = createSandbox({ webhookUrl: receiver.url, webhookRetryIntervalMs: 5 });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.equal(receiver.received.length, 5);
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => delivery.attempt),
      [1, 2, 3, 4, 5],
    );
  });

  it('retries network errors and timeouts', async () => {
    const closed = await startReceiver();
    await closed.close();
    const sandbox = createSandbox({ webhookUrl: closed.url, webhookRetryIntervalMs: 5 });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => [delivery.attempt, delivery.status, delivery.error]),
      [1, 2, 3, 4, 5].map((attempt) => [attempt, null, 'network']),
    );

    const slowServer = createServer(() => undefined);
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    try {
      const slow = createSandbox({
        webhookUrl: `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/`,
        webhookRetryIntervalMs: 5,
        webhookAttemptTimeoutMs: 50,
      });
      await openDocv(slow);
      await slow.webhooks.settled();
      assert.deepEqual(
        slow.webhooks.deliveries().map((delivery) => delivery.error),
        ['timeout', 'timeout', 'timeout', 'timeout', 'timeout'],
      );
    } finally {
      slowServer.closeAllConnections();
      slowServer.close();
    }
  });

  it('reset() abandons pending retries and forgets events and deliveries', async () => {
    const receiver = await startReceiver(() => 500);
    const sandbox = createSandbox({ webhookUrl: receiver.url, webhookRetryIntervalMs: 60_000 });
    await openDocv(sandbox);
    while (sandbox.webhooks.deliveries().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    sandbox.reset();
    await sandbox.webhooks.settled();
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(sandbox.webhooks.events(), []);
    assert.deepEqual(sandbox.webhooks.deliveries(), []);
  });
});

describe('sandbox webhook faults', () => {
  async function faultedSandbox(answer?: (index: number, received: Received) => number): Promise<{ sandbox: Sandbox; receiver: Receiver }> {
    const receiver = await startReceiver(answer);
    return { receiver, sandbox: createSandbox({ webhookUrl: receiver.url, webhookRetryIntervalMs: 10 }) };
  }

  it('delay holds a delivery for delayMs', async () => {
    const { sandbox, receiver } = await faultedSandbox();
    sandbox.webhooks.addFault({ kind: 'delay', delayMs: 200 });
    const started = Date.now();
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.ok((receiver.received[0]?.atMs ?? 0) - started >= 190);
    assert.equal(sandbox.webhooks.deliveries()[0]?.fault, 'delay');
    assert.deepEqual(sandbox.webhooks.faults(), [], 'fired once');
  });

  it('duplicate posts the same event twice, each copy validly signed', async () => {
    const { sandbox, receiver } = await faultedSandbox();
    sandbox.webhooks.addFault({ kind: 'duplicate' });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]?.body.toString(), receiver.received[1]?.body.toString());
    for (const entry of receiver.received) assert.ok(receivedVerifies(sandbox, entry));
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => [delivery.attempt, delivery.fault]),
      [
        [1, 'duplicate'],
        [1, 'duplicate'],
      ],
    );
  });

  it('reorder delivers an event after the next one', async () => {
    const { sandbox, receiver } = await faultedSandbox();
    sandbox.webhooks.addFault({ kind: 'reorder', delayMs: 5000 });
    const { link } = await openDocv(sandbox);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(receiver.received.length, 0, 'MESSAGE_SENT is held');
    const released = Date.now();
    await postForm(sandbox, pathOf(link), { step: 'begin' });
    await sandbox.webhooks.settled();
    assert.ok(Date.now() - released < 2000, 'released by the next answer, not by the 5 s hold');
    const order = receiver.received.map(statusOf);
    assert.equal(order.length, 3);
    assert.notEqual(order[0], 'MESSAGE_SENT');
    assert.equal(order.at(-1), 'MESSAGE_SENT');
  });

  it('reorder gives up holding after delayMs when nothing else is sent', async () => {
    const { sandbox, receiver } = await faultedSandbox();
    sandbox.webhooks.addFault({ kind: 'reorder', delayMs: 50 });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.deepEqual(receiver.received.map(statusOf), ['MESSAGE_SENT']);
  });

  it('bad-signature changes the signature; a receiver refusing it gets a good retry', async () => {
    const { sandbox, receiver } = await faultedSandbox((_index, entry) => (receivedVerifies(sandbox, entry) ? 200 : 401));
    sandbox.webhooks.addFault({ kind: 'bad-signature' });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => [delivery.attempt, delivery.status, delivery.fault]),
      [
        [1, 401, 'bad-signature'],
        [2, 200, undefined],
      ],
    );
    assert.equal(receiver.received[0]?.body.toString(), receiver.received[1]?.body.toString());
  });

  it('stale-timestamp sends a validly signed timestamp 10 minutes old', async () => {
    const receiver = await startReceiver();
    const { sandbox, clock } = harness({ webhookUrl: receiver.url });
    sandbox.webhooks.addFault({ kind: 'stale-timestamp' });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    const [entry] = receiver.received;
    assert.ok(entry);
    assert.equal(entry.headers['x-event-timestamp'], webhookTimestamp(clock.now() - 10 * 60 * 1000));
    assert.ok(receivedVerifies(sandbox, entry));
  });

  it('times makes a fault fire on that many attempts', async () => {
    const { sandbox, receiver } = await faultedSandbox((_index, entry) => (receivedVerifies(sandbox, entry) ? 200 : 401));
    sandbox.webhooks.addFault({ kind: 'bad-signature', times: 2 });
    await openDocv(sandbox);
    await sandbox.webhooks.settled();
    assert.deepEqual(
      sandbox.webhooks.deliveries().map((delivery) => delivery.status),
      [401, 401, 200],
    );
    assert.equal(receiver.received.length, 3);
  });

  it('is controlled over HTTP: POST adds (201), GET lists, DELETE clears (204); bad specs 400, cross-site 403', async () => {
    const { sandbox } = harness();
    const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      sandbox.fetch(new Request(`${BASE_URL}/sandbox/webhook-faults`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
    const added = await post({ kind: 'delay', delayMs: 10, times: 3 });
    assert.equal(added.status, 201);
    assert.equal((await jsonOf(added))['remaining'], 3);
    for (const kind of ['duplicate', 'reorder', 'bad-signature', 'stale-timestamp']) assert.equal((await post({ kind })).status, 201, kind);
    const listed = (await jsonOf(await get(sandbox, '/sandbox/webhook-faults')))['faults'] as { kind: string }[];
    assert.deepEqual(
      listed.map((fault) => fault.kind),
      ['delay', 'duplicate', 'reorder', 'bad-signature', 'stale-timestamp'],
    );
    for (const bad of [{ kind: 'explode' }, { kind: 'delay', delayMs: -1 }, { kind: 'delay', times: 0 }, { kind: 'delay', extra: true }, {}]) {
      const response = await post(bad);
      assert.equal(response.status, 400, JSON.stringify(bad));
    }
    assert.equal((await post({ kind: 'delay' }, { 'sec-fetch-site': 'cross-site' })).status, 403);
    const cleared = await sandbox.fetch(new Request(`${BASE_URL}/sandbox/webhook-faults`, { method: 'DELETE' }));
    assert.equal(cleared.status, 204);
    assert.deepEqual(sandbox.webhooks.faults(), []);
  });
});
