/** Registers `<docv-status>`. Import this module for the side effect; import `docv-status.js` to register under another name. */
import { DocvStatus } from './docv-status.js';

DocvStatus.define();

declare global {
  interface HTMLElementTagNameMap {
    'docv-status': DocvStatus;
  }
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
