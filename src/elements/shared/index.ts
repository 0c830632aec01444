export * from './events.js';
export * from './localize.js';
export * from './styles.js';
export * from './define.js';
export * from './countdown-controller.js';
export * from './live-region.js';
export { endsSession, relayFailure, type RelayFailure } from '../../client/relay-error.js';
export * from './step-controller.js';
export * from './session-controller.js';
