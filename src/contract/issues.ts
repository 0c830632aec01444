import type * as z from 'zod/mini';

/** One line per problem, naming the field: `otp: expected string`, `strategy.actions[0].method: expected string`. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map(describeIssue).join('; ');
}

export function firstIssuePath(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? pathToString(issue.path) : '';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = pathToString(issue.path) || '(body)';
  return `${where}: ${explain(issue)}`;
}

function explain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `too small (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return `too big (maximum ${String(issue.maximum)})`;
    case 'invalid_format':
      return `invalid format (${issue.format})`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed shape';
    default:
      return issue.message || 'invalid';
  }
}

function pathToString(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
