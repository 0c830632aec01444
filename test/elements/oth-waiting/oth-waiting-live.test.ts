import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import type { OthWaiting } from '../../../src/elements/oth-waiting/oth-waiting.js';
import type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { errorOf, relayError, settle, statusOf, textOf } from '../helpers.js';
import { eventStream, fakeClient, othFixture, progressOf, resendButtonOf, viewEvent } from './fixtures.js';
import { decided, othAction, othView } from '../helpers.js';

/** A relay answering fetch: the stream, or a JSON view, recording what was asked. */
function stubRelay(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  return sinon.stub(window, 'fetch').callsFake(async (input, init) => answer(String(input), init ?? {}));
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('<oth-waiting> live', () => {
  afterEach(() => sinon.restore());

  it('follows the stream: announces a status change once, completes the moment the decision lands', async () => {
    const client = fakeClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    const { el } = await othFixture({ client });
    const steps: SessionView[] = [];
    el.addEventListener('verify-step', (event: VerifyStepEvent) => steps.push(event.detail.view));
    await settle(el);
    expect(client.events.callCount).to.equal(1);

    stream.push('retry: 3000\n\n' + viewEvent(othView(3)));
    await waitUntil(() => steps.length === 1);
    expect(statusOf(el).textContent!.trim()).to.equal('');

    // Split across chunks, as a proxy may deliver it.
    const verified = viewEvent(othView(4, { status: 'VERIFIED' }));
    stream.push(verified.slice(0, 25));
    stream.push(verified.slice(25) + ': heartbeat\n\n');
    await waitUntil(() => steps.length === 2);
    await settle(el);
    expect(progressOf(el)!.textContent).to.contain('Link confirmed. Finishing…');
    expect(statusOf(el).textContent).to.contain('Link confirmed. Finishing…');

    const complete = oneEvent(el, 'verify-complete');
    stream.push(viewEvent(decided(5)));
    const event = (await complete) as VerifyCompleteEvent;
    expect(event.detail.decision).to.equal('ALLOW');
    expect(steps.map((view) => view.revision)).to.deep.equal([3, 4, 5]);
    await settle(el);
    expect(stream.cancelled).to.equal(true);
    expect(progressOf(el)!.textContent).to.contain("You're verified");
    expect(statusOf(el).textContent).to.contain("You're verified");
    expect(resendButtonOf(el)).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a failure pushed live as an alert with the way forward', async () => {
    const client = fakeClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    const { el } = await othFixture({ client });
    await settle(el);
    stream.push(viewEvent(othView(3, { status: 'VERIFICATION_ATTEMPT_FAILED' })));
    await waitUntil(() => errorOf(el).textContent !== '');
    expect(errorOf(el).textContent).to.equal("That link didn't work. Send a new link to try again.");
    await expect(el).to.be.accessible();
  });

  it('falls back to polling when the stream is refused and ends in the same state', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // No jitter: the nominal waits, 2 s then 4 s.
    sinon.stub(Math, 'random').returns(0.5);
    try {
      const client = fakeClient();
      client.events.resolves(new Response('blocked', { status: 502 }));
      client.view.resolves(othView(3));
      const steps: SessionView[] = [];
      const onStep = (event: VerifyStepEvent) => steps.push(event.detail.view);
      document.addEventListener('verify-step', onStep);
      const { el } = await othFixture({ client });
      await clock.tickAsync(0);
      expect(client.view.callCount).to.equal(1);
      await clock.tickAsync(2_000);
      expect(client.view.callCount).to.equal(2);
      client.view.resolves(decided(5));
      await clock.tickAsync(4_000);
      expect(client.view.callCount).to.equal(3);
      await settle(el);
      expect(steps.map((view) => view.revision)).to.deep.equal([3, 5]);
      expect(progressOf(el)!.textContent).to.contain("You're verified");
      await clock.tickAsync(120_000);
      expect(client.view.callCount).to.equal(3);
      document.removeEventListener('verify-step', onStep);
    } finally {
      clock.restore();
    }
  });

  it('loads and watches by itself from relay and session attributes, with the bearer', async () => {
    const stream = eventStream();
    const fetch = stubRelay((url) => (url.endsWith('/session/events') ? stream.response : json(othView(3))));
    const el = await fixture<OthWaiting>(html`<oth-waiting relay="https://relay.example/verify" session="handle-1"></oth-waiting>`);
    expect(textOf(el)).to.contain('Loading your verification…');
    const steps: SessionView[] = [];
    el.addEventListener('verify-step', (event: VerifyStepEvent) => steps.push(event.detail.view));
    await waitUntil(() => fetch.called);
    const [url, init] = fetch.firstCall.args as [string, RequestInit];
    expect(url).to.equal('https://relay.example/verify/session/events');
    expect((init.headers as Record<string, string>).authorization).to.equal('Bearer handle-1');
    stream.push(viewEvent(othView(3, { destination: 'a***@shop.example' })));
    await waitUntil(() => steps.length === 1);
    await settle(el);
    expect(textOf(el)).to.contain('We emailed a link to \u2066a***@shop.example\u2069');
    expect(resendButtonOf(el)).to.exist;
    el.remove();
  });

  it('reports a session that ended while watching with verify-error', async () => {
    stubRelay((url) =>
      url.endsWith('/session/events')
        ? json({ error: { code: 'session_expired', message: 'expired' } }, 401)
        : json({ error: { code: 'session_expired', message: 'expired' } }, 401),
    );
    const el = document.createElement('oth-waiting');
    el.setAttribute('lang', 'en');
    el.relay = '/verify';
    const error = oneEvent(el, 'verify-error');
    document.body.append(el);
    try {
      const event = (await error) as VerifyErrorEvent;
      expect(event.detail.code).to.equal('session_expired');
      await settle(el);
      expect(errorOf(el).textContent).to.equal('Your verification session has expired. Please start again.');
    } finally {
      el.remove();
    }
  });

  it('offers to try again when the relay refuses the live updates for another reason', async () => {
    const client = fakeClient();
    client.events.resolves(new Response(null, { status: 404 }));
    client.view.onFirstCall().rejects(relayError('not_found', 404));
    const { el } = await othFixture({ client });
    await waitUntil(() => el.shadowRoot!.querySelector('[part="button"]') !== null);
    expect(errorOf(el).textContent).to.equal("We couldn't reach the verification service. Please try again later.");
    await expect(el).to.be.accessible();
    const stream = eventStream();
    client.events.resolves(stream.response);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    await settle(el);
    expect(client.events.callCount).to.equal(2);
    expect(errorOf(el).textContent).to.equal('');
    expect(el.shadowRoot!.querySelector('[part="button"]')).to.equal(null);
  });

  it('shows an offline notice, announces it, and reads the view at once when back online', async () => {
    const client = fakeClient();
    client.events.resolves(eventStream().response);
    const { el } = await othFixture({ client });
    await settle(el);
    window.dispatchEvent(new Event('offline'));
    await settle(el);
    const notice = el.shadowRoot!.querySelector('[part="offline"]');
    expect(notice!.textContent).to.equal("You're offline. We'll check again when you're back online.");
    expect(statusOf(el).textContent).to.contain("You're offline.");
    expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
    await expect(el).to.be.accessible();

    const stream = eventStream();
    client.events.resolves(stream.response);
    window.dispatchEvent(new Event('online'));
    await settle(el);
    expect(client.events.callCount).to.equal(2);
    expect(el.shadowRoot!.querySelector('[part="offline"]')).to.equal(null);
    expect(statusOf(el).textContent).to.contain("You're back online.");
  });

  it('re-reads when another tab saw the link confirmed', async () => {
    const client = fakeClient('/verify-oth-tabs');
    client.events.resolves(eventStream().response);
    client.view.resolves(decided(9));
    const { el } = await othFixture({ client, action: othAction() });
    await settle(el);
    const complete = oneEvent(el, 'verify-complete');
    const otherTab = new BroadcastChannel('k360-verify:/verify-oth-tabs');
    try {
      otherTab.postMessage({ revision: 9 });
      expect(((await complete) as VerifyCompleteEvent).detail.decision).to.equal('ALLOW');
      expect(client.view.callCount).to.equal(1);
    } finally {
      otherTab.close();
    }
  });
});
