import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { RelayClient } from '../../src/client/relay-client.js';
import { RelayError } from '../../src/client/relay-error.js';
import { eventStream } from './helpers.js';
import { othView } from '../elements/helpers.js';

describe('RelayClient: resend and the event stream', () => {
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
    sinon.restore();
  });

  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

  it('resend() posts {} and resend(signal, channel) posts { channel }', async () => {
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>();
    fetch.callsFake(async () => json(othView(4)));
    const client = new RelayClient({ relay: '/verify', fetch });
    await client.resend();
    await client.resend(undefined, 'SMS');
    const [url, first] = fetch.firstCall.args as [string, RequestInit];
    expect(url).to.equal('/verify/session/resend');
    expect(first.body).to.equal('{}');
    expect((fetch.secondCall.args[1] as RequestInit).body).to.equal('{"channel":"SMS"}');
    expect((first.headers as Record<string, string>)['x-k360-verify']).to.equal('1');
  });

  it('events() asks for text/event-stream with the bearer and Last-Event-ID, and returns the raw response', async () => {
    const stream = eventStream();
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>().resolves(stream.response);
    const client = new RelayClient({ relay: 'https://relay.example/verify/', session: 'handle-1', fetch });
    const controller = new AbortController();
    const response = await client.events({ lastEventId: '7', signal: controller.signal });
    expect(response).to.equal(stream.response);
    const [url, init] = fetch.firstCall.args as [string, RequestInit];
    expect(url).to.equal('https://relay.example/verify/session/events');
    expect(init.method).to.equal('GET');
    expect(init.headers).to.deep.equal({ accept: 'text/event-stream', authorization: 'Bearer handle-1', 'last-event-id': '7' });
    expect(init.credentials).to.equal('omit');
    expect(init.cache).to.equal('no-store');
    controller.abort();
    expect(init.signal!.aborted).to.equal(true);
  });

  it('events() on the same origin sends the cookie and no Last-Event-ID on a first connection', async () => {
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>().resolves(eventStream().response);
    await new RelayClient({ relay: '/verify', fetch }).events({ signal: new AbortController().signal });
    const init = fetch.firstCall.args[1] as RequestInit;
    expect(init.credentials).to.equal('same-origin');
    expect(init.headers).to.deep.equal({ accept: 'text/event-stream' });
  });

  it('events() gives up when the headers take too long, but never limits the body', async () => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>();
    fetch.onFirstCall().callsFake(
      (_url, init) =>
        new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason))),
    );
    fetch.onSecondCall().resolves(eventStream().response);
    const client = new RelayClient({ relay: '/verify', timeoutMs: 1000, fetch });
    const late = client.events({ signal: new AbortController().signal }).catch((error: unknown) => error);
    await clock.tickAsync(1000);
    const error = (await late) as RelayError;
    expect(error).to.be.instanceOf(RelayError);
    expect(error.code).to.equal('timeout');

    await client.events({ signal: new AbortController().signal });
    await clock.tickAsync(60_000);
    expect((fetch.secondCall.args[1] as RequestInit).signal!.aborted).to.equal(false);
  });

  it('events() turns a network failure and a cancel into RelayErrors', async () => {
    const fetch = sinon.stub<Parameters<typeof globalThis.fetch>, ReturnType<typeof globalThis.fetch>>();
    fetch.onFirstCall().rejects(new TypeError('Failed to fetch'));
    fetch.onSecondCall().callsFake(async (_url, init) => {
      throw init!.signal!.reason;
    });
    const client = new RelayClient({ relay: '/verify', fetch });
    const network = await client.events({ signal: new AbortController().signal }).catch((error: RelayError) => error);
    expect((network as RelayError).code).to.equal('network_error');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await client.events({ signal: controller.signal }).catch((error: RelayError) => error);
    expect((cancelled as RelayError).code).to.equal('aborted');
  });
});
