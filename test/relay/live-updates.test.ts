/** Live updates carry the stored view's text as the commit wrote it, checked once where it comes in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveUpdates, readStoredEvent, type LiveEvent, type ViewEvent } from '../../src/relay/live-updates.js';
import { MemorySessionStore, silentLogger } from '../../src/relay/index.js';
import type { Session } from '../../src/relay/sessions.js';

const open = { state: 'challenge', step: { index: 1, total: 1 }, action: { method: 'UNSUPPORTED', name: 'X' }, revision: 1 };
const decided = { state: 'decided', decision: 'ALLOW', revision: 2 };

async function commit(store: MemorySessionStore, sessionId: string, id: number, data: string): Promise<void> {
  const stored = await store.read(sessionId);
  const session = stored?.session ?? ({ id: sessionId } as Session);
  assert.ok(await store.commit({ session, expectedVersion: stored?.version ?? null, ttlSeconds: 60, aliases: [], event: { id, data }, keepEvents: 50 }));
}

describe('live updates: the stored text, forwarded', () => {
  it('reads the writer’s text by its first key, any other shape once, and refuses what could break an SSE line', () => {
    assert.deepEqual(readStoredEvent({ id: 1, data: JSON.stringify(open) }), { id: 1, data: JSON.stringify(open), final: false });
    assert.equal(readStoredEvent({ id: 2, data: JSON.stringify(decided) })?.final, true);
    assert.equal(readStoredEvent({ id: 2, data: JSON.stringify({ revision: 2, state: 'decided', decision: 'BLOCK' }) })?.final, true, 'another key order is parsed');
    assert.equal(readStoredEvent({ id: 3, data: '{"state":"challenge"\n,"x":1}' }), null, 'a raw line break would end the data: line');
    assert.equal(readStoredEvent({ id: 3, data: '{"state":"decided"\r}' }), null);
    assert.equal(readStoredEvent({ id: 3, data: 'not json' }), null);
    assert.equal(readStoredEvent({ id: 3, data: '[1]' }), null);
    assert.equal(readStoredEvent({ id: -1, data: JSON.stringify(open) }), null);
  });

  it('hands streams the text as stored and subscribers one parsed view per event, and counts an unreadable event as missed', async () => {
    const store = new MemorySessionStore();
    const live = new LiveUpdates(store, silentLogger);
    const texts: LiveEvent[] = [];
    const views: ViewEvent[][] = [[], []];
    await live.listen('s1', (event) => void texts.push(event));
    await live.subscribe('s1', (event) => void views[0]?.push(event));
    await live.subscribe('s1', (event) => void views[1]?.push(event));
    const data = JSON.stringify(open);
    await commit(store, 's1', 1, data);
    await live.settled();
    assert.equal(texts[0]?.data, data, 'the same text, not serialised again');
    assert.deepEqual(views[0], [{ id: 1, view: open }]);
    assert.equal(views[0]?.[0], views[1]?.[0], 'parsed once for all subscribers');

    const missed = live.missedEvents;
    await commit(store, 's1', 2, '{"state":"decided"\n}');
    await live.settled();
    assert.equal(texts.length, 1, 'an unreadable event is left out');
    assert.equal(live.missedEvents, missed + 1, 'and streams read the log at their next heartbeat');
    assert.equal((await live.since('s1', 0)).events.length, 1);
  });
});
