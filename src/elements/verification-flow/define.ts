import { VerificationFlow } from './verification-flow.js';

VerificationFlow.define();

declare global {
  interface HTMLElementTagNameMap {
    'verification-flow': VerificationFlow;
  }
}
