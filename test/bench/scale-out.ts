/**
 * The scale-out figures of `npm run bench` (full runs only): how long an answer sent to instance B
 * takes to reach a stream open on instance A, and what a session costs in Redis.
 */
import { createClient } from '@redis/client';
import { Shopper, type EventStream } from '../cluster/shopper.js';
import { startSessions } from './answer.js';
import { BENCH_ORIGIN, percentile, printTable, type Started } from './harness.js';

const sessions = async (instance: Started, count: number): Promise<string[]> => (await startSessions(instance, count)).handles;

export async function crossInstanceLatency(instanceA: Started, instanceB: Started): Promise<void> {
  const perSession = 25;
  const cross: number[] = [];
  const local: number[] = [];
  for (let batch = 0; batch < 2; batch += 1) {
    const handles = await sessions(instanceA, 10);
    await Promise.all(
      handles.map(async (handle) => {
        const shopper = Shopper.withHandle(BENCH_ORIGIN, handle);
        const streams: [EventStream, EventStream] = [await shopper.events(instanceA.url), await shopper.events(instanceB.url)];
        for (const stream of streams) await stream.waitFor((event) => event.id === 0);
        const sentAt: number[] = [];
        for (let answer = 1; answer <= perSession; answer += 1) {
          sentAt[answer] = performance.timeOrigin + performance.now();
          await shopper.answer({ method: 'OTP', otp: '000000' }, instanceB.url);
          await Promise.all(streams.map((stream) => stream.waitFor((event) => event.id === answer)));
        }
        for (const [stream, into] of [[streams[0], cross], [streams[1], local]] as const) {
          for (const event of stream.events) if (event.id > 0) into.push(event.receivedAt - (sentAt[event.id] ?? event.receivedAt));
          await stream.close();
        }
      }),
    );
  }
  printTable(
    `Live updates: an answer sent to instance B until its view is on a stream (${cross.length} views, 10 sessions at a time; includes B's answer and its Kount call)`,
    ['stream on', 'p50', 'p99', 'max'],
    [
      ['instance A (the other one)', `${percentile(cross, 50).toFixed(1)} ms`, `${percentile(cross, 99).toFixed(1)} ms`, `${Math.max(...cross).toFixed(1)} ms`],
      ['instance B (the same one)', `${percentile(local, 50).toFixed(1)} ms`, `${percentile(local, 99).toFixed(1)} ms`, `${Math.max(...local).toFixed(1)} ms`],
    ],
  );
}

export async function redisMemory(redisUrl: string, instance: Started): Promise<void> {
  const fresh = await sessions(instance, 20);
  const busy = await sessions(instance, 20);
  for (const handle of busy) {
    const shopper = Shopper.withHandle(BENCH_ORIGIN, handle);
    for (let answer = 0; answer < 60; answer += 1) await shopper.answer({ method: 'OTP', otp: '000000' }, instance.url);
  }
  const client = createClient({ url: redisUrl });
  await client.connect();
  const idOf = (handle: string): string => (JSON.parse(Buffer.from(handle.split('.')[0] ?? '', 'base64url').toString()) as { sid: string }).sid;
  const aliasesBySession = new Map<string, string[]>();
  for await (const keys of client.scanIterator({ MATCH: 'k360:v:*', COUNT: 1000 })) {
    for (const key of keys) {
      const owner = await client.get(key);
      if (owner !== null) aliasesBySession.set(owner, [...(aliasesBySession.get(owner) ?? []), key]);
    }
  }
  const bytesOf = async (handle: string): Promise<{ total: number; session: number; events: number; aliases: number }> => {
    const id = idOf(handle);
    const session = (await client.memoryUsage(`k360:s:{${id}}`)) ?? 0;
    const events = (await client.memoryUsage(`k360:e:{${id}}`)) ?? 0;
    let aliases = 0;
    for (const key of aliasesBySession.get(id) ?? []) aliases += (await client.memoryUsage(key)) ?? 0;
    return { total: session + events + aliases, session, events, aliases };
  };
  const rows: string[][] = [];
  for (const [name, handles] of [['just started (1 view kept)', fresh], ['after 60 wrong codes (50 views kept, the most)', busy]] as const) {
    const sizes = await Promise.all(handles.map(bytesOf));
    const average = (pick: (size: { total: number; session: number; events: number; aliases: number }) => number): string => `${(sizes.reduce((sum, size) => sum + pick(size), 0) / sizes.length / 1024).toFixed(1)} KiB`;
    rows.push([name, average((size) => size.total), average((size) => size.session), average((size) => size.events), average((size) => size.aliases)]);
  }
  await client.close();
  printTable('Redis memory per OTP session (MEMORY USAGE, average of 20 sessions; every key expires with the session)', ['session', 'total', 'session hash', 'event log', 'aliases'], rows);
}

