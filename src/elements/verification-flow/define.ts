import '../otp-entry/define.js';
import { VerificationFlow } from './verification-flow.js';

VerificationFlow.define();

declare global {
  interface HTMLElementTagNameMap {
    'verification-flow': VerificationFlow;
  }
}
