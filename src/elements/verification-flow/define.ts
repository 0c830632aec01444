import { VerificationFlow } from './verification-flow.js';

VerificationFlow.define();

declare global {
  interface HTMLElementTagNameMap {
    'verification-flow': VerificationFlow;
  }
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
