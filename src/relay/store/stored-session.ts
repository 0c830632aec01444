/**
 * What the store holds of a session (SECURITY 42): the whole session sealed as one value, bound to
 * its id, and each view in its replay log sealed on its own, bound to the session and the event id.
 * So a dump of any engine shows no contact, no question or choice of a KBA, no capture link; and
 * a sealed session or view copied into another session, or to another place in the log, does not
 * open. The ids, versions and aliases stay readable: they are how the store finds things.
 *
 * A session that opens is checked against the schema before anyone acts on it: the tag proves that
 * a relay holding the key wrote it, not that the relay was this version (a rolling upgrade); what
 * does not fit reads as "no session", never as a half-session.
 */
import { Session } from '../sessions.js';
import { Sealer } from './sealing.js';
import type { StoredEvent } from './session-store.js';

export class SessionCodec {
  readonly #sealer: Sealer;

  /** Seals with the key of the first secret; opens with the key of any (a rotation keeps stored sessions readable). */
  constructor(sessionSecrets: string | readonly string[]) {
    this.#sealer = new Sealer(sessionSecrets);
  }

  /** The ids of the keys held, the sealing one first. */
  get keyIds(): string[] {
    return this.#sealer.keyIds;
  }

  encode(session: Session): string {
    return this.#sealer.seal(JSON.stringify(session), sessionData(session.id));
  }

  /**
   * The session in `text`, or null when it is not one this relay wrote for `id`. Throws
   * `SealedWithUnknownKey` when it was sealed with a key this instance does not hold.
   */
  decode(id: string, text: string): Session | null {
    const plain = this.#sealer.open(text, sessionData(id));
    if (plain === null) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(plain);
    } catch {
      return null;
    }
    const stored = Session.safeParse(raw);
    return stored.success && stored.data.id === id ? stored.data : null;
  }

  encodeEvent(sessionId: string, event: StoredEvent): StoredEvent {
    return { id: event.id, data: this.#sealer.seal(event.data, eventData(sessionId, event.id)) };
  }

  /** The event opened, or null when it is not one this relay wrote there; throws as `decode` does. */
  decodeEvent(sessionId: string, event: StoredEvent): StoredEvent | null {
    const data = this.#sealer.open(event.data, eventData(sessionId, event.id));
    return data === null ? null : { id: event.id, data };
  }
}

/** Distinct additional data for a session and for its events, so neither opens as the other. */
function sessionData(id: string): string {
  return `session ${id}`;
}

function eventData(sessionId: string, eventId: number): string {
  return `event ${sessionId} ${eventId}`;
}
