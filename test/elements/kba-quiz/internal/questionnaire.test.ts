import { expect } from '@open-wc/testing';
import type { KbaActionView, KbaQuestionView } from '../../../../src/contract/browser.js';
import {
  chosen,
  firstUnanswered,
  kbaAnswer,
  sameQuestionnaire,
  withChoice,
  type Answers,
} from '../../../../src/elements/kba-quiz/internal/questionnaire.js';

const question = (id: string, selection: 'single' | 'multiple', choices = ['a', 'b', 'c']): KbaQuestionView => ({
  id,
  text: `Question ${id}`,
  selection,
  choices: choices.map((choice) => ({ id: choice, text: choice.toUpperCase() })),
});

const action = (questions: KbaQuestionView[]): KbaActionView => ({ method: 'KBA', questions, timeLimitSeconds: null, remainingAttempts: null });

describe('kba-quiz questionnaire', () => {
  describe('sameQuestionnaire', () => {
    it('is true only for the same questions with the same choices, in order', () => {
      const one = action([question('1', 'single'), question('2', 'multiple')]);
      expect(sameQuestionnaire(one, action([question('1', 'single'), question('2', 'multiple')]))).to.equal(true);
      expect(sameQuestionnaire(one, action([question('2', 'multiple'), question('1', 'single')]))).to.equal(false);
      expect(sameQuestionnaire(one, action([question('1', 'single')]))).to.equal(false);
      expect(sameQuestionnaire(one, action([question('1', 'single', ['a', 'b']), question('2', 'multiple')]))).to.equal(false);
      expect(sameQuestionnaire(one, action([question('1', 'single', ['a', 'c', 'b']), question('2', 'multiple')]))).to.equal(false);
      expect(sameQuestionnaire(one, undefined)).to.equal(false);
      expect(sameQuestionnaire(undefined, undefined)).to.equal(false);
    });
  });

  describe('withChoice', () => {
    it('keeps one choice for a single-choice question', () => {
      const q = question('1', 'single');
      let answers: Answers = new Map();
      answers = withChoice(answers, q, 'b', true);
      answers = withChoice(answers, q, 'c', true);
      expect(chosen(answers, q)).to.deep.equal(['c']);
    });

    it('keeps the ticked choices of a multiple-choice question in the question order', () => {
      const q = question('1', 'multiple');
      let answers: Answers = new Map();
      answers = withChoice(answers, q, 'c', true);
      answers = withChoice(answers, q, 'a', true);
      expect(chosen(answers, q)).to.deep.equal(['a', 'c']);
      answers = withChoice(answers, q, 'a', false);
      expect(chosen(answers, q)).to.deep.equal(['c']);
    });

    it('never changes the answers it was given, nor another question', () => {
      const q1 = question('1', 'multiple');
      const q2 = question('2', 'single');
      const before: Answers = new Map([['2', ['b']]]);
      const after = withChoice(before, q1, 'a', true);
      expect(chosen(before, q1)).to.deep.equal([]);
      expect(chosen(after, q2)).to.deep.equal(['b']);
    });
  });

  describe('firstUnanswered and kbaAnswer', () => {
    it('finds the first question with nothing chosen, and builds the answer in question order', () => {
      const questions = [question('1', 'single'), question('2', 'multiple'), question('3', 'single')];
      let answers: Answers = new Map([['2', []]]);
      expect(firstUnanswered(questions, answers)).to.equal(0);
      answers = withChoice(answers, questions[0]!, 'a', true);
      expect(firstUnanswered(questions, answers)).to.equal(1);
      answers = withChoice(withChoice(answers, questions[1]!, 'c', true), questions[1]!, 'b', true);
      answers = withChoice(answers, questions[2]!, 'c', true);
      expect(firstUnanswered(questions, answers)).to.equal(-1);
      expect(kbaAnswer(questions, answers)).to.deep.equal({
        method: 'KBA',
        answers: [
          { questionId: '1', choiceIds: ['a'] },
          { questionId: '2', choiceIds: ['b', 'c'] },
          { questionId: '3', choiceIds: ['c'] },
        ],
      });
    });
  });
});
