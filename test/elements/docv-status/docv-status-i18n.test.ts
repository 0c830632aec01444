import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { registerMessages, resetRegisteredMessages } from '../../../src/elements/shared/localize.js';
import { errorOf, focusedPart, partOf, settle, textOf } from '../helpers.js';
import { buttonOf, challengeView, docvFixture, fakeClient, linkOf, qrOf, stepsOf } from './fixtures.js';
import { docvAction, linkAction } from '../helpers.js';

describe('<docv-status> languages and keyboard', () => {
  afterEach(() => {
    resetRegisteredMessages();
    sinon.restore();
  });

  it('speaks Spanish', async () => {
    const { el } = await docvFixture({ lang: 'es', action: docvAction({ progress: 'BEGUN' }) });
    expect(partOf(el, 'instructions')!.textContent).to.equal(
      'Te enviamos un enlace por SMS al \u2066+1\u00a0***\u00a0***\u00a04567\u2069. Ábrelo en tu teléfono para fotografiar tu documento de identidad.',
    );
    expect(stepsOf(el)[0]!.textContent!.replace(/\s+/g, ' ')).to.contain('Enlace enviado (completado)');
    expect(textOf(el)).to.contain('Abriste el enlace. Sigue los pasos en tu teléfono.');
    expect(partOf(el, 'steps')!.getAttribute('aria-label')).to.equal('Progreso');
  });

  it('lays out right to left in Arabic, with the phone number, QR code and link left to right', async () => {
    const { el } = await docvFixture({ lang: 'ar', action: linkAction() });
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(getComputedStyle(qrOf(el)!.parentElement!).direction).to.equal('ltr');
    expect(qrOf(el)!.getAttribute('aria-label')).to.equal('رمز QR يفتح التحقق من الهوية على هاتفك');
    expect(linkOf(el)!.textContent).to.contain('المتابعة على هذا الجهاز');
    // The list starts on the right in Arabic.
    const [first] = stepsOf(el);
    const marker = first!.querySelector('.marker')!.getBoundingClientRect();
    const label = first!.querySelector('.step-label')!.getBoundingClientRect();
    expect(marker.left).to.be.greaterThan(label.left);
    await expect(el).to.be.accessible();

    const sms = await fixture(html`<docv-status lang="ar" .action=${docvAction()}></docv-status>`);
    await (sms as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(sms.shadowRoot!.querySelector('[part="instructions"]')!.textContent).to.contain('\u2066+1\u00a0***\u00a0***\u00a04567\u2069');
    await expect(sms).to.be.accessible();
  });

  it('counts tries left with Arabic plural forms', async () => {
    const { el } = await docvFixture({
      lang: 'ar',
      action: docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 2 }),
    });
    expect(textOf(el)).to.contain('تتبقّى محاولتان');
    expect(buttonOf(el)!.textContent!.trim()).to.equal('حاول مرة أخرى');
    await expect(el).to.be.accessible();
  });

  it('takes per-element string overrides', async () => {
    registerMessages('en', { docvContinueHere: 'Open on this computer' });
    const { el } = await docvFixture({ action: linkAction() });
    expect(linkOf(el)!.textContent).to.contain('Open on this computer');
    el.messages = { docvScanQr: 'Point your camera here.' };
    await el.updateComplete;
    expect(partOf(el, 'instructions')!.textContent).to.equal('Point your camera here.');
  });

  it('is usable with the keyboard alone: Tab reaches Try again, Space retries, and a second press waits for the first', async () => {
    const client = fakeClient();
    const { el } = await docvFixture({ client, action: linkAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 1 }) });
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    // No link while a retry is pending (the old capture is over): Try again is the first stop.
    expect(focusedPart(el)).to.equal('button');
    await sendKeys({ press: 'Space' });
    expect(client.answer.callCount).to.equal(1);
    client.answer.resetHistory();
    client.answer.resolves(challengeView(linkAction({ progress: 'SENT' }), 8));
    await sendKeys({ press: 'Enter' });
    // One request at a time: the pending one holds the button.
    expect(client.answer.callCount).to.equal(0);
    before.remove();
  });

  it('lets a keyboard user reach the capture link and the retry focus lands on the new instructions', async () => {
    const client = fakeClient();
    client.answer.resolves(challengeView(linkAction({ progress: 'SENT' }), 8));
    const { el } = await docvFixture({ client, action: docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 1 }) });
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('button');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    await settle(el);
    expect(focusedPart(el)).to.equal('instructions');
    expect(errorOf(el).textContent).to.equal('');
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('link');
    before.remove();
  });
});
