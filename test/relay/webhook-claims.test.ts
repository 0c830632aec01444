/**
 * SECURITY 44: a webhook's processing claim cannot outlive its deadline, and the "done" marker
 * outlives Kount's re-send schedule (issue 23 items 8 and 12).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewEvent } from '../../src/relay/index.js';
import { MemoryStoreEngine } from '../../src/relay/store/index.js';
import { webhookEventId } from '../../src/relay/webhook-events.js';
import { eventKey, WEBHOOK_DEADLINE_MS, WEBHOOK_PROCESSING_TTL_SECONDS } from '../../src/relay/webhooks.js';
import type { DocvFakeStep, OthFakeStep } from './fake-steps.js';
import { createTestRelay, startOtpChallenge, type TestRelay } from './helpers.js';
import { faultyEngine } from './webhook-store-faults.js';
import { deliverWebhook, webhookKeys } from './webhook-helpers.js';

/** Kount re-sends a webhook 4 times, 2 minutes apart. */
const KOUNT_RESEND_SCHEDULE_MS = 4 * 2 * 60 * 1000;

/** A relay over a store engine that fails on demand; the engine keeps time with the relay's clock. */
function relayOverFaultyEngine(steps: Array<'OTH' | 'DOCV'>) {
  let test: TestRelay | undefined;
  const memory = new MemoryStoreEngine({ now: () => test?.clock.now() ?? Date.now() });
  const faults = faultyEngine(memory);
  test = createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store: faults.engine }, { steps });
  return { ...test, memory, faults };
}

/** Another instance over the same engine, clock and Kount. */
function secondInstance(first: ReturnType<typeof relayOverFaultyEngine>, engine = first.memory) {
  return createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store: engine, fetch: first.kount.fetch, now: first.clock.now });
}

async function started(test: TestRelay) {
  const { handle } = await startOtpChallenge(test.relay);
  const authenticationId = (await test.relay.outcome(handle)).authenticationId;
  return { handle, fakeCase: test.kount.caseOf(authenticationId) };
}

/** The id the receiver de-duplicates `event` by, as `deliverWebhook` sends it. */
function eventIdOf(event: unknown): string {
  return webhookEventId(event, Buffer.from(JSON.stringify(event), 'utf8'));
}

function logged(test: TestRelay, event: string): number {
  return test.logger.entries.filter((entry) => entry.event === event).length;
}

describe('SECURITY 44: a processing claim written after its deadline is never taken as a duplicate', () => {
  it('a claim a hung store writes after the delivery gave up (503) does not turn the re-send into a duplicate: the re-send is applied', async () => {
    const test = relayOverFaultyEngine(['OTH']);
    const { handle, fakeCase } = await started(test);
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();

    test.faults.delayClaims();
    const first = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(first.status, 503, 'the claim timed out: not applied');
    // The store answers long after the delivery's deadline, and writes the claim then.
    test.clock.advance(WEBHOOK_DEADLINE_MS + 10_000);
    assert.deepEqual(await test.faults.landLateClaims(), [true]);

    // Kount's (or a faster sender's) re-send comes while that claim still lives in the store.
    test.clock.advance(1_000);
    const resent = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(resent.status, 200);
    await test.relay.settled();
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW', 'the re-send was applied, not taken as a duplicate');
    assert.equal(logged(test, 'webhook.stale_claim_taken_over'), 1);
    assert.equal(logged(test, 'webhook.duplicate'), 0);
  });

  it('a re-send while the claim is live gets 503 (never a 200 for an event not applied), and the one after the deadline applies it', async () => {
    const test = relayOverFaultyEngine(['OTH']);
    const { handle, fakeCase } = await started(test);
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();

    test.faults.delayClaims();
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 503);
    test.clock.advance(1_000);
    await test.faults.landLateClaims();
    test.clock.advance(1_000);
    const early = await deliverWebhook(test.relay, event, test.clock.now());
    assert.equal(early.status, 503);
    assert.deepEqual(early.body, { error: { code: 'webhook_in_progress', message: 'The event is being applied by another delivery. Send it again later.' } });
    assert.equal((await test.relay.outcome(handle)).decision, null);

    test.clock.advance(WEBHOOK_DEADLINE_MS);
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
  });

  it('of two instances taking over one stale claim at once, one applies the event and the other answers 503', async () => {
    const test = relayOverFaultyEngine(['DOCV']);
    const other = secondInstance(test);
    const { fakeCase } = await started(test);
    const event = (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN');
    await test.memory.claim(eventKey(eventIdOf(event)), WEBHOOK_PROCESSING_TTL_SECONDS, `processing:${test.clock.now() - 1}`);
    const statuses = await Promise.all([test, other].map(async (instance) => (await deliverWebhook(instance.relay, event, test.clock.now())).status));
    assert.deepEqual([...statuses].sort(), [200, 503]);
    assert.equal(logged(test, 'webhook.received') + logged(other, 'webhook.received'), 1, 'applied once');
    assert.equal(test.kount.calls.verify, 1, 'one refresh');
  });
});

describe('SECURITY 44: the "done" marker outlives Kount\'s re-send schedule; the processing claim lasts 60 s', () => {
  it('records the event "done" for at least Kount\'s re-send schedule: a re-send after the 60 s claim is not applied twice', async () => {
    const test = relayOverFaultyEngine(['DOCV']);
    const { handle, fakeCase } = await started(test);
    const pushed: ViewEvent[] = [];
    test.relay.subscribe(handle, (view) => void pushed.push(view));
    const event = (fakeCase.current as DocvFakeStep).advance('FLOW_BEGUN');
    const key = eventKey(eventIdOf(event));
    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    await test.relay.settled();
    assert.equal(await test.memory.getValue(key), 'done');
    assert.equal(test.kount.calls.verify, 1);

    for (const resendAt of [2, 4, 6, 8]) {
      test.clock.advance(2 * 60 * 1000);
      assert.equal(await test.memory.getValue(key), 'done', `still done at ${resendAt} min`);
      assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    }
    await test.relay.settled();
    assert.ok(8 * 60 * 1000 >= KOUNT_RESEND_SCHEDULE_MS);
    assert.equal(logged(test, 'webhook.received'), 1, 'applied once');
    assert.equal(logged(test, 'webhook.duplicate'), 4);
    assert.equal(test.kount.calls.verify, 1, 'no second refresh');
    assert.equal(pushed.length, 1);
  });

  it('an instance dying mid-apply leaves a claim that ends after 60 s, not 24 h: the re-send to another instance is applied', async () => {
    const test = relayOverFaultyEngine(['OTH']);
    const { handle, fakeCase } = await started(test);
    const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
    fakeCase.advanceIfPassed();
    const key = eventKey(eventIdOf(event));

    // The instance takes the claim, then never gets its session read back: it is gone.
    test.faults.fail('read', 'hangs');
    const claimedAt = test.clock.now();
    void deliverWebhook(test.relay, event, claimedAt);
    while ((await test.memory.getValue(key)) === null) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await test.memory.getValue(key), `processing:${claimedAt + WEBHOOK_DEADLINE_MS}`, 'the claim carries its deadline');

    test.clock.advance(WEBHOOK_PROCESSING_TTL_SECONDS * 1000 - 1);
    assert.notEqual(await test.memory.getValue(key), null, 'held for 60 s');
    test.clock.advance(1);
    assert.equal(await test.memory.getValue(key), null, 'and no longer');

    const survivor = secondInstance(test);
    assert.equal((await deliverWebhook(survivor.relay, event, test.clock.now())).status, 200);
    assert.equal((await survivor.relay.outcome(handle)).decision, 'ALLOW');
  });
});
