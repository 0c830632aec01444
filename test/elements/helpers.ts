/** Views and relay failures every element's tests build: one definition, so they cannot drift apart. */
import { RelayError } from '../../src/client/relay-error.js';
import type { ActionView, FinalDecision, SessionView } from '../../src/contract/browser.js';

export function challengeViewOf(action: ActionView, revision = 2): SessionView {
  return { state: 'challenge', step: { index: 1, total: 1 }, action, revision };
}

export function decidedView(decision: FinalDecision = 'ALLOW', revision = 9): SessionView {
  return { state: 'decided', decision, revision };
}

export function relayError(code: string, status: number, extra: { retryAfterSeconds?: number } = {}): RelayError {
  return new RelayError(code, `relay says ${code}`, { status, ...extra });
}
