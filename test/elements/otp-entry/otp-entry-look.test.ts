/**
 * The designed look of the OTP step (issue 24, item 8): progress in the Verify button without a
 * change of width, the channel's icon before the sent line, and a wrong code that shakes the
 * boxes once, unless the shopper prefers reduced motion.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { emailIcon, smsIcon } from '../../../src/elements/shared/icons.js';
import { otpAction, pendingStub, relayError, settle } from '../helpers.js';
import { fakeClient, otpFixture, typeInto, verifyButtonOf } from './fixtures.js';

const slotsOf = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLElement>('[part="slots"]')!;

describe('<otp-entry> look', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('shows progress in the Verify button while checking, at the same width, and names it by what it does', async () => {
    const client = fakeClient();
    client.answer = pendingStub();
    const { el } = await otpFixture({ client });
    const button = verifyButtonOf(el);
    const idle = button.getBoundingClientRect();
    expect(getComputedStyle(button, '::after').content).to.equal('none');
    typeInto(el, '123456');
    await el.updateComplete;
    expect(button.getAttribute('aria-label')).to.equal('Verifying…');
    // A spinner over the label, which holds the width, hidden.
    const spinner = getComputedStyle(button, '::after');
    expect(spinner.content).to.equal('""');
    expect(spinner.animationName).to.equal('verify-spin');
    expect(getComputedStyle(button.querySelector('span')!).visibility).to.equal('hidden');
    expect(button.getBoundingClientRect().width).to.equal(idle.width);
    expect(button.getBoundingClientRect().height).to.equal(idle.height);
    await expect(el).to.be.accessible();
  });

  it('puts the channel\'s icon before the sent line, hidden from screen readers', async () => {
    const { el } = await otpFixture({ action: otpAction({ channel: 'EMAIL', destination: 'o***@example.com' }) });
    const icon = el.shadowRoot!.querySelector('#sent svg')!;
    expect(icon.getAttribute('aria-hidden')).to.equal('true');
    expect(icon.querySelector('path')!.getAttribute('d')).to.equal(emailIcon);
    expect(icon.getBoundingClientRect().width).to.be.greaterThan(15);
    const { el: sms } = await otpFixture();
    expect(sms.shadowRoot!.querySelector('#sent svg path')!.getAttribute('d')).to.equal(smsIcon);
  });

  it('shakes the boxes once per wrong code, a second time too', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_code', 422));
    const { el } = await otpFixture({ client });
    expect(slotsOf(el).getAnimations()).to.have.length(0);
    typeInto(el, '000000');
    await settle(el);
    const [first] = slotsOf(el).getAnimations();
    expect(first, 'an animation after the first wrong code').to.exist;
    first!.finish();
    typeInto(el, '000000');
    await settle(el);
    expect(slotsOf(el).getAnimations().filter((animation) => animation.playState === 'running')).to.have.length(1);
  });

  it('does not move under reduced motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_code', 422));
    const { el } = await otpFixture({ client });
    typeInto(el, '000000');
    await settle(el);
    expect(el.errorCode).to.equal('wrong_code');
    expect(slotsOf(el).getAnimations()).to.have.length(0);
  });
});
