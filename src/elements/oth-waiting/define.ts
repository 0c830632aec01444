/** Registers `<oth-waiting>`. Import this module for the side effect; import `oth-waiting.js` to register under another name. */
import { OthWaiting } from './oth-waiting.js';

OthWaiting.define();

declare global {
  interface HTMLElementTagNameMap {
    'oth-waiting': OthWaiting;
  }
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
