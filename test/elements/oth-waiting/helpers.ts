import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { OthActionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/oth-waiting/define.js';
import type { OthWaiting, OthWaitingClient } from '../../../src/elements/oth-waiting/oth-waiting.js';
import { othAction } from '../../client/helpers.js';
export { relayError } from '../helpers.js';

export { decided, eventStream, othAction, othView, viewEvent, flush } from '../../client/helpers.js';

export type FakeOthClient = {
  relay: string;
  view: sinon.SinonStub<Parameters<OthWaitingClient['view']>, ReturnType<OthWaitingClient['view']>>;
  resend: sinon.SinonStub<Parameters<OthWaitingClient['resend']>, ReturnType<OthWaitingClient['resend']>>;
  events: sinon.SinonStub<Parameters<OthWaitingClient['events']>, ReturnType<OthWaitingClient['events']>>;
};

/** A client whose calls never settle unless a test says otherwise (so no live update arrives by itself). */
export function fakeClient(relay = '/verify'): FakeOthClient {
  const pending = () => new Promise<never>(() => {});
  return {
    relay,
    view: sinon.stub<Parameters<OthWaitingClient['view']>, Promise<SessionView>>().callsFake(pending),
    resend: sinon.stub<Parameters<OthWaitingClient['resend']>, Promise<SessionView>>().callsFake(pending),
    events: sinon.stub<Parameters<OthWaitingClient['events']>, Promise<Response>>().callsFake(pending),
  };
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
export const errorOf = (el: OthWaiting) => root(el).querySelector<HTMLElement>('[part="error"]')!;
export const statusOf = (el: OthWaiting) => root(el).querySelector<HTMLElement>('[part="status"]')!;
export const progressOf = (el: OthWaiting) => root(el).querySelector<HTMLElement>('[part="progress"]');
export const textOf = (el: OthWaiting) => root(el).querySelector('[part="base"]')!.textContent!.replace(/\s+/g, ' ');

/** Lets settled promises and the resulting Lit updates run. */
export async function settle(el: OthWaiting): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await Promise.resolve();
    await el.updateComplete;
  }
}

/** Where focus is inside the element, as text (chai describing elements is slow). */
export function focusedPart(el: OthWaiting): string {
  const active = root(el).activeElement;
  return active ? (active.getAttribute('part') ?? active.id ?? active.tagName.toLowerCase()) : 'nothing';
}
