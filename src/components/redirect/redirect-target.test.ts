/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import type { NextAction } from '../../core/model.ts';
import { isNavigableUrl, redirectTarget } from './redirect-target.ts';

describe('isNavigableUrl', () => {
  const rows: Array<[url: unknown, allowedHosts: string[] | undefined, expected: boolean]> = [
    ['https://pay.example/checkout?id=1', undefined, true],
    ['HTTPS://PAY.EXAMPLE/x', undefined, true],
    ['http://127.0.0.1:4010/milkypay/hpp/inv_1', undefined, true],
    ['http://localhost:4010/x', undefined, true],
    ['http://sandbox.localhost/x', undefined, true],
    ['http://pay.example/x', undefined, false],
    ['javascript:alert(1)', undefined, false],
    [' javascript:alert(1)', undefined, false],
    ['java\tscript:alert(1)', undefined, false],
    ['JaVaScRiPt:alert(1)', undefined, false],
    ['data:text/html,<script>alert(1)</script>', undefined, false],
    ['vbscript:msgbox(1)', undefined, false],
    ['file:///etc/passwd', undefined, false],
    ['/relative/path', undefined, false],
    ['relative', undefined, false],
    ['//evil.example/x', undefined, false],
    ['https://user:pass@pay.example/x', undefined, false],
    ['https://user@pay.example/x', undefined, false],
    ['', undefined, false],
    [undefined, undefined, false],
    [42, undefined, false],
    [`https://pay.example/${'a'.repeat(5000)}`, undefined, false],
    ['https://pay.example/x', ['pay.example'], true],
    ['https://pay.example:8443/x', ['pay.example:8443'], true],
    ['https://pay.example:8443/x', ['pay.example:9443'], false],
    ['https://evil.example/x', ['pay.example'], false],
    ['https://pay.example.evil.example/x', ['pay.example'], false],
    ['https://evil.example/?next=https://pay.example', ['pay.example'], false],
    ['http://127.0.0.1:4010/x', ['127.0.0.1:4010'], true],
    ['javascript://pay.example/%0aalert(1)', ['pay.example'], false],
    ['https://pay.example/x', [], false],
  ];
  for (const [url, hosts, expected] of rows) {
    it(`${JSON.stringify(url)?.slice(0, 60)} with ${JSON.stringify(hosts)} → ${expected}`, () => {
      expect(isNavigableUrl(url, hosts)).to.equal(expected);
    });
  }
});

describe('redirectTarget', () => {
  it('follows a redirect as a GET to the normalized URL', () => {
    expect(redirectTarget({ type: 'redirect', url: 'https://pay.example/a b' })).to.deep.equal({ kind: 'get', url: 'https://pay.example/a%20b' });
  });

  it('turns a POST form into a post target with its fields in order', () => {
    const action: NextAction = { type: 'form', url: 'https://gate.example/hpp', method: 'POST', fields: { sid: 'cgi_1', n: '2' } };
    expect(redirectTarget(action)).to.deep.equal({ kind: 'post', url: 'https://gate.example/hpp', fields: [['sid', 'cgi_1'], ['n', '2']] });
  });

  it('turns a GET form into a URL with the fields in the query, keeping its own query', () => {
    const action: NextAction = { type: 'form', url: 'https://gate.example/hpp?lang=en&n=1', method: 'GET', fields: { sid: 'a&b=c', n: '2' } };
    const target = redirectTarget(action);
    expect(target.kind).to.equal('get');
    const url = new URL((target as { url: string }).url);
    expect(url.origin + url.pathname).to.equal('https://gate.example/hpp');
    expect(url.searchParams.get('lang')).to.equal('en');
    expect(url.searchParams.get('sid')).to.equal('a&b=c');
    expect(url.searchParams.getAll('n')).to.deep.equal(['2']);
  });

  it('accepts a lower-case method from a provider', () => {
    const action = { type: 'form', url: 'https://gate.example/hpp', method: 'get', fields: {} } as unknown as NextAction;
    expect(redirectTarget(action)).to.deep.equal({ kind: 'get', url: 'https://gate.example/hpp' });
  });

  it('refuses unsafe and foreign addresses for both kinds', () => {
    expect(redirectTarget({ type: 'redirect', url: 'javascript:alert(1)' })).to.deep.equal({ kind: 'unsafe' });
    expect(redirectTarget({ type: 'form', url: 'data:text/html,x', method: 'POST', fields: {} })).to.deep.equal({ kind: 'unsafe' });
    expect(redirectTarget({ type: 'redirect', url: 'https://evil.example/' }, ['pay.example'])).to.deep.equal({ kind: 'unsafe' });
    expect(redirectTarget({ type: 'form', url: 'https://evil.example/', method: 'GET', fields: { a: '1' } }, ['pay.example'])).to.deep.equal({ kind: 'unsafe' });
  });

  it('does nothing for other actions', () => {
    expect(redirectTarget(undefined)).to.deep.equal({ kind: 'none' });
    expect(redirectTarget({ type: 'none' })).to.deep.equal({ kind: 'none' });
    expect(redirectTarget({ type: 'qr', data: 'D123' })).to.deep.equal({ kind: 'none' });
  });
});
