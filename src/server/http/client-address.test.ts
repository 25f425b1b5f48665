import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientKey, normalizeAddress } from './client-address.ts';
import { checkTrustProxy, clientAddressFrom } from './trust-proxy.ts';
import { KassaConfigError } from '../config.ts';

describe('clientAddressFrom', () => {
  const rows: Array<[label: string, forwardedFor: string | undefined, peer: string, trust: unknown, expected: string]> = [
    ['no proxy trusted: the socket, whatever the header says', '203.0.113.1', '198.51.100.9', undefined, '198.51.100.9'],
    ['trustProxy 0 is no proxy', '203.0.113.1', '198.51.100.9', 0, '198.51.100.9'],
    ['one proxy: the address it appended', '203.0.113.1', '10.0.0.2', 1, '203.0.113.1'],
    ['one proxy: spoofed entries on the left are ignored', '1.1.1.1, 2.2.2.2, 203.0.113.1', '10.0.0.2', 1, '203.0.113.1'],
    ['two proxies: the hop before the second', '1.1.1.1, 203.0.113.1, 10.0.0.3', '10.0.0.2', 2, '203.0.113.1'],
    ['more proxies than hops: the left-most there is', '203.0.113.1', '10.0.0.2', 3, '203.0.113.1'],
    ['one proxy, no header: the socket', undefined, '10.0.0.2', 1, '10.0.0.2'],
    ['a list: trusted hops are skipped from the right', '1.1.1.1, 203.0.113.1, 10.0.0.3', '10.0.0.2', ['10.0.0.0/8'], '203.0.113.1'],
    ['a list: an untrusted socket is the client', '203.0.113.1', '198.51.100.9', ['10.0.0.2'], '198.51.100.9'],
    ['a list: IPv6 networks', '2001:db8::5', 'fd00::1', ['fd00::/8'], '2001:db8::5'],
    ['a list: every hop trusted: the left-most', '10.0.0.5', '10.0.0.2', ['10.0.0.0/8'], '10.0.0.5'],
    ['IPv4-mapped socket addresses read as IPv4', undefined, '::ffff:198.51.100.9', undefined, '198.51.100.9'],
    ['ports on forwarded entries are dropped', '203.0.113.1:5555', '10.0.0.2', 1, '203.0.113.1'],
    ['bracketed IPv6 with a port', '[2001:db8::5]:443', '10.0.0.2', 1, '2001:db8::5'],
  ];
  for (const [label, forwardedFor, peer, trust, expected] of rows) {
    it(label, () => assert.equal(clientAddressFrom(forwardedFor, peer, checkTrustProxy(trust)), expected));
  }

  it('has no address without a socket peer', () => {
    assert.equal(clientAddressFrom('203.0.113.1', undefined, checkTrustProxy(1)), undefined);
  });
});

describe('checkTrustProxy', () => {
  for (const bad of [true, -1, 1.5, 17, [], ['not-an-ip'], ['10.0.0.0/33'], ['10.0.0.0/8/1'], 'yes']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(() => checkTrustProxy(bad), (error) => error instanceof KassaConfigError && /trustProxy/.test(error.message));
    });
  }
});

describe('clientKey', () => {
  const rows: Array<[string, string]> = [
    ['198.51.100.9', '198.51.100.9'],
    ['::ffff:198.51.100.9', '198.51.100.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::a', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
  ];
  for (const [address, key] of rows) it(`${address} → ${key}`, () => assert.equal(clientKey(address), key));

  it('puts every address of one /64 in one bucket', () => {
    assert.equal(clientKey('2001:db8:aa:bb::1'), clientKey('2001:db8:aa:bb:ffff:ffff:ffff:ffff'));
    assert.notEqual(clientKey('2001:db8:aa:bb::1'), clientKey('2001:db8:aa:bc::1'));
  });

  it('normalizes case and IPv4 ports', () => {
    assert.equal(normalizeAddress(' 2001:DB8::1 '), '2001:db8::1');
    assert.equal(normalizeAddress('198.51.100.9:80'), '198.51.100.9');
  });
});
