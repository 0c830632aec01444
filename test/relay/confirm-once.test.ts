/**
 * A decided session confirms one order, once (issue 9 item 1): `relay.outcome` and `relay.confirm`
 * bound to the inquiry, the confirmation consumed atomically in the store, also between two relays
 * sharing one store (as instances share Redis).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/browser.js';
import { createRelay, MemorySessionStore, OutcomeError, type Relay } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createCapturingLogger } from './helpers.js';

const RELAY_ORIGIN = 'http://localhost:3000';
const PHONE = '+15551230001';
const SECRET = 'confirm-once-secret-0123456789-abcdefgh';

describe('relay.confirm: one order, once', () => {
  let sandbox: RunningSandbox;
  let store: MemorySessionStore;
  let relay: Relay;
  let other: Relay;

  const relayOn = (sharedStore: MemorySessionStore) =>
    createRelay({
      apiUrl: sandbox.url,
      tokenUrl: sandbox.url + SANDBOX_PATHS.token,
      apiKey: SANDBOX_API_KEY,
      clientId: SANDBOX_CLIENT_ID,
      sessionSecret: SECRET,
      logger: createCapturingLogger(),
      store: sharedStore,
    });

  before(async () => {
    sandbox = await startSandbox();
    store = new MemorySessionStore();
    relay = relayOn(store);
    other = relayOn(store);
  });
  after(() => sandbox.close());

  /** An order assessed as a CHALLENGE (OTP by SMS), and its handle. */
  async function order(email = 'otp@example.com'): Promise<{ inquiryId: string; handle: string }> {
    const inquiryId = crypto.randomUUID();
    const assessment = await relay.kount.assess({ strategy: 'CheckoutStepUp', inquiryId, deviceSessionId: 'device1', applicant: { email, phoneNumber: PHONE } });
    const { handle } = await relay.startChallenge({ assessment, contact: { email, phoneNumber: PHONE } });
    return { inquiryId, handle };
  }

  /** Passes the order's challenge with the code the sandbox sent. */
  async function pass(handle: string): Promise<void> {
    const code = sandbox.sandbox.messages.latest(PHONE)?.code;
    assert.ok(code);
    const response = await relay.fetch(
      new Request(`${RELAY_ORIGIN}/verify/session/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: RELAY_ORIGIN, cookie: `${SESSION_COOKIE}=${handle}` },
        body: JSON.stringify({ method: 'OTP', otp: code }),
      }),
    );
    assert.equal(response.status, 200);
  }

  const refusedWith = (code: string) => (error: unknown) => error instanceof OutcomeError && error.code === code && error.status === 409;

  it("refuses order A's handle for order B, in outcome and in confirm", async () => {
    const a = await order();
    await pass(a.handle);
    const b = await order();
    await assert.rejects(relay.outcome(a.handle, { inquiryId: b.inquiryId }), refusedWith('inquiry_mismatch'));
    await assert.rejects(relay.confirm(a.handle, { inquiryId: b.inquiryId }), refusedWith('inquiry_mismatch'));
    // A itself is untouched by the refused attempts, and confirms.
    assert.deepEqual(await relay.outcome(a.handle, { inquiryId: a.inquiryId }), { state: 'decided', decision: 'ALLOW', inquiryId: a.inquiryId, authenticationId: (await relay.outcome(a.handle)).authenticationId });
    assert.equal((await relay.confirm(a.handle, { inquiryId: a.inquiryId })).decision, 'ALLOW');
  });

  it('confirms a decision once: the second confirmation is refused, on this relay and on another', async () => {
    const a = await order();
    await pass(a.handle);
    const first = await relay.confirm(a.handle, { inquiryId: a.inquiryId });
    assert.equal(first.state, 'decided');
    assert.equal(first.decision, 'ALLOW');
    assert.equal(first.inquiryId, a.inquiryId);
    await assert.rejects(relay.confirm(a.handle, { inquiryId: a.inquiryId }), refusedWith('outcome_consumed'));
    await assert.rejects(other.confirm(a.handle, { inquiryId: a.inquiryId }), refusedWith('outcome_consumed'));
    // Reading it stays possible (a receipt page); acting on it does not.
    assert.equal((await other.outcome(a.handle, { inquiryId: a.inquiryId })).decision, 'ALLOW');
  });

  it('does not consume an undecided session', async () => {
    const a = await order();
    await assert.rejects(relay.confirm(a.handle, { inquiryId: a.inquiryId }), refusedWith('outcome_pending'));
    await pass(a.handle);
    assert.equal((await relay.confirm(a.handle, { inquiryId: a.inquiryId })).decision, 'ALLOW');
  });

  it('gives exactly one success to 20 concurrent confirmations spread over two relays', async () => {
    const a = await order();
    await pass(a.handle);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? relay : other).confirm(a.handle, { inquiryId: a.inquiryId })),
    );
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected' && refusedWith('outcome_consumed')(result.reason));
    assert.equal(succeeded.length, 1);
    assert.equal(refused.length, 19);
  });
});
