/**
 * The suite every step element (`<otp-entry>`, `<kba-quiz>`, `<oth-waiting>`, `<docv-status>`)
 * runs, in the manner of Lion's shared suites: what a page may count on from any step, whatever
 * its method. Each element's `*-step-suite.test.ts` calls `runStepElementSuite` with how to mount
 * it and how a shopper makes it call the relay.
 */
import { expect } from '@open-wc/testing';
import type { LitElement } from 'lit';
import sinon from 'sinon';
import type { ActionView, SessionView } from '../../../src/contract/browser.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { en } from '../../../src/elements/shared/locales/en.js';
import { challengeViewOf, decidedView, errorOf, partOf, pendingStub, relayError, settle, textOf } from '../helpers.js';

/** Every call a step may make; each stays pending unless a test says otherwise. */
export interface SuiteClient {
  relay: string;
  view: sinon.SinonStub<[AbortSignal?], Promise<SessionView>>;
  answer: sinon.SinonStub<[unknown, AbortSignal?], Promise<SessionView>>;
  resend: sinon.SinonStub<[AbortSignal?, string?], Promise<SessionView>>;
  /** Refused, so that an element that follows the session live polls `view` instead. */
  events: sinon.SinonStub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>;
}

export interface StepElementSuite<E extends LitElement> {
  /** The element's tag, for the suite's name. */
  tag: string;
  /** An action of the element's method in which `act` can run. */
  action(): ActionView;
  /** The action as a challenge first shows it, when it differs from `action` (nothing to alert yet). */
  opening?(): ActionView;
  /** Mounts the element in English with `client` and, unless left out, `action`. */
  mount(client: SuiteClient, action?: ActionView): Promise<E>;
  /** What a shopper does to make the element call the relay with the open action (answer, resend, retry). */
  act(el: E): Promise<void>;
  /** The client call `act` makes. */
  actCall: 'answer' | 'resend';
}

function suiteClient(): SuiteClient {
  return {
    relay: `/verify-suite-${Math.random().toString(36).slice(2)}`,
    view: pendingStub(),
    answer: pendingStub(),
    resend: pendingStub(),
    events: sinon.stub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>().rejects(new TypeError('no stream here')),
  };
}

const removeListeners: (() => void)[] = [];

/** The verify-* events an element named `tag` dispatched, as `type:detail`, heard on the document (so they bubble and are composed). */
function recordEvents(tag: string): string[] {
  const heard: string[] = [];
  const listener = (event: Event) => {
    if ((event.composedPath()[0] as Element).localName !== tag) return;
    if (event instanceof VerifyCompleteEvent) heard.push(`${event.type}:${event.detail.decision}`);
    else if (event instanceof VerifyErrorEvent) heard.push(`${event.type}:${event.detail.code}`);
    else if (event instanceof VerifyStepEvent) heard.push(`${event.type}:${event.detail.view.revision}`);
  };
  for (const name of [VerifyStepEvent.eventName, VerifyCompleteEvent.eventName, VerifyErrorEvent.eventName]) {
    document.addEventListener(name, listener);
    removeListeners.push(() => document.removeEventListener(name, listener));
  }
  return heard;
}

/** Waits until the stub has been called `count` times (the live elements poll on a timer). */
async function calls(el: LitElement, stub: sinon.SinonStub, count = 1): Promise<void> {
  for (let i = 0; i < 50 && stub.callCount < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    await el.updateComplete;
  }
  expect(stub.callCount, 'calls to the relay').to.be.at.least(count);
}

export function runStepElementSuite<E extends LitElement>(suite: StepElementSuite<E>): void {
  describe(`<${suite.tag}> as a step element`, () => {
    afterEach(() => {
      sinon.restore();
      for (const remove of removeListeners.splice(0)) remove();
    });

    describe('accessible in every state', () => {
      it('while loading: says so, and is accessible', async () => {
        const el = await suite.mount(suiteClient());
        await settle(el);
        expect(textOf(el)).to.contain('Loading');
        await expect(el).to.be.accessible();
      });

      it('with its challenge, and no alert', async () => {
        const el = await suite.mount(suiteClient(), (suite.opening ?? suite.action)());
        expect(errorOf(el).textContent!.trim()).to.equal('');
        await expect(el).to.be.accessible();
      });

      it('after a read the relay refused: an alert and Try again, which reads again', async () => {
        const client = suiteClient();
        client.view.rejects(relayError('invalid_request', 400));
        const el = await suite.mount(client);
        await calls(el, client.view);
        await settle(el);
        expect(errorOf(el).textContent!.trim()).to.not.equal('');
        const retry = partOf<HTMLButtonElement>(el, 'button');
        expect(retry?.textContent!.trim()).to.equal('Try again');
        await expect(el).to.be.accessible();
        retry!.click();
        await calls(el, client.view, 2);
      });

      it('finished: a decided view gives verify-step then verify-complete, and stays accessible', async () => {
        const client = suiteClient();
        client.view.resolves(decidedView('ALLOW', 7));
        const events = recordEvents(suite.tag);
        const el = await suite.mount(client);
        await calls(el, client.view);
        await settle(el);
        expect(events).to.deep.equal(['verify-step:7', 'verify-complete:ALLOW']);
        await expect(el).to.be.accessible();
      });
    });

    describe('the verify-* event contract', () => {
      it('reports each view the relay returns with verify-step, bubbling and composed, detail.view being that view', async () => {
        const client = suiteClient();
        const view = challengeViewOf(suite.action(), 5);
        client[suite.actCall].resolves(view);
        const el = await suite.mount(client, suite.action());
        let reported: VerifyStepEvent | undefined;
        document.addEventListener(VerifyStepEvent.eventName, (event) => (reported ??= event), { once: true });
        await suite.act(el);
        await settle(el);
        expect(client[suite.actCall].callCount).to.equal(1);
        expect(reported?.detail.view).to.equal(view);
        expect(reported?.bubbles).to.equal(true);
        expect(reported?.composed).to.equal(true);
      });

      it('session_expired: verify-error with the code and the message it shows, and nothing more is sent', async () => {
        const client = suiteClient();
        client[suite.actCall].rejects(relayError('session_expired', 401));
        const el = await suite.mount(client, suite.action());
        let error: VerifyErrorEvent | undefined;
        el.addEventListener(VerifyErrorEvent.eventName, (event) => (error = event));
        await suite.act(el);
        await settle(el);
        expect(error?.detail.code).to.equal('session_expired');
        expect(error?.detail.message).to.not.equal('');
        expect(errorOf(el).textContent).to.contain(error!.detail.message);
        await expect(el).to.be.accessible();
        await suite.act(el).catch(() => {});
        await settle(el);
        expect(client[suite.actCall].callCount, 'calls after the session ended').to.equal(1);
      });
    });

    it('aborts the relay call in flight when it leaves the page', async () => {
      const client = suiteClient();
      const el = await suite.mount(client);
      await calls(el, client.view);
      const signal = client.view.lastCall.args[0]!;
      expect(signal.aborted).to.equal(false);
      el.remove();
      expect(signal.aborted).to.equal(true);
    });

    it('ignores a view older than the one it shows', async () => {
      const client = suiteClient();
      client[suite.actCall].onFirstCall().resolves(challengeViewOf(suite.action(), 5));
      client[suite.actCall].onSecondCall().resolves(decidedView('BLOCK', 3));
      const events = recordEvents(suite.tag);
      const el = await suite.mount(client, suite.action());
      await suite.act(el);
      await settle(el);
      await suite.act(el);
      await settle(el);
      expect(client[suite.actCall].callCount).to.equal(2);
      // The late decision is neither reported nor shown: the step is still open.
      expect(events).to.deep.equal(['verify-step:5']);
      expect(textOf(el)).to.not.contain(en.flowDecisionTitle.BLOCK);
    });
  });
}
