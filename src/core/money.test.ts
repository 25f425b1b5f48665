import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyExponent, toMajor, toMinor } from './money.ts';

describe('money', () => {
  const rows: Array<[minor: number, currency: string, major: string]> = [
    [4990, 'EUR', '49.90'],
    [5, 'SEK', '0.05'],
    [0, 'DKK', '0.00'],
    [-1250, 'NOK', '-12.50'],
    [500, 'JPY', '500'],
    [1234, 'KWD', '1.234'],
    [100, 'ISK', '100'],
  ];
  for (const [minor, currency, major] of rows) {
    it(`${minor} ${currency} ⇄ "${major}"`, () => {
      assert.equal(toMajor(minor, currency), major);
      assert.equal(toMinor(major, currency), minor);
    });
  }

  it('takes numbers and trailing zeros', () => {
    assert.equal(toMinor(49.9, 'EUR'), 4990);
    assert.equal(toMinor('49.9', 'EUR'), 4990);
    assert.equal(toMinor('49.900', 'EUR'), 4990);
  });

  it('refuses more decimals than the currency has, and non-numbers', () => {
    assert.equal(toMinor('49.901', 'EUR'), undefined);
    assert.equal(toMinor('1.5', 'JPY'), undefined);
    assert.equal(toMinor('12,50', 'EUR'), undefined);
    assert.equal(toMinor('', 'EUR'), undefined);
    assert.equal(toMinor('1e3', 'EUR'), undefined);
  });

  it('knows the exponents', () => {
    assert.deepEqual(['EUR', 'jpy', 'KWD', 'SEK'].map(currencyExponent), [2, 0, 3, 2]);
  });
});
