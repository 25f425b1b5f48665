/// <reference types="mocha" />
/**
 * Amounts in Chromium's Intl: the same text as a formatter made for the call, whether or not one was kept for the
 * language and currency (the first call makes it, the next reuse it), with a cache of the caller's own, and the
 * fallback for a tag Intl refuses.
 */
import { expect } from '@open-wc/testing';
import { formatAmount } from './format.ts';

/** A new Intl.NumberFormat per call, as formatAmount made before it kept them. */
function unkept(minor: number, currency: string, tag: string, exponent: number): string {
  return new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(minor / 10 ** exponent);
}

describe('formatAmount', () => {
  const rows: Array<[minor: number, currency: string, tag: string, exponent: number]> = [
    [4990, 'EUR', 'en', 2],
    [4990, 'EUR', 'de', 2],
    [49900, 'SEK', 'sv', 2],
    [37500, 'DKK', 'da', 2],
    [52000, 'NOK', 'nb', 2],
    [21500, 'PLN', 'pl', 2],
    [123456, 'EUR', 'fr', 2],
    [100000, 'ISK', 'is', 0],
    [1234, 'KWD', 'en', 3],
    [4990, 'CHF', 'de-CH', 2],
  ];
  for (const [minor, currency, tag, exponent] of rows) {
    it(`${minor} ${currency} in ${tag}: the same text on the first call, the next, and with the caller's cache`, () => {
      const cache = new Map<string, Intl.NumberFormat>();
      expect(formatAmount(minor, currency, tag)).to.equal(unkept(minor, currency, tag, exponent));
      expect(formatAmount(minor + 1, currency, tag)).to.equal(unkept(minor + 1, currency, tag, exponent));
      expect(formatAmount(minor, currency, tag, cache)).to.equal(unkept(minor, currency, tag, exponent));
      expect([...cache.keys()]).to.deep.equal([`${tag}|${currency}`]);
    });
  }

  it('a malformed language tag falls back to plain text', () => {
    expect(formatAmount(4990, 'EUR', 'not a tag!')).to.equal('49.90 EUR');
  });
});
