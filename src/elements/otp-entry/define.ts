/** Registers `<otp-entry>`. Import this module for the side effect; import `otp-entry.js` to register under another name. */
import { OtpEntry } from './otp-entry.js';

OtpEntry.define();

declare global {
  interface HTMLElementTagNameMap {
    'otp-entry': OtpEntry;
  }
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
