/** English strings of `<kba-quiz>`: they travel with the element, so a page pays for them only when it uses it. */
import type { KbaQuizMessages } from '../shared/locales/en.js';
import { duration } from '../shared/locales/en-steps.js';

export const kbaQuizStrings: KbaQuizMessages = {
  kbaQuestionOf: (index, total) => `Question ${index} of ${total}`,
  kbaChooseAllThatApply: 'Choose all that apply.',
  kbaBack: 'Back',
  kbaNext: 'Next',
  kbaReviewAnswers: 'Review answers',
  kbaReviewTitle: 'Check your answers',
  kbaReviewHint: 'You can change any answer before you submit.',
  kbaChange: 'Change',
  kbaNotAnswered: 'Not answered',
  kbaSubmit: 'Submit answers',
  kbaSubmitting: 'Submitting…',
  kbaChooseOne: 'Choose an answer to continue.',
  kbaChooseAtLeastOne: 'Choose at least one answer to continue.',
  kbaTimeLeft: (seconds) => `Time left: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `${duration(seconds)} left to answer.`,
  kbaTimeUp: "Time's up for these questions.",
  kbaNewQuestions: 'Here are new questions.',
  kbaTooManyAttempts: 'Too many attempts.',
  kbaLockedWait: (seconds) => `Too many attempts. You can try again in ${duration(seconds)}.`,
  kbaUnlocked: 'You can submit your answers again.',
  kbaAnswersKept: 'Your answers are kept.',
};
