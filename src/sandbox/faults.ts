import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { Endpoint } from './endpoints.js';

/**
 * An injected failure for the relay's resilience tests. `latencyMs` delays the request (then the
 * injected status, or the normal answer); `hang` accepts it and never answers until the client
 * gives up; `status` answers with that status and `body`. `times` limits how often it fires.
 */
export const FaultSpec = z
  .strictObject({
    target: z.enum(['token', 'assess', 'verify', 'any']),
    status: z.optional(z.int().check(z.gte(200), z.lte(599))),
    body: z.optional(z.string().check(z.maxLength(64 * 1024))),
    latencyMs: z.optional(z.int().check(z.gte(0), z.lte(10 * 60 * 1000))),
    hang: z.optional(z.boolean()),
    times: z.optional(z.int().check(z.gte(1))),
  })
  .check(
    z.refine((fault) => fault.status !== undefined || fault.latencyMs !== undefined || fault.hang === true, {
      message: 'a fault needs status, latencyMs or hang',
      path: ['status'],
    }),
  );
export type FaultSpec = z.infer<typeof FaultSpec>;

export interface ActiveFault extends FaultSpec {
  readonly id: string;
  /** How many more times it fires; absent when unlimited. */
  readonly remaining?: number;
}

export interface SandboxFaults {
  /** Validates and activates a fault; throws a `TypeError` naming the bad field. */
  add(spec: FaultSpec): ActiveFault;
  clear(): void;
  list(): readonly ActiveFault[];
}

export class FaultStore implements SandboxFaults {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    const parsed = FaultSpec.safeParse(spec);
    if (!parsed.success) throw new TypeError(`invalid fault: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const { times, ...effect } = parsed.data;
    const fault: ActiveFault = times === undefined ? { ...effect, id: randomUUID() } : { ...effect, times, id: randomUUID(), remaining: times };
    this.#faults.push(fault);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): readonly ActiveFault[] {
    return [...this.#faults];
  }

  /** The oldest fault aimed at this endpoint, counted as fired. */
  take(endpoint: Endpoint): ActiveFault | undefined {
    const index = this.#faults.findIndex((fault) => fault.target === endpoint || fault.target === 'any');
    const fault = this.#faults[index];
    if (fault === undefined) return undefined;
    if (fault.remaining !== undefined) {
      const remaining = fault.remaining - 1;
      if (remaining <= 0) this.#faults.splice(index, 1);
      else this.#faults[index] = { ...fault, remaining };
    }
    return fault;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function abortError(): DOMException {
  return new DOMException('The client aborted the request', 'AbortError');
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(abortError());
    signal.addEventListener('abort', () => reject(abortError()), { once: true });
  });
}

const BODYLESS_STATUSES = new Set([204, 205, 304]);

function faultResponse(status: number, body: string | undefined): Response {
  const headers = { 'Cache-Control': 'no-store', 'X-Sandbox-Fault': 'injected' };
  if (BODYLESS_STATUSES.has(status)) return new Response(null, { status, headers });
  if (body === undefined) {
    return Response.json({ error: 'sandbox_fault', message: 'fault injected by the sandbox' }, { status, headers });
  }
  let isJson = true;
  try {
    JSON.parse(body);
  } catch {
    isJson = false;
  }
  return new Response(body, { status, headers: { ...headers, 'Content-Type': isJson ? 'application/json' : 'text/plain; charset=utf-8' } });
}

/** Rejects with an `AbortError` when the client aborts during a delay or a hang. */
export function injectFaults(store: FaultStore, endpoint: Endpoint): MiddlewareHandler {
  return async (c, next) => {
    const fault = store.take(endpoint);
    if (fault === undefined) {
      await next();
      return;
    }
    const signal = c.req.raw.signal;
    if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
      try {
        await delay(fault.latencyMs, undefined, { signal });
      } catch {
        throw abortError();
      }
    }
    if (fault.hang === true) await waitForAbort(signal);
    if (fault.status !== undefined) return faultResponse(fault.status, fault.body);
    await next();
  };
}
