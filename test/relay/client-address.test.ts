/**
 * SECURITY 39: one client address. Issue 23, item 3: six addresses from one IPv6 /64 passed a limit
 * of 3, four spellings of one IPv6 address were four counters, `::ffff:a.b.c.d` and `a.b.c.d` two;
 * and nothing said how to read `X-Forwarded-For` without trusting what a client forges.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { TrustedProxies, canonicalAddress, clientAddressOf, clientNetwork, clientNetworkOf } from '../../src/relay/client-address.js';
import { loadServiceConfig, relayOptionsFromEnv } from '../../src/relay/index.js';
import { createTestRelay, refusal } from './helpers.js';

describe('SECURITY 39: one client address', () => {
  it('every spelling of one address is one canonical address (RFC 5952, IPv4-mapped IPv6 as IPv4)', () => {
    for (const spelling of ['2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0::1', '[2001:db8::1]', '2001:db8::0:1']) {
      assert.equal(canonicalAddress(spelling), '2001:db8::1', spelling);
    }
    assert.equal(canonicalAddress('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(canonicalAddress('::FFFF:c000:0207'), '192.0.2.7');
    assert.equal(canonicalAddress(' 192.0.2.7 '), '192.0.2.7');
    assert.equal(canonicalAddress('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of two equal runs of zeros is compressed');
    assert.equal(canonicalAddress('fe80::1%eth0'), 'fe80::1');
    for (const notAnAddress of ['', 'localhost', '192.0.2.256', '01.2.3.4', '1.2.3', 'unknown']) assert.equal(canonicalAddress(notAnAddress), undefined, notAnAddress);
  });

  it('an IPv4 address is its own network; an IPv6 address counts under its /64', () => {
    assert.equal(clientNetwork('192.0.2.7'), '192.0.2.7');
    assert.equal(clientNetwork('::ffff:192.0.2.7'), '192.0.2.7');
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:DB8:1:2:a:b:c:d']) assert.equal(clientNetwork(address), '2001:db8:1:2::/64', address);
    assert.equal(clientNetwork('2001:db8:1:3::1'), '2001:db8:1:3::/64');
    assert.equal(clientNetwork('::1'), '::/64');
  });

  it('without trusted proxies the socket is the client and a forged X-Forwarded-For is never read', () => {
    assert.equal(clientAddressOf('198.51.100.9', '203.0.113.1', TrustedProxies.none), '198.51.100.9');
    assert.equal(clientAddressOf('::ffff:198.51.100.9', null, TrustedProxies.none), '198.51.100.9');
    assert.equal(clientAddressOf(undefined, '203.0.113.1', TrustedProxies.none), undefined, 'no socket address: none, never the header');
  });

  it('behind trusted proxies, X-Forwarded-For is read from the right past the trusted ones only', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.10']);
    // The balancer (10.0.0.5) appended its peer; entries left of the first untrusted one are the client's own words.
    assert.equal(clientAddressOf('10.0.0.5', '1.1.1.1, 203.0.113.7', proxies), '203.0.113.7');
    assert.equal(clientAddressOf('10.0.0.5', '1.1.1.1, 203.0.113.7, 192.0.2.10, 10.9.9.9', proxies), '203.0.113.7', 'a chain of trusted proxies is walked');
    assert.equal(clientAddressOf('::ffff:10.0.0.5', '2001:DB8::7', proxies), '2001:db8::7', 'both canonical');
    assert.equal(clientAddressOf('2001:db8:ffff:1::2', '203.0.113.7', proxies), '203.0.113.7', 'an IPv6 proxy block');
    assert.equal(clientAddressOf('10.0.0.5', null, proxies), '10.0.0.5', 'no header: the proxy itself');
    assert.equal(clientAddressOf('10.0.0.5', '10.1.1.1, 10.2.2.2', proxies), '10.1.1.1', 'every hop trusted: the leftmost');
    assert.equal(clientAddressOf('10.0.0.5', '203.0.113.7, not-an-address', proxies), '10.0.0.5', 'a broken entry stops at the last proxy believed');
    assert.equal(clientAddressOf('198.51.100.9', '203.0.113.7', proxies), '198.51.100.9', 'a direct hit from outside the proxies: its forged header is ignored');
    assert.equal(clientNetworkOf('10.0.0.5', '2001:db8:1:2::99', proxies), '2001:db8:1:2::/64');
  });

  it('relay.clientAddress reads a Node request or { socketAddress, headers }, with RELAY_TRUSTED_PROXIES', () => {
    const { relay } = createTestRelay({ trustedProxies: ['127.0.0.1', '::1'] });
    const nodeRequest = { socket: { remoteAddress: '::ffff:127.0.0.1' }, headers: { 'x-forwarded-for': '198.51.100.1, 2001:DB8::5' } } as unknown as IncomingMessage;
    assert.equal(relay.clientAddress(nodeRequest), '2001:db8::5');
    assert.equal(relay.clientAddress({ socketAddress: '::1', headers: new Headers({ 'x-forwarded-for': '203.0.113.4' }) }), '203.0.113.4');
    assert.equal(relay.clientAddress({ socketAddress: '198.51.100.1', headers: new Headers({ 'x-forwarded-for': '203.0.113.4' }) }), '198.51.100.1');
    assert.equal(createTestRelay().relay.clientAddress({ socketAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.4' } }), '127.0.0.1', 'the default trusts no proxy');
  });

  it('RELAY_TRUSTED_PROXIES takes addresses and CIDR blocks of both families, and names a bad entry', () => {
    const env = {
      KOUNT_API_URL: 'https://api.kount.test',
      KOUNT_TOKEN_URL: 'https://login.kount.test/token',
      KOUNT_API_KEY: 'key',
      KOUNT_CLIENT_ID: 'client',
      RELAY_SESSION_SECRET: 'x'.repeat(40),
    };
    const options = relayOptionsFromEnv({ ...env, RELAY_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,::ffff:172.16.0.0/108' });
    const proxies = options.trustedProxies as TrustedProxies;
    assert.deepEqual(proxies.entries, ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', '::ffff:172.16.0.0/108']);
    assert.ok(proxies.includes('10.200.0.1') && proxies.includes('2001:db8:5::1') && proxies.includes('172.16.3.4') && proxies.includes('192.0.2.1'));
    assert.ok(!proxies.includes('192.0.2.2') && !proxies.includes('2001:db9::1') && !proxies.includes('172.32.0.1'));
    assert.ok((relayOptionsFromEnv(env).trustedProxies as TrustedProxies).isEmpty, 'none by default');
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/8', '2001:db8::/129']) {
      assert.throws(() => relayOptionsFromEnv({ ...env, RELAY_TRUSTED_PROXIES: bad }), /RELAY_TRUSTED_PROXIES\[0\] must be an IP address or a CIDR block/, bad);
    }
  });

  it('the standalone service reads RELAY_TRUSTED_PROXIES too (environment or --config file)', async () => {
    const env = { KOUNT_API_URL: 'https://api.kount.test', KOUNT_TOKEN_URL: 'https://login.kount.test/token', KOUNT_API_KEY: 'key', KOUNT_CLIENT_ID: 'client', RELAY_SESSION_SECRET: 'x'.repeat(40), RELAY_ADMIN_API_KEYS: 'k'.repeat(40) };
    const { relay } = await loadServiceConfig({ ...env, RELAY_TRUSTED_PROXIES: '10.0.0.0/8,fd00::/8' });
    assert.ok(relay.trustedProxies.includes('10.4.5.6') && relay.trustedProxies.includes('fd12::1') && !relay.trustedProxies.includes('11.0.0.1'));
    await assert.rejects(loadServiceConfig({ ...env, RELAY_TRUSTED_PROXIES: '10.0.0.0/8,everyone' }), /RELAY_TRUSTED_PROXIES\[1\] must be an IP address or a CIDR block/);
  });

  it('the per-network start limit counts six addresses of one IPv6 /64, and every spelling of one address, as one network', async () => {
    const { relay } = createTestRelay({ challengesPerClientIpPerHour: 3 });
    for (const clientIp of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:DB8:1:2:0:0:0:3']) await relay.admitChallenge({ clientIp, contact: { email: `${clientIp.replaceAll(':', '')}@example.com` } });
    for (const clientIp of ['2001:db8:1:2::4', '2001:db8:1:2:ffff::5', '2001:0db8:0001:0002::6']) {
      assert.equal((await refusal(relay.admitChallenge({ clientIp, contact: { email: 'another@example.com' } }))).code, 'send_limited', clientIp);
    }
    await relay.admitChallenge({ clientIp: '2001:db8:1:3::1', contact: { email: 'next-network@example.com' } });

    for (let index = 0; index < 3; index += 1) await relay.admitChallenge({ clientIp: '192.0.2.7', contact: { email: `v4-${index}@example.com` } });
    assert.equal((await refusal(relay.admitChallenge({ clientIp: '::ffff:192.0.2.7', contact: { email: 'mapped@example.com' } }))).code, 'send_limited', 'the IPv4-mapped spelling is the same address');
  });
});
