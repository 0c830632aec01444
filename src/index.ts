/**
 * CDN entry: one `<script type="module">` (or the classic IIFE build) is all a page needs.
 * `<verification-flow>` is defined at once; each leaf element (`<otp-entry>`, `<kba-quiz>`,
 * `<oth-waiting>`, `<docv-status>`) is a file of its own, loaded when a flow reaches its step or
 * when the page places the tag itself. npm users import single elements from their `define`
 * modules instead.
 */
import { autoloadLeafElements } from './autoload.js';
import './elements/verification-flow/define.js';

autoloadLeafElements();

export { VerificationFlow } from './elements/verification-flow/verification-flow.js';
export { loadElement } from './elements/verification-flow/action-elements.js';
export { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from './elements/shared/events.js';
export { registerMessages } from './elements/shared/localize.js';
export { RelayClient, RelayError } from './client/index.js';
