/**
 * Where the store keeps things in Redis, one layout for a single primary and for a cluster: a
 * session's hash, its event list and its channel share the hash tag `{<session id>}`, so one
 * script can change them together in one slot; small values stand alone; the counters of one
 * quota group (a destination's hour and day) share a tag of their own.
 */
export class RedisKeys {
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  session(id: string): string {
    return `${this.#prefix}s:{${id}}`;
  }

  events(id: string): string {
    return `${this.#prefix}e:{${id}}`;
  }

  channel(id: string): string {
    return `${this.#prefix}live:{${id}}`;
  }

  value(key: string): string {
    return `${this.#prefix}v:${key}`;
  }

  /** `send:<id>:hour` → `<prefix>q:{send:<id>}:hour`: a group is the key up to its last segment. */
  quota(key: string): { group: string; key: string } {
    const split = key.lastIndexOf(':');
    const group = split > 0 ? key.slice(0, split) : key;
    const rest = split > 0 ? key.slice(split) : '';
    return { group, key: `${this.#prefix}q:{${group}}${rest}` };
  }
}
