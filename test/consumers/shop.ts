/**
 * The shop's own part of every consumer server: `POST /api/checkout` asks Kount (through the
 * relay's Kount client) and hands a challenge to the relay, as docs/relay/server-calls.md
 * says; and the shop's built page, for the servers that have one. Written against the package as a
 * shop installs it.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Relay } from 'k360-verify/relay';

export interface Checkout {
  email: string;
  phone?: string;
}

/**
 * `{ outcome }` for the page, the `Set-Cookie` that binds this browser to its verification, and the
 * order's inquiry id, which the shop's confirm route hands to `relay.confirm`.
 */
export async function checkout(relay: Relay, shopper: Checkout, clientIp?: string): Promise<{ outcome: string; setCookie: string; inquiryId: string }> {
  const phoneNumber = shopper.phone;
  const contact = { email: shopper.email, ...(phoneNumber ? { phoneNumber } : {}) };
  // Kount sends the first code with its decision: the relay's limits across sessions are asked first.
  const admission = await relay.admitChallenge({ contact, ...(clientIp ? { clientIp } : {}) });
  const inquiryId = randomUUID();
  const assessment = await relay.kount.assess({
    strategy: 'CheckoutStepUp',
    inquiryId,
    channel: 'WEB',
    deviceSessionId: randomUUID().replaceAll('-', ''),
    applicant: { email: shopper.email, ...(phoneNumber ? { phoneNumber } : {}) },
  });
  if (assessment.decision.toUpperCase() !== 'CHALLENGE') {
    await admission.release();
    return { outcome: assessment.decision.toUpperCase(), setCookie: '', inquiryId };
  }
  const { setCookie } = await relay.startChallenge({ assessment, contact, admission });
  return { outcome: 'CHALLENGE', setCookie, inquiryId };
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** The shop's built page and its files, from `./dist` (a 404 where there is none). */
export async function servePage(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = normalize(request.url === '/' ? '/index.html' : (request.url ?? '/').split('?')[0] ?? '/');
  try {
    const file = await readFile(join(process.cwd(), 'dist', path));
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(file);
  } catch {
    response.writeHead(404).end('Not found');
  }
}
