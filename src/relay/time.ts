/** Whole seconds from `now` until `time` (epoch ms), never negative: what countdowns and Retry-After show. */
export function secondsUntil(time: number, now: number): number {
  return Math.max(0, Math.ceil((time - now) / 1000));
}

/** Seconds until Kount's ISO time, or null when Kount gave none (or one that does not parse). */
export function secondsUntilIso(isoTime: string | undefined, now: number): number | null {
  if (isoTime === undefined) return null;
  const time = Date.parse(isoTime);
  return Number.isNaN(time) ? null : secondsUntil(time, now);
}

export function isPast(isoTime: string | undefined, now: number): boolean {
  if (isoTime === undefined) return false;
  const time = Date.parse(isoTime);
  return !Number.isNaN(time) && now >= time;
}
