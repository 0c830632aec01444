/**
 * Which client an element talks to the relay with: its `client` property when set (as
 * `<verification-flow>` passes its own), else a `RelayClient` for its `relay`/`session`
 * attributes, built once per pair of values. A function rather than a controller: it has no
 * lifecycle, and `<verification-flow>` (in the CDN entry) needs only this part of the
 * StepController the leaves use.
 */
import { RelayClient } from '../../client/relay-client.js';

/** The element properties a client is resolved from. */
export interface RelayClientSource<Client> {
  /** A ready-made client; wins over `relay`/`session`. */
  client?: Client | undefined;
  /** Where the relay's browser API is mounted; empty for none. */
  relay: string;
  /** The session handle, for a relay on another origin; empty for none. */
  session: string;
}

/** Returns a function that reads `host`'s client now: `undefined` when it has neither a client nor a relay. */
export function relayClientOf<Client>(host: RelayClientSource<Client>): () => Client | RelayClient | undefined {
  let memo: { relay: string; session: string; client: RelayClient } | undefined;
  return () => {
    const { client, relay, session } = host;
    if (client) return client;
    if (!relay) return undefined;
    if (memo?.relay !== relay || memo.session !== session) {
      memo = { relay, session, client: new RelayClient({ relay, ...(session ? { session } : {}) }) };
    }
    return memo.client;
  };
}
