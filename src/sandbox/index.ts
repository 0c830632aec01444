/** The Kount 360 simulator: same paths and payloads as the real API, scripted personas, an inbox and fault injection. */
export { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_PATHS, LEGACY_TOKEN_PATH, DEFAULT_TOKEN_LIFETIME_SECONDS, type Clock } from './defaults.js';
export { createSandbox, type Sandbox, type SandboxOptions } from './app.js';
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from './server.js';
export type { SentMessage, SentMessages, MessageChannel } from './outbox.js';
export { FaultSpec, type ActiveFault, type SandboxFaults } from './faults.js';
export type { SandboxStats, Endpoint } from './endpoints.js';
export { PERSONAS, personaFor, type Persona, type FinalDecision } from './personas.js';
export type { StepDefinition, OtpStepDefinition } from './steps.js';
export { OTP_POLICY } from './otp.js';
export { DEFAULT_SMS_DESTINATION } from './otp-step.js';
