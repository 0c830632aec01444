/**
 * Issue 24, item 4: a `send_limited` refusal says which limit applied, from the error's `limit`
 * detail: too many verifications started from this network, or too many messages sent to these
 * details. The client reads the detail from the relay's body; the element picks the copy by it.
 */
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { RelayClient } from '../../../src/client/relay-client.js';
import { RelayError } from '../../../src/client/relay-error.js';
import { errorOf, settle } from '../helpers.js';
import { fakeClient as fakeOthClient, othFixture, resendButtonOf as othResendButtonOf } from '../oth-waiting/fixtures.js';
import { fakeClient, otpFixture, resendButtonOf } from './fixtures.js';

const NETWORK = 'Too many verifications were started from this network. Try again later.';
// "Messages", not "codes": the same refusal stops a one-time link or a DocV capture link.
const DESTINATION = 'Too many messages were sent to these details. Try again later.';

function sendLimited(limit?: 'network' | 'destination'): RelayError {
  return new RelayError('send_limited', 'relay says send_limited', { status: 429, retryAfterSeconds: 600, ...(limit === undefined ? {} : { limit }) });
}

describe('send_limited names the limit that applied (issue 24)', () => {
  afterEach(() => sinon.restore());

  it('the client keeps the `limit` detail of the relay’s 429 body', async () => {
    const body = { error: { code: 'send_limited', message: 'Too many verifications were started from this network. Try again in 59\u00a0minutes.', retryAfterSeconds: 3_540, limit: 'network' } };
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>();
    fetch.callsFake(async () => new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json' } }));
    const error = await new RelayClient({ relay: '/verify', fetch }).resend().catch((failure: unknown) => failure);
    expect(error).to.be.instanceOf(RelayError);
    expect((error as RelayError).code).to.equal('send_limited');
    expect((error as RelayError).limit).to.equal('network');
  });

  for (const [limit, expected] of [
    ['network', NETWORK],
    ['destination', DESTINATION],
    [undefined, DESTINATION],
  ] as const) {
    it(`<otp-entry> says "${expected}" for limit ${limit ?? '(none: an older relay)'}`, async () => {
      const client = fakeClient();
      client.resend.rejects(sendLimited(limit));
      const { el } = await otpFixture({ client });
      resendButtonOf(el)!.click();
      await settle(el);
      expect(errorOf(el).textContent).to.equal(expected);
      expect(el.errorCode, 'events and properties keep the documented code').to.equal('send_limited');
      await expect(el).to.be.accessible();
    });
  }

  it('<otp-entry> in German names the network', async () => {
    const client = fakeClient();
    client.resend.rejects(sendLimited('network'));
    const { el } = await otpFixture({ client, lang: 'de' });
    resendButtonOf(el)!.click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Von diesem Netzwerk aus wurden zu viele Verifizierungen gestartet. Versuchen Sie es später erneut.');
  });

  it('<oth-waiting> picks the copy by the detail too', async () => {
    const client = fakeOthClient();
    client.resend.rejects(sendLimited('network'));
    const { el } = await othFixture({ client });
    othResendButtonOf(el)!.click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal(NETWORK);
  });
});
