import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { DocvActionView, SessionView } from '../../../src/contract/browser.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { decidedView, partOf, relayError, settle, statusOf, textOf } from '../helpers.js';
import { challengeView, currentStepOf, docvFixture, fakeClient, type FakeClient, sseStream } from './fixtures.js';
import { docvAction } from '../helpers.js';

function collect(el: HTMLElement) {
  const steps: SessionView[] = [];
  const complete: string[] = [];
  const errors: string[] = [];
  el.addEventListener(VerifyStepEvent.eventName, (event) => steps.push(event.detail.view));
  el.addEventListener(VerifyCompleteEvent.eventName, (event) => complete.push(event.detail.decision));
  el.addEventListener(VerifyErrorEvent.eventName, (event) => errors.push(event.detail.code));
  return { steps, complete, errors };
}

/** Like the fixture, but listening before the element connects (a first poll can answer at once). */
async function mount(client: FakeClient, action: DocvActionView | null = docvAction()) {
  const el = document.createElement('docv-status');
  el.lang = 'en';
  const seen = collect(el);
  el.client = client;
  if (action) el.action = action;
  const container = await fixture<HTMLDivElement>(html`<div></div>`);
  container.append(el);
  await el.updateComplete;
  return { el, seen };
}

describe('<docv-status> live progress', () => {
  afterEach(() => sinon.restore());

  it('follows progress from the event stream, announcing each step, and completes on the decision', async () => {
    const client = fakeClient({ events: true });
    const stream = sseStream();
    client.events!.resolves(stream.response);
    const { el } = await docvFixture({ client, action: docvAction() });
    const seen = collect(el);
    await waitUntil(() => client.events!.called, 'events() was not called');
    stream.push(challengeView(docvAction({ progress: 'BEGUN' }), 3));
    await waitUntil(() => currentStepOf(el) === 'BEGUN', 'BEGUN not shown');
    expect(statusOf(el).textContent!.trim()).to.equal("You've opened the link. Follow the steps on your phone.");
    stream.push(challengeView(docvAction({ progress: 'PROCESSING' }), 4));
    await waitUntil(() => currentStepOf(el) === 'PROCESSING', 'PROCESSING not shown');
    expect(statusOf(el).textContent!.trim()).to.equal('Checking your ID. This can take a minute.');
    stream.push(challengeView(docvAction({ progress: 'VERIFIED' }), 5));
    await waitUntil(() => textOf(el).includes("We've checked your ID."), 'VERIFIED not shown');
    stream.push(decidedView('ALLOW', 6));
    await waitUntil(() => seen.complete.length === 1, 'no verify-complete');
    expect(seen.complete).to.deep.equal(['ALLOW']);
    expect(seen.steps.map((view) => view.revision)).to.deep.equal([3, 4, 5, 6]);
    // The watch ended with the decision.
    await waitUntil(() => el.connection === 'stopped', 'still watching');
    await expect(el).to.be.accessible();
  });

  it('reports a view of another method as a step and stops following', async () => {
    const client = fakeClient({ events: true });
    const stream = sseStream();
    client.events!.resolves(stream.response);
    const { el } = await docvFixture({ client, action: docvAction() });
    const seen = collect(el);
    await waitUntil(() => client.events!.called);
    const next: SessionView = {
      state: 'challenge',
      step: { index: 2, total: 2 },
      revision: 7,
      action: { method: 'KBA', questions: [], timeLimitSeconds: null, remainingAttempts: null },
    };
    stream.push(next);
    await waitUntil(() => seen.steps.length === 1, 'no verify-step');
    expect(seen.steps[0]).to.deep.equal(next);
    expect(seen.complete).to.deep.equal([]);
    await waitUntil(() => el.connection === 'stopped', 'still watching');
    expect(el.action!.method).to.equal('DOCV');
  });

  it('polls the view when there is no stream', async () => {
    const client = fakeClient({ events: true });
    client.events!.rejects(new TypeError('Failed to fetch'));
    client.view.resolves(challengeView(docvAction({ progress: 'CAPTURED' }), 3));
    const { el, seen } = await mount(client);
    await waitUntil(() => currentStepOf(el) === 'CAPTURED', 'polled view not shown', { timeout: 4000 });
    expect(client.view.called).to.equal(true);
    expect(seen.steps.map((view) => view.revision)).to.deep.equal([3]);
    expect(statusOf(el).textContent!.trim()).to.equal('We have the photos of your ID.');
  });

  it('polls a client that has no events() at all', async () => {
    const client = fakeClient();
    client.view.resolves(challengeView(docvAction({ progress: 'FAILED' }), 3));
    const { el } = await docvFixture({ client, action: docvAction() });
    await waitUntil(() => partOf(el, 'error')!.textContent === "We couldn't verify your ID.", 'FAILED not shown', { timeout: 4000 });
  });

  it('says when it is offline, and reads the view again when back online', async () => {
    const client = fakeClient({ events: true });
    const { el } = await docvFixture({ client, action: docvAction() });
    await waitUntil(() => client.events!.calledOnce, 'events() was not called');
    expect(textOf(el)).not.to.contain("You're offline");
    window.dispatchEvent(new Event('offline'));
    await waitUntil(() => el.connection === 'offline', 'not offline');
    await settle(el);
    expect(textOf(el)).to.contain("You're offline. This will update when you're back online.");
    await expect(el).to.be.accessible();
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => client.events!.calledTwice, 'no new watch when back online');
    await settle(el);
    expect(textOf(el)).not.to.contain("You're offline");
  });

  it('ends with verify-error when the watch finds the session expired', async () => {
    const client = fakeClient({ events: true });
    client.events!.rejects(new TypeError('Failed to fetch'));
    client.view.rejects(relayError('session_expired', 401));
    const { el, seen } = await mount(client);
    await waitUntil(() => seen.errors.length === 1, 'no verify-error', { timeout: 4000 });
    await settle(el);
    expect(seen.errors).to.deep.equal(['session_expired']);
    expect(partOf(el, 'error')!.textContent).to.equal('Your verification session has expired. Please start again.');
    expect(el.connection).to.equal('stopped');
  });

  it('loads the view itself with relay/session attributes (standalone)', async () => {
    const fetchStub = sinon.stub(window, 'fetch');
    fetchStub.callsFake(async (input) => {
      const url = String(input);
      if (url.endsWith('/session/events')) return new Response('', { status: 503 });
      return new Response(JSON.stringify(challengeView(docvAction({ progress: 'BEGUN' }), 4)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    const el = await fixture<DocvStatus>(html`<docv-status lang="en" relay="/verify" session="s-1"></docv-status>`);
    await waitUntil(() => currentStepOf(el) === 'BEGUN', 'view not loaded');
    const [url, init] = fetchStub.firstCall.args;
    expect(String(url)).to.equal('/verify/session');
    expect(new Headers(init!.headers).get('authorization')).to.equal('Bearer s-1');
    await expect(el).to.be.accessible();
  });

  it('ends with verify-error when loading finds the session expired', async () => {
    const client = fakeClient();
    client.view.rejects(relayError('session_expired', 401));
    const { el, seen } = await mount(client, null);
    await waitUntil(() => seen.errors.length === 1, 'no verify-error');
    await settle(el);
    expect(seen.errors).to.deep.equal(['session_expired']);
    expect(partOf(el, 'error')!.textContent).to.equal('Your verification session has expired. Please start again.');
    expect(el.errorCode).to.equal('session_expired');
    expect(client.view.callCount).to.equal(1);
  });

  it('offers a reload after a failed load, and loads again', async () => {
    const client = fakeClient();
    client.view.onFirstCall().rejects(relayError('network_error', 0));
    client.view.onSecondCall().resolves(challengeView(docvAction({ progress: 'SENT' }), 2));
    const el = await fixture<DocvStatus>(html`<docv-status lang="en" .client=${client}></docv-status>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="button"]') !== null, 'no reload button');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    await waitUntil(() => currentStepOf(el) === 'SENT', 'not loaded again');
  });

  it('stops following when removed from the page', async () => {
    const client = fakeClient({ events: true });
    const stream = sseStream();
    client.events!.resolves(stream.response);
    const { el } = await docvFixture({ client, action: docvAction() });
    await waitUntil(() => client.events!.called);
    const signal = client.events!.firstCall.args[0].signal;
    el.remove();
    expect(signal.aborted).to.equal(true);
  });
});
