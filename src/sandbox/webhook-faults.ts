import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';

/**
 * A misbehaviour of the webhook sender, for the relay's tests. Each fault fires on the next `times`
 * delivery attempts (default 1; a retry is an attempt):
 * - `delay`: the attempt waits `delayMs` (default 1000) before it is posted;
 * - `duplicate`: the attempt is posted twice (same body, each copy signed on its own);
 * - `reorder`: the attempt waits until the next attempt of another event has been answered (or
 *   `delayMs`, default 5000, has passed), so the receiver sees the later event first;
 * - `bad-signature`: `X-Event-Signature` has one byte changed;
 * - `stale-timestamp`: `X-Event-Timestamp` is 10 minutes old (validly signed: only the window check fails).
 */
export const WebhookFaultSpec = z.strictObject({
  kind: z.enum(['delay', 'duplicate', 'reorder', 'bad-signature', 'stale-timestamp']),
  delayMs: z.optional(z.int().check(z.gte(0), z.lte(10 * 60 * 1000))),
  times: z.optional(z.int().check(z.gte(1), z.lte(1000))),
});
export type WebhookFaultSpec = z.infer<typeof WebhookFaultSpec>;
export type WebhookFaultKind = WebhookFaultSpec['kind'];

export interface ActiveWebhookFault extends WebhookFaultSpec {
  readonly id: string;
  /** Attempts it still fires on. */
  readonly remaining: number;
}

export const DEFAULT_FAULT_DELAY_MS = 1000;
export const DEFAULT_REORDER_HOLD_MS = 5000;
export const STALE_TIMESTAMP_AGE_MS = 10 * 60 * 1000;

export class WebhookFaultStore {
  #faults: ActiveWebhookFault[] = [];

  /** Validates and activates a fault; throws a `TypeError` naming the bad field. */
  add(spec: WebhookFaultSpec): ActiveWebhookFault {
    const parsed = WebhookFaultSpec.safeParse(spec);
    if (!parsed.success) {
      throw new TypeError(`invalid webhook fault: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const fault: ActiveWebhookFault = { ...parsed.data, id: randomUUID(), remaining: parsed.data.times ?? 1 };
    this.#faults.push(fault);
    return fault;
  }

  list(): readonly ActiveWebhookFault[] {
    return [...this.#faults];
  }

  clear(): void {
    this.#faults = [];
  }

  /** The oldest fault, counted as fired. */
  take(): ActiveWebhookFault | undefined {
    const fault = this.#faults[0];
    if (fault === undefined) return undefined;
    if (fault.remaining <= 1) this.#faults.shift();
    else this.#faults[0] = { ...fault, remaining: fault.remaining - 1 };
    return fault;
  }
}
