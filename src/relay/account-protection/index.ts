/** Kount 360 Account Protection in the relay: v2 calls, the v1 facade and the v1 <-> v2 mapping. */
export {
  AccountProtectionClient,
  DEFAULT_ACCOUNT_PROTECTION_PATHS,
  type AccountProtectionClientOptions,
  type AccountProtectionPaths,
  type ChallengeOutcomeReport,
  type DecisionAnswer,
  type StartedChallenge,
} from './client.js';
export { AccountProtectionV1, type AccountProtectionV1Options, type V1Answer } from './v1-facade.js';
export * from './mapping.js';
