import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderRefused } from '../src/server/config.ts';
import { cartReference, CURRENCIES, freshCartOrder, freshDemoOrder, resolveDemoOrder } from './catalogue.ts';

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

  describe('variants DEMO-<CUR>~<suffix>', () => {
    const variants = ['DEMO-EUR~7', 'DEMO-SEK~a', 'DEMO-DKK~Z_9-x', 'DEMO-NOK~-', 'DEMO-PLN~_', `DEMO-EUR~${'a'.repeat(40)}`, 'DEMO-SEK~0123-abcd_EFGH'];
    for (const reference of variants) {
      it(`resolves ${reference} to its fixed order's contents under its own reference`, () => {
        const base = reference.slice(0, reference.indexOf('~'));
        const { reference: own, description, ...contents } = resolveDemoOrder(reference);
        const { reference: baseOwn, description: baseDescription, ...baseContents } = resolveDemoOrder(base);
        assert.equal(own, reference);
        assert.equal(baseOwn, base);
        assert.deepEqual(contents, baseContents, 'amount, currency, lines and customer');
        assert.equal(description, `Kassa demo order ${reference}`);
        assert.notEqual(description, baseDescription);
      });
    }

    it('gives every currency a fresh variant each time, which resolves', () => {
      for (const currency of CURRENCIES) {
        const [one, two] = [freshDemoOrder(currency), freshDemoOrder(currency)];
        assert.match(one, new RegExp(`^DEMO-${currency}~[A-Za-z0-9_-]{1,40}$`));
        assert.notEqual(one, two);
        assert.equal(resolveDemoOrder(one).reference, one);
        assert.equal(resolveDemoOrder(one).amount, resolveDemoOrder(`DEMO-${currency}`).amount);
      }
    });

    const refused = [
      'DEMO-EUR~',
      `DEMO-EUR~${'a'.repeat(41)}`,
      'DEMO-EUR~a~b',
      'DEMO-EUR~a.b',
      'DEMO-EUR~a b',
      'DEMO-EUR~a/b',
      'DEMO-EUR~a\nb',
      'DEMO-EUR~abc\n',
      'DEMO-EUR~é',
      'DEMO-EUR~%41',
      'DEMO-EUR~~',
      'DEMO-EUR ~a',
      'DEMO-eur~a',
      'demo-EUR~a',
      'DEMO-USD~a',
      'DEMO-XYZ~1',
      'DEMO-~a',
      '~a',
      'DEMO-EUR-a',
      'DEMO-EUR~a.b~c',
      'toString~a',
      '__proto__~a',
    ];
    for (const reference of refused) {
      it(`refuses ${JSON.stringify(reference)} with 404`, () => {
        assert.throws(() => resolveDemoOrder(reference), (error: unknown) => error instanceof OrderRefused && error.status === 404);
      });
    }
  });

  describe('cart variants CART-…~<suffix>', () => {
    const variants = ['CART-EUR-mug.1~7', 'CART-SEK-mug.2-tote.1~a', 'CART-DKK-hoodie.20~Z_9-x', 'CART-NOK-tote.3~-', 'CART-PLN-mug.1-hoodie.2~_', `CART-EUR-mug.1~${'a'.repeat(40)}`];
    for (const reference of variants) {
      it(`resolves ${reference} to its cart's contents under its own reference`, () => {
        const base = reference.slice(0, reference.indexOf('~'));
        const { reference: own, ...contents } = resolveDemoOrder(reference);
        const { reference: baseOwn, ...baseContents } = resolveDemoOrder(base);
        assert.equal(own, reference);
        assert.equal(baseOwn, base);
        assert.deepEqual(contents, baseContents, 'amount, currency, lines, customer and description');
      });
    }

    it('gives the same cart a fresh order each time, priced as the cart', () => {
      for (const currency of CURRENCIES) {
        const items = [{ sku: 'mug', quantity: 2 }, { sku: 'hoodie', quantity: 1 }];
        const base = cartReference(currency, items);
        const [one, two] = [freshCartOrder(currency, items), freshCartOrder(currency, items)];
        assert.match(one, new RegExp(`^${base.replace(/\./g, '\\.')}~[A-Za-z0-9_-]{1,40}$`));
        assert.notEqual(one, two);
        const order = resolveDemoOrder(one);
        assert.equal(order.reference, one);
        assert.equal(order.amount, resolveDemoOrder(base).amount);
        assert.deepEqual(order.lines, resolveDemoOrder(base).lines);
      }
    });

    const refused = [
      'CART-EUR-mug.1~',
      `CART-EUR-mug.1~${'a'.repeat(41)}`,
      'CART-EUR-mug.1~a~b',
      'CART-EUR-mug.1~a.b',
      'CART-EUR-mug.1~a b',
      'CART-EUR-mug.1~a/b',
      'CART-EUR-mug.1~abc\n',
      'CART-EUR-mug.1~é',
      'CART-EUR-mug.1~%41',
      'CART-EUR-mug.1~~',
      'CART-EUR-mug.1 ~a',
      'CART-EUR~a',
      'CART-~a',
      'CART-USD-mug.1~a',
      'CART-EUR-mug.0~a',
      'CART-EUR-mug.21~a',
      'CART-EUR-gold.1~a',
      'CART-EUR-mug.1-mug.1~a',
      'cart-EUR-mug.1~a',
      'CART-EUR-mug.1~a-DEMO-EUR~b',
    ];
    for (const reference of refused) {
      it(`refuses ${JSON.stringify(reference)} with 404`, () => {
        assert.throws(() => resolveDemoOrder(reference), (error: unknown) => error instanceof OrderRefused && error.status === 404);
      });
    }
  });

  for (const reference of ['DEMO-USD', 'CART-USD-mug.1', 'CART-EUR-mug.0', 'CART-EUR-mug.21', 'CART-EUR-gold.1', 'CART-EUR-mug.1-mug.1', 'anything', '']) {
    it(`refuses "${reference}" with 404`, () => {
      assert.throws(() => resolveDemoOrder(reference), (error: unknown) => error instanceof OrderRefused && error.status === 404);
    });
  }
});
