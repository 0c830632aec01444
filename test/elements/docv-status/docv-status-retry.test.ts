import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { RelayError } from '../../../src/client/index.js';
import { VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { errorOf, focusedPart, relayError, settle, textOf } from '../helpers.js';
import { buttonOf, challengeView, docvFixture, fakeClient } from './fixtures.js';
import { docvAction, linkAction } from '../helpers.js';

const needsRetry = (overrides = {}) => docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 2, ...overrides });

describe('<docv-status> retry', () => {
  afterEach(() => sinon.restore());

  it('offers Try again with the tries left when Kount allows a retry', async () => {
    const { el } = await docvFixture({ action: needsRetry() });
    expect(buttonOf(el)!.textContent!.trim()).to.equal('Try again');
    expect(textOf(el)).to.contain('2 tries left');
    expect(errorOf(el).textContent).to.equal("We couldn't read your ID. Try again with a clear, well-lit photo.");
    await expect(el).to.be.accessible();
  });

  it('says the failure first and the tries left once, under it and Try again', async () => {
    const { el } = await docvFixture({ action: needsRetry({ remainingRetries: 1 }) });
    const error = errorOf(el);
    const [count, ...more] = [...el.shadowRoot!.querySelectorAll('p')].filter((line) => /1\stry left/.test(line.textContent!));
    expect(more).to.deep.equal([]);
    expect(count!.getAttribute('part')).to.equal('hint');
    // In document order (and on screen): the error, Try again, then the count.
    expect(error.compareDocumentPosition(count!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(buttonOf(el)!.compareDocumentPosition(count!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(error.getBoundingClientRect().bottom).to.be.at.most(count!.getBoundingClientRect().top);
    expect(error.textContent).not.to.contain('try left');
    // No state line repeats the failure above the error.
    expect(el.shadowRoot!.querySelector('[part="result"]')).to.equal(null);
    expect(error.querySelector('[part="icon"]')!.getAttribute('aria-hidden')).to.equal('true');
    expect(buttonOf(el)!.getAttribute('aria-describedby')).to.equal(count!.id);
  });

  it('offers no Try again when Kount does not allow one, and says so', async () => {
    const { el } = await docvFixture({ action: needsRetry({ retryAllowed: false, remainingRetries: 0 }) });
    expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
    expect(textOf(el)).to.contain("You can't try this step again.");
  });

  it('asks the relay for a new capture, reports the new view, and takes focus to the new instructions', async () => {
    const client = fakeClient();
    const freshAction = linkAction({ progress: 'SENT', retryAllowed: false, remainingRetries: 1 });
    const fresh = challengeView(freshAction, 5);
    client.answer.resolves(fresh);
    const { el } = await docvFixture({ client, action: needsRetry() });
    const step = oneEvent(el, VerifyStepEvent.eventName);
    buttonOf(el)!.click();
    expect(client.answer.calledOnce).to.equal(true);
    expect(client.answer.firstCall.args[0]).to.deep.equal({ method: 'DOCV', retry: true });
    expect(client.answer.firstCall.args[1]).to.be.instanceOf(AbortSignal);
    expect((await step).detail.view).to.equal(fresh);
    await settle(el);
    expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
    expect(el.action).to.deep.equal(freshAction);
    expect(errorOf(el).textContent).to.equal('');
    expect(focusedPart(el)).to.equal('instructions');
  });

  it('sends one retry however often it is pressed while waiting', async () => {
    const client = fakeClient();
    const { el } = await docvFixture({ client, action: needsRetry() });
    buttonOf(el)!.click();
    await el.updateComplete;
    expect(buttonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    expect(buttonOf(el)!.getAttribute('aria-label')).to.equal('Starting again…');
    expect(buttonOf(el)!.classList.contains('button--busy')).to.equal(true);
    buttonOf(el)!.click();
    buttonOf(el)!.click();
    expect(client.answer.callCount).to.equal(1);
  });

  it('on retry_not_allowed says so, drops the button and moves focus to the message', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('retry_not_allowed', 409));
    const { el } = await docvFixture({ client, action: needsRetry() });
    buttonOf(el)!.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    await settle(el);
    expect(client.answer.calledOnce).to.equal(true);
    expect(errorOf(el).textContent).to.equal("You can't try this step again.");
    expect(el.errorCode).to.equal('retry_not_allowed');
    expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
    expect(focusedPart(el)).to.equal('error');
  });

  it('on resend_too_soon waits out the relay\'s interval, counting down, then lets the shopper try again', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const client = fakeClient();
    client.answer.onFirstCall().rejects(new RelayError('resend_too_soon', 'wait', { status: 429, retryAfterSeconds: 12 }));
    const { el } = await docvFixture({ client, action: needsRetry() });
    buttonOf(el)!.click();
    await settle(el);
    // One countdown, beside the button it holds; the alert still says what happened.
    expect(errorOf(el).textContent).to.equal("We couldn't read your ID. Try again with a clear, well-lit photo.");
    const wait = el.shadowRoot!.querySelector('#docv-retry-wait')!;
    expect(wait.textContent).to.equal('You can try again in 12\u00a0seconds.');
    expect(textOf(el).match(/\d+ seconds?/g)).to.deep.equal(['12 seconds']);
    expect(buttonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    expect(buttonOf(el)!.getAttribute('aria-describedby')).to.equal('docv-retry-wait');
    buttonOf(el)!.click();
    expect(client.answer.callCount, 'pressed while waiting').to.equal(1);

    await clock.tickAsync(5_000);
    await settle(el);
    expect(wait.textContent).to.equal('You can try again in 7\u00a0seconds.');
    await clock.tickAsync(7_000);
    await settle(el);
    // The wait over, the line under the button says what matters next: the tries left.
    expect(wait.textContent).to.equal('2\u00a0tries left.');
    expect(buttonOf(el)!.hasAttribute('aria-disabled')).to.equal(false);
    expect(textOf(el)).to.contain('You can try again now.');
    buttonOf(el)!.click();
    expect(client.answer.callCount).to.equal(2);
  });

  it('keeps Try again after a network error, so pressing it asks again', async () => {
    const client = fakeClient();
    client.answer.onFirstCall().rejects(relayError('network_error', 0));
    const { el } = await docvFixture({ client, action: needsRetry() });
    buttonOf(el)!.click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal("We can't reach the verification service. Please try again in a moment.");
    expect(buttonOf(el) !== null, "button present").to.equal(true);
    expect(focusedPart(el)).to.not.equal('error');
    buttonOf(el)!.click();
    expect(client.answer.callCount).to.equal(2);
  });

  it('ends on a session error with verify-error', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('session_expired', 401));
    const { el } = await docvFixture({ client, action: needsRetry() });
    const error = oneEvent(el, VerifyErrorEvent.eventName);
    buttonOf(el)!.click();
    const { detail } = await error;
    expect(detail.code).to.equal('session_expired');
    expect(detail.message).to.equal('Your verification session has expired. Please start again.');
    await settle(el);
    expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
    expect(errorOf(el).textContent).to.equal(detail.message);
  });

  it('without a client shows no Try again (nothing could send it)', async () => {
    const { el } = await docvFixture({ client: null, action: needsRetry() });
    expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
  });
});
