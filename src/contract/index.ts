export * from './browser.js';
export { describeIssues, firstIssuePath } from './issues.js';
