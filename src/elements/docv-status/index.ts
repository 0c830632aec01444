export { DocvStatus, type DocvStatusClient } from './docv-status.js';
export { safeCaptureUrl } from './capture-url.js';
