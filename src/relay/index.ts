/** The relay's public API: what a customer's backend imports. */
export { createRelay, type Relay } from './relay.js';
export { relayOptionsFromEnv, type RelayOptions, type RelayConfig, type RelayDependencies } from './config.js';
export type { StartChallengeInput, StartMfaChallengeInput, StartedChallenge, ChallengeOutcome, DecidedOutcome, OutcomeExpectation } from './challenges.js';
export { KountClient, type KountClientOptions, type KountFetch, type KountPaths } from './kount-client.js';
export type { ChallengeAdmission, ChallengeRequest } from './send-limits.js';
export { TrustedProxies, canonicalAddress, clientNetwork, clientNetworkOf, type ClientRequest, type HeaderSource } from './client-address.js';
export { toE164, normalizeEmail } from './phone-number.js';
export { OutcomeError, RelayError, toErrorResponse, type OutcomeErrorCode } from './errors.js';
export { createConsoleLogger, silentLogger, withRequestIds, type Logger, type LogFields, type LogLevel, type ConsoleLoggerOptions } from './logger.js';
export { toNodeListener, type FetchHandler, type NodeListener } from './node.js';
export { routeHandlers, type RouteHandler } from './route-handlers.js';
export type { RelayRequestContext, RequestBody } from './request-context.js';
export { MemorySessionStore, RedisSessionStore, type RedisStoreOptions, type SessionStore, type SessionCommit, type StoredEvent, type EventListener, type Quota, type QuotaAnswer } from './store/index.js';
export type { ViewEvent, ViewListener } from './live-updates.js';
export { STREAM_RETRY_MS } from './event-stream.js';
export {
  WEBHOOK_BODY_LIMIT_BYTES,
  WEBHOOK_DEDUPE_TTL_SECONDS,
  EVENT_SIGNATURE_HEADER,
  EVENT_TIMESTAMP_HEADER,
  type WebhookErrorCode,
} from './webhooks.js';
export type { MfaStatusHandler } from './webhook-events.js';
export type { JourneyEventListener } from './journey-events.js';
export { JourneyEvent, JourneyEventName, JourneyProduct } from '../contract/journey-events.js';
export type { JourneyEventMessage } from './service/events-webhook.js';
export { WEBHOOK_TOLERANCE_SECONDS, parseWebhookPublicKey } from './webhook-signature.js';
export type { Session, Contact, MfaState } from './sessions.js';
export {
  AccountProtectionClient,
  AccountProtectionV1,
  DEFAULT_ACCOUNT_PROTECTION_PATHS,
  type AccountProtectionClientOptions,
  type AccountProtectionPaths,
  type AccountProtectionV1Options,
  type ChallengeOutcomeReport,
  type DecisionAnswer,
  // `StartedChallenge` is the relay's started verification session; this is the MFA Kount started.
  type StartedChallenge as StartedMfa,
  type V1Answer,
} from './account-protection/index.js';
export {
  challengeOutcomeV1ToV2,
  failedAttemptV1ToV2,
  loginV1ToV2,
  loginV2ResponseToV1,
  newAccountOpeningV1ToV2,
  newAccountOpeningV2ResponseToV1,
  type MappingResult,
  type V2Additions,
  type LoginV2Additions,
  type FailedAttemptV2Additions,
  type NewAccountOpeningV2Additions,
} from './account-protection/mapping.js';
export { challengeOutcomeOf } from './account-protection/mfa.js';
export { createAdminApi, ADMIN_BODY_LIMIT_BYTES, type AdminApiOptions } from './admin/admin-api.js';
export { adminOpenApiDocument, ADMIN_BASE_PATH, HEALTH_PATHS } from './admin/openapi.js';
export { startRelayService, type RunningRelayService, type RelayServiceOptions } from './service/relay-service.js';
export { loadServiceConfig, serviceConfigJsonSchema, SERVICE_ENVIRONMENT, type ServiceConfig, type LoadedServiceConfig } from './service/service-config.js';
export type {
  StartAssessmentRequest,
  StartAssessmentAnswer,
  StartLoginRequest,
  StartLoginAnswer,
  StartNewAccountOpeningRequest,
  StartNewAccountOpeningAnswer,
  HealthAnswer,
} from '../contract/admin-api.js';
