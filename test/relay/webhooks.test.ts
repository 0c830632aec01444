/** The webhook receiver (SECURITY 20-24): signature, time window, size, de-duplication, order, speed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRelay, MemorySessionStore, type Relay, type ViewEvent } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';
import { FAKE_CLIENT_ID } from './fake-kount.js';
import type { DocvFakeStep, OthFakeStep } from './fake-steps.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge, type TestRelay } from './helpers.js';
import { deliverWebhook, isoSeconds, signWebhook, webhookKeys, webhookRequest } from './webhook-helpers.js';

function relayWithWebhooks(steps: Array<'OTP' | 'KBA' | 'OTH' | 'DOCV'>, extra: Parameters<typeof createTestRelay>[0] = {}) {
  const store = new MemorySessionStore();
  const test = createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store, ...extra }, { steps });
  return { ...test, store };
}

async function started(test: TestRelay, contact = { phoneNumber: '+14155554567', email: 'olivia.shopper@example.com' }) {
  const { handle } = await startOtpChallenge(test.relay, contact);
  const authenticationId = (await test.relay.outcome(handle)).authenticationId;
  return { handle, authenticationId, fakeCase: test.kount.caseOf(authenticationId), sessionId: sessionIdOf(handle) };
}

async function stored(store: MemorySessionStore, sessionId: string): Promise<Session> {
  const session = await store.get(sessionId);
  assert.ok(session, 'session is stored');
  return session;
}

/** Counts the views the relay publishes for a session. */
function collect(relay: Relay, handle: string): ViewEvent[] {
  const events: ViewEvent[] = [];
  relay.subscribe(handle, (event) => {
    events.push(event);
  });
  return events;
}

describe('webhook signature (SECURITY 20)', () => {
  it('accepts a valid signature with 200 {received:true} and applies the event (one-time link verified → ALLOW)', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase } = await started(test);
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();
    const delivery = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(delivery.status, 200);
    assert.deepEqual(delivery.body, { received: true });
    assert.equal(delivery.response.headers.get('cache-control'), 'no-store');
    await test.relay.settled();
    const view = await send(test.relay, '/session', { handle });
    assert.deepEqual(view.body, { state: 'decided', decision: 'ALLOW', revision: 1 });
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
  });

  it('accepts the key as Base64 DER too', async () => {
    const test = relayWithWebhooks(['OTH'], { webhookPublicKey: webhookKeys().publicKeyDerBase64 });
    const { fakeCase } = await started(test);
    const delivery = await deliverWebhook(test.relay, (fakeCase.current as OthFakeStep).webhook(), test.clock.now());
    assert.equal(delivery.status, 200);
  });

  it('needs no CSRF header, cookie or Origin (server to server), and refuses other methods with 405', async () => {
    const test = relayWithWebhooks(['OTH']);
    const body = JSON.stringify({ sessionId: 'nobody', mfaType: 'NONCE_OTH', verificationStatus: 'VERIFIED' });
    const timestamp = isoSeconds(test.clock.now());
    const request = webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body), headers: { origin: 'https://kount.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal((await test.relay.fetch(request)).status, 200);
    const get = await send(test.relay, '/webhooks/kount');
    assert.equal(get.status, 405);
  });

  it('rejects any changed byte of body, signature or timestamp with 401, and changes nothing (property, 1000 runs)', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as OthFakeStep;
    const body = JSON.stringify(step.finish('VERIFIED'));
    fakeCase.advanceIfPassed();
    const timestamp = isoSeconds(test.clock.now());
    const signature = signWebhook(timestamp, body);
    const before = JSON.stringify(await stored(test.store, sessionId));
    const pushed = collect(test.relay, handle);
    const logsBefore = test.logger.entries.length;

    const printable = (original: number) => fc.integer({ min: 0x21, max: 0x7e }).filter((byte) => byte !== original);
    const mutation = fc.oneof(
      fc.nat({ max: Buffer.byteLength(body) - 1 }).chain((index) =>
        fc.integer({ min: 0, max: 255 }).filter((byte) => byte !== Buffer.from(body)[index]).map((byte) => ({ part: 'body' as const, index, byte })),
      ),
      fc.nat({ max: signature.length - 1 }).chain((index) => printable(signature.charCodeAt(index)).map((byte) => ({ part: 'signature' as const, index, byte }))),
      fc.nat({ max: timestamp.length - 1 }).chain((index) => printable(timestamp.charCodeAt(index)).map((byte) => ({ part: 'timestamp' as const, index, byte }))),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ part, index, byte }) => {
        const bytes = Buffer.from(part === 'body' ? body : part === 'signature' ? signature : timestamp, part === 'body' ? 'utf8' : 'latin1');
        bytes[index] = byte;
        const request = webhookRequest({
          body: part === 'body' ? new Uint8Array(bytes) : body,
          signature: part === 'signature' ? bytes.toString('latin1') : signature,
          timestamp: part === 'timestamp' ? bytes.toString('latin1') : timestamp,
        });
        const response = await test.relay.fetch(request);
        assert.equal(response.status, 401, `${part}[${index}] = ${byte}`);
        assert.equal(errorCodeOf(await response.json()), 'webhook_rejected');
      }),
      { numRuns: 1000 },
    );
    await test.relay.settled();
    assert.equal(JSON.stringify(await stored(test.store, sessionId)), before, 'the session did not change');
    assert.equal(pushed.length, 0, 'nothing was pushed');
    assert.equal(test.kount.calls.verify, 0, 'Kount was not asked');
    const newLogs = test.logger.entries.slice(logsBefore);
    assert.equal(newLogs.length, 1000);
    assert.ok(newLogs.every((entry) => entry.event === 'webhook.rejected' && typeof entry.fields.reason === 'string'));

    // The forgeries claimed no event id: the genuine delivery still applies.
    const genuine = await test.relay.fetch(webhookRequest({ body, timestamp, signature }));
    assert.equal(genuine.status, 200);
    await test.relay.settled();
    assert.equal(pushed.length, 1);
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
  });

  it('rejects missing headers and a signature in non-canonical Base64 (same bytes, other spelling)', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { fakeCase } = await started(test);
    const body = JSON.stringify((fakeCase.current as OthFakeStep).webhook());
    const timestamp = isoSeconds(test.clock.now());
    const signature = signWebhook(timestamp, body);
    // 256 signature bytes: "xx==" at the end, whose second character has 4 spare bits.
    const last = signature.at(-3) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const respelled = `${signature.slice(0, -3)}${sibling}==`;
    assert.deepEqual(Buffer.from(respelled, 'base64'), Buffer.from(signature, 'base64'), 'a lenient decoder reads the same bytes');
    const cases: Array<[Request, string]> = [
      [webhookRequest({ body, timestamp, signature: respelled }), 'malformed_signature'],
      [webhookRequest({ body, timestamp: '', signature }), 'missing_timestamp'],
      [webhookRequest({ body, timestamp, signature: '' }), 'missing_signature'],
      [webhookRequest({ body, timestamp: String(test.clock.now() / 1000), signature }), 'malformed_timestamp'],
      [webhookRequest({ body, timestamp, signature: `${signature} ` + 'A' }), 'malformed_signature'],
    ];
    for (const [request, reason] of cases) {
      const response = await test.relay.fetch(request);
      assert.equal(response.status, 401, reason);
      assert.equal(test.logger.entries.at(-1)?.event, 'webhook.rejected');
      assert.equal(test.logger.entries.at(-1)?.fields.reason, reason);
    }
  });

  it('answers 503 and logs when no key is configured', async () => {
    const test = createTestRelay({}, { steps: ['OTH'] });
    const body = '{"sessionId":"s","verificationStatus":"VERIFIED"}';
    const timestamp = isoSeconds(test.clock.now());
    const response = await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body) }));
    assert.equal(response.status, 503);
    assert.equal(errorCodeOf(await response.json()), 'webhooks_not_configured');
    assert.ok(test.logger.entries.some((entry) => entry.event === 'webhook.not_configured' && entry.level === 'error'));
  });

  it('refuses a key that is not an RSA public key at start-up, naming the option and not the value', () => {
    const base = { apiUrl: 'https://k.test', tokenUrl: 'https://k.test/t', apiKey: 'k', clientId: 'c', sessionSecret: 'x'.repeat(32) };
    assert.throws(() => createRelay({ ...base, webhookPublicKey: 'c2VjcmV0' }), (error: Error) => /webhookPublicKey must be an RSA public key/.test(error.message) && !error.message.includes('c2VjcmV0'));
  });
});

describe('webhook time window (SECURITY 21)', () => {
  for (const [offsetSeconds, accepted] of [
    [-301, false],
    [301, false],
    [-299, true],
    [299, true],
    [-300, true],
    [300, true],
  ] as const) {
    it(`${accepted ? 'accepts' : 'rejects'} a timestamp ${Math.abs(offsetSeconds)} s in the ${offsetSeconds < 0 ? 'past' : 'future'}`, async () => {
      const test = relayWithWebhooks(['DOCV']);
      const { fakeCase } = await started(test);
      const body = JSON.stringify((fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN'));
      const timestamp = isoSeconds(test.clock.now() + offsetSeconds * 1000);
      const response = await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body) }));
      assert.equal(response.status, accepted ? 200 : 401);
      if (!accepted) {
        const logged = test.logger.entries.at(-1);
        assert.equal(logged?.fields.reason, 'stale_timestamp');
        assert.equal(logged?.fields.skewSeconds, -offsetSeconds);
      }
    });
  }

  it('accepts ISO-8601 with milliseconds and with an offset', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { fakeCase } = await started(test);
    const step = fakeCase.current as DocvFakeStep;
    for (const timestamp of [new Date(test.clock.now()).toISOString(), new Date(test.clock.now()).toISOString().replace('Z', '+00:00')]) {
      const body = JSON.stringify(step.statusEvent());
      const response = await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body) }));
      assert.equal(response.status, 200, timestamp);
    }
  });
});

describe('webhook size (SECURITY 24)', () => {
  const padded = (bytes: number) => {
    const base = JSON.stringify({ id: crypto.randomUUID(), eventType: 'Something.Else', pad: '' });
    return base.replace('"pad":""', `"pad":"${'x'.repeat(bytes - base.length)}"`);
  };

  it('takes a body of exactly 64 KiB and refuses 64 KiB + 1 with 413, declared or streamed', async () => {
    const test = relayWithWebhooks(['OTH']);
    const timestamp = isoSeconds(test.clock.now());
    const fits = padded(64 * 1024);
    assert.equal(Buffer.byteLength(fits), 64 * 1024);
    assert.equal((await test.relay.fetch(webhookRequest({ body: fits, timestamp, signature: signWebhook(timestamp, fits) }))).status, 200);

    const tooBig = padded(64 * 1024 + 1);
    const declared = await test.relay.fetch(webhookRequest({ body: tooBig, timestamp, signature: signWebhook(timestamp, tooBig) }));
    assert.equal(declared.status, 413);
    assert.equal(errorCodeOf(await declared.json()), 'payload_too_large');

    // No Content-Length: the relay counts what arrives.
    const bytes = new TextEncoder().encode(tooBig);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 4096) controller.enqueue(bytes.slice(offset, offset + 4096));
        controller.close();
      },
    });
    const streamed = await test.relay.fetch(
      new Request(webhookRequest({ body: '{}', timestamp, signature: signWebhook(timestamp, tooBig) }), { body: stream, duplex: 'half' } as RequestInit),
    );
    assert.equal(streamed.status, 413);
    assert.ok(test.logger.entries.some((entry) => entry.event === 'webhook.rejected' && entry.fields.reason === 'too_large'));
  });
});
