import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkoutPageUrl, sameOriginPageUrl, wayBackUrl } from './pending-payment.ts';

const SHOP = 'https://shop.example/return?kassa_payment=kp_aaaaaaaaaaaaaaaaaaaaaaaa';

describe('checkoutPageUrl', () => {
  const rows: Array<[href: string, page: string | undefined]> = [
    ['https://shop.example/checkout?order=A-1', 'https://shop.example/checkout?order=A-1'],
    ['https://shop.example/checkout?order=A-1&kassa_payment=kp_x#pay', 'https://shop.example/checkout?order=A-1'],
    ['https://shop.example/checkout?order=DEMO-EUR~b1-x#top', 'https://shop.example/checkout?order=DEMO-EUR~b1-x'],
    ['http://127.0.0.1:8080/checkout.html?order=A&lang=sv', 'http://127.0.0.1:8080/checkout.html?order=A&lang=sv'],
    ['file:///home/shop/checkout.html', undefined],
    ['about:blank', undefined],
    ['not a url', undefined],
  ];
  for (const [href, page] of rows) it(`${href} → ${page}`, () => assert.equal(checkoutPageUrl(href), page));
});

describe('sameOriginPageUrl', () => {
  const rows: Array<[value: unknown, url: string | undefined]> = [
    ['https://shop.example/checkout?order=A-1', 'https://shop.example/checkout?order=A-1'],
    ['/checkout?order=A-1', 'https://shop.example/checkout?order=A-1'],
    ['checkout.html?order=A-1', 'https://shop.example/checkout.html?order=A-1'],
    ['  /checkout  ', 'https://shop.example/checkout'],
    ['https://evil.example/checkout', undefined],
    ['//evil.example/checkout', undefined],
    ['https://shop.example.evil.example/', undefined],
    ['http://shop.example/checkout', undefined],
    ['https://user:pw@shop.example/checkout', undefined],
    ['javascript:alert(1)', undefined],
    ['JavaScript:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
    [`/${'x'.repeat(3000)}`, undefined],
  ];
  for (const [value, url] of rows) it(`${String(value).slice(0, 60)} → ${url}`, () => assert.equal(sameOriginPageUrl(value, SHOP), url));
});

describe('wayBackUrl', () => {
  const rows: Array<[given: string | undefined, remembered: string | undefined, here: string, url: string | undefined]> = [
    ['/checkout?order=A', 'https://shop.example/old?order=A', SHOP, 'https://shop.example/checkout?order=A'],
    [undefined, 'https://shop.example/checkout?order=A', SHOP, 'https://shop.example/checkout?order=A'],
    ['', 'https://shop.example/checkout?order=A', SHOP, 'https://shop.example/checkout?order=A'],
    // A hostile value given by the page is not replaced by the remembered one: nothing is offered.
    ['javascript:alert(1)', 'https://shop.example/checkout?order=A', SHOP, undefined],
    [undefined, 'https://evil.example/checkout', SHOP, undefined],
    [undefined, undefined, SHOP, undefined],
    // The page the shopper is on (the checkout showing its own result) is no way back.
    [undefined, 'https://shop.example/checkout?order=A', 'https://shop.example/checkout?order=A&kassa_payment=kp_x#r', undefined],
  ];
  for (const [given, remembered, here, url] of rows) it(`${given} / ${remembered} on ${here} → ${url}`, () => assert.equal(wayBackUrl(given, remembered, here), url));
});
