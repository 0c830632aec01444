/**
 * The funnel of a DocV retry is the same whichever way the new capture's view reaches the page:
 * in the answer to Try again, or on the live stream before that answer.
 */
import { expect, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail } from '../../../src/elements/shared/events.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { docvAction, settle } from '../helpers.js';
import { buttonOf, challengeView, docvFixture, fakeClient, sseStream } from './fixtures.js';

const needsRetry = () => docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 2 });
const newCapture = () => challengeView(docvAction({ progress: 'SENT', retryAllowed: false, remainingRetries: 1 }), 5);

function record(el: DocvStatus): () => string[] {
  const events: VerifyAnalyticsDetail[] = [];
  el.addEventListener(VerifyAnalyticsEvent.eventName, (event) => events.push((event as VerifyAnalyticsEvent).detail));
  return () => events.filter((event) => event.name !== 'step_shown').map((event) => (event.value ? `${event.name}:${event.value}` : event.name));
}

describe('<docv-status> funnel', () => {
  afterEach(() => sinon.restore());

  it('reports retry, then the new capture sent, when the answer brings the new view', async () => {
    const client = fakeClient();
    client.answer.resolves(newCapture());
    const { el } = await docvFixture({ client, action: needsRetry() });
    const names = record(el);
    buttonOf(el)!.click();
    await waitUntil(() => names().length >= 2, 'fewer than two events');
    await settle(el);
    expect(names()).to.deep.equal(['retry', 'capture_progress:SENT']);
  });

  it('reports the same order when the live stream brings the new view before the answer', async () => {
    const client = fakeClient({ events: true });
    const stream = sseStream();
    client.events!.resolves(stream.response);
    let answer!: (view: SessionView) => void;
    client.answer.returns(new Promise<SessionView>((done) => (answer = done)));
    const { el } = await docvFixture({ client, action: needsRetry() });
    const names = record(el);
    await waitUntil(() => client.events!.called, 'events() was not called');
    buttonOf(el)!.click();
    stream.push(newCapture());
    await waitUntil(() => el.action?.progress === 'SENT', 'the stream view was not shown');
    await settle(el);
    answer(newCapture());
    await waitUntil(() => names().length >= 2, 'fewer than two events');
    await settle(el);
    expect(names()).to.deep.equal(['retry', 'capture_progress:SENT']);
  });
});
