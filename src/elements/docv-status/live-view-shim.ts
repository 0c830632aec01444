/**
 * TEMPORARY stand-in for `src/elements/shared/live-view-controller.ts` and
 * `src/client/live-updates.ts`, which another engineer is writing with this API. Delete this file
 * and import from those modules once they land.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SessionView } from '../../contract/browser.js';

export type LiveConnection = 'connecting' | 'streaming' | 'polling' | 'offline' | 'stopped';

export interface LiveUpdatesClient {
  view(signal?: AbortSignal): Promise<SessionView>;
  events(options: { lastEventId?: string; signal: AbortSignal }): Promise<Response>;
  readonly relay: string;
}

const POLL_MS = 2000;

export class LiveViewController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onView: (view: SessionView) => void;
  #client: LiveUpdatesClient | undefined;
  #run: AbortController | undefined;
  #connection: LiveConnection = 'stopped';
  #lastEventId: string | undefined;
  #wake: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: { onView(view: SessionView): void; onError?(error: unknown): void }) {
    this.#host = host;
    this.#onView = options.onView;
    host.addController(this);
  }

  get connection(): LiveConnection {
    return this.#connection;
  }

  watch(client: LiveUpdatesClient | undefined): void {
    if (client === this.#client && (this.#run || !client)) return;
    this.stop();
    this.#client = client;
    if (client && this.#host.isConnected) this.#start(client);
  }

  stop(): void {
    this.#run?.abort();
    this.#run = undefined;
    this.#client = undefined;
    this.#set('stopped');
  }

  refresh(): void {
    this.#wake?.();
  }

  hostConnected(): void {
    if (this.#client && !this.#run) this.#start(this.#client);
  }

  hostDisconnected(): void {
    this.#run?.abort();
    this.#run = undefined;
  }

  #set(connection: LiveConnection): void {
    if (connection === this.#connection) return;
    this.#connection = connection;
    this.#host.requestUpdate();
  }

  #start(client: LiveUpdatesClient): void {
    const run = new AbortController();
    this.#run = run;
    void this.#loop(client, run.signal);
  }

  #deliver(view: SessionView, signal: AbortSignal): boolean {
    if (signal.aborted) return false;
    this.#onView(view);
    return view.state !== 'decided';
  }

  async #loop(client: LiveUpdatesClient, signal: AbortSignal): Promise<void> {
    this.#set('connecting');
    try {
      const response = await client.events({ ...(this.#lastEventId ? { lastEventId: this.#lastEventId } : {}), signal });
      if (!response.ok || !response.body) throw new TypeError('no stream');
      this.#set('streaming');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal.aborted) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          const id = block.split('\n').find((line) => line.startsWith('id:'));
          if (id) this.#lastEventId = id.slice(3).trim();
          if (!data) continue;
          const view = SessionView.safeParse(JSON.parse(data));
          if (view.success && !this.#deliver(view.data, signal)) {
            if (this.#run?.signal === signal) this.stop();
            return;
          }
        }
      }
    } catch {
      // No stream: poll below.
    }
    await this.#poll(client, signal);
  }

  async #poll(client: LiveUpdatesClient, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const view = await client.view(signal);
        this.#set('polling');
        if (!this.#deliver(view, signal)) {
          if (this.#run?.signal === signal) this.stop();
          return;
        }
      } catch {
        if (signal.aborted) return;
        this.#set('offline');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}
