/** The relay against the real sandbox over HTTP: the two sides read the contract the same way. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE, SessionView } from '../../src/contract/browser.js';
import { createRelay, type Relay } from '../../src/relay/index.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createCapturingLogger } from './helpers.js';

const RELAY_ORIGIN = 'http://localhost:3000';
const PHONE = '+15551234567';

describe('relay ⇄ sandbox', () => {
  let sandbox: RunningSandbox;
  let relay: Relay;

  before(async () => {
    sandbox = await startSandbox();
    relay = createRelay({
      apiUrl: sandbox.url,
      tokenUrl: sandbox.url + SANDBOX_PATHS.token,
      apiKey: SANDBOX_API_KEY,
      clientId: SANDBOX_CLIENT_ID,
      sessionSecret: 'integration-secret-0123456789-abcdefghij',
      logger: createCapturingLogger(),
    });
  });
  after(() => sandbox.close());

  async function challenge() {
    const assessment = await relay.kount.assess({
      strategy: 'CheckoutStepUp',
      inquiryId: crypto.randomUUID(),
      deviceSessionId: 'device-1',
      applicant: { email: 'otp@example.com', phoneNumber: PHONE },
    });
    return relay.startChallenge({ assessment, contact: { email: 'otp@example.com', phoneNumber: PHONE } });
  }

  const post = (path: string, handle: string, body: unknown) =>
    relay.fetch(
      new Request(`${RELAY_ORIGIN}/verify${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: RELAY_ORIGIN, cookie: `${SESSION_COOKIE}=${handle}` },
        body: JSON.stringify(body),
      }),
    );

  it('runs an SMS OTP challenge: wrong code, then the code from the inbox', async () => {
    const { handle, view } = await challenge();
    assert.equal(view.state, 'challenge');
    if (view.state !== 'challenge' || view.action.method !== 'OTP') assert.fail('expected OTP');
    assert.equal(view.action.destination, '+1 *** *** 4567');
    assert.equal(view.action.channel, 'SMS');

    const sent = sandbox.sandbox.messages.latest(PHONE);
    assert.ok(sent?.code);
    const wrongCode = sent.code === '000000' ? '111111' : '000000';

    const wrong = await post('/session/answer', handle, { method: 'OTP', otp: wrongCode });
    assert.equal(wrong.status, 422);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'wrong_code');

    const right = await post('/session/answer', handle, { method: 'OTP', otp: sent.code });
    assert.equal(right.status, 200);
    assert.deepEqual(SessionView.parse(await right.json()), { state: 'decided', decision: 'ALLOW', revision: 2 });
    assert.equal((await relay.outcome(handle)).decision, 'ALLOW');
  });
});
