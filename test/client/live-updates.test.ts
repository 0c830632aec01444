import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { EventStreamParser, watchSession, type LiveConnection } from '../../src/client/live-updates.js';
import { RelayError } from '../../src/client/relay-error.js';
import type { SessionView } from '../../src/contract/browser.js';
import { eventStream, fakeLiveClient, flush, viewEvent } from './helpers.js';
import { decided, othView } from '../elements/helpers.js';

describe('EventStreamParser', () => {
  it('parses events split across chunks at any byte, with LF, CRLF and CR line ends', () => {
    const text = 'retry: 3000\r\n\r\nid: 1\r\nevent: view\r\ndata: {"a":1}\r\n\r\nid: 2\revent: view\rdata: two\r\rid: 3\nevent: view\ndata: three\n\n';
    const whole = new EventStreamParser().push(text);
    expect(whole).to.deep.equal([
      { type: 'view', data: '{"a":1}', lastEventId: '1' },
      { type: 'view', data: 'two', lastEventId: '2' },
      { type: 'view', data: 'three', lastEventId: '3' },
    ]);
    // Every split point, including between CR and LF, gives the same events.
    for (let split = 1; split < text.length; split++) {
      const parser = new EventStreamParser();
      const events = [...parser.push(text.slice(0, split)), ...parser.push(text.slice(split))];
      expect(events, `split at ${split}`).to.deep.equal(whole);
      expect(parser.retryMs).to.equal(3000);
    }
    // One character at a time.
    const parser = new EventStreamParser();
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events).to.deep.equal(whole);
  });

  it('joins multi-line data with LF, removes one leading space, skips comments and unknown fields', () => {
    const parser = new EventStreamParser();
    const events = parser.push(': heartbeat\n\ndata:first\ndata:  second\ndata\nfoo: bar\n: note\n\n');
    expect(events).to.deep.equal([{ type: 'message', data: 'first\n second\n', lastEventId: '' }]);
  });

  it('keeps the last id across events, ignores ids with NUL and non-numeric retry', () => {
    const parser = new EventStreamParser();
    const events = parser.push('id: 7\ndata: a\n\ndata: b\n\nid: 8\0\nretry: soon\ndata: c\n\n');
    expect(events.map((event) => event.lastEventId)).to.deep.equal(['7', '7', '7']);
    expect(parser.lastEventId).to.equal('7');
    expect(parser.retryMs).to.equal(undefined);
  });

  it('dispatches nothing for a block without data, nor for an unfinished event', () => {
    const parser = new EventStreamParser();
    expect(parser.push('event: view\nid: 4\n\n')).to.deep.equal([]);
    expect(parser.lastEventId).to.equal('4');
    expect(parser.push('event: view\ndata: {"half":')).to.deep.equal([]);
  });

  it('ignores a byte order mark at the start', () => {
    expect(new EventStreamParser().push('\ufeffdata: x\n\n')).to.deep.equal([{ type: 'message', data: 'x', lastEventId: '' }]);
  });
});

describe('watchSession', () => {
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
    sinon.restore();
  });

  function record() {
    const views: SessionView[] = [];
    const states: LiveConnection[] = [];
    const errors: RelayError[] = [];
    return {
      views,
      states,
      errors,
      options: {
        onView: (view: SessionView) => views.push(view),
        onConnection: (state: LiveConnection) => states.push(state),
        onError: (error: RelayError) => errors.push(error),
        random: () => 0.5,
      },
    };
  }

  describe('on the stream', () => {
    it('reports each new view in order, ignores repeats and stops after a decided view', async () => {
      const client = fakeLiveClient();
      const stream = eventStream();
      client.events.resolves(stream.response);
      const { views, states, options } = record();
      watchSession(client, options);
      expect(states).to.deep.equal(['connecting']);
      await flush();
      expect(states).to.deep.equal(['connecting', 'streaming']);
      expect(client.events.firstCall.args[0].lastEventId).to.equal(undefined);

      stream.push('retry: 3000\n\n' + viewEvent(othView(3)));
      await flush();
      // Split in the middle of the JSON, and a heartbeat in between.
      const next = viewEvent(othView(4, { status: 'VERIFIED' }));
      stream.push(next.slice(0, 30));
      await flush();
      expect(views.map((view) => view.revision)).to.deep.equal([3]);
      stream.push(next.slice(30) + ': heartbeat\n\n' + viewEvent(othView(4)) + viewEvent(othView(2)));
      await flush();
      expect(views.map((view) => view.revision)).to.deep.equal([3, 4]);

      stream.push(viewEvent(decided(5)));
      await flush();
      expect(views.map((view) => view.revision)).to.deep.equal([3, 4, 5]);
      expect(states).to.deep.equal(['connecting', 'streaming', 'stopped']);
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
      expect(client.view.called).to.equal(false);
    });

    it('reports data that is not a valid view and goes on with the next one', async () => {
      const client = fakeLiveClient();
      const stream = eventStream();
      client.events.resolves(stream.response);
      const { views, errors, options } = record();
      watchSession(client, options);
      await flush();
      stream.push('id: 3\nevent: view\ndata: {not json\n\n');
      stream.push(`id: 4\nevent: view\ndata: ${JSON.stringify({ state: 'decided', decision: 'MAYBE', revision: 4 })}\n\n`);
      stream.push('event: other\ndata: {}\n\n');
      stream.push(viewEvent(othView(5)));
      await flush();
      expect(views.map((view) => view.revision)).to.deep.equal([5]);
      expect(errors.map((error) => error.code)).to.deep.equal(['invalid_response', 'invalid_response']);
    });

    it('reconnects once after a drop with Last-Event-ID, after the retry hint', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      const first = eventStream();
      const second = eventStream();
      client.events.onFirstCall().resolves(first.response).onSecondCall().resolves(second.response);
      const { views, states, options } = record();
      watchSession(client, options);
      await clock.tickAsync(0);
      first.push('retry: 5000\n\n' + viewEvent(othView(3)));
      await clock.tickAsync(0);
      first.close();
      await clock.tickAsync(0);
      expect(states.at(-1)).to.equal('connecting');
      await clock.tickAsync(4999);
      expect(client.events.callCount).to.equal(1);
      await clock.tickAsync(1);
      expect(client.events.callCount).to.equal(2);
      expect(client.events.secondCall.args[0].lastEventId).to.equal('3');
      await clock.tickAsync(0);
      second.push(viewEvent(decided(4)));
      await clock.tickAsync(0);
      expect(views.map((view) => view.revision)).to.deep.equal([3, 4]);
      expect(states).to.deep.equal(['connecting', 'streaming', 'connecting', 'streaming', 'stopped']);
      expect(client.view.called).to.equal(false);
    });

    it('gives up on a stream that drops twice in a row and polls instead', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      const first = eventStream();
      const second = eventStream();
      client.events.onFirstCall().resolves(first.response).onSecondCall().resolves(second.response);
      client.view.resolves(othView(3));
      const { states, options } = record();
      watchSession(client, options);
      await clock.tickAsync(0);
      first.push(viewEvent(othView(3)));
      first.fail();
      await clock.tickAsync(3000);
      expect(client.events.callCount).to.equal(2);
      second.close();
      await clock.tickAsync(0);
      expect(states.at(-1)).to.equal('polling');
      expect(client.view.callCount).to.equal(1);
      await clock.tickAsync(60_000);
      expect(client.events.callCount).to.equal(2);
    });

    it('counts a stream that stays silent past three heartbeats as dropped', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      const first = eventStream();
      client.events.onFirstCall().resolves(first.response);
      const { options } = record();
      watchSession(client, options);
      await clock.tickAsync(0);
      first.push(viewEvent(othView(3)));
      await clock.tickAsync(30_000);
      first.push(': heartbeat\n\n');
      await clock.tickAsync(44_000);
      expect(client.events.callCount).to.equal(1);
      await clock.tickAsync(1_000 + 3_000);
      expect(first.cancelled).to.equal(true);
      expect(client.events.callCount).to.equal(2);
      expect(client.events.secondCall.args[0].lastEventId).to.equal('3');
    });

    it('reads the final view once when the session is finished (204)', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 204 }));
      client.view.resolves(decided(6, 'BLOCK'));
      const { views, states, options } = record();
      watchSession(client, options);
      await clock.tickAsync(0);
      expect(views).to.deep.equal([decided(6, 'BLOCK')]);
      expect(states).to.deep.equal(['connecting', 'stopped']);
      await clock.tickAsync(120_000);
      expect(client.view.callCount).to.equal(1);
      expect(client.events.callCount).to.equal(1);
    });

    it('stop() aborts the stream and reports nothing afterwards', async () => {
      const client = fakeLiveClient();
      const stream = eventStream();
      client.events.resolves(stream.response);
      const { views, states, options } = record();
      const watch = watchSession(client, options);
      await flush();
      watch.stop();
      await flush();
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
      expect(stream.cancelled).to.equal(true);
      expect(states).to.deep.equal(['connecting', 'streaming', 'stopped']);
      expect(views).to.deep.equal([]);
    });
  });

  describe('polling fallback', () => {
    const failures: Array<[string, () => Promise<Response>]> = [
      ['a 500', async () => new Response('oops', { status: 500 })],
      ['another content type', async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })],
      ['a network error', async () => Promise.reject(new RelayError('network_error', 'down'))],
    ];
    for (const [name, answer] of failures) {
      it(`polls after ${name}, with jittered waits from 2 s growing to 30 s`, async () => {
        clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
        const client = fakeLiveClient();
        client.events.callsFake(answer);
        client.view.resolves(othView(3));
        const { states, options } = record();
        watchSession(client, options);
        await clock.tickAsync(0);
        expect(states).to.deep.equal(['connecting', 'polling']);
        expect(client.view.callCount).to.equal(1);
        // random() = 0.5 gives the nominal waits: 2, 4, 8, 16, 30, 30 s.
        const waits = [2_000, 4_000, 8_000, 16_000, 30_000, 30_000];
        for (const [index, wait] of waits.entries()) {
          await clock.tickAsync(wait - 1);
          expect(client.view.callCount, `before poll ${index + 2}`).to.equal(index + 1);
          await clock.tickAsync(1);
          expect(client.view.callCount, `poll ${index + 2}`).to.equal(index + 2);
        }
        expect(client.events.callCount).to.equal(1);
      });
    }

    it('jitters each wait by up to ±20 %, never beyond 30 s', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const times: number[] = [];
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 503 }));
      client.view.callsFake(async () => {
        times.push(Date.now());
        return othView(3);
      });
      const randoms = [0, 0.999, 0, 0.999, 0, 0.999];
      watchSession(client, { onView: () => {}, random: () => randoms.shift() ?? 0.5 });
      await clock.tickAsync(200_000);
      const waits = times.slice(1, 7).map((time, index) => time - times[index]!);
      expect(waits).to.deep.equal([1_600, 4_798, 6_400, 19_194, 24_000, 30_000]);
    });

    it('starts the waits over after a change and stops on a decided view, as the stream would', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 500 }));
      client.view.resolves(othView(3));
      const { views, states, options } = record();
      watchSession(client, options);
      await clock.tickAsync(0);
      await clock.tickAsync(2_000 + 4_000);
      expect(client.view.callCount).to.equal(3);
      client.view.resolves(othView(4, { status: 'VERIFIED' }));
      await clock.tickAsync(8_000);
      expect(client.view.callCount).to.equal(4);
      client.view.resolves(decided(5));
      await clock.tickAsync(2_000);
      expect(client.view.callCount).to.equal(5);
      expect(views.map((view) => view.revision)).to.deep.equal([3, 4, 5]);
      expect(views.at(-1)).to.deep.equal(decided(5));
      expect(states).to.deep.equal(['connecting', 'polling', 'stopped']);
      await clock.tickAsync(120_000);
      expect(client.view.callCount).to.equal(5);
    });

    it('keeps polling through network trouble, but stops when the relay refuses for good', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 500 }));
      client.view.onFirstCall().rejects(new RelayError('network_error', 'down'));
      client.view.onSecondCall().rejects(new RelayError('upstream_unavailable', 'busy', { status: 503 }));
      client.view.onThirdCall().rejects(new RelayError('session_expired', 'gone', { status: 401 }));
      const { errors, states, options } = record();
      watchSession(client, options);
      await clock.tickAsync(0 + 2_000 + 4_000);
      expect(client.view.callCount).to.equal(3);
      expect(errors.map((error) => error.code)).to.deep.equal(['session_expired']);
      expect(states.at(-1)).to.equal('stopped');
      await clock.tickAsync(120_000);
      expect(client.view.callCount).to.equal(3);
    });

    it('refresh() reads at once and starts the backoff over', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 500 }));
      client.view.resolves(othView(3));
      const watch = watchSession(client, { onView: () => {}, random: () => 0.5 });
      await clock.tickAsync(2_000 + 4_000 + 8_000);
      expect(client.view.callCount).to.equal(4);
      watch.refresh();
      await clock.tickAsync(0);
      expect(client.view.callCount).to.equal(5);
      await clock.tickAsync(2_000);
      expect(client.view.callCount).to.equal(6);
    });

    it('stop() aborts a poll in flight and no poll follows', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const client = fakeLiveClient();
      client.events.resolves(new Response(null, { status: 500 }));
      const views: SessionView[] = [];
      const watch = watchSession(client, { onView: (view) => views.push(view) });
      await clock.tickAsync(0);
      const signal = client.view.firstCall.args[0]!;
      watch.stop();
      expect(signal.aborted).to.equal(true);
      await clock.tickAsync(120_000);
      expect(client.view.callCount).to.equal(1);
      expect(views).to.deep.equal([]);
    });
  });

  it('refresh() while streaming reads the view and reports it only when newer', async () => {
    const client = fakeLiveClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    const { views, options } = record();
    const watch = watchSession(client, options);
    await flush();
    stream.push(viewEvent(othView(3)));
    await flush();
    client.view.resolves(othView(3));
    watch.refresh();
    await flush();
    expect(views.map((view) => view.revision)).to.deep.equal([3]);
    client.view.resolves(decided(4));
    watch.refresh();
    await flush();
    expect(views.map((view) => view.revision)).to.deep.equal([3, 4]);
    expect(stream.cancelled).to.equal(true);
  });
});
