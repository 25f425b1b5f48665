import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amountToMinor, fromMinor, paymentAmount } from './amount.ts';

describe('hi.health amounts → minor units', () => {
  const rows: Array<[value: unknown, unit: 'major' | 'minor', currency: string, minor: number | undefined]> = [
    // The seed's own amounts, as numbers and as decimal strings.
    [20.01, 'major', 'EUR', 2001],
    ['20.01', 'major', 'EUR', 2001],
    [10, 'major', 'EUR', 1000],
    [30.01, 'major', 'EUR', 3001],
    // Floating point multiplies 0.29 * 100 into 28.999…; reading digits does not.
    [0.29, 'major', 'EUR', 29],
    [1.005, 'major', 'EUR', undefined],
    ['20.10', 'major', 'EUR', 2010],
    ['20.100', 'major', 'EUR', 2010],
    [' 20.01 ', 'major', 'EUR', 2001],
    // The currency's exponent, not a fixed two.
    ['500', 'major', 'JPY', 500],
    ['500.5', 'major', 'JPY', undefined],
    ['1.234', 'major', 'KWD', 1234],
    // Minor units, as the webhook sample (`30000`); a decimal point can only mean major units.
    [30000, 'minor', 'EUR', 30000],
    ['30000', 'minor', 'EUR', 30000],
    [20.01, 'minor', 'EUR', 2001],
    ['20.01', 'minor', 'EUR', 2001],
    [20.001, 'minor', 'EUR', undefined],
    // Never an amount.
    [-20.01, 'major', 'EUR', undefined],
    ['-1', 'minor', 'EUR', undefined],
    ['2e3', 'minor', 'EUR', undefined],
    [1e21, 'minor', 'EUR', undefined],
    [Number.NaN, 'major', 'EUR', undefined],
    [Number.POSITIVE_INFINITY, 'major', 'EUR', undefined],
    ['20,01', 'major', 'EUR', undefined],
    ['', 'major', 'EUR', undefined],
    ['.5', 'major', 'EUR', undefined],
    [null, 'major', 'EUR', undefined],
    [{ total: 20.01 }, 'major', 'EUR', undefined],
    [Number.MAX_SAFE_INTEGER + 2, 'minor', 'EUR', undefined],
  ];
  for (const [value, unit, currency, minor] of rows) {
    it(`${JSON.stringify(value) ?? String(value)} (${unit}, ${currency}) → ${minor}`, () => {
      assert.equal(amountToMinor(value, unit, currency), minor);
    });
  }

  it('writes major units as the JSON number hi.health reads, minor units as they are', () => {
    assert.equal(fromMinor(2001, 'major', 'EUR'), 20.01);
    assert.equal(JSON.stringify({ total: fromMinor(4990, 'major', 'EUR') }), '{"total":49.9}');
    assert.equal(fromMinor(1, 'major', 'EUR'), 0.01);
    assert.equal(fromMinor(2001, 'minor', 'EUR'), 2001);
  });

  it('reads a payment\'s amount beside its currency or as {total, currency}', () => {
    assert.deepEqual(paymentAmount({ amount: 20.01, currency: 'eur' }, 'major'), { minor: 2001, currency: 'EUR' });
    assert.deepEqual(paymentAmount({ amount: { total: '20.01', currency: 'EUR' } }, 'major'), { minor: 2001, currency: 'EUR' });
    assert.deepEqual(paymentAmount({ amount: { total: 20.01 }, currency: 'EUR' }, 'major'), { minor: 2001, currency: 'EUR' });
    assert.equal(paymentAmount({ amount: 20.01 }, 'major'), undefined);
    assert.equal(paymentAmount({ amount: 20.01, currency: 'EURO' }, 'major'), undefined);
    assert.equal(paymentAmount({ currency: 'EUR' }, 'major'), undefined);
  });
});
