import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { DocvActionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/docv-status/define.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { challengeViewOf } from '../helpers.js';
export { decidedView, relayError } from '../helpers.js';

export const CAPTURE_URL = 'https://capture.kount.test/docv/s/abc123?lang=en';

export function docvAction(overrides: Partial<DocvActionView> = {}): DocvActionView {
  return {
    method: 'DOCV',
    delivery: 'SMS',
    destination: '+1 *** *** 4567',
    captureUrl: null,
    progress: 'SENT',
    retryAllowed: false,
    remainingRetries: null,
    ...overrides,
  };
}

export function linkAction(overrides: Partial<DocvActionView> = {}): DocvActionView {
  return docvAction({ delivery: 'LINK', destination: null, captureUrl: CAPTURE_URL, ...overrides });
}

export const challengeView = (action: DocvActionView = docvAction(), revision = 2): SessionView => challengeViewOf(action, revision);

/** A client whose calls never settle unless a test says otherwise; `events` is left out unless asked for. */
export interface FakeClient {
  view: sinon.SinonStub<[AbortSignal?], Promise<SessionView>>;
  answer: sinon.SinonStub<[unknown, AbortSignal?], Promise<SessionView>>;
  events?: sinon.SinonStub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>;
  relay: string;
}

export function fakeClient(options: { events?: boolean } = {}): FakeClient {
  const pending = () => new Promise<SessionView>(() => {});
  const client: FakeClient = {
    view: sinon.stub<[AbortSignal?], Promise<SessionView>>().callsFake(pending),
    answer: sinon.stub<[unknown, AbortSignal?], Promise<SessionView>>().callsFake(pending),
    relay: `/verify-test-${Math.random().toString(36).slice(2)}`,
  };
  if (options.events) {
    client.events = sinon
      .stub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>()
      .callsFake(() => new Promise<Response>(() => {}));
  }
  return client;
}

/**
 * A server-sent event stream the test writes to: `push(view)` sends one `view` event in the
 * relay's format (id, event, data), `close()` ends the stream.
 */
export function sseStream(): { response: Response; push(view: SessionView): void; close(): void } {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(encoder.encode('retry: 3000\n\n'));
    },
  });
  const response = new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  return {
    response,
    push: (view) => controller.enqueue(encoder.encode(`id: ${view.revision}\nevent: view\ndata: ${JSON.stringify(view)}\n\n`)),
    close: () => controller.close(),
  };
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

export const partOf = (el: DocvStatus, part: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`);
export const errorOf = (el: DocvStatus) => partOf(el, 'error')!;
export const statusOf = (el: DocvStatus) => partOf(el, 'status')!;
export const buttonOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]');
export const linkOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="link"]');
export const qrOf = (el: DocvStatus) => el.shadowRoot!.querySelector<SVGSVGElement>('svg[part="qr"]');
export const textOf = (el: DocvStatus) => partOf(el, 'base')!.textContent!.replace(/\s+/g, ' ');
export const stepsOf = (el: DocvStatus) => [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~="step"]')];
export const currentStepOf = (el: DocvStatus) =>
  el.shadowRoot!.querySelector<HTMLLIElement>('[aria-current="step"]')?.dataset.step ?? 'none';

/** Lets settled promises and the resulting Lit updates run. */
export async function settle(el: DocvStatus): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    await el.updateComplete;
  }
}

/** Where focus is inside the element, as text (see the otp-entry helpers for why). */
export function focusedPart(el: DocvStatus): string {
  const active = el.shadowRoot!.activeElement;
  return active ? (active.getAttribute('part') ?? active.tagName.toLowerCase()) : 'nothing';
}

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
