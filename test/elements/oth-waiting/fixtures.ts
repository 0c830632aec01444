import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { OthActionView } from '../../../src/contract/browser.js';
import '../../../src/elements/oth-waiting/define.js';
import type { OthWaiting, OthWaitingClient } from '../../../src/elements/oth-waiting/oth-waiting.js';
import { othAction } from '../helpers.js';
import { pendingStub } from '../helpers.js';

export { eventStream, viewEvent, flush } from '../../client/helpers.js';
export { decided, othAction, othView } from '../helpers.js';

export type FakeOthClient = {
  relay: string;
  view: sinon.SinonStub<Parameters<OthWaitingClient['view']>, ReturnType<OthWaitingClient['view']>>;
  resend: sinon.SinonStub<Parameters<OthWaitingClient['resend']>, ReturnType<OthWaitingClient['resend']>>;
  events: sinon.SinonStub<Parameters<OthWaitingClient['events']>, ReturnType<OthWaitingClient['events']>>;
};

/** A client whose calls never settle unless a test says otherwise (so no live update arrives by itself). */
export function fakeClient(relay = '/verify'): FakeOthClient {
  return { relay, view: pendingStub(), resend: pendingStub(), events: pendingStub() };
}

export async function othFixture(
  options: { action?: OthActionView | undefined; client?: FakeOthClient; lang?: string } = {},
): Promise<{ el: OthWaiting; client: FakeOthClient }> {
  const client = options.client ?? fakeClient();
  const action = 'action' in options ? options.action : othAction();
  const el = await fixture<OthWaiting>(
    html`<oth-waiting lang=${options.lang ?? 'en'} .client=${client} .action=${action}></oth-waiting>`,
  );
  return { el, client };
}

const root = (el: OthWaiting) => el.shadowRoot!;
export const resendButtonOf = (el: OthWaiting) => root(el).querySelector<HTMLButtonElement>('[part="resend"]');
export const channelButtonsOf = (el: OthWaiting) => [...root(el).querySelectorAll<HTMLButtonElement>('[part="channel"]')];
export const progressOf = (el: OthWaiting) => root(el).querySelector<HTMLElement>('[part="progress"]');

