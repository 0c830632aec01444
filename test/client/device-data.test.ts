import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { collectDeviceData, newDeviceSessionId, type KountCollector, type KountCollectorConfig } from '../../src/client/device-data.js';

/** A stand-in for Kount's `kountSDK(config, sessionID)` that records its calls and lets a test end the collection. */
function standInCollector(answer: (config: KountCollectorConfig) => unknown = () => ({})) {
  const calls: Array<{ config: KountCollectorConfig; sessionId: string }> = [];
  const collector: KountCollector = (config, sessionId) => {
    calls.push({ config, sessionId });
    return answer(config);
  };
  return { calls, load: () => Promise.resolve({ default: collector }) };
}

describe('collectDeviceData', () => {
  afterEach(() => sinon.restore());

  it('hands back a fresh 32-hex session id at once and runs the collector with it', async () => {
    const stand = standInCollector((config) => {
      setTimeout(() => config.callbacks['collect-end']?.({}), 0);
      return {};
    });
    const collection = collectDeviceData({ clientId: '100100', environment: 'TEST', load: stand.load });
    expect(collection.sessionId).to.match(/^[0-9a-f]{32}$/);
    expect(await collection.done).to.equal('collected');
    expect(stand.calls).to.have.length(1);
    expect(stand.calls[0]!.sessionId).to.equal(collection.sessionId);
    expect(stand.calls[0]!.config).to.deep.include({ clientID: '100100', environment: 'TEST', isSinglePageApp: false });
  });

  it('each collection gets its own id', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newDeviceSessionId()));
    expect(ids.size).to.equal(50);
  });

  it('a hostname replaces the environment, and singlePageApp is passed on', async () => {
    const stand = standInCollector((config) => {
      config.callbacks['collect-end']?.({});
      return {};
    });
    await collectDeviceData({ clientId: '100100', environment: 'PROD', hostname: 'collector.example.com', singlePageApp: true, load: stand.load }).done;
    const { config } = stand.calls[0]!;
    expect(config.hostname).to.equal('collector.example.com');
    expect(config).not.to.have.property('environment');
    expect(config.isSinglePageApp).to.equal(true);
  });

  it('a collector that never finishes ends as timed_out, and the id is still there to send', async () => {
    const clock = sinon.useFakeTimers();
    const collection = collectDeviceData({ clientId: '100100', environment: 'TEST', timeoutMs: 2000, load: standInCollector().load });
    await clock.tickAsync(1999);
    let settled = false;
    void collection.done.then(() => (settled = true));
    await clock.tickAsync(0);
    expect(settled).to.equal(false);
    await clock.tickAsync(1);
    expect(await collection.done).to.equal('timed_out');
    expect(collection.sessionId).to.match(/^[0-9a-f]{32}$/);
  });

  it('a collector that cannot load, is not a function, refuses (null) or throws ends as unavailable, never rejects', async () => {
    const failing: Array<() => Promise<{ default: KountCollector }>> = [
      () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
      () => Promise.resolve({ default: 'not a function' as unknown as KountCollector }),
      standInCollector(() => null).load,
      standInCollector(() => {
        throw new Error('blocked');
      }).load,
    ];
    for (const load of failing) {
      expect(await collectDeviceData({ clientId: '100100', environment: 'TEST', load }).done).to.equal('unavailable');
    }
  });

  it('options that could never work throw a TypeError at once, and nothing is loaded', () => {
    const load = sinon.spy(standInCollector().load);
    const wrong = [
      { clientId: '', environment: 'TEST' },
      { clientId: '   ', environment: 'TEST' },
      { clientId: '100100', environment: 'test' },
      { clientId: '100100', environment: 'TEST', hostname: 'evil.example/<script>' },
    ];
    for (const options of wrong) {
      expect(() => collectDeviceData({ ...(options as Parameters<typeof collectDeviceData>[0]), load })).to.throw(TypeError);
    }
    expect(load.called).to.equal(false);
  });
});
