/**
 * The ids of the browser request being handled, kept for everything that request runs (Kount
 * calls, store commands, work left running after the answer went out), so that every log line it
 * causes carries them with no parameter passed down. One `AsyncLocalStorage.run` per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** The caller's `x-request-id` when it was well formed, otherwise one the relay made. */
  readonly requestId: string;
  /** The trace id of a well-formed W3C `traceparent` header, when there was one. */
  readonly traceId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<Result>(scope: RequestScope, task: () => Result): Result {
  return storage.run(scope, task);
}

/** The scope of the request whose work is running now; `undefined` outside one (start-up, the customer's own calls). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
