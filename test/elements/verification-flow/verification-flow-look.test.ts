/**
 * The flow's designed look (issue 24, item 8): a card of its own with a header of slots, and a
 * decision moment (an icon and one sentence, announced, drawn in unless motion is reduced).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import type { RelayClient } from '../../../src/client/index.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';
import { failureIcon, successIcon, waitingIcon } from '../../../src/elements/shared/icons.js';
import { decidedView } from '../helpers.js';

const clientWith = (view: SessionView) => ({ view: sinon.stub().resolves(view), answer: sinon.stub(), resend: sinon.stub() }) as unknown as RelayClient;

async function decided(decision: 'ALLOW' | 'BLOCK' | 'REVIEW'): Promise<VerificationFlow> {
  const flow = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${clientWith(decidedView(decision, 2))}></verification-flow>`);
  await waitUntil(() => flow.shadowRoot!.querySelector('[part="decision"]'));
  await flow.updateComplete;
  return flow;
}

describe('<verification-flow> look', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  describe('the decision moment', () => {
    for (const [decision, shape] of [
      ['ALLOW', successIcon],
      ['BLOCK', failureIcon],
      ['REVIEW', waitingIcon],
    ] as const) {
      it(`${decision}: an icon, a heading that takes focus and is announced, one sentence`, async () => {
        const flow = await decided(decision);
        const block = flow.shadowRoot!.querySelector('[part="decision"]')!;
        const icon = block.querySelector('svg[part~="decision-icon"]')!;
        expect(icon.getAttribute('aria-hidden')).to.equal('true');
        expect(icon.querySelector('path')!.getAttribute('d')).to.equal(shape);
        expect(parseFloat(getComputedStyle(icon).width)).to.be.greaterThan(30);
        expect(block.querySelectorAll('p')).to.have.length(1);
        expect(flow.shadowRoot!.activeElement).to.equal(block.querySelector('h2'));
        expect(flow.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain(block.querySelector('h2')!.textContent!.trim());
        await expect(flow).to.be.accessible();
      });
    }

    it('draws the icon in, and not under reduced motion', async () => {
      const moving = await decided('ALLOW');
      const drawn = getComputedStyle(moving.shadowRoot!.querySelector('.decision-icon')!);
      expect(drawn.animationName).to.equal('verification-flow-arrive');
      expect(parseFloat(drawn.animationDuration)).to.be.greaterThan(0.1);
      await emulateMedia({ reducedMotion: 'reduce' });
      const still = await decided('ALLOW');
      expect(parseFloat(getComputedStyle(still.shadowRoot!.querySelector('.decision-icon')!).animationDuration)).to.be.lessThan(0.001);
    });

    it('colours the icon and the heading by the decision', async () => {
      const allow = await decided('ALLOW');
      const block = await decided('BLOCK');
      const colour = (flow: VerificationFlow) => getComputedStyle(flow.shadowRoot!.querySelector('.decision-icon')!).color;
      expect(colour(allow)).not.to.equal(colour(block));
      expect(colour(allow)).to.equal(getComputedStyle(allow.shadowRoot!.querySelector('[part="decision"] h2')!).color);
    });
  });

  describe('appearance="card"', () => {
    it('draws its own container with the shop\'s logo, heading and subtitle in its header', async () => {
      const flow = await fixture<VerificationFlow>(html`<verification-flow lang="en" appearance="card" .client=${clientWith(decidedView('ALLOW', 2))}>
        <img slot="logo" alt="Northwind" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='120' height='32'/%3E" />
        <h2 slot="heading">Confirm it's you</h2>
        <p slot="subtitle">One more step before we take payment.</p>
      </verification-flow>`);
      await waitUntil(() => flow.shadowRoot!.querySelector('[part="decision"]'));
      const base = flow.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;
      const style = getComputedStyle(base);
      expect(style.borderTopStyle).to.equal('solid');
      expect(parseFloat(style.paddingTop)).to.be.greaterThan(0);
      expect(style.backgroundColor).not.to.equal('rgba(0, 0, 0, 0)');
      const header = flow.shadowRoot!.querySelector('[part="header"]')!;
      const slots = [...header.querySelectorAll('slot')].map((slot) => slot.name);
      expect(slots).to.deep.equal(['logo', 'heading', 'subtitle']);
      const heading = flow.querySelector('h2')!;
      expect(heading.assignedSlot?.name).to.equal('heading');
      expect(heading.getBoundingClientRect().height).to.be.greaterThan(0);
      expect(flow.querySelector('img')!.getBoundingClientRect().height).to.be.at.most(32);
      await expect(flow).to.be.accessible();
    });

    it('draws no container and no header by default', async () => {
      const flow = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${clientWith(decidedView('ALLOW', 2))}></verification-flow>`);
      await waitUntil(() => flow.shadowRoot!.querySelector('[part="decision"]'));
      expect(flow.shadowRoot!.querySelector('[part="header"]')).to.equal(null);
      expect(getComputedStyle(flow.shadowRoot!.querySelector('[part="base"]')!).borderTopStyle).to.equal('none');
    });
  });
});
