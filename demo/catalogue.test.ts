import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderRefused } from '../src/server/config.ts';
import { cartReference, resolveDemoOrder } from './catalogue.ts';

describe('demo resolveOrder', () => {
  const fixed: Array<[string, number, string]> = [
    ['DEMO-EUR', 4990, 'EUR'],
    ['DEMO-SEK', 49900, 'SEK'],
    ['DEMO-DKK', 37500, 'DKK'],
    ['DEMO-NOK', 52000, 'NOK'],
    ['DEMO-PLN', 21500, 'PLN'],
  ];
  for (const [reference, amount, currency] of fixed) {
    it(`${reference} costs ${amount} ${currency}`, () => {
      const order = resolveDemoOrder(reference);
      assert.equal(order.amount, amount);
      assert.equal(order.currency, currency);
    });
  }

  it('gives DEMO-EUR a French company, so Hero applies', () => {
    const customer = resolveDemoOrder('DEMO-EUR').customer;
    assert.equal(customer?.company?.address?.country, 'FR');
    assert.ok(customer?.company?.name);
  });

  it('prices a cart from the catalogue', () => {
    const order = resolveDemoOrder(cartReference('SEK', [{ sku: 'mug', quantity: 2 }, { sku: 'tote', quantity: 1 }]));
    assert.equal(order.amount, 2 * 16900 + 22900);
    assert.equal(order.lines?.length, 2);
  });

  for (const reference of ['DEMO-USD', 'CART-USD-mug.1', 'CART-EUR-mug.0', 'CART-EUR-mug.21', 'CART-EUR-gold.1', 'CART-EUR-mug.1-mug.1', 'anything', '']) {
    it(`refuses "${reference}" with 404`, () => {
      assert.throws(() => resolveDemoOrder(reference), (error: unknown) => error instanceof OrderRefused && error.status === 404);
    });
  }
});
