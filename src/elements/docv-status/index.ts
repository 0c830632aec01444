export { DocvStatus, type DocvStatusClient } from './docv-status.js';
export { safeLinkUrl as safeCaptureUrl } from '../../contract/safe-url.js';
