import { randomInt } from 'node:crypto';

/**
 * Kount publishes no quiz rules. The sandbox follows the analogue vendors in kount-api.md §6:
 * 3 to 5 questions, a 5-minute limit per questionnaire, two tries (a new questionnaire after a
 * failed first one).
 */
export const KBA_POLICY = {
  minQuestions: 3,
  maxQuestions: 5,
  timeLimitMs: 5 * 60 * 1000,
  maxAttempts: 2,
} as const;

export type KbaChoiceTypeName = 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE';

export interface BankQuestion {
  readonly text: string;
  readonly choiceType: KbaChoiceTypeName;
  /** The last choice stays last when the others are shuffled ("None of the above"). */
  readonly choices: readonly string[];
  readonly correct: readonly string[];
}

const NONE = 'None of the above';

/**
 * Facts about one imaginary applicant. Some texts hold `<`, `&` and quotes on purpose: question
 * text is untrusted input for the elements, and these show whether it is rendered as text.
 */
export const KBA_QUESTION_BANK: readonly BankQuestion[] = [
  {
    text: 'In which city was your first driving licence issued?',
    choiceType: 'SINGLE_CHOICE',
    choices: ['Springfield', 'Riverton', 'Lakeside', 'Fairview', NONE],
    correct: ['Riverton'],
  },
  {
    text: 'Which of these lenders has given you a car loan?',
    choiceType: 'SINGLE_CHOICE',
    choices: ['Harbor Credit Union', 'First Meridian Bank', 'Summit Auto Finance', 'Oakmont Savings', NONE],
    correct: ['Summit Auto Finance'],
  },
  {
    text: 'In which year did you open your first credit card?',
    choiceType: 'SINGLE_CHOICE',
    choices: ['1998', '2003', '2009', '2014', NONE],
    correct: ['2009'],
  },
  {
    text: 'Which of these employers have you worked for? <Choose one>',
    choiceType: 'SINGLE_CHOICE',
    choices: ['O’Brien & Daughters <Ltd>', 'Acme "Widgets" Inc.', 'Globex Corporation', 'Initech', NONE],
    correct: ['O’Brien & Daughters <Ltd>'],
  },
  {
    text: 'Which of these streets have you lived on? Choose all that apply.',
    choiceType: 'MULTIPLE_CHOICE',
    choices: ['Maple Avenue', 'Harbour Road', 'Elm Street', 'Cedar Lane', NONE],
    correct: ['Maple Avenue', 'Cedar Lane'],
  },
  {
    text: 'Which of these phone numbers have been yours? Choose all that apply.',
    choiceType: 'MULTIPLE_CHOICE',
    choices: ['(555) 010-2231', '(555) 010-7788', '(555) 010-4410', '(555) 010-9902', NONE],
    correct: ['(555) 010-7788'],
  },
  {
    text: 'Which of these people have shared an address with you? Choose all that apply.',
    choiceType: 'MULTIPLE_CHOICE',
    choices: ['Sam Rivera', 'Alex Chen', 'Jordan Patel', 'Casey Novak', NONE],
    correct: ['Alex Chen', 'Casey Novak'],
  },
];

export interface QuizChoice {
  readonly choiceId: number;
  readonly choiceText: string;
}

export interface QuizQuestion {
  readonly questionId: number;
  readonly questionText: string;
  readonly choiceType: KbaChoiceTypeName;
  readonly choices: readonly QuizChoice[];
  readonly correctChoiceIds: readonly number[];
}

export interface Questionnaire {
  readonly questionnaireId: number;
  readonly questions: readonly QuizQuestion[];
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = randomInt(0, index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/**
 * 3 to 5 questions drawn at random, at least one of each choice type. Ids are integers, as in the
 * reference, and derived from the questionnaire id so an answer to an older questionnaire of the
 * same case is recognised as such: question `q` of questionnaire `n` is `n * 10 + q`, its choice
 * `c` is `(n * 10 + q) * 10 + c`.
 */
export function drawQuestionnaire(questionnaireId: number): Questionnaire {
  const count = randomInt(KBA_POLICY.minQuestions, KBA_POLICY.maxQuestions + 1);
  const pool = shuffled(KBA_QUESTION_BANK);
  const firstSingle = pool.find((question) => question.choiceType === 'SINGLE_CHOICE');
  const firstMultiple = pool.find((question) => question.choiceType === 'MULTIPLE_CHOICE');
  const rest = pool.filter((question) => question !== firstSingle && question !== firstMultiple);
  const picked = shuffled([firstSingle, firstMultiple, ...rest.slice(0, count - 2)].filter((question) => question !== undefined));
  const questions = picked.map((question, questionIndex): QuizQuestion => {
    const questionId = questionnaireId * 10 + questionIndex + 1;
    const last = question.choices.at(-1) ?? '';
    const order = [...shuffled(question.choices.slice(0, -1)), last];
    const choices = order.map((choiceText, choiceIndex) => ({ choiceId: questionId * 10 + choiceIndex + 1, choiceText }));
    const correctChoiceIds = choices.filter((choice) => question.correct.includes(choice.choiceText)).map((choice) => choice.choiceId);
    return { questionId, questionText: question.text, choiceType: question.choiceType, choices, correctChoiceIds };
  });
  return { questionnaireId, questions };
}
