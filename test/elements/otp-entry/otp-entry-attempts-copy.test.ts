/**
 * Issue 24, item 2: the attempts copy says what applies now. After a lockout only one wrong code
 * is left before the next wait, a count of zero is never said, and the count is stated once.
 */
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { errorOf, otpAction, partOf, relayError, settle, statusOf, textOf } from '../helpers.js';
import { challengeView, fakeClient, inputOf, otpFixture, typeInto } from './fixtures.js';

/** What a screen reader reads as the input's description: the text of each `aria-describedby` target. */
function descriptionOf(el: OtpEntry): string {
  const ids = (inputOf(el).getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => el.shadowRoot!.getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ');
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** Every text the alert and status regions held, in order, while `during` ran. */
async function spokenDuring(el: OtpEntry, during: () => Promise<void>): Promise<string[]> {
  const spoken: string[] = [];
  const regions = [errorOf(el), statusOf(el)];
  const record = () => {
    for (const region of regions) {
      const text = region.textContent!.trim();
      if (text && region.getAttribute('role') !== 'none' && spoken.at(-1) !== text) spoken.push(text);
    }
  };
  const observer = new MutationObserver(record);
  for (const region of regions) observer.observe(region, { childList: true, characterData: true, subtree: true, attributes: true });
  await during();
  record();
  observer.disconnect();
  return spoken;
}

describe('<otp-entry> attempts copy', () => {
  const spokenOnFocus: string[] = [];
  beforeEach(() => (spokenOnFocus.length = 0));
  afterEach(() => sinon.restore());

  describe('after a lockout', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('says one more wrong code starts another wait, never "0\u00a0attempts left"', async () => {
      const { el } = await otpFixture({ action: otpAction({ lockedForSeconds: 45, remainingAttempts: 0 }) });
      clock.tick(45_000);
      await el.updateComplete;
      expect(inputOf(el).getAttribute('aria-disabled')).to.equal(null);
      expect(textOf(el)).not.to.contain('0 attempts');
      expect(descriptionOf(el)).not.to.contain('0\u00a0attempts');
      expect(el.shadowRoot!.querySelector('#details')!.textContent).to.contain('One more wrong code starts another wait.');
      expect(occurrences(descriptionOf(el), 'One more wrong code starts another wait.')).to.equal(1);
      expect(statusOf(el).textContent!.trim()).to.equal('You can enter a code again. One more wrong code starts another wait.');
      // axe waits on real timers.
      clock.restore();
      await expect(el).to.be.accessible();
    });

    it('says so too when the relay, read again, counts the one attempt', async () => {
      const { el } = await otpFixture({ action: otpAction({ lockedForSeconds: 45, remainingAttempts: 0 }) });
      clock.tick(45_000);
      el.action = otpAction({ lockedForSeconds: 0, remainingAttempts: 1 });
      await el.updateComplete;
      expect(textOf(el)).not.to.contain('1 attempt left');
      expect(textOf(el)).to.contain('One more wrong code starts another wait.');
    });

    it('in Spanish, after a lock that came with a 429', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 60 }));
      const { el } = await otpFixture({ client, lang: 'es', action: otpAction({ remainingAttempts: 1 }) });
      typeInto(el, '999999');
      await settle(el);
      el.action = otpAction({ lockedForSeconds: 60, remainingAttempts: 0 });
      await el.updateComplete;
      clock.tick(60_000);
      await el.updateComplete;
      expect(textOf(el)).not.to.contain('Quedan 0');
      expect(descriptionOf(el)).not.to.contain('Quedan 0');
      expect(el.shadowRoot!.querySelector('#details')!.textContent).to.contain('Un código incorrecto más y tendrás que volver a esperar.');
    });
  });

  it('never announces a count of zero before the lock message (Spanish)', async () => {
    const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_code', 422));
    // After a lockout, one wrong code locks again: the view read again (a moment later, over the
    // network) says so.
    const locked = challengeView(otpAction({ remainingAttempts: 0, lockedForSeconds: 300 }), 3);
    client.view.callsFake(() => new Promise((resolve) => setTimeout(() => resolve(locked), 100)));
    const { el } = await otpFixture({ client, lang: 'es', action: otpAction({ lockedForSeconds: 45, remainingAttempts: 0 }) });
    clock.tick(45_000);
    await el.updateComplete;
    // What the input says when a wrong code sends focus back to it, and what the live regions say.
    const spoken = await spokenDuring(el, async () => {
      inputOf(el).addEventListener('focus', () => spokenOnFocus.push(descriptionOf(el)));
      typeInto(el, '000000');
      await settle(el);
      await clock.tickAsync(100);
      await settle(el);
    });
    clock.restore();
    expect([...spokenOnFocus, ...spoken].filter((text) => /\b0 intentos/.test(text))).to.deep.equal([]);
    expect(errorOf(el).textContent).to.equal('Demasiados códigos incorrectos.');
    expect(textOf(el)).not.to.contain('Quedan 0');
  });

  it('states the count once on screen and once in the description after a wrong code', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_code', 422));
    client.view.resolves(challengeView(otpAction({ remainingAttempts: 1 }), 3));
    const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: 2 }) });
    expect(occurrences(textOf(el), '2 attempts left.')).to.equal(1);
    expect(occurrences(descriptionOf(el), '2 attempts left.')).to.equal(1);
    typeInto(el, '000000');
    await settle(el);
    expect(errorOf(el).textContent).to.equal("That code isn't right. 1\u00a0attempt left.");
    expect(occurrences(textOf(el), '1 attempt left.')).to.equal(1);
    expect(occurrences(descriptionOf(el), '1 attempt left.')).to.equal(1);
    expect(partOf(el, 'base')!.textContent).not.to.contain('2\u00a0attempts');
  });
});
