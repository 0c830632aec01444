// #region recipe next-relay
// lib/relay.ts: the shop's one relay, shared by its routes (Next keeps the module between requests).
import { createRelay, relayOptionsFromEnv, type Relay } from 'k360-verify/relay';

let relay: Relay | undefined;

/** Made on first use: `next build` loads the routes that import this with no KOUNT_* or RELAY_* secrets. */
export function getRelay(): Relay {
  relay ??= createRelay(relayOptionsFromEnv());
  return relay;
}
// #endregion recipe
