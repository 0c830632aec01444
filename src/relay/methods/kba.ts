/**
 * Knowledge-based questions: all answers in one call, with Kount's own ids, sent once (SECURITY 5).
 * A quiz still open afterwards means the attempt failed: Kount has drawn fresh questions, which the
 * new view carries with the attempts left. One answer per questionnaire is in flight at a time.
 */
import type { ActionView, KbaActionView } from '../../contract/browser.js';
import { knownMethod, type ActionData, type StrategyAction, type VerificationResponse } from '../../contract/kount/index.js';
import type { KbaAnswer } from '../../contract/relay-api.js';
import { RelayError } from '../errors.js';
import { newReservationId } from '../limits.js';
import { openAction, openActionIndex, type Session } from '../sessions.js';
import { isPast, secondsUntilIso } from '../time.js';
import type { VerificationOutcome } from '../verification-outcome.js';
import { expectAnswer, type ChallengeMethod, type MethodDependencies, type Operation, type Settlement } from './challenge-method.js';

export function kbaMethod({ stepUp, limits }: MethodDependencies): ChallengeMethod {
  return {
    name: 'KBA',
    view: (action, _session, now) => buildKbaView(action, now),
    firstSend: () => null,
    answer: (action, answer, _session, reservedAt): Operation<VerificationResponse> => {
      const questions = kbaAnswersForKount(action, expectAnswer(answer, 'KBA'));
      const id = newReservationId();
      const lateByOurClock = isPast(action.data?.expiresAt, reservedAt);
      return {
        kind: 'answer',
        sends: null,
        reserve: (current, now) => limits.reserveSoleAnswer(current, id, now),
        call: (reserved) => stepUp.verify(reserved, action, { questions }),
        settle: (current, response): Settlement => {
          const applied = stepUp.apply(current, response, action.method);
          const next = limits.release(applied.session, id);
          const outcome = kbaOutcome(current, next, applied.outcome, lateByOurClock);
          const refusal =
            outcome === 'quiz_expired'
              ? new RelayError('quiz_expired', 'The time to answer ran out. Answer the new questions.')
              : outcome === 'wrong_answers'
                ? new RelayError('wrong_answers', 'Some answers were not right. Answer the new questions.')
                : undefined;
          return { session: next, outcome, ...(refusal ? { refusal } : {}) };
        },
        release: (current) => limits.release(current, id),
      };
    },
  };
}

function buildKbaView(action: StrategyAction, now: number): ActionView {
  const data: ActionData = action.data ?? {};
  // A quiz without questions cannot be answered; the flow says so rather than showing an empty form.
  if (!data.questions?.length) return { method: 'UNSUPPORTED', name: 'KBA' };
  const view: KbaActionView = {
    method: 'KBA',
    questions: data.questions.map((question) => ({
      id: kbaViewId(question.questionId),
      text: question.questionText,
      // Only a type Kount marks as single choice gets radios; unknown types get checkboxes, which can express any answer.
      selection: (question.choiceType?.type ?? '').toUpperCase().includes('SINGLE') ? 'single' : 'multiple',
      choices: question.choices.map((choice) => ({ id: kbaViewId(choice.choiceId), text: choice.choiceText })),
    })),
    timeLimitSeconds: secondsUntilIso(data.expiresAt, now),
    remainingAttempts: data.remainingVerificationAttempts ?? null,
  };
  return view;
}

/** Kount's ids as the browser sees them; `kbaAnswersForKount` maps them back. */
export const kbaViewId = (id: number | string): string => String(id);

/**
 * A quiz still open at the same position after an answer means the attempt failed. Kount's error
 * code says whether it was late; without one, the relay's own clock decides.
 */
function kbaOutcome(before: Session, after: Session, outcome: VerificationOutcome, lateByOurClock: boolean): VerificationOutcome | 'wrong_answers' | 'quiz_expired' {
  const open = openAction(after);
  const stillOpen = outcome !== 'decided' && openActionIndex(after.actions) === openActionIndex(before.actions) && knownMethod(open?.method ?? '') === 'KBA';
  if (!stillOpen) return outcome;
  const errorCode = open?.data?.error?.code?.toUpperCase();
  return errorCode === 'QUIZ_EXPIRED' || (errorCode !== 'ANSWERS_INCORRECT' && lateByOurClock) ? 'quiz_expired' : 'wrong_answers';
}

/**
 * The browser's answers with Kount's own ids (numbers stay numbers), in the questionnaire's order.
 * Ids the open questionnaire does not have mean the page shows an older one (409: reload); an
 * answer that could never be right (a question twice, two choices for a single-choice question,
 * a question left out) is refused with the field named, so it does not cost the shopper an attempt.
 */
export function kbaAnswersForKount(action: StrategyAction, answer: KbaAnswer): Array<{ questionId: number | string; answers: Array<number | string> }> {
  const questions = action.data?.questions ?? [];
  const given = new Map<string, { index: number; choiceIds: string[] }>();
  for (const [index, { questionId, choiceIds }] of answer.answers.entries()) {
    if (given.has(questionId)) throw new RelayError('invalid_body', 'Each question is answered once.', { field: `answers[${index}].questionId` });
    if (!questions.some((question) => kbaViewId(question.questionId) === questionId)) throw staleQuestionnaire();
    given.set(questionId, { index, choiceIds });
  }
  return questions.map((question) => {
    const entry = given.get(kbaViewId(question.questionId));
    if (entry === undefined) throw new RelayError('invalid_body', 'Answer every question.', { field: 'answers' });
    const { index, choiceIds } = entry;
    if (new Set(choiceIds).size !== choiceIds.length) {
      throw new RelayError('invalid_body', 'A choice is given twice.', { field: `answers[${index}].choiceIds` });
    }
    const single = (question.choiceType?.type ?? '').toUpperCase().includes('SINGLE');
    if (single && choiceIds.length !== 1) {
      throw new RelayError('invalid_body', 'This question takes exactly one choice.', { field: `answers[${index}].choiceIds` });
    }
    const answers = choiceIds.map((choiceId) => {
      const choice = question.choices.find((candidate) => kbaViewId(candidate.choiceId) === choiceId);
      if (choice === undefined) throw staleQuestionnaire();
      return choice.choiceId;
    });
    return { questionId: question.questionId, answers };
  });
}

function staleQuestionnaire(): RelayError {
  return new RelayError('action_mismatch', 'These answers are for other questions. Load the current questions and answer again.');
}
