export { OtpEntry, type OtpEntryClient } from './otp-entry.js';
export { normalizeCode, toAsciiDigits } from './code.js';
