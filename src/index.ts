/**
 * CDN entry: defines every element. One `<script type="module">` (or the classic IIFE build) is
 * all a page needs; npm users can import single elements from their `define` modules instead.
 */
import './elements/otp-entry/define.js';
import './elements/verification-flow/define.js';

export { OtpEntry } from './elements/otp-entry/otp-entry.js';
export { VerificationFlow } from './elements/verification-flow/verification-flow.js';
export { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from './elements/shared/events.js';
export { registerMessages } from './elements/shared/localize.js';
export { RelayClient, RelayError } from './client/index.js';
