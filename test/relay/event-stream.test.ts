/** Live updates over server-sent events (SECURITY 25): format, ids, heartbeat, replay, 204, closing, clean-up. */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { SessionView } from '../../src/contract/browser.js';
import { openEventStream } from '../../src/relay/event-stream.js';
import { Heartbeat } from '../../src/relay/heartbeat.js';
import { KEPT_EVENTS, LiveUpdates } from '../../src/relay/live-updates.js';
import { MemorySessionStore, silentLogger } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';
import { CORRECT_OTP } from './fake-kount.js';
import { SseReader, browserRequest, createTestRelay, send, startOtpChallenge, type TestRelay } from './helpers.js';
import { webhookKeys } from './webhook-helpers.js';

const wrong = { method: 'OTP', otp: '000000' };
const right = { method: 'OTP', otp: CORRECT_OTP };

async function openStream(test: TestRelay, handle: string, headers: Record<string, string> = {}, bearer = false) {
  const response = await test.relay.fetch(browserRequest('/session/events', { handle, bearer, headers: { accept: 'text/event-stream', ...headers } }));
  return { response, reader: response.status === 200 ? new SseReader(response) : null };
}

function viewOf(data: string | undefined): SessionView {
  return SessionView.parse(JSON.parse(data ?? 'null'));
}

describe('event stream (SECURITY 25)', () => {
  it('is text/event-stream, not cached, starts with retry: 3000 and the current view with its revision as id', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    await send(test.relay, '/session/answer', { handle, body: wrong });
    const { response, reader } = await openStream(test, handle);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.ok(reader);
    assert.deepEqual(await reader.next(), { retry: '3000', comments: [] });
    const first = await reader.next();
    const polled = await send(test.relay, '/session', { handle });
    assert.equal(first?.event, 'view');
    assert.equal(first?.id, '1');
    assert.deepEqual(viewOf(first?.data), polled.body);
    await reader.cancel();
  });

  it('sends every change with an increasing id, then the final view, and closes', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    const { reader } = await openStream(test, handle);
    assert.ok(reader);
    assert.equal((await reader.nextEvent())?.id, '0');
    await send(test.relay, '/session/answer', { handle, body: wrong });
    await send(test.relay, '/session/answer', { handle, body: wrong });
    test.clock.advanceSeconds(31);
    await send(test.relay, '/session/resend', { handle, body: {} });
    await send(test.relay, '/session/answer', { handle, body: right });
    const ids: number[] = [];
    let last: SessionView | undefined;
    for (;;) {
      const message = await reader.nextEvent();
      if (message === null) break;
      ids.push(Number(message.id));
      last = viewOf(message.data);
    }
    // Two answers, a resend (counted before Kount is asked: the view shows one resend fewer), the right answer.
    // Kount's answer to the resend changes nothing the page shows, so it is no event.
    assert.deepEqual(ids, [1, 2, 3, 4]);
    assert.ok(reader.done, 'the stream ended after the final view');
    const polled = await send(test.relay, '/session', { handle });
    assert.deepEqual(last, polled.body, 'polling and the stream end in the same state');
    assert.deepEqual(last, { state: 'decided', decision: 'ALLOW', revision: 4 });
  });

  it('answers 204 for a finished session, so EventSource stops reconnecting', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    await send(test.relay, '/session/answer', { handle, body: right });
    for (const headers of [{}, { 'last-event-id': '0' }, { 'last-event-id': '1' }] as Array<Record<string, string>>) {
      const { response } = await openStream(test, handle, headers);
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
    }
  });

  it('replays exactly the events after Last-Event-ID, then goes on live', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    for (let index = 0; index < 4; index += 1) await send(test.relay, '/session/answer', { handle, body: wrong });
    const { reader } = await openStream(test, handle, { 'last-event-id': '2' });
    assert.ok(reader);
    const replayed = [await reader.nextEvent(), await reader.nextEvent()];
    assert.deepEqual(replayed.map((message) => message?.id), ['3', '4']);
    assert.equal(await reader.quietFor(50), true, 'nothing more than the missed events');
    await send(test.relay, '/session/answer', { handle, body: right });
    assert.equal((await reader.nextEvent())?.id, '5');
    assert.equal(await reader.next(), null);
  });

  it('replays nothing to a client that is up to date, and the current view to one beyond the replay window', async () => {
    const test = createTestRelay({ maxFailedOtpAttempts: 100 }, { remainingVerificationAttempts: 100 });
    const { handle } = await startOtpChallenge(test.relay);
    for (let index = 0; index < KEPT_EVENTS + 5; index += 1) await send(test.relay, '/session/answer', { handle, body: wrong });
    const current = KEPT_EVENTS + 5;

    const upToDate = await openStream(test, handle, { 'last-event-id': String(current) });
    assert.deepEqual(await upToDate.reader?.next(), { retry: '3000', comments: [] });
    assert.equal(await upToDate.reader?.quietFor(50), true);
    await upToDate.reader?.cancel();

    const tooOld = await openStream(test, handle, { 'last-event-id': '1' });
    const message = await tooOld.reader?.nextEvent();
    assert.equal(message?.id, String(current), 'the window no longer holds event 2, so the current view comes instead');
    assert.equal(await tooOld.reader?.quietFor(50), true);
    await tooOld.reader?.cancel();

    const inWindow = await openStream(test, handle, { 'last-event-id': String(current - KEPT_EVENTS + 1) });
    await inWindow.reader?.next();
    let count = 0;
    while (!(await inWindow.reader?.quietFor(30))) {
      await inWindow.reader?.nextEvent();
      count += 1;
    }
    assert.equal(count, KEPT_EVENTS - 1);
    await inWindow.reader?.cancel();

    const bogus = await openStream(test, handle, { 'last-event-id': 'abc' });
    assert.equal((await bogus.reader?.nextEvent())?.id, String(current), 'an unreadable id counts as a first connection');
    await bogus.reader?.cancel();
  });

  it('sends a heartbeat comment every 15 s by default, or as configured', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval'] });
    for (const [heartbeatSeconds, expectedMs] of [
      [undefined, 15_000],
      [2, 2_000],
    ] as const) {
      const test = createTestRelay(heartbeatSeconds === undefined ? {} : { heartbeatSeconds });
      const { handle } = await startOtpChallenge(test.relay);
      const { reader } = await openStream(test, handle);
      assert.ok(reader);
      await reader.nextEvent();
      context.mock.timers.tick(expectedMs - 1);
      assert.equal(await reader.quietFor(20), true, 'no heartbeat yet');
      context.mock.timers.tick(1);
      assert.deepEqual(await reader.next(), { comments: ['heartbeat'] });
      context.mock.timers.tick(expectedMs);
      assert.deepEqual(await reader.next(), { comments: ['heartbeat'] });
      await reader.cancel();
    }
  });

  it('takes the handle as a bearer too, and refuses a missing, forged or expired one with 401 before opening anything', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay, undefined, true);
    const bearer = await openStream(test, handle, {}, true);
    assert.equal(bearer.response.status, 200);
    await bearer.reader?.cancel();
    for (const [candidate, code] of [
      [undefined, 'session_missing'],
      [`${handle.slice(0, -2)}AA`, 'session_invalid'],
    ] as const) {
      const response = await test.relay.fetch(browserRequest('/session/events', candidate === undefined ? {} : { handle: candidate }));
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
    }
    test.clock.advanceSeconds(901);
    assert.equal((await test.relay.fetch(browserRequest('/session/events', { handle }))).status, 401);
  });

  it('lets one session hold at most 4 streams on an instance: a fifth closes the oldest, and the others go on', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    const readers: SseReader[] = [];
    for (let index = 0; index < 5; index += 1) {
      const { reader } = await openStream(test, handle);
      assert.ok(reader);
      assert.equal((await reader.nextEvent())?.id, '0');
      readers.push(reader);
    }
    assert.equal(await readers[0]?.next(), null, 'the oldest stream was closed');
    assert.ok(test.logger.entries.some((entry) => entry.event === 'relay.events.oldest_closed'));
    await send(test.relay, '/session/answer', { handle, body: wrong });
    for (const reader of readers.slice(1)) assert.equal((await reader.nextEvent())?.id, '1', 'the four newest still get changes');
    // Another session's streams are not counted with these.
    const other = await startOtpChallenge(test.relay);
    const { reader: otherReader } = await openStream(test, other.handle);
    assert.equal((await otherReader?.nextEvent())?.id, '0');
    assert.equal(await readers[1]?.quietFor(50), true, 'still open');
    for (const reader of [...readers.slice(1), otherReader]) await reader?.cancel();
  });

  it('answers HEAD without opening a stream', async () => {
    const test = createTestRelay();
    const { handle } = await startOtpChallenge(test.relay);
    const response = await test.relay.fetch(browserRequest('/session/events', { handle, method: 'HEAD' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  });

  it('gets the changes another relay instance sharing the store makes at once, not at the next heartbeat', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval'] });
    const store = new MemorySessionStore();
    const first = createTestRelay({ store, webhookPublicKey: webhookKeys().publicKeyPem });
    const second = createTestRelay({ store, fetch: first.kount.fetch, now: first.clock.now });
    const { handle } = await startOtpChallenge(first.relay);
    const { reader } = await openStream(second, handle);
    assert.ok(reader);
    assert.equal((await reader.nextEvent())?.id, '0');
    await send(first.relay, '/session/answer', { handle, body: wrong });
    assert.equal((await reader.nextEvent())?.id, '1', 'no heartbeat has passed');
    await send(first.relay, '/session/answer', { handle, body: right });
    const final = await reader.nextEvent();
    assert.deepEqual(viewOf(final?.data), { state: 'decided', decision: 'ALLOW', revision: 2 });
    assert.equal(await reader.next(), null);
  });
});

describe('event stream clean-up', () => {
  async function liveSession() {
    const store = new MemorySessionStore();
    const live = new LiveUpdates(store, silentLogger);
    const view: SessionView = { state: 'challenge', step: { index: 1, total: 1 }, action: { method: 'UNSUPPORTED', name: 'X' }, revision: 0 };
    let current: SessionView | null = view;
    let expiresAt = Date.now() + 900_000;
    const reads = { count: 0 };
    const dependencies = {
      live,
      logger: silentLogger,
      heartbeat: 15_000,
      currentView: async () => {
        reads.count += 1;
        return current === null ? null : { view: current, expiresAt };
      },
    };
    /** Stores a change with this view, as any instance's commit would. */
    const publish = async (sessionId: string, next: SessionView): Promise<void> => {
      const stored = await store.read(sessionId);
      const session = stored?.session ?? ({ id: sessionId } as Session);
      const event = { id: next.revision, data: JSON.stringify(next) };
      assert.ok(await store.commit({ session, expectedVersion: stored?.version ?? null, ttlSeconds: 60, aliases: [], event, keepEvents: KEPT_EVENTS }));
    };
    return {
      store,
      live,
      dependencies,
      publish,
      reads,
      setCurrent: (next: SessionView | null) => (current = next),
      expireAt: (at: number) => (expiresAt = at),
    };
  }

  it('unsubscribes when the client goes away (stream cancelled or request aborted)', async () => {
    const { live, dependencies } = await liveSession();
    const viaCancel = await openEventStream(dependencies, { sessionId: 's1', lastEventId: null, signal: new AbortController().signal });
    assert.equal(live.listenerCount('s1'), 1);
    await viaCancel.body?.cancel();
    assert.equal(live.listenerCount('s1'), 0);

    const aborted = new AbortController();
    await openEventStream(dependencies, { sessionId: 's1', lastEventId: null, signal: aborted.signal });
    assert.equal(live.listenerCount('s1'), 1);
    aborted.abort();
    assert.equal(live.listenerCount('s1'), 0);
  });

  it('unsubscribes after the final view, and closes when the session is gone', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval', 'Date'] });
    const { live, dependencies, publish, setCurrent, expireAt } = await liveSession();
    const response = await openEventStream(dependencies, { sessionId: 's2', lastEventId: null, signal: new AbortController().signal });
    const reader = new SseReader(response);
    await reader.nextEvent();
    await publish('s2', { state: 'decided', decision: 'BLOCK', revision: 1 });
    assert.equal((await reader.nextEvent())?.id, '1');
    assert.equal(await reader.next(), null);
    assert.equal(live.listenerCount('s2'), 0);

    expireAt(Date.now() + 10_000);
    const second = await openEventStream(dependencies, { sessionId: 's3', lastEventId: null, signal: new AbortController().signal });
    const secondReader = new SseReader(second);
    await secondReader.nextEvent();
    setCurrent(null);
    context.mock.timers.tick(15_000);
    await secondReader.next();
    assert.equal(await secondReader.next(), null, 'an expired session ends its stream');
    assert.equal(live.listenerCount('s3'), 0);
  });

  it('shares one heartbeat timer, and reads the store at a heartbeat only after events may have been missed or at expiry', async (context) => {
    context.mock.timers.enable({ apis: ['setInterval', 'Date'] });
    const missed = new Set<() => void>();
    const { store, dependencies, reads, setCurrent, expireAt } = await liveSession();
    // A store whose bus can drop events (as Redis's does while its subscriber reconnects).
    Object.assign(store, { onMissedEvents: (listener: () => void) => missed.add(listener) });
    const live = new LiveUpdates(store, silentLogger);
    const heartbeat = new Heartbeat(15_000);
    const shared = { ...dependencies, live, heartbeat };
    // The sessions expire after the seventh heartbeat.
    expireAt(Date.now() + 100_000);
    const readers = await Promise.all(
      ['h1', 'h2', 'h3'].map(async (sessionId) => {
        const reader = new SseReader(await openEventStream(shared, { sessionId, lastEventId: null, signal: new AbortController().signal }));
        await reader.nextEvent();
        return reader;
      }),
    );
    const opened = reads.count;
    for (let beat = 0; beat < 4; beat += 1) {
      context.mock.timers.tick(15_000);
      for (const reader of readers) assert.deepEqual(await reader.next(), { comments: ['heartbeat'] });
    }
    assert.equal(reads.count, opened, 'four heartbeats on three streams read nothing');

    // A change stored while the bus was away: no listener heard of it.
    setCurrent({ state: 'challenge', step: { index: 1, total: 1 }, action: { method: 'UNSUPPORTED', name: 'Y' }, revision: 1 });
    for (const listener of missed) listener();
    context.mock.timers.tick(15_000);
    for (const reader of readers) assert.equal((await reader.nextEvent())?.id, '1', 'the missed change arrives at the next heartbeat');
    assert.equal(reads.count, opened + 3, 'each stream read once after the missed events');

    context.mock.timers.tick(15_000);
    for (const reader of readers) assert.deepEqual(await reader.next(), { comments: ['heartbeat'] });
    assert.equal(reads.count, opened + 3, 'and not again');

    setCurrent(null);
    context.mock.timers.tick(15_000);
    for (const reader of readers) {
      assert.deepEqual(await reader.next(), { comments: ['heartbeat'] });
      assert.equal(await reader.next(), null, 'at expiry the store is asked, and a gone session ends its stream');
    }
  });

  it('gives 204 and subscribes nothing for a finished or missing session', async () => {
    const { live, dependencies, setCurrent } = await liveSession();
    setCurrent({ state: 'decided', decision: 'ALLOW', revision: 3 });
    assert.equal((await openEventStream(dependencies, { sessionId: 's4', lastEventId: null, signal: new AbortController().signal })).status, 204);
    setCurrent(null);
    assert.equal((await openEventStream(dependencies, { sessionId: 's4', lastEventId: 2, signal: new AbortController().signal })).status, 204);
    assert.equal(live.listenerCount('s4'), 0);
  });
});

void mock;
