/**
 * One relay instance for the bench, configured by the environment like a real one (RELAY_STORE_URL
 * and the rest), plus routes a real deployment does not have: `POST /bench/sessions {count}`
 * starts that many OTP challenges and answers their handles and Kount step-up session ids, so the
 * load has sessions to answer and webhooks to send; `GET /bench/heap` and `/bench/cpu` give the
 * process's figures. With BENCH_TELEMETRY=memory the OpenTelemetry SDK is registered first, as a
 * host registers it before `createRelay` (telemetry-sdk.ts), and `GET /bench/telemetry` answers
 * what it exported.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { answerProcessFigures } from './process-figures.js';
import { createRelay, relayOptionsFromEnv, toNodeListener } from '../../src/relay/index.js';

const telemetry = process.env.BENCH_TELEMETRY === 'memory' ? (await import('./telemetry-sdk.js')).registerTelemetrySdk() : undefined;
const relay = createRelay(relayOptionsFromEnv());
await relay.connect();
const relayListener = toNodeListener(relay.fetch);

async function startSessions(count: number): Promise<{ handles: string[]; stepUpSessionIds: string[] }> {
  const handles: string[] = [];
  const stepUpSessionIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const stepUpSessionId = `stepup-${randomUUID()}`;
    stepUpSessionIds.push(stepUpSessionId);
    const started = await relay.startChallenge({
      assessment: {
        decision: 'Challenge',
        inquiryId: randomUUID(),
        authenticationId: randomUUID(),
        strategy: { strategyName: 'BenchStepUp', actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', sessionId: stepUpSessionId } }] },
      },
      contact: { phoneNumber: '+14155554567' },
    });
    handles.push(started.handle);
  }
  return { handles, stepUpSessionIds };
}

const server = createServer((incoming, outgoing) => {
  if (incoming.method === 'POST' && incoming.url === '/bench/sessions') {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const { count } = JSON.parse(body) as { count: number };
      startSessions(count).then(
        (started) => outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(started)),
        (error: unknown) => outgoing.writeHead(500).end(String(error)),
      );
    });
    return;
  }
  if (telemetry && incoming.method === 'GET' && incoming.url === '/bench/telemetry') {
    telemetry.figures().then(
      (figures) => outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(figures)),
      (error: unknown) => outgoing.writeHead(500).end(String(error)),
    );
    return;
  }
  if (!answerProcessFigures(incoming, outgoing)) void relayListener(incoming, outgoing);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void relay.close().then(() => process.exit(0)));
