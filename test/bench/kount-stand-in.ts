/**
 * A Kount 360 stand-in for the bench: as fast as a server on loopback can be, so the figures show
 * the relay's own cost. The token endpoint hands out one token; every OTP answer is a wrong code
 * (Kount counts the attempts down, so each answer changes what the page shows, as a real one does);
 * a refresh (`nextAction: true`, what the relay asks after a webhook) says 3 attempts are left, so a
 * webhook changes the page too.
 * Runs in its own process: `tsx test/bench/kount-stand-in.ts` prints `{"event":"ready","url":...}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_PATHS = { token: '/as/token', verify: '/verify' } as const;

const attempts = new Map<string, number>();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    if (request.url === STAND_IN_PATHS.token) return send(200, { access_token: 'bench-token', token_type: 'Bearer', expires_in: 3600 });
    if (request.url !== STAND_IN_PATHS.verify) return send(404, { error: 'not_found' });
    let body: { inquiryId?: string; authenticationId?: string; strategy?: { nextAction?: boolean } };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(400, { error: 'invalid_request' });
    }
    const id = body.authenticationId ?? '';
    const used = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, used);
    send(200, {
      inquiryId: body.inquiryId,
      authenticationId: id,
      decision: 'Challenge',
      strategy: {
        actions: [
          {
            method: 'OTP',
            status: 'challenge',
            data: { channelType: 'SMS_OTP', verificationStatus: 'VERIFICATION_ATTEMPT_FAILED', remainingVerificationAttempts: body.strategy?.nextAction === true ? 3 : Math.max(1, 100_000 - used), error: { code: 'OTP_MISMATCH' } },
          },
        ],
      },
    });
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
