import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { LitElement } from 'lit';
import { LiveRegionController } from '../../../src/elements/shared/live-region.js';

class LiveProbe extends LitElement {
  readonly live = new LiveRegionController(this);
  override render() {
    return html`<div role="status">${this.live.status}</div>
      <div id="alert" role=${this.live.alertRole}>${this.live.alert}</div>`;
  }
}
customElements.define('live-probe', LiveProbe);

describe('LiveRegionController', () => {
  it('re-announces a repeated status by emptying it for one frame', async () => {
    const el = await fixture<LiveProbe>(html`<live-probe></live-probe>`);
    el.live.announce('Sent');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Sent');
    el.live.announce('Sent');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('');
    await nextFrame();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Sent');
  });

  it('shows, re-asserts and clears an alert', async () => {
    const el = await fixture<LiveProbe>(html`<live-probe></live-probe>`);
    const alert = () => el.shadowRoot!.querySelector('#alert')!;
    el.live.showAlert('Wrong');
    await el.updateComplete;
    expect(alert().getAttribute('role')).to.equal('alert');
    expect(alert().textContent).to.equal('Wrong');
    el.live.showAlert('Wrong');
    await el.updateComplete;
    expect(alert().getAttribute('role')).to.equal('none');
    await nextFrame();
    await el.updateComplete;
    expect(alert().getAttribute('role')).to.equal('alert');
    el.live.clearAlert();
    await el.updateComplete;
    expect(alert().textContent).to.equal('');
  });
});
