/** Time that moves only when a test says so. */
export interface FakeClock {
  now(): number;
  advance(milliseconds: number): void;
  advanceSeconds(seconds: number): void;
}

export function createFakeClock(start = Date.UTC(2030, 0, 1, 12, 0, 0)): FakeClock {
  let current = start;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    advanceSeconds(seconds) {
      current += seconds * 1000;
    },
  };
}

/** A `sleep` that records what it was asked to wait, moves the clock by that much and returns at once. */
export function createFakeSleep(clock?: FakeClock): { sleep: (milliseconds: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (milliseconds) => {
      delays.push(milliseconds);
      clock?.advance(milliseconds);
    },
  };
}
