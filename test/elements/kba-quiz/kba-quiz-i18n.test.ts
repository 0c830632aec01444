import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { resetRegisteredMessages } from '../../../src/elements/shared/localize.js';
import { answerAll, backOf, choose, kbaFixture, labelOf, primaryOf, questionOf, timerOf } from './fixtures.js';
import { kbaAction } from '../helpers.js';

describe('<kba-quiz> languages', () => {
  afterEach(() => {
    resetRegisteredMessages();
    sinon.restore();
  });

  it('speaks Spanish', async () => {
    const { el } = await kbaFixture({ lang: 'es' });
    expect(questionOf(el)).to.equal('Pregunta 1 de 3 Which street have you lived on?');
    expect(primaryOf(el).textContent!.trim()).to.equal('Siguiente');
    choose(el, 'Elm Street');
    primaryOf(el).click();
    await el.updateComplete;
    expect(backOf(el)!.textContent!.trim()).to.equal('Atrás');
    expect(el.shadowRoot!.textContent).to.contain('Elige todas las que correspondan');
  });

  it('lays out right to left in Arabic, and is accessible there', async () => {
    const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { el } = await kbaFixture({ lang: 'ar', action: kbaAction({ timeLimitSeconds: 90 }) });
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(el.shadowRoot!.querySelector('form')!.getAttribute('lang')).to.equal('ar');
    expect(questionOf(el)).to.contain('السؤال 1 من 3');
    expect(primaryOf(el).textContent!.trim()).to.equal('التالي');
    // The clock is isolated left to right inside the Arabic sentence.
    expect(timerOf(el)!.textContent).to.equal('الوقت المتبقي: \u20661:30\u2069');
    // The radio sits at the inline start, which is the right-hand side.
    const label = el.shadowRoot!.querySelector<HTMLElement>('[part="choice"]')!;
    const radio = label.querySelector('input')!;
    expect(radio.getBoundingClientRect().right).to.be.greaterThan(label.querySelector('span')!.getBoundingClientRect().right);
    // axe schedules its work with setTimeout: real timers for it.
    clock.restore();
    await expect(el).to.be.accessible();
  });

  it('reviews in Arabic', async () => {
    const { el } = await kbaFixture({ lang: 'ar' });
    await answerAll(el);
    expect(el.shadowRoot!.querySelector('[part="review-title"]')!.textContent!.trim()).to.equal('راجِع إجاباتك');
    expect(labelOf(primaryOf(el))).to.equal('إرسال الإجابات');
    await expect(el).to.be.accessible();
  });

  it('takes per-element string overrides', async () => {
    const { el } = await kbaFixture();
    el.messages = { kbaNext: 'Continue' };
    await el.updateComplete;
    expect(primaryOf(el).textContent!.trim()).to.equal('Continue');
  });
});
