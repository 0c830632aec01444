import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import sinon from 'sinon';
import { refusalChangesView, type SessionView } from '../../../src/contract/browser.js';
import { LiveViewController } from '../../../src/elements/shared/live-view-controller.js';
import { SessionController, type SessionClient } from '../../../src/elements/shared/session-controller.js';
import { eventStream, fakeLiveClient, flush, viewEvent } from '../../client/helpers.js';
import { challengeViewOf, decided, otpAction, othView, relayError } from '../helpers.js';

class SessionHost extends LitElement {
  client: SessionClient | undefined;
  readonly session = new SessionController(this, () => this.client);
}
customElements.define('session-controller-host', SessionHost);

async function host(client?: SessionClient): Promise<{ el: SessionHost; views: SessionView[] }> {
  const el = await fixture<SessionHost>(html`<session-controller-host></session-controller-host>`);
  el.client = client;
  const views: SessionView[] = [];
  el.session.subscribe({ onView: (view) => views.push(view) });
  return { el, views };
}

/** Waits until `check` holds, a few frames at most. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('SessionController', () => {
  afterEach(() => sinon.restore());

  describe('offer: the page’s one revision check', () => {
    it('keeps the newest view and tells each subscriber; an older one is dropped', async () => {
      const { el, views } = await host(fakeLiveClient());
      expect(el.session.offer(challengeViewOf(otpAction(), 3))).to.equal(true);
      expect(el.session.offer(challengeViewOf(otpAction(), 2))).to.equal(false);
      expect(el.session.offer(decided(4))).to.equal(true);
      expect(views.map((view) => view.revision)).to.deep.equal([3, 4]);
      expect(el.session.view?.revision).to.equal(4);
    });

    it('takes a view of the same revision from a request, not from a stream repeating itself', async () => {
      const { el, views } = await host(fakeLiveClient());
      el.session.offer(challengeViewOf(otpAction(), 3));
      expect(el.session.offer(challengeViewOf(otpAction(), 3), false)).to.equal(false);
      expect(el.session.offer(challengeViewOf(otpAction(), 3))).to.equal(true);
      expect(views).to.have.length(2);
    });

    it('forgets the view of another session when the client changes', async () => {
      const { el } = await host(fakeLiveClient());
      el.session.offer(challengeViewOf(otpAction(), 7));
      el.client = fakeLiveClient('/other');
      expect(el.session.view).to.equal(undefined);
      expect(el.session.offer(challengeViewOf(otpAction(), 1))).to.equal(true);
    });
  });

  describe('refused: one read after a refusal that changed the view', () => {
    it('lists only codes the relay sends', async () => {
      const { errorStatus } = await import('../../../src/contract/relay-api.js');
      for (const code of refusalChangesView) expect(errorStatus).to.have.property(code);
    });

    for (const code of refusalChangesView) {
      it(`reads the view again once after ${code}, and offers it`, async () => {
        const client = fakeLiveClient();
        const fresh = challengeViewOf(otpAction({ remainingAttempts: 2 }), 5);
        client.view.resolves(fresh);
        const { el, views } = await host(client);
        expect(await el.session.refused({ code })).to.equal(null);
        expect(client.view.callCount).to.equal(1);
        expect(views).to.deep.equal([fresh]);
      });
    }

    it('reads nothing after a refusal that changes nothing (resend limits, network trouble)', async () => {
      const client = fakeLiveClient();
      const { el } = await host(client);
      for (const code of ['resend_limit_reached', 'resend_too_soon', 'network_error', 'session_expired']) {
        expect(el.session.refused({ code })).to.equal(undefined);
      }
      expect(client.view.called).to.equal(false);
    });

    it('resolves the failure of the read itself', async () => {
      const client = fakeLiveClient();
      client.view.rejects(relayError('session_expired', 401));
      const { el, views } = await host(client);
      expect(await el.session.refused({ code: 'wrong_code' })).to.deep.include({ code: 'session_expired' });
      expect(views).to.deep.equal([]);
    });
  });

  describe('watch: one stream per session', () => {
    it('opens one stream for every holder, keeps it while one holds it, and closes it after the last', async () => {
      const client = fakeLiveClient();
      const stream = eventStream();
      client.events.resolves(stream.response);
      const { el, views } = await host(client);
      const oth = {};
      const docv = {};
      el.session.watch(oth, true, LiveViewController);
      el.session.watch(docv, true, LiveViewController);
      await flush();
      expect(client.events.callCount).to.equal(1);
      expect(el.session.connection).to.equal('streaming');

      // The one-time link's step ends; document verification goes on with the same stream.
      el.session.watch(oth, false);
      stream.push(viewEvent(othView(3)));
      await until(() => views.length === 1);
      expect(client.events.callCount).to.equal(1);
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(false);

      el.session.watch(docv, false);
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
      expect(el.session.connection).to.equal('stopped');
    });

    it('drops what the stream repeats, and a view older than one a request brought', async () => {
      const client = fakeLiveClient();
      const stream = eventStream();
      client.events.resolves(stream.response);
      const { el, views } = await host(client);
      el.session.watch(el, true, LiveViewController);
      await flush();
      el.session.offer(othView(5));
      stream.push(viewEvent(othView(4)) + viewEvent(othView(5)) + viewEvent(othView(6)));
      await until(() => views.length === 2);
      await flush();
      expect(views.map((view) => view.revision)).to.deep.equal([5, 6]);
      el.session.watch(el, false);
    });

    it('polls a client that has no stream', async () => {
      const view = sinon.stub<[AbortSignal?], Promise<SessionView>>().resolves(othView(2));
      const { el, views } = await host({ view, relay: '/verify' });
      el.session.watch(el, true, LiveViewController);
      await until(() => views.length === 1);
      expect(el.session.connection).to.equal('polling');
      el.session.watch(el, false);
    });
  });
});
