import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import { LiveViewController, liveChannelName } from '../../../src/elements/shared/live-view-controller.js';
import { eventStream, fakeLiveClient, flush, viewEvent } from '../../client/helpers.js';
import { decided, othView } from '../helpers.js';

class LiveHost extends LitElement {
  views: SessionView[] = [];
  renders = 0;
  // The host holds the newest view, as a SessionController does, and says what is new.
  readonly live = new LiveViewController(this, {
    isNewer: (revision) => revision > (this.views.at(-1)?.revision ?? -Infinity),
    onView: (view) => this.views.push(view),
  });
  override render() {
    this.renders++;
    return html`${this.live.connection}`;
  }
}
customElements.define('live-view-host', LiveHost);

/** Waits until `check` holds, a few frames at most. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('LiveViewController', () => {
  afterEach(() => sinon.restore());

  it('watches, reports views, reflects the connection in a host update and stops on disconnect', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const client = fakeLiveClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    el.live.watch(client);
    await flush();
    await el.updateComplete;
    expect(el.live.connection).to.equal('streaming');
    expect(el.shadowRoot!.textContent).to.contain('streaming');
    stream.push(viewEvent(othView(3)));
    await until(() => el.views.length === 1);
    expect(el.views.map((view) => view.revision)).to.deep.equal([3]);

    // Watching the same client again changes nothing.
    el.live.watch(client);
    expect(client.events.callCount).to.equal(1);

    el.remove();
    expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
    expect(el.live.connection).to.equal('stopped');

    // Back on the page: watches again, without reporting the same revision twice.
    const again = eventStream();
    client.events.resolves(again.response);
    document.body.append(el);
    await flush();
    expect(client.events.callCount).to.equal(2);
    again.push(viewEvent(othView(3)) + viewEvent(othView(4)));
    await until(() => el.views.length === 2);
    expect(el.views.map((view) => view.revision)).to.deep.equal([3, 4]);
    el.remove();
  });

  it('pauses while offline and reads the view at once when back online', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const client = fakeLiveClient();
    client.events.resolves(eventStream().response);
    el.live.watch(client);
    await flush();
    const firstSignal = client.events.firstCall.args[0].signal;

    window.dispatchEvent(new Event('offline'));
    await el.updateComplete;
    expect(firstSignal.aborted).to.equal(true);
    expect(el.live.connection).to.equal('offline');
    expect(el.shadowRoot!.textContent).to.contain('offline');

    const stream = eventStream();
    client.events.resolves(stream.response);
    window.dispatchEvent(new Event('online'));
    expect(client.events.callCount).to.equal(2);
    await flush();
    stream.push(viewEvent(othView(5)));
    await until(() => el.views.length === 1);
    expect(el.views.map((view) => view.revision)).to.deep.equal([5]);
    expect(el.live.connection).to.equal('streaming');
  });

  it('takes a newer revision from another tab as a hint to re-read, never as data', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const client = fakeLiveClient('/verify-tabs');
    const stream = eventStream();
    client.events.resolves(stream.response);
    client.view.resolves(othView(7, { status: 'VERIFIED' }));
    el.live.watch(client);
    await flush();
    stream.push(viewEvent(othView(3)));
    await until(() => el.views.length === 1);

    const otherTab = new BroadcastChannel(liveChannelName('/verify-tabs'));
    try {
      // Older revisions and junk are ignored.
      otherTab.postMessage({ revision: 2 });
      otherTab.postMessage({ revision: 'many' });
      otherTab.postMessage('<img src=x onerror=alert(1)>');
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(client.view.called).to.equal(false);

      otherTab.postMessage({ revision: 9, view: decided(9) });
      await until(() => el.views.length === 2);
      expect(client.view.callCount).to.equal(1);
      // What the relay says is reported, not what the message claimed.
      expect(el.views.map((view) => view.revision)).to.deep.equal([3, 7]);
    } finally {
      otherTab.close();
    }
  });

  it('tells other tabs the revision it saw, and closes the channel once stopped', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const client = fakeLiveClient('/verify-post');
    const stream = eventStream();
    client.events.resolves(stream.response);
    const otherTab = new BroadcastChannel(liveChannelName('/verify-post'));
    const heard: unknown[] = [];
    otherTab.onmessage = (event) => heard.push(event.data);
    try {
      el.live.watch(client);
      await flush();
      stream.push(viewEvent(othView(3)));
      await until(() => heard.length === 1);
      expect(heard).to.deep.equal([{ revision: 3 }]);

      const close = sinon.spy(BroadcastChannel.prototype, 'close');
      el.live.stop();
      expect(close.callCount).to.equal(1);
      expect(el.live.connection).to.equal('stopped');
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
    } finally {
      otherTab.close();
    }
  });

  it('ends for good after a decided view: no restart on reconnect or online', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const client = fakeLiveClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    el.live.watch(client);
    await flush();
    stream.push(viewEvent(decided(4)));
    await until(() => el.views.length === 1);
    await el.updateComplete;
    expect(el.live.connection).to.equal('stopped');
    el.remove();
    document.body.append(el);
    window.dispatchEvent(new Event('online'));
    el.live.watch(client);
    await flush();
    expect(client.events.callCount).to.equal(1);
    el.remove();
  });

  it('switches to another client', async () => {
    const el = await fixture<LiveHost>(html`<live-view-host></live-view-host>`);
    const first = fakeLiveClient();
    const second = fakeLiveClient('/other');
    el.live.watch(first);
    el.live.watch(second);
    expect(first.events.firstCall.args[0].signal.aborted).to.equal(true);
    expect(second.events.callCount).to.equal(1);
    el.live.watch(undefined);
    expect(second.events.firstCall.args[0].signal.aborted).to.equal(true);
    expect(el.live.connection).to.equal('stopped');
  });
});
