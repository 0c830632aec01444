/**
 * Runs one state-changing request per session at a time. Without it, parallel wrong answers would
 * all read the same failed-attempt count and slip past the lockout (SECURITY 14) or the resend cap
 * (SECURITY 15). In-process only: a shared store needs a shared lock as well.
 */
export class SessionLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(sessionId) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.#tails.set(sessionId, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(sessionId) === tail) this.#tails.delete(sessionId);
    }
  }
}
