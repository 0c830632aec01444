/**
 * `link_opened`: the shopper opened the one-time link and it decided the step. The page may never
 * see the link's own status (VERIFIED) when the relay decides first: the decision, or the next
 * step, arriving while the link is still awaited says the same.
 */
import { expect, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail } from '../../../src/elements/shared/events.js';
import { challengeViewOf, kbaAction, settle } from '../helpers.js';
import { decided, eventStream, fakeClient, othFixture, othView, viewEvent } from './fixtures.js';

async function watched() {
  const client = fakeClient();
  const stream = eventStream();
  client.events.resolves(stream.response);
  const { el } = await othFixture({ client });
  const events: VerifyAnalyticsDetail[] = [];
  el.addEventListener(VerifyAnalyticsEvent.eventName, (event) => events.push((event as VerifyAnalyticsEvent).detail));
  await settle(el);
  const names = () => events.map((event) => (event.value ? `${event.name}:${event.value}` : event.name));
  return { el, stream, names };
}

describe('<oth-waiting> funnel', () => {
  afterEach(() => sinon.restore());

  it('reports link_opened when the decision lands while the link is still awaited', async () => {
    const { stream, names } = await watched();
    stream.push(viewEvent(othView(3)));
    stream.push(viewEvent(decided(4)));
    await waitUntil(() => names().includes('decided:ALLOW'), 'no decision');
    expect(names().filter((name) => name !== 'step_shown')).to.deep.equal(['link_opened', 'decided:ALLOW']);
  });

  it('reports link_opened when the strategy moves on to its next step', async () => {
    const { el, stream, names } = await watched();
    stream.push(viewEvent(challengeViewOf(kbaAction(), 4)));
    await waitUntil(() => names().includes('link_opened'), 'no link_opened');
    await settle(el);
    expect(names().filter((name) => name !== 'step_shown')).to.deep.equal(['link_opened']);
  });

  it('reports link_opened once when the page saw the link confirmed before the decision', async () => {
    const { stream, names } = await watched();
    stream.push(viewEvent(othView(3, { status: 'VERIFIED' })));
    stream.push(viewEvent(decided(4)));
    await waitUntil(() => names().includes('decided:ALLOW'), 'no decision');
    expect(names().filter((name) => name !== 'step_shown')).to.deep.equal(['link_opened', 'decided:ALLOW']);
  });

  it('reports no link_opened when the link expired or failed before the decision', async () => {
    const { stream, names } = await watched();
    stream.push(viewEvent(othView(3, { status: 'TERMINATED' })));
    stream.push(viewEvent(decided(4, 'BLOCK')));
    await waitUntil(() => names().includes('decided:BLOCK'), 'no decision');
    expect(names()).not.to.include('link_opened');
  });
});
