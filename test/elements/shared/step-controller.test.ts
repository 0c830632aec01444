import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import sinon from 'sinon';
import { RelayClient } from '../../../src/client/relay-client.js';
import type { OtpActionView, SessionView } from '../../../src/contract/browser.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { relayClientOf } from '../../../src/elements/shared/session-controller.js';
import type { RelayFailure } from '../../../src/client/relay-error.js';
import { StepController } from '../../../src/elements/shared/step-controller.js';
import { challengeViewOf, decidedView, otpAction as sampleOtpAction, relayError } from '../helpers.js';

const otpAction = (destination = '+1 *** *** 4567'): OtpActionView => sampleOtpAction({ destination });

type ProbeClient = Pick<RelayClient, 'view'>;

/** A host the size of a leaf: it shows OTP actions, and loads itself unless told it has one. */
class StepProbe extends LitElement {
  readonly shown: OtpActionView[] = [];
  readonly finishes: number[] = [];
  readonly decisions: string[] = [];
  loadFailures: RelayFailure[] = [];
  handlesLoadFailure = false;
  @property({ attribute: false }) action?: OtpActionView;
  readonly step = new StepController<ProbeClient, OtpActionView, 'answering'>(this, {
    method: 'OTP',
    hasAction: () => this.action !== undefined,
    show: (action) => {
      this.action = action;
      this.shown.push(action);
    },
    onFinish: () => this.finishes.push(1),
    onDecided: (decision) => this.decisions.push(decision),
    onLoadFailure: (failure) => {
      this.loadFailures.push(failure);
      return this.handlesLoadFailure;
    },
  });
  @property({ attribute: false }) client?: ProbeClient;
  @property() relay = '';
  @property() session = '';
}
customElements.define('step-probe', StepProbe);

/** A host whose views come another way: it never reads the view itself. */
class LiveStepProbe extends LitElement {
  readonly step = new StepController<ProbeClient, OtpActionView>(this, { method: 'OTP', show: () => {} });
  @property({ attribute: false }) client?: ProbeClient;
  @property() relay = '';
  @property() session = '';
}
customElements.define('live-step-probe', LiveStepProbe);

const fakeClient = (): ProbeClient => ({ view: () => new Promise(() => {}) });

/** A client whose reads wait until the test settles them, and which records each read's signal. */
function controlledClient() {
  const reads: { signal: AbortSignal; resolve(view: SessionView): void; reject(error: unknown): void }[] = [];
  const client: ProbeClient = {
    view: (signal) =>
      new Promise<SessionView>((resolve, reject) => {
        reads.push({ signal: signal!, resolve, reject });
        signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  };
  return { client, reads };
}

/** The bearer header a client sends with a view request (its session is private). */
async function authorizationSentBy(client: ProbeClient | RelayClient | undefined, fetch: sinon.SinonStub): Promise<string | null> {
  expect(client).to.be.instanceOf(RelayClient);
  fetch.resetHistory();
  await (client as RelayClient).view().catch(() => {});
  expect(fetch.callCount).to.equal(1);
  return new Headers((fetch.firstCall.args[1] as RequestInit | undefined)?.headers).get('authorization');
}

/** A probe with an action already (so it does not load) and the given client. */
async function probeWith(client: ProbeClient): Promise<StepProbe> {
  const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()} .client=${client}></step-probe>`);
  return el;
}

describe('StepController', () => {
  afterEach(() => sinon.restore());

  describe('client', () => {
    // Each probe has an action, so it does not read the view itself.
    it('is undefined without a client property or a relay', async () => {
      const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()}></step-probe>`);
      expect(el.step.client).to.equal(undefined);
      el.session = 'handle';
      expect(el.step.client).to.equal(undefined);
    });

    it('builds one RelayClient per relay and session, and a new one when either changes', async () => {
      const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()} relay="/verify"></step-probe>`);
      const first = el.step.client;
      expect(first).to.be.instanceOf(RelayClient);
      expect((first as RelayClient).relay).to.equal('/verify');
      expect(el.step.client).to.equal(first);

      el.relay = 'https://relay.example/verify';
      const second = el.step.client;
      expect(second).to.not.equal(first);
      expect((second as RelayClient).relay).to.equal('https://relay.example/verify');
      expect(el.step.client).to.equal(second);

      el.session = 'handle-1';
      const third = el.step.client;
      expect(third).to.not.equal(second);
      expect(el.step.client).to.equal(third);
    });

    it('hands the session to the client it builds, and none when the attribute is empty', async () => {
      // Before any client exists: a RelayClient takes `fetch` when it is built.
      const fetch = sinon.stub(globalThis, 'fetch').rejects(new TypeError('offline'));
      const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()} relay="https://relay.example/verify"></step-probe>`);
      expect(await authorizationSentBy(el.step.client, fetch)).to.equal(null);
      el.session = 'handle-2';
      expect(await authorizationSentBy(el.step.client, fetch)).to.equal('Bearer handle-2');
      el.session = '';
      expect(await authorizationSentBy(el.step.client, fetch)).to.equal(null);
    });

    it('is the client property when set, whatever relay and session say', async () => {
      const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()} relay="/verify" session="handle"></step-probe>`);
      const built = el.step.client;
      const given = fakeClient();
      el.client = given;
      expect(el.step.client).to.equal(given);
      el.relay = '/elsewhere';
      expect(el.step.client).to.equal(given);

      // Without it again, the attributes decide (and the relay changed, so a new client).
      el.client = undefined;
      const rebuilt = el.step.client;
      expect(rebuilt).to.be.instanceOf(RelayClient);
      expect(rebuilt).to.not.equal(built);
      expect((rebuilt as RelayClient).relay).to.equal('/elsewhere');
    });
  });

  describe('run', () => {
    it('is busy while the run is in flight and resolves its value', async () => {
      const { client, reads } = controlledClient();
      const el = await probeWith(client);
      const run = el.step.run('answering', (c, signal) => c.view(signal));
      expect(el.step.busy).to.equal('answering');
      reads[0]!.resolve(challengeViewOf(otpAction(), 3));
      const outcome = await run;
      expect(outcome?.value?.revision).to.equal(3);
      expect(el.step.busy).to.equal(null);
    });

    it('aborts the stale run when a new one starts; the stale one resolves undefined', async () => {
      const { client, reads } = controlledClient();
      const el = await probeWith(client);
      const stale = el.step.run('answering', (c, signal) => c.view(signal));
      const current = el.step.run(null, (c, signal) => c.view(signal));
      expect(reads[0]!.signal.aborted).to.equal(true);
      expect(reads[1]!.signal.aborted).to.equal(false);
      expect(await stale).to.equal(undefined);
      reads[1]!.resolve(challengeViewOf(otpAction(), 4));
      expect((await current)?.value?.revision).to.equal(4);
    });

    it('drops a stale result that arrives after all', async () => {
      const reads: ((view: SessionView) => void)[] = [];
      // A client that ignores the signal: its answer still comes.
      const deaf: ProbeClient = { view: () => new Promise((resolve) => reads.push(resolve)) };
      const el = await probeWith(deaf);
      const stale = el.step.run('answering', (c, signal) => c.view(signal));
      const current = el.step.run('answering', (c, signal) => c.view(signal));
      reads[0]!(challengeViewOf(otpAction('stale'), 5));
      expect(await stale).to.equal(undefined);
      expect(el.step.busy).to.equal('answering');
      reads[1]!(challengeViewOf(otpAction('current'), 6));
      expect((await current)?.value?.revision).to.equal(6);
      expect(el.step.busy).to.equal(null);
    });

    it('resolves the failure of a refused call, read as the relay failure', async () => {
      const el = await probeWith({ view: () => Promise.reject(relayError('too_many_attempts', 429, { retryAfterSeconds: 30 })) });
      const outcome = await el.step.run('answering', (c, signal) => c.view(signal));
      expect(outcome?.failure).to.deep.equal({ code: 'too_many_attempts', retryAfterSeconds: 30 });
      expect(el.step.busy).to.equal(null);
    });

    it('resolves undefined without a client', async () => {
      const el = await fixture<StepProbe>(html`<step-probe .action=${otpAction()}></step-probe>`);
      expect(await el.step.run('answering', (c, signal) => c.view(signal))).to.equal(undefined);
      expect(el.step.busy).to.equal(null);
    });

    it('aborts the run in flight on abort() and when the host leaves the page', async () => {
      const { client, reads } = controlledClient();
      const el = await probeWith(client);
      const first = el.step.run('answering', (c, signal) => c.view(signal));
      el.step.abort();
      expect(reads[0]!.signal.aborted).to.equal(true);
      expect(el.step.busy).to.equal(null);
      expect(await first).to.equal(undefined);

      const second = el.step.run('answering', (c, signal) => c.view(signal));
      const parent = el.parentNode!;
      el.remove();
      expect(reads[1]!.signal.aborted).to.equal(true);
      expect(await second).to.equal(undefined);

      // Back on the page, runs go on as before.
      parent.appendChild(el);
      const third = el.step.run('answering', (c, signal) => c.view(signal));
      reads[2]!.resolve(challengeViewOf(otpAction(), 7));
      expect((await third)?.value?.revision).to.equal(7);
    });
  });

  describe('apply', () => {
    it('reports the view, then shows an action of its method', async () => {
      const el = await probeWith(fakeClient());
      const view = challengeViewOf(otpAction('new'), 3);
      const reported = oneEvent(el, VerifyStepEvent.eventName);
      expect(el.step.apply(view)).to.equal(true);
      expect((await reported).detail.view).to.equal(view);
      expect(el.shown.map((action) => action.destination)).to.deep.equal(['new']);
      expect(el.step.finished).to.equal(false);
    });

    it('ignores a view older than the one shown, and takes one of the same revision', async () => {
      const el = await probeWith(fakeClient());
      el.step.apply(challengeViewOf(otpAction('third'), 3));
      const steps: VerifyStepEvent[] = [];
      el.addEventListener(VerifyStepEvent.eventName, (event) => steps.push(event));
      expect(el.step.apply(challengeViewOf(otpAction('second'), 2))).to.equal(false);
      expect(el.step.apply(challengeViewOf(otpAction('third again'), 3))).to.equal(true);
      expect(el.shown.map((action) => action.destination)).to.deep.equal(['third', 'third again']);
      expect(steps).to.have.length(1);
    });

    it('ends the step on a decision: finish, onDecided, then verify-complete with the decision', async () => {
      const el = await probeWith(fakeClient());
      const completed = oneEvent(el, VerifyCompleteEvent.eventName);
      el.step.apply(decidedView('BLOCK', 9));
      expect((await completed).detail.decision).to.equal('BLOCK');
      expect(el.step.finished).to.equal(true);
      expect(el.step.decision).to.equal('BLOCK');
      expect(el.decisions).to.deep.equal(['BLOCK']);
      expect(el.finishes).to.have.length(1);
      // Nothing after the end is shown or reported.
      expect(el.step.apply(challengeViewOf(otpAction('late'), 10))).to.equal(false);
      expect(el.shown).to.have.length(0);
    });

    it('ends the step, without showing it, when the strategy moved to another method', async () => {
      const el = await probeWith(fakeClient());
      el.step.apply(challengeViewOf({ method: 'KBA', questions: [], timeLimitSeconds: null, remainingAttempts: null }, 3));
      expect(el.step.finished).to.equal(true);
      expect(el.step.decision).to.equal(undefined);
      expect(el.shown).to.have.length(0);
      el.step.finish();
      expect(el.finishes).to.have.length(1);
    });
  });

  describe('endSession', () => {
    it('ends the step with verify-error for a code that ends the session, and only then', async () => {
      const el = await probeWith(fakeClient());
      const errors: VerifyErrorEvent[] = [];
      el.addEventListener(VerifyErrorEvent.eventName, (event) => errors.push(event));
      expect(el.step.endSession('network_error', 'offline')).to.equal(false);
      expect(el.step.finished).to.equal(false);
      expect(el.step.endSession('session_expired', 'Start again')).to.equal(true);
      expect(el.step.finished).to.equal(true);
      expect(errors.map((event) => event.detail)).to.deep.equal([{ code: 'session_expired', message: 'Start again' }]);
    });
  });

  describe('the standalone load', () => {
    it('reads the view once per client when the host has no action, and shows it', async () => {
      const { client, reads } = controlledClient();
      const el = await fixture<StepProbe>(html`<step-probe .client=${client}></step-probe>`);
      expect(reads).to.have.length(1);
      expect(el.step.busy).to.equal('loading');
      reads[0]!.resolve(challengeViewOf(otpAction('loaded'), 2));
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      expect(el.action?.destination).to.equal('loaded');
      expect(el.step.busy).to.equal(null);
      el.requestUpdate();
      await el.updateComplete;
      expect(reads).to.have.length(1);
    });

    it('does not load when the host has an action, or gets its views another way', async () => {
      const { client, reads } = controlledClient();
      await probeWith(client);
      await fixture<LiveStepProbe>(html`<live-step-probe .client=${client}></live-step-probe>`);
      expect(reads).to.have.length(0);
    });

    it('sets loadFailed for a failure the host leaves to it, and retryLoad reads again', async () => {
      let calls = 0;
      const client: ProbeClient = {
        view: () => (++calls === 1 ? Promise.reject(new TypeError('offline')) : Promise.resolve(challengeViewOf(otpAction('second try'), 2))),
      };
      const el = await fixture<StepProbe>(html`<step-probe .client=${client}></step-probe>`);
      await new Promise((resolve) => setTimeout(resolve));
      expect(el.loadFailures.map((failure) => failure.code)).to.deep.equal(['network_error']);
      expect(el.step.loadFailed).to.equal(true);

      el.step.errorCode = 'network_error';
      el.step.retryLoad();
      expect(el.step.loadFailed).to.equal(false);
      expect(el.step.errorCode).to.equal(null);
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve));
      expect(calls).to.equal(2);
      expect(el.action?.destination).to.equal('second try');
    });

    it('leaves loadFailed unset when the host handled the failure', async () => {
      const el = document.createElement('step-probe') as StepProbe;
      el.handlesLoadFailure = true;
      el.client = { view: () => Promise.reject(relayError('session_expired', 401)) };
      document.body.append(el);
      try {
        await el.updateComplete;
        await new Promise((resolve) => setTimeout(resolve));
        expect(el.loadFailures.map((failure) => failure.code)).to.deep.equal(['session_expired']);
        expect(el.step.loadFailed).to.equal(false);
      } finally {
        el.remove();
      }
    });

    it('loads again after the host comes back to the page', async () => {
      const { client, reads } = controlledClient();
      const el = await fixture<StepProbe>(html`<step-probe .client=${client}></step-probe>`);
      const parent = el.parentNode!;
      el.remove();
      expect(reads[0]!.signal.aborted).to.equal(true);
      parent.appendChild(el);
      await el.updateComplete;
      expect(reads).to.have.length(2);
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
