import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import { RelayClient, RelayError } from '../../../src/client/index.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyRestartEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { embeddableJson } from '../../../src/elements/verification-flow/embedded-view.js';
import { challengeViewOf, decidedView, otpAction } from '../helpers.js';

const otpView = (overrides: Partial<Extract<SessionView, { state: 'challenge' }>> = {}): SessionView => ({
  ...challengeViewOf(otpAction({ remainingAttempts: 10, remainingResends: 3, resendAvailableInSeconds: 30, codeExpiresInSeconds: 600 }), 1),
  ...overrides,
});

const decided = (decision: 'ALLOW' | 'BLOCK' | 'REVIEW', revision = 2): SessionView => decidedView(decision, revision);

/** A client whose `view()` answers what each test scripts; answers and resends are not expected here. */
function fakeClient(...views: Array<SessionView | RelayError | Promise<SessionView>>) {
  const view = sinon.stub();
  views.forEach((answer, index) => {
    if (answer instanceof RelayError) view.onCall(index).rejects(answer);
    else view.onCall(index).returns(Promise.resolve(answer));
  });
  return { client: { view, answer: sinon.stub(), resend: sinon.stub() } as unknown as RelayClient, view };
}

async function mount(client: RelayClient, attributes: { lang?: string } = {}): Promise<VerificationFlow> {
  const element = await fixture<VerificationFlow>(html`<verification-flow lang=${attributes.lang ?? 'en'} .client=${client}></verification-flow>`);
  await element.updateComplete;
  return element;
}

const shadow = (element: VerificationFlow) => element.shadowRoot!;

describe('<verification-flow>', () => {
  afterEach(() => sinon.restore());

  it('shows a busy loading message while the first view loads, and is accessible', async () => {
    let resolve!: (view: SessionView) => void;
    const { client } = fakeClient(new Promise<SessionView>((done) => (resolve = done)));
    const element = await mount(client);
    const loading = shadow(element).querySelector('[part="loading"]');
    expect(loading?.textContent).to.contain('Loading your verification');
    // Said politely, and drawn as a skeleton of the step so nothing jumps when it arrives.
    expect(loading?.querySelector('[role="status"]')?.textContent).to.equal('Loading your verification…');
    const skeleton = loading!.querySelector<HTMLElement>('[part="skeleton"]')!;
    expect(skeleton.getBoundingClientRect().height).to.be.greaterThan(100);
    await expect(element).to.be.accessible();
    resolve(otpView());
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
  });

  it('renders <otp-entry> with the action and the client for an OTP challenge', async () => {
    const { client } = fakeClient(otpView());
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
    const entry = shadow(element).querySelector('otp-entry')!;
    expect(entry.action).to.deep.equal((otpView() as Extract<SessionView, { state: 'challenge' }>).action);
    expect(entry.client).to.equal(client);
    expect(shadow(element).querySelector('[part="step"]')).to.equal(null);
    await expect(element).to.be.accessible();
  });

  it('shows the step when the strategy has several actions', async () => {
    const { client } = fakeClient(otpView({ step: { index: 1, total: 2 } }));
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('[part="step"]'));
    expect(shadow(element).querySelector('[part="step"]')!.textContent).to.equal('Step 1 of 2');
  });

  it('moves to the decision when a step reports it, emitting one verify-complete from itself', async () => {
    const { client } = fakeClient(otpView());
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
    const completions: VerifyCompleteEvent[] = [];
    const listener = (event: VerifyCompleteEvent) => completions.push(event);
    document.addEventListener('verify-complete', listener);
    try {
      const entry = shadow(element).querySelector('otp-entry')!;
      entry.dispatchEvent(new VerifyStepEvent({ view: decided('ALLOW') }));
      entry.dispatchEvent(new VerifyCompleteEvent({ decision: 'ALLOW' }));
      await element.updateComplete;
      expect(completions).to.have.length(1);
      expect(completions[0]!.target).to.equal(element);
      expect(completions[0]!.detail.decision).to.equal('ALLOW');
    } finally {
      document.removeEventListener('verify-complete', listener);
    }
    expect(element.getAttribute('decision')).to.equal('ALLOW');
    const heading = shadow(element).querySelector('[part="decision"] h2')!;
    expect(heading.textContent).to.equal("You're verified");
    expect(shadow(element).activeElement).to.equal(heading);
    await waitUntil(() => shadow(element).querySelector('[role="status"]')!.textContent!.includes("You're verified"));
    await expect(element).to.be.accessible();
  });

  it("gives a listener the page put on the element before connecting it one verify-complete, not the step's too", async () => {
    const { client } = fakeClient(otpView());
    const element = document.createElement('verification-flow');
    element.client = client;
    const heard: Array<{ decision: string; fromFlow: boolean }> = [];
    element.addEventListener('verify-complete', (event) => heard.push({ decision: event.detail.decision, fromFlow: event.composedPath()[0] === element }));
    document.body.append(element);
    try {
      await waitUntil(() => element.shadowRoot?.querySelector('otp-entry'));
      const entry = element.shadowRoot!.querySelector('otp-entry')!;
      entry.dispatchEvent(new VerifyStepEvent({ view: decided('ALLOW') }));
      entry.dispatchEvent(new VerifyCompleteEvent({ decision: 'ALLOW' }));
      await element.updateComplete;
      expect(heard).to.deep.equal([{ decision: 'ALLOW', fromFlow: true }]);
    } finally {
      element.remove();
    }
  });

  it('reports a decision that was already reached when the page loads', async () => {
    const { client } = fakeClient(decided('BLOCK'));
    const element = document.createElement('verification-flow');
    element.client = client;
    const completed = oneEvent(element, 'verify-complete');
    document.body.append(element);
    try {
      expect((await completed).detail.decision).to.equal('BLOCK');
      await element.updateComplete;
      expect(shadow(element).querySelector('[part="decision"] h2')!.textContent).to.equal("We couldn't verify you");
      await expect(element).to.be.accessible();
    } finally {
      element.remove();
    }
  });

  it('ignores a view older than the one shown', async () => {
    const { client } = fakeClient(otpView({ revision: 5 }));
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
    shadow(element).querySelector('otp-entry')!.dispatchEvent(new VerifyStepEvent({ view: decided('ALLOW', 4) }));
    await element.updateComplete;
    expect(shadow(element).querySelector('otp-entry')).to.not.equal(null);
    expect(element.hasAttribute('decision')).to.equal(false);
  });

  it('explains a network failure and retries from the keyboard', async () => {
    const { client, view } = fakeClient(new RelayError('network_error', 'offline'), otpView());
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('[part="error"]'));
    const error = shadow(element).querySelector('[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain("We can't reach the verification service");
    await expect(element).to.be.accessible();

    const retry = shadow(element).querySelector<HTMLButtonElement>('[part="button"]')!;
    expect(retry.textContent!.trim()).to.equal('Try again');
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
    expect(view.callCount).to.equal(2);
    // The button is gone: the keyboard goes to the new step's field, not to <body> (WCAG 2.4.3).
    const otp = shadow(element).querySelector('otp-entry')!;
    await waitUntil(() => otp.shadowRoot?.activeElement?.getAttribute('part') === 'input', 'focus on the code field');
  });

  it('after a second failure, keeps the keyboard on Try again', async () => {
    const { client } = fakeClient(new RelayError('network_error', 'offline'), new RelayError('timeout', 'slow'));
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('[part="button"]'));
    shadow(element).querySelector<HTMLButtonElement>('[part="button"]')!.click();
    await waitUntil(() => shadow(element).querySelector('[part="error"]')?.textContent?.includes('taking too long'));
    await waitUntil(() => shadow(element).activeElement?.getAttribute('part') === 'button', 'focus on Try again');
  });

  it('offers Start again, not Try again, for an expired session; reports it with verify-error and verify-restart', async () => {
    const { client, view } = fakeClient(new RelayError('session_expired', 'expired', { status: 401 }));
    const element = document.createElement('verification-flow');
    element.client = client;
    const failed = oneEvent(element, 'verify-error');
    document.body.append(element);
    try {
      const event = await failed;
      expect(event.detail.code).to.equal('session_expired');
      expect(event.detail.message).to.equal('Your verification session has expired. Please start again.');
      await element.updateComplete;
      const button = shadow(element).querySelector<HTMLButtonElement>('[part~="restart"]')!;
      expect(button.textContent!.trim()).to.equal('Start again');
      expect(shadow(element).querySelector('[part="error"]')!.textContent).to.contain('expired');
      await expect(element).to.be.accessible();
      const restart = oneEvent(element, VerifyRestartEvent.eventName);
      // The page handles it (here: the test), so the flow does not reload the page.
      element.addEventListener(VerifyRestartEvent.eventName, (restartEvent) => restartEvent.preventDefault());
      button.focus();
      await sendKeys({ press: 'Enter' });
      const restarted = await restart;
      expect(restarted).to.be.instanceOf(VerifyRestartEvent);
      expect(restarted.detail).to.deep.equal({ reason: 'session_expired' });
      expect(restarted.bubbles && restarted.composed && restarted.cancelable).to.equal(true);
      expect(view.callCount, 'nothing more is asked of the relay').to.equal(1);
    } finally {
      element.remove();
    }
  });

  it('replaces a step that lost its session with Start again, focused', async () => {
    const { client } = fakeClient(otpView());
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('otp-entry'));
    const otp = shadow(element).querySelector('otp-entry')!;
    const forwarded = oneEvent(element, VerifyErrorEvent.eventName);
    otp.dispatchEvent(new VerifyErrorEvent({ code: 'session_missing', message: 'Your verification session was not found. Please start again.' }));
    expect((await forwarded).detail.code).to.equal('session_missing');
    await element.updateComplete;
    expect(shadow(element).querySelector('otp-entry')).to.equal(null);
    await waitUntil(() => shadow(element).activeElement?.textContent?.trim() === 'Start again', 'focus on Start again');
  });

  it('says when Kount asks for a step it cannot render, showing the name as text only', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const { client } = fakeClient({ state: 'challenge', step: { index: 1, total: 1 }, revision: 1, action: { method: 'UNSUPPORTED', name: hostile } });
    const element = document.createElement('verification-flow');
    element.client = client;
    const failed = oneEvent(element, 'verify-error');
    document.body.append(element);
    try {
      expect((await failed).detail.code).to.equal('unsupported_action');
      await element.updateComplete;
      const error = shadow(element).querySelector('[part="error"]')!;
      expect(error.textContent).to.contain(hostile);
      expect(shadow(element).querySelector('img')).to.equal(null);
      await aTimeout(0);
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    } finally {
      element.remove();
    }
  });

  it('says plainly when Kount has the step in a status it added later, and Try again reads the view again until Kount moves on', async () => {
    const unavailable: SessionView = { state: 'challenge', step: { index: 1, total: 1 }, revision: 3, action: { method: 'UNAVAILABLE' } };
    const { client, view } = fakeClient(unavailable, decided('REVIEW', 4));
    const element = await mount(client);
    await waitUntil(() => shadow(element).querySelector('[part="error"]'));
    const error = shadow(element).querySelector('[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain("We couldn't finish this check here. Try again in a few minutes.");
    expect(error.textContent).to.not.contain('Something went wrong');
    expect(shadow(element).querySelector('otp-entry, kba-quiz, oth-waiting, docv-status')).to.equal(null);
    await expect(element).to.be.accessible();
    const retry = error.querySelector<HTMLButtonElement>('[part="button"]')!;
    expect(retry.textContent!.trim()).to.equal('Try again');
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(element).querySelector('[part="decision"]'), 'the view read again shows Kount’s decision');
    expect(view.callCount).to.equal(2);
    expect(element.decision).to.equal('REVIEW');
  });

  it('says the same in the page’s language', async () => {
    const { client } = fakeClient({ state: 'challenge', step: { index: 1, total: 1 }, revision: 3, action: { method: 'UNAVAILABLE' } });
    const element = await mount(client, { lang: 'de' });
    await waitUntil(() => shadow(element).querySelector('[part="error"] p')?.textContent?.includes('Prüfung'), 'the German copy');
    expect(shadow(element).querySelector('[part="error"] [part="button"]')).to.not.equal(null);
  });

  it('speaks Arabic right to left', async () => {
    const { client } = fakeClient(decided('ALLOW'));
    const element = await mount(client, { lang: 'ar' });
    await waitUntil(() => shadow(element).querySelector('[part="decision"]'));
    expect(element.getAttribute('dir')).to.equal('rtl');
    const heading = shadow(element).querySelector('[part="decision"] h2')!.textContent!;
    expect(heading).to.not.equal("You're verified");
    expect(heading).to.match(/[\u0600-\u06FF]/);
    await expect(element).to.be.accessible();
  });

  it('builds its own client from the relay attribute and reads the session view', async () => {
    const fetchStub = sinon.stub(window, 'fetch').resolves(new Response(JSON.stringify(decided('REVIEW')), { status: 200, headers: { 'content-type': 'application/json' } }));
    const element = await fixture<VerificationFlow>(html`<verification-flow relay="/verify/"></verification-flow>`);
    await waitUntil(() => shadow(element).querySelector('[part="decision"]'));
    const [url, init] = fetchStub.firstCall.args as [string, RequestInit];
    expect(url).to.equal('/verify/session');
    expect(init.method).to.equal('GET');
    expect(init.credentials).to.equal('same-origin');
    expect(shadow(element).querySelector('[part="decision"] h2')!.textContent).to.equal("Thanks, we're reviewing it");
  });

  it('sends the session handle as a bearer header to a relay on another origin', async () => {
    const fetchStub = sinon.stub(window, 'fetch').resolves(new Response(JSON.stringify(otpView()), { status: 200 }));
    const element = await fixture<VerificationFlow>(html`<verification-flow relay="https://relay.example" session="handle.sig"></verification-flow>`);
    await waitUntil(() => fetchStub.called);
    const [url, init] = fetchStub.firstCall.args as [string, RequestInit];
    expect(url).to.equal('https://relay.example/session');
    expect((init.headers as Record<string, string>).authorization).to.equal('Bearer handle.sig');
    expect(init.credentials).to.equal('omit');
    await element.updateComplete;
  });

  it('says that no relay is configured instead of staying blank', async () => {
    const element = await fixture<VerificationFlow>(html`<verification-flow></verification-flow>`);
    expect(shadow(element).querySelector('[part="error"]')!.textContent).to.contain('unexpected answer');
    expect(shadow(element).querySelector('[part="button"]')).to.equal(null);
  });

  describe('the first view, put into the page with the element', () => {
    /** Connects a flow built from `markup` (as a server wrote it), with `client`. */
    async function fromMarkup(markup: string, client: RelayClient): Promise<VerificationFlow> {
      const container = document.createElement('div');
      container.innerHTML = markup;
      const element = container.querySelector<VerificationFlow>('verification-flow')!;
      element.client = client;
      document.body.append(container);
      await element.updateComplete;
      return element;
    }

    afterEach(() => document.querySelectorAll('body > div > verification-flow').forEach((element) => element.parentElement!.remove()));

    it('shows the step from its <script type="application/json"> child, without reading the relay', async () => {
      const { client, view } = fakeClient();
      const element = await fromMarkup(`<verification-flow lang="en"><script type="application/json">${embeddableJson(otpView())}</script></verification-flow>`, client);
      // Rendered by the first update, before any task ran.
      expect(shadow(element).querySelector('[part="loading"]')).to.equal(null);
      await waitUntil(() => shadow(element).querySelector('otp-entry'));
      expect(shadow(element).querySelector('otp-entry')!.action).to.deep.equal((otpView() as Extract<SessionView, { state: 'challenge' }>).action);
      await aTimeout(20);
      expect(view.called).to.equal(false);
    });

    it('takes it from the initialView property as well', async () => {
      const { client, view } = fakeClient();
      const element = document.createElement('verification-flow');
      element.client = client;
      element.initialView = otpView();
      document.body.append(element);
      try {
        await waitUntil(() => element.shadowRoot?.querySelector('otp-entry'));
        expect(view.called).to.equal(false);
      } finally {
        element.remove();
      }
    });

    it('reads the relay instead when the embedded view is not one', async () => {
      for (const text of ['{not json', JSON.stringify({ state: 'challenge', revision: 1 }), JSON.stringify({ state: 'decided', decision: 'MAYBE', revision: 1 })]) {
        const { client, view } = fakeClient(otpView());
        const script = document.createElement('script');
        script.type = 'application/json';
        script.textContent = text;
        const element = document.createElement('verification-flow');
        element.append(script);
        element.client = client;
        document.body.append(element);
        try {
          await waitUntil(() => element.shadowRoot?.querySelector('otp-entry'));
          expect(view.calledOnce, text).to.equal(true);
        } finally {
          element.remove();
        }
      }
    });

    it('is data, never markup: an escaped "</script>" in it stays text and runs nothing', async () => {
      const hostile = '</script><img src=x onerror="window.__embeddedViewRan=1">';
      const view = otpView({ action: otpAction({ destination: hostile }) });
      const json = embeddableJson(view);
      expect(json).to.not.contain('<');
      expect(JSON.parse(json)).to.deep.equal(view);
      const { client } = fakeClient();
      const element = await fromMarkup(`<verification-flow lang="en"><script type="application/json">${json}</script></verification-flow>`, client);
      await waitUntil(() => shadow(element).querySelector('otp-entry'));
      const entry = shadow(element).querySelector('otp-entry')!;
      await entry.updateComplete;
      // Shown as the text it is (within bidi isolates, as every contact is).
      expect(entry.shadowRoot!.textContent).to.contain('</script>').and.to.contain('onerror="window.__embeddedViewRan=1"');
      expect(document.querySelector('img[src="x"]')).to.equal(null);
      expect(entry.shadowRoot!.querySelector('img')).to.equal(null);
      expect((window as { __embeddedViewRan?: number }).__embeddedViewRan).to.equal(undefined);
    });
  });
});
