/**
 * One timer for every stream of an instance: each open stream is one entry in a set, not a timer of
 * its own (10,000 streams were 10,000 timers, each waking on its own). A stream's first heartbeat
 * comes within one interval of opening, as before.
 */
export class Heartbeat {
  readonly #intervalMs: number;
  readonly #beats = new Set<Beating>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Calls `beat` (or its `beat()`) every interval until the returned function is called, or `remove`. */
  add(beat: Beating): () => void {
    this.#beats.add(beat);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => {
        for (const each of this.#beats) typeof each === 'function' ? each() : each.beat();
      }, this.#intervalMs);
      // The connections keep a server alive; the timer alone must not keep a process from exiting.
      if (typeof this.#timer === 'object' && 'unref' in this.#timer) this.#timer.unref();
    }
    return () => this.remove(beat);
  }

  remove(beat: Beating): void {
    this.#beats.delete(beat);
    if (this.#beats.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** A heartbeat's listener: a function, or an object (an open stream) with a `beat` method. */
export type Beating = (() => void) | { beat(): void };
