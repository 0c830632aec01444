import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/elements/otp-entry/define.js';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { otpAction, settle } from '../helpers.js';
import { inputOf, otpFixture, pasteInto, typeInto } from './fixtures.js';

const slotsOf = (el: OtpEntry) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="slot"]')];
const shown = (el: OtpEntry) => slotsOf(el).map((slot) => slot.textContent!.trim()).join('|');
const activeIndex = (el: OtpEntry) => slotsOf(el).findIndex((slot) => slot.getAttribute('part')!.split(' ').includes('slot-active'));

describe('<otp-entry> boxes', () => {
  it('shows a box per digit over the one real input, which keeps its name, autocomplete and screen-reader role', async () => {
    const { el } = await otpFixture({ action: otpAction({ codeLength: 6 }) });
    expect(el.appearance).to.equal('boxes');
    expect(slotsOf(el)).to.have.length(6);
    const row = el.shadowRoot!.querySelector('[part="slots"]')!;
    expect(row.getAttribute('aria-hidden'), 'the boxes are for the eye; the input is what is read').to.equal('true');
    expect(row.getAttribute('dir')).to.equal('ltr');
    const input = inputOf(el);
    expect(input.autocomplete).to.equal('one-time-code');
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('Verification code');
    expect(el.shadowRoot!.querySelectorAll('input')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('fills the boxes as the shopper types, marking where the next digit goes', async () => {
    const { el } = await otpFixture({ action: otpAction({ codeLength: 6 }) });
    inputOf(el).focus();
    await el.updateComplete;
    expect(activeIndex(el)).to.equal(0);
    await sendKeys({ type: '12' });
    await el.updateComplete;
    expect(shown(el)).to.equal('1|2||||');
    expect(activeIndex(el)).to.equal(2);
    expect(slotsOf(el).filter((slot) => slot.getAttribute('part')!.includes('slot-filled'))).to.have.length(2);
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    expect(shown(el)).to.equal('1|||||');
    inputOf(el).blur();
    await el.updateComplete;
    expect(activeIndex(el), 'no mark without focus').to.equal(-1);
  });

  it('takes a pasted code with spaces whole, as the single field did', async () => {
    const { el } = await otpFixture({ action: otpAction({ codeLength: 6 }) });
    pasteInto(el, '123 456');
    await settle(el);
    expect(el.value).to.equal('123456');
    expect(shown(el)).to.equal('1|2|3|4|5|6');
  });

  it('lets a tap anywhere on the row reach the input', async () => {
    const { el } = await otpFixture({ action: otpAction({ codeLength: 6 }) });
    const box = slotsOf(el)[4]!.getBoundingClientRect();
    const hit = el.shadowRoot!.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    expect(hit).to.equal(inputOf(el));
  });

  it('marks every box when the code is wrong', async () => {
    const { el } = await otpFixture({ action: otpAction({ codeLength: 6 }) });
    typeInto(el, '12a');
    await settle(el);
    const border = getComputedStyle(slotsOf(el)[0]!).borderTopColor;
    expect(border).to.equal(getComputedStyle(el.shadowRoot!.querySelector('[part="error"]')!).color);
  });

  it('fits ten boxes into a phone-width column', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="inline-size: 320px"><otp-entry lang="en" .action=${otpAction({ codeLength: 10 })}></otp-entry></div>`,
    );
    const el = wrapper.firstElementChild as OtpEntry;
    await el.updateComplete;
    const row = el.shadowRoot!.querySelector<HTMLElement>('[part="slots"]')!;
    expect(row.getBoundingClientRect().width).to.be.at.most(320);
    expect(row.scrollWidth).to.be.at.most(row.clientWidth + 1);
  });

  it('keeps the single field with appearance="field"', async () => {
    const el = await fixture<OtpEntry>(html`<otp-entry lang="en" appearance="field" .action=${otpAction()}></otp-entry>`);
    expect(slotsOf(el)).to.have.length(0);
    const input = inputOf(el);
    expect(getComputedStyle(input).color).not.to.equal('rgba(0, 0, 0, 0)');
    expect(parseFloat(getComputedStyle(input).borderTopWidth)).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });
});
