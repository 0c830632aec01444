export { RelayClient, type RelayClientOptions } from './relay-client.js';
export { RelayError, type ClientErrorCode } from './relay-error.js';
