/** The webhook receiver (SECURITY 20-24): signature, time window, size, de-duplication, order, speed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRelay, MemorySessionStore, type Relay, type ViewEvent } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';
import { FAKE_CLIENT_ID } from './fake-kount.js';
import type { DocvFakeStep, OthFakeStep } from './fake-steps.js';
import { createTestRelay, errorCodeOf, send, sessionIdOf, startOtpChallenge, type CapturedLog, type TestRelay } from './helpers.js';
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

/** The last line the webhook's handling wrote, after which the access line (`relay.request`) comes. */
function lastEvent(test: { logger: { entries: CapturedLog[] } }): CapturedLog | undefined {
  return test.logger.entries.filter((entry) => entry.event !== 'relay.request').at(-1);
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
    const newLogs = test.logger.entries.slice(logsBefore).filter((entry) => entry.event !== 'relay.request');
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
      assert.equal(lastEvent(test)?.event, 'webhook.rejected');
      assert.equal(lastEvent(test)?.fields.reason, reason);
    }
  });

  it('pins the PSS salt at 32 bytes: the same key and body signed with another salt length is refused with 401', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { fakeCase } = await started(test);
    const body = JSON.stringify((fakeCase.current as OthFakeStep).webhook());
    const timestamp = isoSeconds(test.clock.now());
    for (const saltLength of [0, 20, 31, 33, 64, 222]) {
      const response = await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body, webhookKeys().privateKey, saltLength) }));
      assert.equal(response.status, 401, `salt of ${saltLength} bytes`);
      assert.equal(lastEvent(test)?.fields.reason, 'bad_signature');
    }
    assert.equal((await test.relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body) }))).status, 200);
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
        const logged = lastEvent(test);
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
  /** A body of exactly `bytes`, padded with strings of at most 4 KiB (SECURITY 41 refuses any longer than 8 KiB). */
  const padded = (bytes: number) => {
    const base = JSON.stringify({ id: crypto.randomUUID(), eventType: 'Something.Else', pad: [] });
    const room = bytes - base.length;
    // n strings cost their characters, two quotes each and a comma between two.
    const count = Math.ceil((room + 1) / (4096 + 3));
    const characters = room - (3 * count - 1);
    const parts = Array.from({ length: count }, (_, index) => 'x'.repeat(Math.floor(characters / count) + (index < characters % count ? 1 : 0)));
    return base.replace('"pad":[]', `"pad":${JSON.stringify(parts)}`);
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

describe('webhook de-duplication (SECURITY 22)', () => {
  it('applies the same event id delivered 3 times at once once, pushes once; the copies that found it in progress get 503 and their re-sends 200', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase, sessionId } = await started(test);
    const pushed = collect(test.relay, handle);
    const event = (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN');
    const statuses = await Promise.all([1, 2, 3].map(async () => (await deliverWebhook(test.relay, event, test.clock.now())).status));
    // Not acknowledged while another delivery applies it (SECURITY 44): were that one to fail, nothing would be lost.
    assert.deepEqual([...statuses].sort(), [200, 503, 503]);
    assert.equal(test.logger.entries.filter((entry) => entry.event === 'webhook.in_progress').length, 2);
    await test.relay.settled();
    for (let resend = 0; resend < 2; resend += 1) assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal(pushed.length, 1);
    assert.equal((await stored(test.store, sessionId)).revision, 1);
    assert.equal(test.kount.calls.verify, 1, 'one refresh');
    assert.equal(test.logger.entries.filter((entry) => entry.event === 'webhook.duplicate').length, 2);
  });

  it('also across a restart: two relays sharing a store take the event once', async () => {
    const first = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase, sessionId } = await started(first);
    const second = createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store: first.store, fetch: first.kount.fetch, now: first.clock.now });
    const pushedFirst = collect(first.relay, handle);
    const pushedSecond = collect(second.relay, handle);
    const event = (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN');
    assert.equal((await deliverWebhook(first.relay, event, first.clock.now())).status, 200);
    await first.relay.settled();
    // "Restarted": the second instance gets Kount's re-sends.
    for (let delivery = 0; delivery < 2; delivery += 1) assert.equal((await deliverWebhook(second.relay, event, first.clock.now())).status, 200);
    await second.relay.settled();
    await first.relay.settled();
    // Both instances hear the one change through the shared store, once each.
    assert.equal(pushedFirst.length, 1);
    assert.equal(pushedSecond.length, 1);
    assert.equal((await stored(first.store, sessionId)).revision, 1);
    assert.equal(second.logger.entries.filter((entry) => entry.event === 'webhook.duplicate').length, 2);
  });

  it('de-duplicates by event id, not by bytes: the same id re-serialised (other spacing and key order) is a duplicate', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase } = await started(test);
    const pushed = collect(test.relay, handle);
    const event = (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN') as Record<string, unknown>;
    assert.equal(typeof event['id'], 'string', 'an envelope with an event id');
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal((await deliverWebhook(test.relay, JSON.stringify(reordered, null, 2), test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal(test.kount.calls.verify, 1, 'the re-serialised delivery was not applied again');
    assert.equal(pushed.length, 1);
    assert.equal(test.logger.entries.filter((entry) => entry.event === 'webhook.duplicate').length, 1);
  });

  it('a bare event without an envelope id is de-duplicated by the hash of its body', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase } = await started(test);
    const pushed = collect(test.relay, handle);
    const step = fakeCase.current as OthFakeStep;
    const event = step.finish('FAILED_AUTHORIZATION');
    for (let delivery = 0; delivery < 3; delivery += 1) assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal(pushed.length, 1);
    assert.equal((await test.relay.outcome(handle)).decision, 'BLOCK');
  });

  it('a re-sent event under a new id that brings nothing new changes nothing and pushes nothing', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase } = await started(test);
    const step = fakeCase.current as DocvFakeStep;
    step.advance('FLOW_BEGUN');
    await deliverWebhook(test.relay, step.statusEvent(), test.clock.now());
    await test.relay.settled();
    const pushed = collect(test.relay, handle);
    await deliverWebhook(test.relay, step.statusEvent(), test.clock.now());
    await test.relay.settled();
    assert.equal(pushed.length, 0);
    assert.ok(test.logger.entries.some((entry) => entry.event === 'webhook.unchanged'));
  });
});

describe('webhooks in any order (SECURITY 23)', () => {
  it('VERIFIED then MESSAGE_SENT leaves the link VERIFIED, even when Kount cannot be asked', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as OthFakeStep;
    const sent = step.webhook();
    const verified = step.finish('VERIFIED');
    // Every refresh fails (two tries each: Kount waits for the answer), so only the events speak.
    test.kount.inject('verify', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    assert.equal((await deliverWebhook(test.relay, verified, test.clock.now())).status, 503, 'Kount is to send it again');
    assert.equal((await deliverWebhook(test.relay, sent, test.clock.now())).status, 503);
    await test.relay.settled();
    const action = (await stored(test.store, sessionId)).actions[0];
    assert.equal(action?.data?.verificationStatus, 'VERIFIED');
    assert.equal(test.kount.calls.verify, 4, 'each refresh tried 1 + 1 times');
    assert.ok(test.logger.entries.some((entry) => entry.event === 'relay.refresh_failed'));
  });

  it('a refresh answered with an older picture than the event does not undo the event', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as DocvFakeStep;
    // Kount's own state still says MESSAGE_SENT (its read lags), the webhook says CAPTURED.
    const captured = { ...step.statusEvent(), documentVerificationStatus: 'CAPTURED' };
    await deliverWebhook(test.relay, captured, test.clock.now());
    await test.relay.settled();
    assert.equal((await stored(test.store, sessionId)).actions[0]?.data?.documentVerificationStatus, 'CAPTURED');
  });

  it('DocV: a late FLOW_BEGUN after CAPTURED is ignored; after a retry (new send) only the new round moves it', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as DocvFakeStep;
    const begun = step.advance('FLOW_BEGUN');
    const captured = step.advance('CAPTURED');
    await deliverWebhook(test.relay, captured, test.clock.now());
    await deliverWebhook(test.relay, begun, test.clock.now());
    await test.relay.settled();
    const status = async () => (await stored(test.store, sessionId)).actions[0]?.data?.documentVerificationStatus;
    assert.equal(await status(), 'CAPTURED');

    await deliverWebhook(test.relay, step.advance('PROCESSING'), test.clock.now());
    const needsRetry = step.advance('NEEDS_RETRY');
    await deliverWebhook(test.relay, needsRetry, test.clock.now());
    await test.relay.settled();
    assert.equal(await status(), 'NEEDS_RETRY');
    // The retry is the relay's own call (its answer is authoritative): a new send, back to MESSAGE_SENT.
    test.clock.advanceSeconds(31);
    const retried = await send(test.relay, '/session/answer', { handle, body: { method: 'DOCV', retry: true } });
    assert.equal(retried.status, 200);
    assert.equal(await status(), 'MESSAGE_SENT');
    // The old round's PROCESSING arrives late: ignored. The new round's FLOW_BEGUN applies.
    await deliverWebhook(test.relay, { ...needsRetry, id: crypto.randomUUID(), documentVerificationStatus: 'PROCESSING' }, test.clock.now());
    await test.relay.settled();
    assert.equal(await status(), 'MESSAGE_SENT');
    await deliverWebhook(test.relay, step.advance('FLOW_BEGUN'), test.clock.now());
    await test.relay.settled();
    assert.equal(await status(), 'FLOW_BEGUN');
  });


  it('a status Kount adds later is not laid over a known one (DocV and one-time link)', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as DocvFakeStep;
    await deliverWebhook(test.relay, step.advance('CAPTURED'), test.clock.now());
    await deliverWebhook(test.relay, { ...step.statusEvent(), id: crypto.randomUUID(), documentVerificationStatus: 'LIVENESS_CHECK' }, test.clock.now());
    await test.relay.settled();
    assert.equal((await stored(test.store, sessionId)).actions[0]?.data?.documentVerificationStatus, 'CAPTURED');

    const oth = relayWithWebhooks(['OTH']);
    const othRun = await started(oth);
    const link = othRun.fakeCase.current as OthFakeStep;
    oth.kount.inject('verify', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    await deliverWebhook(oth.relay, { ...link.webhook(), verificationStatus: 'LINK_PREVIEWED' }, oth.clock.now());
    await oth.relay.settled();
    assert.equal((await stored(oth.store, othRun.sessionId)).actions[0]?.data?.verificationStatus, 'MESSAGE_SENT');
  });

  it('the revision only grows and a decided session takes no more events', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase, sessionId } = await started(test);
    const step = fakeCase.current as OthFakeStep;
    await deliverWebhook(test.relay, step.finish('VERIFIED'), test.clock.now());
    fakeCase.advanceIfPassed();
    await test.relay.settled();
    const decided = await stored(test.store, sessionId);
    assert.equal(decided.decision, 'ALLOW');
    await deliverWebhook(test.relay, { ...step.webhook(), verificationStatus: 'TERMINATED', sendAttempts: '9' }, test.clock.now());
    await test.relay.settled();
    assert.deepEqual(await stored(test.store, sessionId), decided);
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
  });
});

describe('webhook answers fast (SECURITY 24)', () => {
  it('answers 2xx before a stuck push, which holds up no other listener', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase } = await started(test);
    const stuckListenerCalls: ViewEvent[] = [];
    test.relay.subscribe(handle, (event) => {
      stuckListenerCalls.push(event);
      return new Promise<void>(() => undefined); // never settles
    });
    const otherListener = collect(test.relay, handle);
    const startedAt = performance.now();
    const delivery = await deliverWebhook(test.relay, (fakeCase.current as OthFakeStep).finish('VERIFIED'), test.clock.now());
    const elapsed = performance.now() - startedAt;
    assert.equal(delivery.status, 200);
    assert.ok(elapsed < 150, `answered after ${elapsed.toFixed(0)} ms`);
    await test.relay.settled();
    assert.equal(stuckListenerCalls.length, 1);
    assert.equal(otherListener.length, 1, 'a stuck listener does not hold the others up');
  });

  it('gives up a hung Kount refresh after the time limit with 503, keeps the event, and applies the re-delivery once (SECURITY 32)', async () => {
    const test = relayWithWebhooks(['OTH'], { timeoutMs: 200 });
    const { handle, fakeCase, sessionId } = await started(test);
    const pushed = collect(test.relay, handle);
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();
    test.kount.inject('verify', { kind: 'hang' }, { kind: 'hang' });
    const startedAt = performance.now();
    const failed = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(failed.status, 503);
    assert.deepEqual(failed.body, { error: { code: 'webhook_not_applied', message: 'The event could not be applied now. Send it again.' } });
    assert.ok(performance.now() - startedAt < 2000, 'bounded by the time limit, one retry');
    const waiting = await stored(test.store, sessionId);
    assert.equal(waiting.decision, null);
    assert.equal(waiting.actions[0]?.data?.verificationStatus, 'VERIFIED', 'the event itself is kept');
    assert.notEqual(waiting.refreshDueAt, undefined, 'the next read asks Kount again');

    const redelivered = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(redelivered.status, 200);
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.deepEqual(pushed.map((view) => view.view.state), ['challenge', 'decided'], 'the status, then the decision; the third delivery changes nothing');
    assert.equal(test.logger.entries.filter((entry) => entry.event === 'webhook.duplicate').length, 1);
  });

  it('answers 2xx before a listener that blocks the thread runs', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase } = await started(test);
    let blockedAt: number | undefined;
    test.relay.subscribe(handle, () => {
      blockedAt = performance.now();
      const until = blockedAt + 300;
      while (performance.now() < until) {
        // A push that blocks: e.g. a synchronous write to a slow sink.
      }
    });
    const startedAt = performance.now();
    const delivery = await deliverWebhook(test.relay, (fakeCase.current as OthFakeStep).finish('VERIFIED'), test.clock.now());
    const answeredAt = performance.now();
    assert.equal(delivery.status, 200);
    assert.equal(blockedAt, undefined, 'the push had not started when the answer came');
    assert.ok(answeredAt - startedAt < 150);
    await test.relay.settled();
    assert.ok(blockedAt !== undefined && blockedAt >= answeredAt);
  });
});

describe('webhook kinds', () => {
  it('hands a verified MFA.StatusUpdate to onMfaStatus once, after the 200', async () => {
    const received: unknown[] = [];
    const test = relayWithWebhooks([], { onMfaStatus: (event) => void received.push(event) });
    const event = { id: crypto.randomUUID(), eventType: 'MFA.StatusUpdate', apiVersion: 'v1', clientId: FAKE_CLIENT_ID, mfaStatus: 'VERIFIED', mfaId: 'mfa-1', sendAttempts: '1', verificationAttempts: '1' };
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    assert.equal(received.length, 0, 'not before the answer');
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.deepEqual(received, [{ ...event, sendAttempts: 1, verificationAttempts: 1 }]);
  });

  for (const id of ['evt_01J9ZQ3W7Y5', 'a1b2c3', 424242]) {
    it(`takes an event id that is not a UUID (${JSON.stringify(id)}): applied once, its re-delivery a duplicate`, async () => {
      const received: unknown[] = [];
      const test = relayWithWebhooks([], { onMfaStatus: (event) => void received.push(event) });
      const event = { id, eventType: 'MFA.StatusUpdate', apiVersion: 'v1', clientId: FAKE_CLIENT_ID, mfaStatus: 'VERIFIED', mfaId: 'mfa-1' };
      assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
      assert.equal((await deliverWebhook(test.relay, JSON.stringify(event, null, 1), test.clock.now())).status, 200);
      await test.relay.settled();
      assert.equal(received.length, 1);
      assert.deepEqual(
        test.logger.entries.filter((entry) => entry.event === 'webhook.duplicate').map((entry) => entry.fields.eventId),
        [`id:${id}`],
      );
    });
  }

  it('logs and acknowledges MFA.StatusUpdate without a hook, and logs a hook that throws', async () => {
    const plain = relayWithWebhooks([]);
    const event = { id: 'evt-1', eventType: 'MFA.StatusUpdate', mfaStatus: 'TERMINATED', mfaId: 'mfa-2' };
    assert.equal((await deliverWebhook(plain.relay, event, plain.clock.now())).status, 200);
    await plain.relay.settled();
    assert.ok(plain.logger.entries.some((entry) => entry.event === 'webhook.mfa_status' && entry.fields.mfaStatus === 'TERMINATED'));

    const failing = relayWithWebhooks([], {
      onMfaStatus: () => {
        throw new Error('downstream down');
      },
    });
    assert.equal((await deliverWebhook(failing.relay, event, failing.clock.now())).status, 200);
    await failing.relay.settled();
    assert.ok(failing.logger.entries.some((entry) => entry.event === 'webhook.processing_failed'));
  });

  it('acknowledges an event for an unknown session, another client or an unknown type (so Kount stops), and logs it', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { fakeCase } = await started(test);
    const cases: Array<[unknown, string]> = [
      [{ sessionId: 'stepup-unknown', mfaType: 'NONCE_OTH', verificationStatus: 'VERIFIED' }, 'webhook.unknown_session'],
      [{ ...(fakeCase.current as DocvFakeStep).statusEvent(), clientId: 'someone-else' }, 'webhook.ignored'],
      [{ id: 'e-9', eventType: 'identityProofing.statusChange', decision: 'Allow' }, 'webhook.ignored'],
      [{ sessionIdHash: 'abc', mfaType: 'OTP', verificationStatus: 'VERIFIED' }, 'webhook.ignored'],
      [[1, 2, 3], 'webhook.ignored'],
    ];
    for (const [payload, logged] of cases) {
      assert.equal((await deliverWebhook(test.relay, payload, test.clock.now())).status, 200);
      await test.relay.settled();
      assert.equal(lastEvent(test)?.event, logged, JSON.stringify(payload));
    }
    // Signed but not JSON: Kount's bug, not a forgery; 400 so it shows in Kount's delivery log.
    const notJson = await deliverWebhook(test.relay, '{"sessionId":', test.clock.now());
    assert.equal(notJson.status, 400);
    assert.equal(errorCodeOf(notJson.body), 'bad_json');
  });

  it('SECURITY 41: refuses a signed event with a string over 8 KiB at any depth or in a key, or nested past the bound, and applies nothing', async () => {
    const test = relayWithWebhooks(['OTH']);
    const { handle, fakeCase } = await started(test);
    const before = (await send(test.relay, '/session', { handle })).body;
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED') as Record<string, unknown>;
    const long = 'x'.repeat(9 * 1024);
    const nest = (depth: number, inner: unknown): unknown => (depth === 0 ? inner : depth % 2 === 0 ? [nest(depth - 1, inner)] : { level: nest(depth - 1, inner) });
    for (const payload of [{ ...event, note: nest(40, long) }, { ...event, [long]: 1 }, { ...event, note: nest(100, 1) }]) {
      const answer = await deliverWebhook(test.relay, payload, test.clock.now());
      assert.equal(answer.status, 400);
      assert.equal(errorCodeOf(answer.body), 'body_out_of_bounds');
      await test.relay.settled();
      assert.equal(lastEvent(test)?.event, 'webhook.out_of_bounds');
    }
    assert.deepEqual((await send(test.relay, '/session', { handle })).body, before);
    // The same event within bounds is applied.
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.notDeepEqual((await send(test.relay, '/session', { handle })).body, before);
  });

  it('DocV results: only "results received" (a refresh); OCR, scores and image links are neither stored, logged nor pushed', async () => {
    const test = relayWithWebhooks(['DOCV']);
    const { handle, fakeCase, sessionId } = await started(test);
    const pushed = collect(test.relay, handle);
    const step = fakeCase.current as DocvFakeStep;
    step.advance('FLOW_BEGUN');
    step.advance('CAPTURED');
    step.advance('PROCESSING');
    step.advance('VERIFIED');
    fakeCase.advanceIfPassed();
    const results = {
      sessionId: step.sessionId,
      ocr: { firstName: 'JANE', lastName: 'SAMPLE', documentNumber: 'S5550104', dateOfBirth: '1990-04-12' },
      score: { overall: 0.97 },
      image: { front: 'https://docv-images.kount.invalid/front.jpg' },
    };
    assert.equal((await deliverWebhook(test.relay, results, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
    const everything = JSON.stringify([await stored(test.store, sessionId), pushed, test.logger.entries]);
    for (const secret of ['JANE', 'S5550104', '1990-04-12', 'docv-images', '0.97']) assert.ok(!everything.includes(secret), secret);
  });
});
