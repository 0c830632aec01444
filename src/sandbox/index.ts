/** The Kount 360 simulator: same paths and payloads as the real API, scripted personas, an inbox and fault injection. */
export { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, LEGACY_TOKEN_PATH, DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_SMS_DESTINATION, type Clock } from './defaults.js';
export { createSandbox, type Sandbox, type SandboxOptions } from './app.js';
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from './server.js';
export type { SentMessage, SentMessages, MessageChannel } from './outbox.js';
export { FaultSpec, type ActiveFault, type SandboxFaults } from './faults.js';
export type { SandboxStats, Endpoint } from './endpoints.js';
export { PERSONAS, personaFor, type Persona, type FinalDecision } from './personas.js';
export type { StepDefinition, OtpStepDefinition, KbaStepDefinition, OthStepDefinition, DocvStepDefinition } from './steps.js';
export { OTP_POLICY } from './otp.js';
export { KBA_POLICY, KBA_QUESTION_BANK } from './kba-bank.js';
export type { KbaAnswerKey } from './kba-quiz-book.js';
export { OTH_POLICY } from './oth-step.js';
export { DOCV_POLICY } from './docv-step.js';
export { DOCV_PAGE_STEPS, type DocvPageStep, type DocvLinkState, type IssuedLink, type LinkKind, type OthLinkState } from './links.js';
export { LINK_PAGE_CONTENT_SECURITY_POLICY } from './link-pages.js';
export {
  DEFAULT_WEBHOOK_RETRY_INTERVAL_MS,
  WEBHOOK_MAX_ATTEMPTS,
  type SandboxWebhooks,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookKind,
} from './webhook-dispatcher.js';
export { WebhookFaultSpec, type ActiveWebhookFault, type WebhookFaultKind } from './webhook-faults.js';
export { SANDBOX_WEBHOOK_KEY_BITS, WEBHOOK_SIGNATURE, signedBytes, webhookTimestamp } from './webhook-signer.js';
