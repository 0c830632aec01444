/**
 * Where the quiz goes from the screen it shows. Positions 0 to `count - 1` are the questions;
 * `count` is the review screen.
 */

export function isReview(position: number, count: number): boolean {
  return count > 0 && position >= count;
}

/**
 * The screen after the question at `position` is answered: the review after the last question,
 * or when the shopper came from the review to change this answer; otherwise the next question.
 */
export function nextPosition(position: number, count: number, returnToReview: boolean): number {
  return returnToReview || position >= count - 1 ? count : position + 1;
}

/** The screen Back leads to: the question before, never before the first. */
export function previousPosition(position: number): number {
  return Math.max(0, position - 1);
}
