/**
 * What the relay's own servers (the admin API, the standalone service) reach inside a relay that a
 * shop's code never needs: kept off the public `Relay` object, found by the relay itself.
 */
import type { AdmissionTokens } from './admission-tokens.js';
import type { RelayConfig } from './config.js';
import type { Telemetry } from './telemetry.js';
import type { Logger } from './logger.js';

export interface RelayInternals {
  readonly config: RelayConfig;
  readonly logger: Logger;
  readonly admissions: AdmissionTokens;
  /** Event streams open on this instance. */
  openStreams(): number;
  /** The first step of a graceful stop: not ready any more, open event streams ended with a retry hint. `close()` does the rest. */
  beginShutdown(): void;
  /** OpenTelemetry spans and metrics, for the admin API's requests too. */
  readonly telemetry: Telemetry;
  /** Looks now at the sessions started here that are in their last second (a timer does it twice a second), for `abandoned`. */
  sweepAbandoned(): Promise<void>;
}

/** Keyed by the relay object itself (any object, so this module needs nothing from `relay.ts`). */
const internals = new WeakMap<object, RelayInternals>();

export function registerInternals(relay: object, parts: RelayInternals): void {
  internals.set(relay, parts);
}

export function internalsOf(relay: object): RelayInternals {
  const found = internals.get(relay);
  if (found === undefined) throw new TypeError('Not a relay made by createRelay().');
  return found;
}
