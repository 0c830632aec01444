export * from './browser.js';
export * from './relay-api.js';
export { describeIssues, firstIssuePath } from './issues.js';
