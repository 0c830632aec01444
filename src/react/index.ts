/**
 * `k360-verify/react`: the elements as React components, made with `@lit/react` (install it and
 * React 19 beside this package). Properties are set as properties, events are `on…` props with
 * typed events:
 *
 * ```tsx
 * <VerificationFlow relay="/verify" onVerifyComplete={(event) => confirm(event.detail.decision)} />
 * ```
 *
 * This module registers all five elements. A page that needs only the flow (its steps load on
 * demand) can render `<verification-flow>` itself, typed by `k360-verify/types/react`.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { DocvStatus as DocvStatusElement } from '../elements/docv-status/docv-status.js';
import { KbaQuiz as KbaQuizElement } from '../elements/kba-quiz/kba-quiz.js';
import { OthWaiting as OthWaitingElement } from '../elements/oth-waiting/oth-waiting.js';
import { OtpEntry as OtpEntryElement } from '../elements/otp-entry/otp-entry.js';
import type { VerifyAnalyticsEvent, VerifyCompleteEvent, VerifyErrorEvent, VerifyRestartEvent, VerifyStepEvent } from '../elements/shared/events.js';
import { VerificationFlow as VerificationFlowElement } from '../elements/verification-flow/verification-flow.js';
import '../elements/docv-status/define.js';
import '../elements/kba-quiz/define.js';
import '../elements/oth-waiting/define.js';
import '../elements/otp-entry/define.js';
import '../elements/verification-flow/define.js';

export type { VerifyAnalyticsEvent, VerifyCompleteEvent, VerifyErrorEvent, VerifyRestartEvent, VerifyStepEvent } from '../elements/shared/events.js';

const outcome = {
  onVerifyComplete: 'verify-complete' as EventName<VerifyCompleteEvent>,
  onVerifyError: 'verify-error' as EventName<VerifyErrorEvent>,
  onVerifyAnalytics: 'verify-analytics' as EventName<VerifyAnalyticsEvent>,
};
const step = { ...outcome, onVerifyStep: 'verify-step' as EventName<VerifyStepEvent> };
const flow = { ...outcome, onVerifyRestart: 'verify-restart' as EventName<VerifyRestartEvent> };

/** `<verification-flow>`: renders whatever the strategy asks for next and reports the decision. */
export const VerificationFlow = createComponent({ react: React, tagName: 'verification-flow', elementClass: VerificationFlowElement, events: flow, displayName: 'VerificationFlow' });
/** `<otp-entry>`: a one-time passcode. */
export const OtpEntry = createComponent({
  react: React,
  tagName: 'otp-entry',
  elementClass: OtpEntryElement,
  events: { ...step, onInput: 'input' as EventName<InputEvent>, onChange: 'change' },
  displayName: 'OtpEntry',
});
/** `<kba-quiz>`: knowledge-based questions. */
export const KbaQuiz = createComponent({ react: React, tagName: 'kba-quiz', elementClass: KbaQuizElement, events: step, displayName: 'KbaQuiz' });
/** `<oth-waiting>`: waits for a one-time link to be opened. */
export const OthWaiting = createComponent({ react: React, tagName: 'oth-waiting', elementClass: OthWaitingElement, events: step, displayName: 'OthWaiting' });
/** `<docv-status>`: document verification on the phone, followed live. */
export const DocvStatus = createComponent({ react: React, tagName: 'docv-status', elementClass: DocvStatusElement, events: step, displayName: 'DocvStatus' });
