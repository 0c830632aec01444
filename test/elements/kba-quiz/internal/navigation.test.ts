import { expect } from '@open-wc/testing';
import { isReview, nextPosition, previousPosition } from '../../../../src/elements/kba-quiz/internal/navigation.js';

describe('kba-quiz navigation', () => {
  it('counts the position after the last question as the review, and nothing as review without questions', () => {
    expect(isReview(2, 3)).to.equal(false);
    expect(isReview(3, 3)).to.equal(true);
    expect(isReview(0, 0)).to.equal(false);
  });

  it('goes to the next question, or to the review after the last one', () => {
    expect(nextPosition(0, 3, false)).to.equal(1);
    expect(nextPosition(1, 3, false)).to.equal(2);
    expect(nextPosition(2, 3, false)).to.equal(3);
    expect(nextPosition(0, 1, false)).to.equal(1);
  });

  it('goes back to the review from a changed answer', () => {
    expect(nextPosition(0, 3, true)).to.equal(3);
  });

  it('goes back one question, never before the first', () => {
    expect(previousPosition(2)).to.equal(1);
    expect(previousPosition(0)).to.equal(0);
  });
});
