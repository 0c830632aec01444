import type { ActionStatus } from './action-status.js';
import type { KbaChoiceTypeName } from './kba-bank.js';

/** What the inbox page and `GET /sandbox/kba.json` show, so a person or a test can pass the quiz. */
export interface KbaAnswerKey {
  readonly authenticationId: string;
  readonly questionnaireId: number;
  readonly status: ActionStatus;
  readonly expiresAt: string;
  readonly remainingVerificationAttempts: number;
  /** Ready to post as the KBA action's `data.questions`. */
  readonly questions: readonly { readonly questionId: number; readonly answers: readonly number[] }[];
  readonly answerKey: readonly {
    readonly questionId: number;
    readonly questionText: string;
    readonly choiceType: KbaChoiceTypeName;
    readonly correctChoices: readonly { readonly choiceId: number; readonly choiceText: string }[];
  }[];
}

export interface KbaAnswerSource {
  answerKey(): KbaAnswerKey;
}

const MAX_KEPT_QUIZZES = 500;

/** The KBA steps of all cases, by case, with the questionnaire ids they draw from. */
export class KbaQuizBook {
  readonly #sources = new Map<string, KbaAnswerSource>();
  #lastQuestionnaireId = 7000;

  nextQuestionnaireId(): number {
    this.#lastQuestionnaireId += 1;
    return this.#lastQuestionnaireId;
  }

  register(authenticationId: string, source: KbaAnswerSource): void {
    this.#sources.delete(authenticationId);
    this.#sources.set(authenticationId, source);
    if (this.#sources.size > MAX_KEPT_QUIZZES) {
      const oldest = this.#sources.keys().next().value;
      if (oldest !== undefined) this.#sources.delete(oldest);
    }
  }

  find(authenticationId: string): KbaAnswerKey | undefined {
    return this.#sources.get(authenticationId)?.answerKey();
  }

  /** Newest first. */
  list(): readonly KbaAnswerKey[] {
    return [...this.#sources.values()].reverse().map((source) => source.answerKey());
  }

  clear(): void {
    this.#sources.clear();
  }
}
