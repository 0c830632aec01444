import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { DocvActionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/docv-status/define.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { eventStream, viewEvent } from '../../client/helpers.js';
import { challengeViewOf, docvAction, pendingStub } from '../helpers.js';

export const challengeView = (action: DocvActionView = docvAction(), revision = 2): SessionView => challengeViewOf(action, revision);

/** A client whose calls never settle unless a test says otherwise; `events` is left out unless asked for. */
export interface FakeClient {
  view: sinon.SinonStub<[AbortSignal?], Promise<SessionView>>;
  answer: sinon.SinonStub<[unknown, AbortSignal?], Promise<SessionView>>;
  resend?: sinon.SinonStub<[AbortSignal?], Promise<SessionView>>;
  events?: sinon.SinonStub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>;
  relay: string;
}

export function fakeClient(options: { events?: boolean; resend?: boolean } = {}): FakeClient {
  const client: FakeClient = { view: pendingStub(), answer: pendingStub(), relay: `/verify-test-${Math.random().toString(36).slice(2)}` };
  if (options.events) client.events = pendingStub();
  if (options.resend) client.resend = pendingStub();
  return client;
}

/**
 * A server-sent event stream the test writes to: `push(view)` sends one `view` event in the
 * relay's format (id, event, data), `close()` ends the stream.
 */
export function sseStream(): { response: Response; push(view: SessionView): void; close(): void } {
  const stream = eventStream();
  stream.push('retry: 3000\n\n');
  return { response: stream.response, push: (view) => stream.push(viewEvent(view)), close: () => stream.close() };
}

export async function docvFixture(
  options: { action?: DocvActionView; client?: FakeClient | null; lang?: string } = {},
): Promise<{ el: DocvStatus; client: FakeClient }> {
  const client = options.client ?? fakeClient();
  const action = options.action ?? docvAction();
  const el = await fixture<DocvStatus>(
    html`<docv-status lang=${options.lang ?? 'en'} .client=${options.client === null ? undefined : client} .action=${action}></docv-status>`,
  );
  return { el, client };
}

export const buttonOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]');
export const linkOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="link"]');
export const qrOf = (el: DocvStatus) => el.shadowRoot!.querySelector<SVGSVGElement>('svg[part="qr"]');
export const stepsOf = (el: DocvStatus) => [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~="step"]')];
export const currentStepOf = (el: DocvStatus) =>
  el.shadowRoot!.querySelector<HTMLLIElement>('[aria-current="step"]')?.dataset.step ?? 'none';

/**
 * Reads the QR `<svg>` back into a module matrix: every `M x y h{run}v1h-{run}z` run of the path
 * filled in, the quiet zone included. Independent of how the element built the path.
 */
export function matrixFromSvg(svg: SVGSVGElement): boolean[][] {
  const [, , width, height] = svg.getAttribute('viewBox')!.split(' ').map(Number);
  if (width !== height) throw new Error(`not square: ${width}x${height}`);
  const matrix = Array.from({ length: height! }, () => Array.from({ length: width! }, () => false));
  const d = svg.querySelector('path')!.getAttribute('d')!;
  const commands = d.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
  if (commands.join('') !== d) throw new Error(`unexpected path syntax: ${d.slice(0, 80)}`);
  for (const command of commands) {
    const [, x, y, run, back] = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/.exec(command)!.map(Number);
    if (run !== back) throw new Error(`open run: ${command}`);
    for (let i = 0; i < run!; i++) matrix[y!]![x! + i] = true;
  }
  return matrix;
}
