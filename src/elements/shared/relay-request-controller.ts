/**
 * The relay plumbing every element that talks to the relay repeats: which client to use, one
 * request at a time, and reading the view itself when standalone.
 *
 * - `client`: the host's `client` property when set (`<verification-flow>` passes its own), else a
 *   `RelayClient` for its `relay`/`session` attributes, built once per pair (`relayClientOf`).
 * - `start()`: an `AbortSignal` for a new request; the one before it is aborted, so a stale answer
 *   never lands. `end(signal)` says whether that request was still the current one (the host then
 *   clears its busy state). Everything in flight is aborted when the host leaves the page.
 * - `loadOnce()`: the client to read the view with, once per client, for a host that has no view
 *   to show; `reload()` lets it read again (Try again).
 *
 * How a failure is shown stays with each element: the errors mean different things in each step.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RelayClient } from '../../client/relay-client.js';
import { relayClientOf, type RelayClientSource } from './relay-client-of.js';

/** What the controller reads from its host: the element's own properties of the same names. */
export interface RelayHost<Client> extends ReactiveControllerHost, RelayClientSource<Client> {
  readonly isConnected: boolean;
}

export class RelayRequestController<Client> implements ReactiveController {
  readonly #host: RelayHost<Client>;
  readonly #clientOf: () => Client | RelayClient | undefined;
  #request: AbortController | undefined;
  #loadedFor: Client | RelayClient | undefined;

  constructor(host: RelayHost<Client>) {
    this.#host = host;
    this.#clientOf = relayClientOf(host);
    host.addController(this);
  }

  /** The client to talk to the relay with, or `undefined` when the host has neither. */
  get client(): Client | RelayClient | undefined {
    return this.#clientOf();
  }

  /** A signal for a new request, aborting the one still in flight. */
  start(): AbortSignal {
    this.abort();
    this.#request = new AbortController();
    return this.#request.signal;
  }

  /** Marks the request of `signal` done; whether it was the current one (not aborted, not replaced). */
  end(signal: AbortSignal): boolean {
    if (this.#request?.signal !== signal) return false;
    this.#request = undefined;
    return true;
  }

  /** Aborts the request in flight, if any. */
  abort(): void {
    this.#request?.abort();
    this.#request = undefined;
  }

  /**
   * The client to read the view with when the host has nothing to show yet: once per client, while
   * the host is on the page; `undefined` otherwise.
   */
  loadOnce(): Client | RelayClient | undefined {
    const client = this.client;
    if (!client || !this.#host.isConnected || this.#loadedFor === client) return undefined;
    this.#loadedFor = client;
    return client;
  }

  /** Lets the next `loadOnce` read the view again with the same client. */
  reload(): void {
    this.#loadedFor = undefined;
  }

  hostDisconnected(): void {
    // Nothing may act for an element that left the page; it loads again if it comes back.
    this.abort();
    this.#loadedFor = undefined;
  }
}
