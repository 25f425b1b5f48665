import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowedUrl, safeImageUrl } from './url-safety.ts';

describe('isAllowedUrl', () => {
  const hosts = ['pay.heropay.eu', '127.0.0.1:4010'];
  const rows: Array<[url: unknown, allowed: boolean]> = [
    ['https://pay.heropay.eu/checkout/abc', true],
    ['http://127.0.0.1:4010/hero/checkout/abc', true],
    ['http://pay.heropay.eu/checkout/abc', false],
    ['https://pay.heropay.eu.evil.example/checkout', false],
    ['https://evil.example/?next=https://pay.heropay.eu', false],
    ['https://user:pw@pay.heropay.eu/', false],
    ['http://127.0.0.1:4011/hero/checkout/abc', false],
    ['javascript:alert(1)', false],
    ['JAVASCRIPT:alert(1)//pay.heropay.eu', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['//pay.heropay.eu/checkout', false],
    ['/checkout/abc', false],
    [42, false],
    [undefined, false],
  ];
  for (const [url, allowed] of rows) {
    it(`${String(url)} → ${allowed ? 'allowed' : 'refused'}`, () => assert.equal(isAllowedUrl(url, hosts), allowed));
  }
});

describe('safeImageUrl', () => {
  it('keeps https and loopback http, drops the rest', () => {
    assert.equal(safeImageUrl('https://cdn.example/logo.svg'), 'https://cdn.example/logo.svg');
    assert.equal(safeImageUrl('http://127.0.0.1:4010/logo.svg'), 'http://127.0.0.1:4010/logo.svg');
    assert.equal(safeImageUrl('javascript:alert(1)'), undefined);
    assert.equal(safeImageUrl('data:image/svg+xml,<svg onload=alert(1)>'), undefined);
    assert.equal(safeImageUrl('http://cdn.example/logo.svg'), undefined);
  });
});
