import { fixture, html } from '@open-wc/testing';
import type { KbaActionView } from '../../../src/contract/browser.js';
import type { KbaQuiz } from '../../../src/elements/kba-quiz/kba-quiz.js';
import { kbaAction, settle } from '../helpers.js';
import { runStepElementSuite } from '../shared/step-element-suite.js';
import { inputsOf, primaryOf } from './fixtures.js';

runStepElementSuite<KbaQuiz>({
  tag: 'kba-quiz',
  action: () => kbaAction(),
  mount: (client, action) => fixture<KbaQuiz>(html`<kba-quiz lang="en" .client=${client} .action=${action as KbaActionView | undefined}></kba-quiz>`),
  // The first choice of every question, then Submit on the review.
  act: async (el) => {
    for (let question = 0; question <= (el.action?.questions.length ?? 0); question++) {
      inputsOf(el)[0]?.click();
      primaryOf(el).click();
      await settle(el);
    }
  },
  actCall: 'answer',
});
