/**
 * SECURITY 43: event streams bounded per session over every instance sharing the store, and per
 * client network; the oldest stream is the one closed, by whichever instance holds it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrustedProxies } from '../../src/relay/client-address.js';
import { MAX_STREAMS_PER_SESSION, type ClosableStream, type StreamEnd } from '../../src/relay/stream-leases.js';
import { MemorySessionStore, relayOptionsFromEnv } from '../../src/relay/index.js';
import { MemoryStoreEngine } from '../../src/relay/store/memory-store.js';
import type { SessionStore } from '../../src/relay/store/session-store.js';
import { RelayError } from '../../src/relay/errors.js';
import { MAX_STREAMS_PER_CLIENT_NETWORK, STREAM_LEASE_SECONDS, StreamLeases, streamNetworkOf } from '../../src/relay/stream-leases.js';
import { SseReader, browserRequest, createCapturingLogger, createTestRelay, send, startOtpChallenge, type TestRelay } from './helpers.js';

const HEARTBEAT_MS = 15_000;
const wrong = { method: 'OTP', otp: '000000' };

/** Opens the session's stream on an instance, from `socketAddress` when given, and reads its first view. */
async function openStream(test: TestRelay, handle: string, socketAddress?: string): Promise<SseReader> {
  const request = browserRequest('/session/events', { handle, headers: { accept: 'text/event-stream' } });
  const response = await test.relay.fetch(request, socketAddress === undefined ? undefined : { socketAddress });
  assert.equal(response.status, 200);
  const reader = new SseReader(response);
  assert.equal((await reader.nextEvent())?.id, '0');
  return reader;
}

/** True when the stream ends within `ms` with nothing but heartbeats before its end. */
async function endsWithin(reader: SseReader, ms = 1000): Promise<boolean> {
  try {
    for (;;) {
      const message = await reader.next(ms);
      if (message === null) return true;
      if (message.data !== undefined) return false;
    }
  } catch {
    return false;
  }
}

/** Lets the store calls under way (a memory engine's, in this process) finish. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Two relay instances sharing one store, as behind a load balancer. */
function twoInstances(): [TestRelay, TestRelay] {
  const store = new MemorySessionStore();
  const first = createTestRelay({ store });
  const second = createTestRelay({ store, fetch: first.kount.fetch, now: first.clock.now });
  return [first, second];
}

describe('SECURITY 43: event streams bounded over all instances and per client network', () => {
  it('SECURITY 43: five streams of one session over two instances leave four open; the oldest closes on its own instance within one heartbeat', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval'] });
    const [first, second] = twoInstances();
    const { handle } = await startOtpChallenge(first.relay);
    // The oldest on the second instance, the fifth (one over the limit) on the first.
    const readers: SseReader[] = [];
    for (const instance of [second, first, second, first, first]) readers.push(await openStream(instance, handle));
    assert.equal(MAX_STREAMS_PER_SESSION, 4);
    assert.equal(await readers[0]?.quietFor(50), true, 'the other instance finds out at its next renewal, not before');
    context.mock.timers.tick(HEARTBEAT_MS);
    assert.equal(await endsWithin(readers[0] as SseReader), true, 'the oldest stream, on the other instance, is closed within one heartbeat');
    assert.ok(second.logger.entries.some((entry) => entry.event === 'relay.events.oldest_closed'));

    // A sixth: the oldest now is on the instance that opens it, which closes it at once.
    readers.push(await openStream(first, handle));
    assert.equal(await endsWithin(readers[1] as SseReader), true, 'closed at once on its own instance');

    // A stream that ends frees its place: one more opens without closing any other.
    await readers[2]?.cancel();
    readers.push(await openStream(second, handle));
    context.mock.timers.tick(HEARTBEAT_MS);
    await send(first.relay, '/session/answer', { handle, body: wrong });
    const open = readers.slice(3);
    assert.equal(open.length, MAX_STREAMS_PER_SESSION);
    for (const reader of open) assert.equal((await reader.nextEvent())?.id, '1', 'the four newest stay open and get the change');
    for (const reader of open) await reader.cancel();
  });

  it('SECURITY 43: a client network holding more streams than its cap over many sessions and two instances has its oldest closed; another network keeps its own', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval'] });
    const [first, second] = twoInstances();
    const start = async (index: number): Promise<string> => (await startOtpChallenge(first.relay, { phoneNumber: `+1415555${String(1000 + index)}` })).handle;
    // Another /64: not counted with the others, although it opened before all of them.
    const elsewhere = await openStream(first, await start(0), '2001:db8:1:3::1');
    const readers: SseReader[] = [];
    for (let index = 0; index <= MAX_STREAMS_PER_CLIENT_NETWORK; index += 1) {
      // The oldest on the second instance, the rest spread over both, the one over the cap on the first.
      const instance = index === 0 || index % 2 === 1 ? second : first;
      // Every address of one IPv6 /64 is one client network.
      readers.push(await openStream(instance, await start(index + 1), `2001:db8:1:2::${index + 1}`));
    }
    assert.equal(await readers[0]?.quietFor(50), true, 'the other instance finds out at its next renewal');
    context.mock.timers.tick(HEARTBEAT_MS);
    assert.equal(await endsWithin(readers[0] as SseReader), true, 'the network’s oldest stream is closed, on the instance that holds it');
    for (const reader of [elsewhere, ...readers.slice(1)]) assert.deepEqual(await reader.next(), { comments: ['heartbeat'] }, 'the others stay open');
    for (const reader of [elsewhere, ...readers.slice(1)]) await reader.cancel();
  });

  it('SECURITY 43: RELAY_STREAMS_PER_CLIENT_NETWORK and RELAY_STREAMS_PER_SESSION set the caps', async () => {
    const options = relayOptionsFromEnv({ KOUNT_API_URL: 'https://kount.invalid', KOUNT_TOKEN_URL: 'https://kount.invalid/token', KOUNT_API_KEY: 'key', KOUNT_CLIENT_ID: 'client', RELAY_SESSION_SECRET: 's'.repeat(40), RELAY_STREAMS_PER_CLIENT_NETWORK: '2', RELAY_STREAMS_PER_SESSION: '1' });
    assert.deepEqual([options.streamsPerClientNetwork, options.streamsPerSession], [2, 1]);
    const test = createTestRelay({ streamsPerClientNetwork: 2, streamsPerSession: 1 });
    const start = async (index: number): Promise<string> => (await startOtpChallenge(test.relay, { phoneNumber: `+1415555${String(2000 + index)}` })).handle;
    const readers = [await openStream(test, await start(0), '198.51.100.7'), await openStream(test, await start(1), '198.51.100.7')];
    readers.push(await openStream(test, await start(2), '198.51.100.7'));
    assert.equal(await endsWithin(readers[0] as SseReader), true, "the network's third stream closes its first");
    const handle = await start(3);
    const own = await openStream(test, handle, '203.0.113.9');
    readers.push(await openStream(test, handle, '203.0.113.9'));
    assert.equal(await endsWithin(own), true, "the session's second stream closes its first");
    for (const reader of readers.slice(1)) await reader.cancel();
  });

  it('SECURITY 43: a store that cannot take a lease leaves the stream open, says so once, and takes the lease at the next heartbeat', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval'] });
    const engine = new MemoryStoreEngine();
    let failures = 1;
    const store = {
      leaseStreams: async (...args: Parameters<MemoryStoreEngine['leaseStreams']>) => {
        if (failures > 0) {
          failures -= 1;
          throw new RelayError('store_unavailable', 'The verification service is busy right now.');
        }
        return engine.leaseStreams(...args);
      },
    } as unknown as SessionStore;
    const logger = createCapturingLogger();
    const leases = new StreamLeases({ store, logger, sessionSecret: ['lease-test-secret'], heartbeatMs: 1000 });
    const ended: StreamEnd[] = [];
    const stream: ClosableStream = { end: (reason) => void ended.push(reason) };
    const lease = leases.take(stream, 'session-1', null);
    assert.ok(lease);
    const held = async (): Promise<boolean> => (await engine.leaseStreams('renew', [{ id: lease.id, sets: [{ key: 'session-1', limit: 4 }] }], STREAM_LEASE_SECONDS)).length === 0;
    await settled();
    assert.equal(lease.state, 'lost');
    assert.deepEqual(ended, [], 'the stream stays open');
    assert.equal(await held(), false);
    assert.deepEqual(logger.entries.map((entry) => [entry.level, entry.event]), [['warn', 'relay.events.lease_failed']]);
    context.mock.timers.tick(1000);
    await settled();
    assert.equal(lease.state, 'held');
    assert.equal(await held(), true, 'taken at the next heartbeat');
    assert.deepEqual(ended, []);
    leases.release(lease);
    assert.equal(leases.size, 0);
  });

  it('SECURITY 43: a stream counts under its client network (IPv4, or IPv6 per /64, past trusted proxies only); unknown and loopback count under none', () => {
    const none = TrustedProxies.none;
    assert.equal(streamNetworkOf('203.0.113.7', undefined, none), '203.0.113.7');
    assert.equal(streamNetworkOf('::ffff:203.0.113.7', undefined, none), '203.0.113.7');
    assert.equal(streamNetworkOf('2001:db8:1:2::a', undefined, none), streamNetworkOf('2001:DB8:1:2:ffff::1', undefined, none));
    assert.notEqual(streamNetworkOf('2001:db8:1:2::a', undefined, none), streamNetworkOf('2001:db8:1:3::a', undefined, none));
    assert.equal(streamNetworkOf('198.51.100.1', '203.0.113.9', none), '198.51.100.1', 'a forwarded header from an untrusted peer is not read');
    assert.equal(streamNetworkOf('10.0.0.2', '203.0.113.9', new TrustedProxies(['10.0.0.0/8'])), '203.0.113.9');
    assert.equal(streamNetworkOf(undefined, '203.0.113.9', none), null, 'no socket address (a fetch runtime): unknown');
    assert.equal(streamNetworkOf('127.0.0.1', undefined, none), null, 'a proxy on this host that is not trusted would put every shopper under one cap');
    assert.equal(streamNetworkOf('::1', undefined, none), null);
  });
});
