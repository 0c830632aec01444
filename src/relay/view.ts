/** The browser's picture of a session: the open step, narrowed to what the element needs. */
import type { ActionView, SessionView } from '../contract/browser.js';
import { unknownActionStatus } from '../contract/kount/index.js';
import type { Methods } from './methods/index.js';
import { openActionIndex, type Session } from './sessions.js';

/**
 * The session's fields no view reads: a change of these alone is stored without building a view,
 * and never shown. Any other field may show, so a field added later is compared by its views.
 */
export const FIELDS_NO_VIEW_READS = ['answersInFlight', 'answersSettled', 'refreshDueAt', 'confirmedAt', 'confirmationKey'] as const satisfies readonly (keyof Session)[];

export function buildView(session: Session, now: number, methods: Methods): SessionView {
  const index = openActionIndex(session.actions);
  const action = session.actions[index];
  // A session without an open action always carries a decision (see `verification-outcome.ts`); REVIEW is the safe reading otherwise.
  if (session.decision !== null || !action) {
    return { state: 'decided', decision: session.decision ?? 'REVIEW', revision: session.revision };
  }
  const method = methods.for(session, action);
  const view: ActionView =
    unknownActionStatus(action) !== undefined ? { method: 'UNAVAILABLE' } : method ? method.view(action, session, now) : { method: 'UNSUPPORTED', name: methodName(action.method) };
  return { state: 'challenge', step: { index: index + 1, total: session.actions.length }, action: view, revision: session.revision };
}

/**
 * Kount's text reaches the browser only when it looks like a method name; anything else (an
 * upstream echoing a token or an id, say) is replaced, so the view cannot leak it (SECURITY 9).
 */
function methodName(raw: string): string {
  const trimmed = raw.trim();
  return /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(trimmed) ? trimmed.toUpperCase() : 'UNKNOWN';
}
