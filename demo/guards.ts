/**
 * The demo shop's own defences, as a customer should set them up: its state-changing routes get the
 * relay's CSRF header and Origin check (a cross-site form post cannot start a checkout and make
 * Kount text a number the attacker names), and every challenge is admitted by the relay's limits
 * across sessions before Kount is asked.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { ChallengeAdmission, Contact, Relay } from '../src/relay/index.js';
import { errorResponse } from './responses.js';

/** Refuses a POST from another site or origin, or without the relay's CSRF header, before the route runs. */
export function stateChangeGuard(relay: Relay): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      try {
        relay.assertMayChangeState(c.req.raw);
      } catch (error) {
        return errorResponse(c, error);
      }
    }
    await next();
  };
}

/**
 * The shopper's address, as the relay derives it (SECURITY 39): the socket's, or, when the socket
 * is a proxy in `RELAY_TRUSTED_PROXIES` (the demo cluster's balancer), `X-Forwarded-For` read from
 * the right past it. A direct hit carries no trusted proxy, so a header it forges is never read.
 */
export function clientIpOf(relay: Relay, c: Context): string | undefined {
  let socketAddress: string | undefined;
  try {
    socketAddress = getConnInfo(c).remote.address;
  } catch {
    // Not served by the Node adapter (a test calling app.fetch directly): no address to count.
    return undefined;
  }
  return relay.clientAddress({ socketAddress, headers: c.req.raw.headers });
}

/**
 * Asks the relay's limits first, then Kount: `decide` is called only when they admit the
 * challenge, and the admission is given back when no challenge starts.
 */
export async function admitted<Result>(
  relay: Relay,
  request: { clientIp: string | undefined; contact: Contact },
  decide: (admission: ChallengeAdmission) => Promise<Result>,
): Promise<Result> {
  const admission = await relay.admitChallenge({ contact: request.contact, ...(request.clientIp ? { clientIp: request.clientIp } : {}) });
  try {
    return await decide(admission);
  } finally {
    // After startChallenge kept it this does nothing; otherwise nothing was sent.
    await admission.release().catch((error: unknown) => console.error(JSON.stringify({ level: 'warn', event: 'demo.release_failed', message: String(error) })));
  }
}
