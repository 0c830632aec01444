import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import sinon from 'sinon';
import { CountdownController } from '../../../src/elements/shared/countdown-controller.js';

class CountdownProbe extends LitElement {
  ticks: number[] = [];
  ended = 0;
  readonly countdown = new CountdownController(this, {
    onTick: (seconds) => this.ticks.push(seconds),
    onEnd: () => this.ended++,
  });
  override render() {
    return html`<p>${this.countdown.remainingSeconds}</p>`;
  }
}
customElements.define('countdown-probe', CountdownProbe);

describe('CountdownController', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  it('counts whole seconds down from the deadline and ends once', async () => {
    const el = await fixture<CountdownProbe>(html`<countdown-probe></countdown-probe>`);
    el.countdown.start(3);
    expect(el.countdown.running).to.equal(true);
    expect(el.countdown.remainingSeconds).to.equal(3);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('p')!.textContent).to.equal('3');

    clock.tick(1000);
    expect(el.countdown.remainingSeconds).to.equal(2);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('p')!.textContent).to.equal('2');

    clock.tick(2000);
    expect(el.countdown.remainingSeconds).to.equal(0);
    expect(el.countdown.running).to.equal(false);
    expect(el.ticks).to.deep.equal([2, 1, 0]);
    expect(el.ended).to.equal(1);
    clock.tick(5000);
    expect(el.ended).to.equal(1);
  });

  it('does not drift when a tick is late', async () => {
    const el = await fixture<CountdownProbe>(html`<countdown-probe></countdown-probe>`);
    el.countdown.start(10);
    // A throttled tab: the clock jumps 6.5 s before any timer runs.
    clock.setSystemTime(Date.now() + 6500);
    expect(el.countdown.remainingSeconds).to.equal(4);
  });

  it('stops without ending, and on disconnect', async () => {
    const el = await fixture<CountdownProbe>(html`<countdown-probe></countdown-probe>`);
    el.countdown.start(5);
    el.countdown.stop();
    expect(el.countdown.running).to.equal(false);
    expect(el.countdown.remainingSeconds).to.equal(0);
    clock.tick(10_000);
    expect(el.ended).to.equal(0);

    el.countdown.start(5);
    el.remove();
    expect(el.countdown.running).to.equal(false);
    clock.tick(10_000);
    expect(el.ticks).to.deep.equal([]);
    expect(el.ended).to.equal(0);
  });

  it('treats zero or negative seconds as nothing to count', async () => {
    const el = await fixture<CountdownProbe>(html`<countdown-probe></countdown-probe>`);
    el.countdown.start(0);
    expect(el.countdown.running).to.equal(false);
    el.countdown.start(-3);
    expect(el.countdown.running).to.equal(false);
  });
});
