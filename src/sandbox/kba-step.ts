import type * as z from 'zod/mini';
import type { ActionData } from '../contract/kount/index.js';
import { drawQuestionnaire, KBA_POLICY, type Questionnaire, type QuizQuestion } from './kba-bank.js';
import type { KbaAnswerKey, KbaAnswerSource } from './kba-quiz-book.js';
import { ACTION_STATUS_BY_OUTCOME, type StepOutcome } from './action-status.js';
import {
  type ResponseAction,
  type StepAnswer,
  type StepContext,
  type StepRejection,
  type StepSubmission,
  type VerificationStep,
} from './steps.js';

type ActionDataBody = z.input<typeof ActionData>;
type GivenId = number | string;

/** The sandbox's own codes (Kount documents none), so the relay can tell wrong answers from a late quiz. */
export type KbaErrorCode = 'ANSWERS_INCORRECT' | 'QUIZ_EXPIRED' | 'VERIFICATION_ATTEMPTS_EXHAUSTED';

interface KbaError {
  readonly code: KbaErrorCode;
  readonly message: string;
}

const sameId = (expected: number, given: GivenId): boolean => String(expected) === String(given).trim();

/**
 * Knowledge-based questions. Every submission of answers is an attempt, a late one included; a
 * wrong first attempt draws a fresh questionnaire (new ids, a new time limit), a wrong second one
 * ends the step as failed. All questions must be answered right; a question left out is wrong.
 * Answers that name a question or choice this questionnaire does not have are refused (400) and
 * change nothing: they are a bug in the caller, not a guess.
 */
export class KbaStep implements VerificationStep, KbaAnswerSource {
  readonly method = 'KBA';
  readonly #context: StepContext;
  #questionnaire: Questionnaire;
  #expiresAtMs = 0;
  #attempts = 0;
  #outcome: StepOutcome = 'open';
  #error: KbaError | undefined;

  constructor(context: StepContext) {
    this.#context = context;
    this.#questionnaire = this.#drawQuestionnaire();
    context.quizzes.register(context.authenticationId, this);
  }

  get outcome(): StepOutcome {
    return this.#outcome;
  }

  reject(data: StepAnswer): StepRejection | undefined {
    const answers = data.questions;
    if (answers === undefined || answers.length === 0) return { field: 'questions', message: 'required for KBA: one entry per question' };
    const seen = new Set<number>();
    for (const [index, answer] of answers.entries()) {
      const question = this.#questionnaire.questions.find((candidate) => sameId(candidate.questionId, answer.questionId));
      if (question === undefined) return { field: `questions[${index}].questionId`, message: 'not a question of the current questionnaire' };
      if (seen.has(question.questionId)) return { field: `questions[${index}].questionId`, message: 'answered twice' };
      seen.add(question.questionId);
      if (answer.answers.length === 0) return { field: `questions[${index}].answers`, message: 'needs at least one choiceId' };
      if (question.choiceType === 'SINGLE_CHOICE' && answer.answers.length > 1) {
        return { field: `questions[${index}].answers`, message: 'a single-choice question takes exactly one choiceId' };
      }
      const unknown = answer.answers.findIndex((given) => !question.choices.some((choice) => sameId(choice.choiceId, given)));
      if (unknown >= 0) return { field: `questions[${index}].answers[${unknown}]`, message: 'not a choice of this question' };
    }
    return undefined;
  }

  submit({ data }: StepSubmission): void {
    if (this.#outcome !== 'open') return;
    this.#error = undefined;
    this.#attempts += 1;
    if (this.#context.now() >= this.#expiresAtMs) {
      this.#failAttempt({ code: 'QUIZ_EXPIRED', message: 'The time to answer has run out.' });
    } else if (this.#allCorrect(data.questions ?? [])) {
      this.#outcome = 'passed';
    } else {
      this.#failAttempt({ code: 'ANSWERS_INCORRECT', message: 'Some answers are not correct.' });
    }
  }

  toAction(): ResponseAction {
    const remaining = String(KBA_POLICY.maxAttempts - this.#attempts);
    const error = this.#error === undefined ? undefined : { ...this.#error };
    const { questionnaireId, questions } = this.#questionnaire;
    if (this.#outcome !== 'open') {
      const data: ActionDataBody = { questionnaireId, verificationAttempts: String(this.#attempts), remainingVerificationAttempts: remaining, error };
      return { method: this.method, status: ACTION_STATUS_BY_OUTCOME[this.#outcome], data };
    }
    const data: ActionDataBody = {
      questionnaireId,
      questions: questions.map((question) => ({
        questionId: question.questionId,
        questionText: question.questionText,
        choiceType: { type: question.choiceType },
        choices: question.choices.map((choice) => ({ ...choice })),
      })),
      authentication: {
        characteristics: [
          { key: 'questionCount', value: String(questions.length), text: 'Questions in this questionnaire' },
          { key: 'timeLimitSeconds', value: String(KBA_POLICY.timeLimitMs / 1000), text: 'Time allowed to answer' },
        ],
      },
      expiresAt: new Date(this.#expiresAtMs).toISOString(),
      verificationAttempts: String(this.#attempts),
      remainingVerificationAttempts: remaining,
      error,
    };
    return { method: this.method, status: 'challenge', data };
  }

  answerKey(): KbaAnswerKey {
    const correctChoices = (question: QuizQuestion) =>
      question.choices.filter((choice) => question.correctChoiceIds.includes(choice.choiceId)).map((choice) => ({ ...choice }));
    return {
      authenticationId: this.#context.authenticationId,
      questionnaireId: this.#questionnaire.questionnaireId,
      status: ACTION_STATUS_BY_OUTCOME[this.#outcome],
      expiresAt: new Date(this.#expiresAtMs).toISOString(),
      remainingVerificationAttempts: KBA_POLICY.maxAttempts - this.#attempts,
      questions: this.#questionnaire.questions.map((question) => ({ questionId: question.questionId, answers: [...question.correctChoiceIds] })),
      answerKey: this.#questionnaire.questions.map((question) => ({
        questionId: question.questionId,
        questionText: question.questionText,
        choiceType: question.choiceType,
        correctChoices: correctChoices(question),
      })),
    };
  }

  #drawQuestionnaire(): Questionnaire {
    this.#expiresAtMs = this.#context.now() + KBA_POLICY.timeLimitMs;
    return drawQuestionnaire(this.#context.quizzes.nextQuestionnaireId());
  }

  #allCorrect(answers: NonNullable<StepAnswer['questions']>): boolean {
    return this.#questionnaire.questions.every((question) => {
      const given = answers.find((answer) => sameId(question.questionId, answer.questionId))?.answers ?? [];
      const chosen = new Set(question.choices.filter((choice) => given.some((id) => sameId(choice.choiceId, id))).map((choice) => choice.choiceId));
      return chosen.size === question.correctChoiceIds.length && question.correctChoiceIds.every((id) => chosen.has(id));
    });
  }

  #failAttempt(error: KbaError): void {
    if (this.#attempts >= KBA_POLICY.maxAttempts) {
      this.#outcome = 'failed';
      this.#error = { code: 'VERIFICATION_ATTEMPTS_EXHAUSTED', message: `${error.message} No attempts are left.` };
      return;
    }
    this.#error = error;
    this.#questionnaire = this.#drawQuestionnaire();
  }
}
