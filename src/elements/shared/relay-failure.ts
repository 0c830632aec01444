/**
 * How every element reads a failed relay call, so they agree on which failures end the session.
 */

/** What an element needs to know about a failed relay call. */
export interface RelayFailure {
  /** The relay's stable code or one of the client's (`network_error`, `timeout`, ...). */
  code: string;
  retryAfterSeconds?: number | undefined;
}

/** Codes after which nothing on this page can help: the page has to start a new verification. */
const sessionEndingCodes = new Set(['session_missing', 'session_invalid', 'session_expired', 'session_unknown', 'session_finished']);

export function endsSession(code: string): boolean {
  return sessionEndingCodes.has(code);
}

/** The failure in anything a relay call threw or rejected with. */
export function relayFailure(error: unknown): RelayFailure {
  // Duck-typed rather than `instanceof RelayError`: a page may load two copies of the client.
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    const { code, retryAfterSeconds } = error as { code: string; retryAfterSeconds?: unknown };
    return { code: unreachable(code), retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : undefined };
  }
  if (error instanceof DOMException && error.name === 'AbortError') return { code: 'aborted' };
  if (error instanceof TypeError) return { code: unreachable('network_error') };
  return { code: 'invalid_response' };
}

/**
 * A relay that could not be reached, told apart by whether the browser itself is offline
 * (`offline`: check your connection) or the relay is down (`network_error`: the service).
 */
function unreachable(code: string): string {
  return code === 'network_error' && typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : code;
}
