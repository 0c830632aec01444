/** Registers `<kba-quiz>`. Import this module for the side effect; import `kba-quiz.js` to register under another name. */
import { KbaQuiz } from './kba-quiz.js';

KbaQuiz.define();

declare global {
  interface HTMLElementTagNameMap {
    'kba-quiz': KbaQuiz;
  }
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
