/**
 * SECURITY 44 and 38: a store that fails while a webhook is applied (at the claim, the lookup, the
 * read, the commit), or a session the index names that this instance cannot read, is a 5xx that
 * leaves the event undone, never a 200 "unknown session"; Kount's re-send then applies it (issue 23
 * item 12).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStoreEngine } from '../../src/relay/store/index.js';
import { webhookEventId } from '../../src/relay/webhook-events.js';
import { eventKey } from '../../src/relay/webhooks.js';
import type { OthFakeStep } from './fake-steps.js';
import { createTestRelay, startOtpChallenge, type TestRelay } from './helpers.js';
import { faultyEngine, type EngineMethod, type Fault } from './webhook-store-faults.js';
import { deliverWebhook, webhookKeys } from './webhook-helpers.js';

function relayOverFaultyEngine() {
  let test: TestRelay | undefined;
  const memory = new MemoryStoreEngine({ now: () => test?.clock.now() ?? Date.now() });
  const faults = faultyEngine(memory);
  test = createTestRelay({ webhookPublicKey: webhookKeys().publicKeyPem, store: faults.engine }, { steps: ['OTH'] });
  return { ...test, memory, faults };
}

/** A one-time link verified at Kount, and the webhook that says so. */
async function verifiedLink(test: TestRelay) {
  const { handle } = await startOtpChallenge(test.relay);
  const fakeCase = test.kount.caseOf((await test.relay.outcome(handle)).authenticationId);
  const event = (fakeCase.current as OthFakeStep).finish('VERIFIED');
  fakeCase.advanceIfPassed();
  return { handle, event, key: eventKey(webhookEventId(event, Buffer.from(JSON.stringify(event), 'utf8'))) };
}

const failures: Array<{ where: string; method: EngineMethod; fault: Fault }> = [
  { where: 'at the claim', method: 'claim', fault: 'throws' },
  { where: 'at the lookup of the session by Kount\'s id', method: 'getValue', fault: 'throws' },
  { where: 'at the read of the session', method: 'read', fault: 'throws' },
  { where: 'at the commit of the change', method: 'commit', fault: 'throws' },
];

describe('SECURITY 44: a store failure while a webhook is applied answers 5xx, never 200 "unknown session"', () => {
  for (const { where, method, fault } of failures) {
    it(`${where}: 503, the event not marked done, and the re-send once the store is back is applied`, async () => {
      const test = relayOverFaultyEngine();
      const { handle, event, key } = await verifiedLink(test);
      test.faults.fail(method, fault);
      const failed = await deliverWebhook(test.relay, event, test.clock.now());
      test.faults.heal(method);
      assert.equal(failed.status, 503);
      assert.equal((failed.body as { error: { code: string } }).error.code, 'webhook_not_applied');
      assert.ok((test.faults.calls[method] ?? 0) > 0, `the store's ${method} was reached`);
      assert.notEqual(await test.memory.getValue(key), 'done');
      assert.equal(test.logger.entries.filter((entry) => entry.event === 'webhook.unknown_session').length, 0);
      assert.equal((await test.relay.outcome(handle)).decision, null);

      const resent = await deliverWebhook(test.relay, event, test.clock.now());
      assert.equal(resent.status, 200);
      assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
      assert.equal(await test.memory.getValue(key), 'done');
    });
  }
});

describe('SECURITY 38: a session the index names but this instance cannot read is a 503, never "unknown session"', () => {
  it('a read that finds nothing while Kount\'s id still names the session (sealed with a secret this instance lacks): 503, applied on re-send', async () => {
    const test = relayOverFaultyEngine();
    const { handle, event, key } = await verifiedLink(test);
    test.faults.fail('read', 'finds_nothing');
    const failed = await deliverWebhook(test.relay, event, test.clock.now());
    test.faults.heal('read');
    assert.equal(failed.status, 503);
    assert.notEqual(await test.memory.getValue(key), 'done');
    const line = test.logger.entries.find((entry) => entry.event === 'webhook.not_applied');
    assert.equal(line?.fields.reason, 'session_unreadable');

    assert.equal((await deliverWebhook(test.relay, event, test.clock.now())).status, 200);
    assert.equal((await test.relay.outcome(handle)).decision, 'ALLOW');
  });
});
