export * from './token.js';
export * from './counters.js';
export * from './decision.js';
export * from './identity-proofing.js';
export * from './webhooks.js';
export * from './account-protection/index.js';
