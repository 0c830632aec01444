/**
 * The shopper's answers to one questionnaire, as plain data: which choices are ticked, whether
 * two views ask the same questions, and the answer the relay is sent. No element state here.
 */
import type { KbaActionView, KbaQuestionView } from '../../../contract/browser.js';
import type { KbaAnswer } from '../../../contract/relay-api.js';

/** Chosen choice ids by question id, each list in the order of the question's choices. */
export type Answers = ReadonlyMap<string, readonly string[]>;

/** Two views hold the same questionnaire when they ask the same questions with the same choices. */
export function sameQuestionnaire(a: KbaActionView | undefined, b: KbaActionView | undefined): boolean {
  if (!a || !b || a.questions.length !== b.questions.length) return false;
  return a.questions.every((question, index) => {
    const other = b.questions[index];
    return (
      other !== undefined &&
      other.id === question.id &&
      other.choices.length === question.choices.length &&
      other.choices.every((choice, choiceIndex) => choice.id === question.choices[choiceIndex]?.id)
    );
  });
}

export function chosen(answers: Answers, question: KbaQuestionView): readonly string[] {
  return answers.get(question.id) ?? [];
}

/**
 * The answers after the shopper ticked (or unticked) `choiceId`: the one choice of a single-choice
 * question; for a multiple-choice one, the ticked set kept in the question's order, whatever
 * order it was ticked in.
 */
export function withChoice(answers: Answers, question: KbaQuestionView, choiceId: string, checked: boolean): Answers {
  let next: string[];
  if (question.selection === 'single') {
    next = [choiceId];
  } else {
    const wanted = new Set(chosen(answers, question));
    if (checked) wanted.add(choiceId);
    else wanted.delete(choiceId);
    next = question.choices.map((choice) => choice.id).filter((id) => wanted.has(id));
  }
  return new Map(answers).set(question.id, next);
}

/** The index of the first question with nothing chosen, or -1 when every one is answered. */
export function firstUnanswered(questions: readonly KbaQuestionView[], answers: Answers): number {
  return questions.findIndex((question) => chosen(answers, question).length === 0);
}

/** What the relay is sent for these answers. */
export function kbaAnswer(questions: readonly KbaQuestionView[], answers: Answers): KbaAnswer {
  return {
    method: 'KBA',
    answers: questions.map((question) => ({ questionId: question.id, choiceIds: [...chosen(answers, question)] })),
  };
}
