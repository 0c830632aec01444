import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import sinon from 'sinon';
import { RelayClient } from '../../../src/client/relay-client.js';
import { relayClientOf } from '../../../src/elements/shared/relay-client-of.js';
import { RelayRequestController } from '../../../src/elements/shared/relay-request-controller.js';

type ProbeClient = Pick<RelayClient, 'view'>;

class RelayRequestProbe extends LitElement {
  readonly relayRequests = new RelayRequestController<ProbeClient>(this);
  @property({ attribute: false }) client?: ProbeClient;
  @property() relay = '';
  @property() session = '';
}
customElements.define('relay-request-probe', RelayRequestProbe);

const fakeClient = (): ProbeClient => ({ view: () => new Promise(() => {}) });

/** The bearer header a client sends with a view request (its session is private). */
async function authorizationSentBy(client: ProbeClient | RelayClient | undefined, fetch: sinon.SinonStub): Promise<string | null> {
  expect(client).to.be.instanceOf(RelayClient);
  fetch.resetHistory();
  await (client as RelayClient).view().catch(() => {});
  expect(fetch.callCount).to.equal(1);
  return new Headers((fetch.firstCall.args[1] as RequestInit | undefined)?.headers).get('authorization');
}

describe('RelayRequestController', () => {
  afterEach(() => sinon.restore());

  describe('client', () => {
    it('is undefined without a client property or a relay', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe></relay-request-probe>`);
      expect(el.relayRequests.client).to.equal(undefined);
      el.session = 'handle';
      expect(el.relayRequests.client).to.equal(undefined);
    });

    it('builds one RelayClient per relay and session, and a new one when either changes', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe relay="/verify"></relay-request-probe>`);
      const first = el.relayRequests.client;
      expect(first).to.be.instanceOf(RelayClient);
      expect((first as RelayClient).relay).to.equal('/verify');
      expect(el.relayRequests.client).to.equal(first);

      el.relay = 'https://relay.example/verify';
      const second = el.relayRequests.client;
      expect(second).to.not.equal(first);
      expect((second as RelayClient).relay).to.equal('https://relay.example/verify');
      expect(el.relayRequests.client).to.equal(second);

      el.session = 'handle-1';
      const third = el.relayRequests.client;
      expect(third).to.not.equal(second);
      expect(el.relayRequests.client).to.equal(third);
    });

    it('hands the session to the client it builds, and none when the attribute is empty', async () => {
      // Before any client exists: a RelayClient takes `fetch` when it is built.
      const fetch = sinon.stub(globalThis, 'fetch').rejects(new TypeError('offline'));
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe relay="https://relay.example/verify"></relay-request-probe>`);
      expect(await authorizationSentBy(el.relayRequests.client, fetch)).to.equal(null);
      el.session = 'handle-2';
      expect(await authorizationSentBy(el.relayRequests.client, fetch)).to.equal('Bearer handle-2');
      el.session = '';
      expect(await authorizationSentBy(el.relayRequests.client, fetch)).to.equal(null);
    });

    it('is the client property when set, whatever relay and session say', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe relay="/verify" session="handle"></relay-request-probe>`);
      const built = el.relayRequests.client;
      const given = fakeClient();
      el.client = given;
      expect(el.relayRequests.client).to.equal(given);
      el.relay = '/elsewhere';
      expect(el.relayRequests.client).to.equal(given);

      // Without it again, the attributes decide (and the relay changed, so a new client).
      el.client = undefined;
      const rebuilt = el.relayRequests.client;
      expect(rebuilt).to.be.instanceOf(RelayClient);
      expect(rebuilt).to.not.equal(built);
      expect((rebuilt as RelayClient).relay).to.equal('/elsewhere');
    });
  });

  describe('requests', () => {
    it('aborts the stale request when a new one starts, and only the current one ends', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe></relay-request-probe>`);
      const stale = el.relayRequests.start();
      expect(stale.aborted).to.equal(false);
      const current = el.relayRequests.start();
      expect(stale.aborted).to.equal(true);
      expect(current.aborted).to.equal(false);

      // The stale request's `finally` must not clear the busy state of the current one.
      expect(el.relayRequests.end(stale)).to.equal(false);
      expect(el.relayRequests.end(current)).to.equal(true);
      expect(current.aborted).to.equal(false);
      expect(el.relayRequests.end(current)).to.equal(false);
    });

    it('aborts the request in flight on abort(), which then ends nothing', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe></relay-request-probe>`);
      const signal = el.relayRequests.start();
      el.relayRequests.abort();
      expect(signal.aborted).to.equal(true);
      expect(el.relayRequests.end(signal)).to.equal(false);
      el.relayRequests.abort();
    });

    it('aborts the request in flight when the host leaves the page', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe></relay-request-probe>`);
      const signal = el.relayRequests.start();
      const parent = el.parentNode!;
      el.remove();
      expect(signal.aborted).to.equal(true);
      expect(el.relayRequests.end(signal)).to.equal(false);

      // Back on the page, new requests run as before.
      parent.appendChild(el);
      const next = el.relayRequests.start();
      expect(next.aborted).to.equal(false);
      expect(el.relayRequests.end(next)).to.equal(true);
    });
  });

  describe('loadOnce', () => {
    it('gives the client once, again after reload(), and again for a new client', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe relay="/verify"></relay-request-probe>`);
      const client = el.relayRequests.client;
      expect(el.relayRequests.loadOnce()).to.equal(client);
      expect(el.relayRequests.loadOnce()).to.equal(undefined);

      el.relayRequests.reload();
      expect(el.relayRequests.loadOnce()).to.equal(client);
      expect(el.relayRequests.loadOnce()).to.equal(undefined);

      const given = fakeClient();
      el.client = given;
      expect(el.relayRequests.loadOnce()).to.equal(given);
      expect(el.relayRequests.loadOnce()).to.equal(undefined);
    });

    it('gives nothing without a client or off the page, and loads again after coming back', async () => {
      const el = await fixture<RelayRequestProbe>(html`<relay-request-probe></relay-request-probe>`);
      expect(el.relayRequests.loadOnce()).to.equal(undefined);

      el.relay = '/verify';
      const parent = el.parentNode!;
      el.remove();
      expect(el.relayRequests.loadOnce()).to.equal(undefined);

      parent.appendChild(el);
      const client = el.relayRequests.loadOnce();
      expect(client).to.be.instanceOf(RelayClient);
      el.remove();
      parent.appendChild(el);
      expect(el.relayRequests.loadOnce()).to.equal(client);
    });
  });
});

describe('relayClientOf', () => {
  it('reads the host at each call: its client, else one RelayClient per relay and session', () => {
    const host: { client?: ProbeClient; relay: string; session: string } = { relay: '', session: '' };
    const clientOf = relayClientOf(host);
    expect(clientOf()).to.equal(undefined);

    host.relay = '/verify';
    const built = clientOf();
    expect(built).to.be.instanceOf(RelayClient);
    expect(clientOf()).to.equal(built);
    host.session = 'handle';
    expect(clientOf()).to.not.equal(built);

    const given = fakeClient();
    host.client = given;
    expect(clientOf()).to.equal(given);
  });
});
