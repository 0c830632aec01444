export { VerificationFlow } from './verification-flow.js';
