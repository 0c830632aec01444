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
export { VerifyAnalyticsEvent, VerifyCompleteEvent, VerifyErrorEvent, VerifyRestartEvent, VerifyStepEvent } from './elements/shared/events.js';
export type { VerifyAnalyticsDetail, VerifyAnalyticsName } from './elements/shared/events.js';
export { registerMessages } from './elements/shared/localize.js';
// Straight from the modules, not the client's index: the index also re-exports the live-update
// code, which the bundler would then keep in this entry instead of in the leaves that use it.
export { RelayClient } from './client/relay-client.js';
export { RelayError } from './client/relay-error.js';
