import type { MiddlewareHandler } from 'hono';

/** Enough for any test run or demo session, without growing forever in a long-lived demo. */
const MAX_KEPT = 500;

/**
 * The `deviceSessionId`s the decision calls (assessment, Login v2, New Account Opening v2) carried,
 * newest first, so a test can check that a shop passed on the id its page gave Kount's device
 * data collector (`GET /sandbox/device-sessions.json`).
 */
export class DeviceSessionLog {
  #ids: string[] = [];

  list(): readonly string[] {
    return [...this.#ids];
  }

  clear(): void {
    this.#ids = [];
  }

  /** Reads a copy of the JSON body; the route itself still gets the whole request. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const body: unknown = await c.req.raw.clone().json().catch(() => null);
      const id = body !== null && typeof body === 'object' ? (body as { deviceSessionId?: unknown }).deviceSessionId : undefined;
      if (typeof id === 'string') {
        this.#ids.unshift(id);
        this.#ids.length = Math.min(this.#ids.length, MAX_KEPT);
      }
      await next();
    };
  }
}
