export { RelayClient, type RelayClientOptions } from './relay-client.js';
export { RelayError, type ClientErrorCode } from './relay-error.js';
export {
  watchSession,
  SessionWatch,
  EventStreamParser,
  type LiveConnection,
  type LiveUpdatesClient,
  type WatchSessionOptions,
  type ServerSentEvent,
} from './live-updates.js';
