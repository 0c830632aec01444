import { expect, fixture, html } from '@open-wc/testing';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { inputOf, typeInto, verifyButtonOf } from './fixtures.js';
import { otpAction } from '../helpers.js';

async function formFixture() {
  const form = await fixture<HTMLFormElement>(html`
    <form>
      <fieldset>
        <otp-entry name="otp" lang="en" .action=${otpAction({ codeLength: 6 })}></otp-entry>
      </fieldset>
    </form>
  `);
  const el = form.querySelector<OtpEntry>('otp-entry')!;
  await el.updateComplete;
  return { form, el, fieldset: form.querySelector('fieldset')! };
}

describe('<otp-entry> in a form', () => {
  it('is form-associated and contributes its value under its name', async () => {
    const { form, el } = await formFixture();
    expect((el.constructor as typeof HTMLElement & { formAssociated?: boolean }).formAssociated).to.equal(true);
    expect(el.form).to.equal(form);
    typeInto(el, '123');
    await el.updateComplete;
    expect(new FormData(form).get('otp')).to.equal('123');
    expect(el.value).to.equal('123');
  });

  it('reports valueMissing, patternMismatch and tooShort, anchored on the inner input', async () => {
    const { el } = await formFixture();
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('Enter the 6-digit code.');
    expect(el.checkValidity()).to.equal(false);

    typeInto(el, '12a');
    await el.updateComplete;
    expect(el.validity.patternMismatch).to.equal(true);
    expect(el.validationMessage).to.equal('Use digits only.');

    typeInto(el, '123');
    await el.updateComplete;
    expect(el.validity.tooShort).to.equal(true);
    expect(el.validationMessage).to.equal('Enter all 6 digits.');

    el.value = '12 34 56';
    await el.updateComplete;
    expect(el.value).to.equal('123456');
    expect(el.validity.valid).to.equal(true);
    expect(el.checkValidity()).to.equal(true);
  });

  it('shows the reason in the field when the form is validated', async () => {
    const { form, el } = await formFixture();
    form.requestSubmit();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="error"]')!.textContent).to.equal('Enter the 6-digit code.');
    expect(inputOf(el).getAttribute('aria-invalid')).to.equal('true');
  });

  it('is emptied by a form reset', async () => {
    const { form, el } = await formFixture();
    typeInto(el, '123');
    await el.updateComplete;
    form.reset();
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect(inputOf(el).value).to.equal('');
    expect(new FormData(form).get('otp')).to.equal('');
  });

  it('is disabled by a disabled fieldset and by its own disabled attribute', async () => {
    const { fieldset, el } = await formFixture();
    fieldset.disabled = true;
    await el.updateComplete;
    expect(inputOf(el).disabled).to.equal(true);
    expect(verifyButtonOf(el).disabled).to.equal(true);
    fieldset.disabled = false;
    await el.updateComplete;
    expect(inputOf(el).disabled).to.equal(false);

    el.disabled = true;
    await el.updateComplete;
    expect(el.hasAttribute('disabled')).to.equal(true);
    expect(inputOf(el).disabled).to.equal(true);
  });

  it('re-dispatches change from the host', async () => {
    const { el } = await formFixture();
    let changes = 0;
    el.addEventListener('change', () => changes++);
    inputOf(el).dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes).to.equal(1);
  });
});
