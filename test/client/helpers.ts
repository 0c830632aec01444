import sinon from 'sinon';
import type { LiveUpdatesClient } from '../../src/client/live-updates.js';
import type { SessionView } from '../../src/contract/browser.js';

/** A `text/event-stream` response whose body a test writes to, chunk by chunk. */
export interface FakeStream {
  response: Response;
  push(text: string): void;
  close(): void;
  fail(): void;
  /** Whether the reader cancelled the body (the client went away). */
  readonly cancelled: boolean;
}

export function eventStream(init: { status?: number; contentType?: string } = {}): FakeStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: new Response(body, {
      status: init.status ?? 200,
      headers: { 'content-type': init.contentType ?? 'text/event-stream; charset=utf-8' },
    }),
    push: (text) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    fail: () => controller.error(new TypeError('network error')),
    get cancelled() {
      return cancelled;
    },
  };
}

/** One SSE `view` event as the relay writes it. */
export function viewEvent(view: SessionView): string {
  return `id: ${view.revision}\nevent: view\ndata: ${JSON.stringify(view)}\n\n`;
}

export type FakeLiveClient = {
  relay: string;
  view: sinon.SinonStub<[AbortSignal?], Promise<SessionView>>;
  events: sinon.SinonStub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>;
};

/** A client whose calls never settle unless the test says otherwise. */
export function fakeLiveClient(relay = '/verify'): FakeLiveClient & LiveUpdatesClient {
  return {
    relay,
    view: sinon.stub<[AbortSignal?], Promise<SessionView>>().callsFake(() => new Promise(() => {})),
    events: sinon.stub<[{ lastEventId?: string; signal: AbortSignal }], Promise<Response>>().callsFake(() => new Promise(() => {})),
  };
}

/** Lets pending promise callbacks (stream reads, parsed events) run. */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
}
