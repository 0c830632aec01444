import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import sinon from 'sinon';
import { registerMessages, resetRegisteredMessages } from '../../../src/elements/shared/localize.js';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { errorOf, relayError, settle, textOf } from '../helpers.js';
import { fakeClient, inputOf, otpFixture, typeInto, verifyButtonOf } from './fixtures.js';
import { otpAction } from '../helpers.js';

describe('<otp-entry> languages', () => {
  afterEach(() => {
    resetRegisteredMessages();
    sinon.restore();
  });

  it('speaks Spanish', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_code', 422));
    client.view.resolves({ state: 'challenge', step: { index: 1, total: 1 }, revision: 3, action: otpAction({ remainingAttempts: 1 }) });
    const { el } = await otpFixture({ client, lang: 'es-MX', action: otpAction({ remainingAttempts: 2 }) });
    expect(el.shadowRoot!.querySelector('label')!.textContent!.trim()).to.equal('Código de verificación');
    expect(verifyButtonOf(el).textContent!.trim()).to.equal('Verificar');
    expect(textOf(el)).to.contain('Enviamos un código de 6 dígitos a');
    expect(textOf(el)).to.contain('Quedan 2 intentos');
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('es');
    typeInto(el, '000000');
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Ese código no es correcto. Queda 1\u00a0intento.');
  });

  it('lays out right to left in Arabic, with the digits left to right', async () => {
    const { el } = await otpFixture({ lang: 'ar' });
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    const input = inputOf(el);
    expect(input.getAttribute('dir')).to.equal('ltr');
    expect(getComputedStyle(input).direction).to.equal('ltr');
    expect(el.shadowRoot!.querySelector('label')!.textContent!.trim()).to.equal('رمز التحقق');
    // The masked number is isolated, so "+1" stays with its digits inside Arabic text.
    expect(el.shadowRoot!.querySelector('#sent')!.textContent).to.contain('\u2066+1\u00a0***\u00a0***\u00a04567\u2069');
    await expect(el).to.be.accessible();
  });

  it('follows a language change on the page', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en"><otp-entry .action=${otpAction()}></otp-entry></div>`,
    );
    const el = wrapper.querySelector<OtpEntry>('otp-entry')!;
    await el.updateComplete;
    expect(verifyButtonOf(el).textContent!.trim()).to.equal('Verify');
    wrapper.lang = 'ar';
    await nextFrame();
    await el.updateComplete;
    expect(verifyButtonOf(el).textContent!.trim()).to.equal('تحقّق');
    expect(el.getAttribute('dir')).to.equal('rtl');
  });

  it('takes page-wide and per-element string overrides', async () => {
    registerMessages('en', { otpVerify: 'Confirm' });
    const { el } = await otpFixture();
    expect(verifyButtonOf(el).textContent!.trim()).to.equal('Confirm');
    el.messages = { otpVerify: 'Check code', otpLabel: 'Bank code' };
    await el.updateComplete;
    expect(verifyButtonOf(el).textContent!.trim()).to.equal('Check code');
    expect(el.shadowRoot!.querySelector('label')!.textContent!.trim()).to.equal('Bank code');
  });
});
