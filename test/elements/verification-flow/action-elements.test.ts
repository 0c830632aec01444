import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import type { RelayClient } from '../../../src/client/relay-client.js';
import { actionElements, loadElement } from '../../../src/elements/verification-flow/action-elements.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';

const kbaView: SessionView = {
  state: 'challenge',
  step: { index: 2, total: 2 },
  revision: 3,
  action: {
    method: 'KBA',
    questions: [{ id: '1', text: 'Which street have you lived on?', selection: 'single', choices: [{ id: '1', text: 'Elm' }] }],
    timeLimitSeconds: null,
    remainingAttempts: 2,
  },
};

const docvView: SessionView = {
  state: 'challenge',
  step: { index: 1, total: 1 },
  revision: 1,
  action: { method: 'DOCV', delivery: 'SMS', destination: '+1 *** *** 4567', captureUrl: null, progress: 'SENT', retryAllowed: false, remainingRetries: null, resendAllowed: false, sendAvailableInSeconds: 0 },
};

const clientFor = (view: SessionView) => ({ view: sinon.stub().resolves(view), answer: sinon.stub(), resend: sinon.stub() }) as unknown as RelayClient;
const shadow = (element: VerificationFlow) => element.shadowRoot!;

describe('<verification-flow> loading step elements', () => {
  type Loader = { load: () => Promise<unknown> };
  const realLoads = { DOCV: actionElements.DOCV.load, OTH: actionElements.OTH.load };
  afterEach(() => {
    (actionElements.DOCV as Loader).load = realLoads.DOCV;
    (actionElements.OTH as Loader).load = realLoads.OTH;
    sinon.restore();
  });

  it('loads the element of a step only when a strategy reaches it', async () => {
    expect(customElements.get('kba-quiz'), 'not loaded up front').to.equal(undefined);
    const element = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${clientFor(kbaView)}></verification-flow>`);
    await waitUntil(() => shadow(element).querySelector('kba-quiz'), 'kba-quiz rendered');
    expect(customElements.get('kba-quiz')).to.not.equal(undefined);
    expect(shadow(element).querySelector('[part="step"]')!.textContent).to.equal('Step 2 of 2');
  });

  it("says so when a step's file cannot be fetched, and Try again fetches it", async () => {
    expect(customElements.get('docv-status'), 'no other test loads it').to.equal(undefined);
    const load = sinon.stub();
    load.onFirstCall().rejects(new TypeError('Failed to fetch dynamically imported module'));
    load.onSecondCall().callsFake(realLoads.DOCV);
    (actionElements.DOCV as Loader).load = load;
    const element = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${clientFor(docvView)}></verification-flow>`);
    await waitUntil(() => shadow(element).querySelector('[part="error"]'), 'error shown');
    const error = shadow(element).querySelector('[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain("We can't reach the verification service");
    expect(shadow(element).querySelector('docv-status')).to.equal(null);
    await expect(element).to.be.accessible();
    (shadow(element).querySelector('[part="button"]') as HTMLButtonElement).click();
    await waitUntil(() => shadow(element).querySelector('docv-status'), 'docv-status rendered after Try again');
    expect(customElements.get('docv-status')).to.not.equal(undefined);
    expect(load.callCount).to.equal(2);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    const load = sinon.stub().rejects(new TypeError('Failed to fetch'));
    (actionElements.OTH as Loader).load = load;
    await loadElement('oth-waiting').then(
      () => expect.fail('should reject'),
      (error: unknown) => expect(error).to.be.instanceOf(TypeError),
    );
    await loadElement('oth-waiting').catch(() => undefined);
    expect(load.callCount).to.equal(2);
  });

  it('refuses a tag that is not one of the suite', async () => {
    await loadElement('no-such-element').then(
      () => expect.fail('should reject'),
      (error: unknown) => expect(String(error)).to.contain('<no-such-element>'),
    );
  });
});
