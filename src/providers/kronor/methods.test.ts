import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSafePattern, matchesSafePattern } from '../../core/safe-pattern.ts';
import type { ResolvedOrder } from '../../server/provider.ts';
import {
  customerData,
  DEFAULT_METHOD_CODES,
  KRONOR_METHOD_CODES,
  kronorMethodsCacheKey,
  listKronorMethods,
  methodCodeOf,
  paypalData,
  sessionAdditionalData,
  sessionCountry,
  sessionLanguage,
  sessionMessage,
  SWISH_NUMBER_PATTERN,
  swishNumber,
  UNKNOWN_IP,
  type KronorMethodCode,
} from './methods.ts';

const ANNA = { name: 'Anna Andersson', email: 'anna@example.se', phone: '+46701234567', language: 'sv' };

function order(currency: string, over: Partial<ResolvedOrder> = {}): ResolvedOrder {
  return { reference: 'A-1001', amount: 10_000, currency, ...over };
}

const PAYPAL_ORDER = order('EUR', {
  amount: 2500,
  customer: { ...ANNA, address: { line1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'se' } },
  lines: [
    { name: 'Mug', quantity: 2, unitPrice: 1000, reference: 'MUG' },
    { name: 'Card', quantity: 1, unitPrice: 500 },
  ],
});

const ids = (o: ResolvedOrder, enabled: readonly KronorMethodCode[] = KRONOR_METHOD_CODES) => listKronorMethods(o, enabled).map((m) => m.id);

describe('Kronor methods by currency', () => {
  it('SEK: Swish, card and bank transfer (P24 and PayPal need customer data)', () => {
    assert.deepEqual(ids(order('SEK'), DEFAULT_METHOD_CODES), ['kronor:swish', 'kronor:creditCard', 'kronor:bankTransfer']);
  });
  it('DKK: MobilePay; NOK: Vipps; PLN: P24 only with a named customer', () => {
    assert.deepEqual(ids(order('DKK')), ['kronor:creditCard', 'kronor:mobilePay']);
    assert.deepEqual(ids(order('NOK')), ['kronor:creditCard', 'kronor:vipps']);
    assert.deepEqual(ids(order('PLN')), ['kronor:creditCard']);
    assert.deepEqual(ids(order('PLN', { customer: { name: 'Jan Kowalski', email: 'jan@example.pl' } })), ['kronor:creditCard', 'kronor:p24']);
  });
  it('CHF: PayPal only; ISK and JPY: nothing', () => {
    assert.deepEqual(ids({ ...PAYPAL_ORDER, currency: 'CHF' }), ['kronor:payPal']);
    assert.deepEqual(ids(order('ISK')), []);
    assert.deepEqual(ids(order('JPY')), []);
  });
  it('the merchant enables a subset; Swish by phone number is opt-in', () => {
    assert.ok(!DEFAULT_METHOD_CODES.includes('swish-ecom'));
    assert.deepEqual(ids(order('SEK'), ['creditCard']), ['kronor:creditCard']);
    assert.deepEqual(ids(order('SEK'), ['swish', 'swish-ecom']), ['kronor:swish', 'kronor:swish-ecom']);
  });
  it('each method has an English name, a kind, limits in minor units, and Kassa ids', () => {
    for (const method of listKronorMethods(PAYPAL_ORDER, KRONOR_METHOD_CODES)) {
      assert.equal(method.provider, 'kronor');
      assert.ok(method.name.en);
      assert.ok(method.min! > 0 && method.max! > method.min!);
      assert.equal(method.logo, undefined);
    }
    const [swish] = listKronorMethods(order('SEK'), ['swish']);
    assert.deepEqual({ kind: swish!.kind, min: swish!.min, max: swish!.max }, { kind: 'mobile', min: 100, max: 15_000_000 });
    assert.equal(methodCodeOf('kronor:creditCard'), 'creditCard');
    assert.equal(methodCodeOf('kronor:constructor'), undefined);
    assert.equal(methodCodeOf('hero:creditCard'), undefined);
  });
  it('Swish by phone number asks for the number, with a pattern Kassa can apply safely', () => {
    const [ecom] = listKronorMethods(order('SEK'), ['swish-ecom']);
    assert.deepEqual(ecom!.fields?.map((f) => [f.key, f.type, f.required]), [['phone', 'tel', true]]);
    assert.ok(compileSafePattern(SWISH_NUMBER_PATTERN), 'the pattern is not refused as unsafe');
    for (const good of ['0701234567', '+46 70 123 45 67', '46701234567', '070-123 45 67']) assert.ok(matchesSafePattern(SWISH_NUMBER_PATTERN, good), good);
    for (const bad of ['081234567', '+4570123456', 'abc', '07012']) assert.ok(!matchesSafePattern(SWISH_NUMBER_PATTERN, bad), bad);
    assert.equal(swishNumber('+46 70 123 45 67'), '46701234567');
    assert.equal(swishNumber('070-123 45 67'), '46701234567');
    assert.equal(swishNumber('0812345678'), undefined);
  });
  it('the cache key changes with what the list depends on', () => {
    const keys = new Set([order('SEK'), order('PLN'), order('PLN', { customer: ANNA }), PAYPAL_ORDER].map(kronorMethodsCacheKey));
    assert.equal(keys.size, 4);
    assert.equal(kronorMethodsCacheKey(order('SEK', { amount: 1 })), kronorMethodsCacheKey(order('SEK', { amount: 99_999 })));
  });
});

describe('Kronor session data', () => {
  it('the message keeps only what Kronor allows, at most 50 characters', () => {
    assert.equal(sessionMessage(order('SEK')), 'Order A 1001');
    assert.equal(sessionMessage(order('SEK', { description: 'Köp #42 — tack!' })), 'Köp 42 tack!');
    assert.equal(sessionMessage(order('SEK', { description: 'x'.repeat(80) })).length, 50);
    assert.equal(sessionMessage(order('SEK', { description: '###' })), 'Payment');
    assert.match(sessionMessage(order('SEK', { description: '<script>alert(1)</script> & €' })), /^[A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]+$/);
  });
  it('language: the documented five, else English', () => {
    assert.deepEqual(['sv', 'da-DK', 'nb', 'is', 'en', 'de', undefined].map((language) => sessionLanguage(language ? { language } : undefined)), [
      'SV', 'DA', 'NO', 'IS', 'EN', 'EN', 'EN',
    ]);
  });
  it("country: the method's own, else the customer's, else the currency's", () => {
    assert.equal(sessionCountry(order('PLN', { customer: { country: 'DE' } }), 'p24'), 'PL');
    assert.equal(sessionCountry(order('SEK'), 'swish'), 'SE');
    assert.equal(sessionCountry(order('EUR', { customer: { country: 'fi' } }), 'creditCard'), 'FI');
    assert.equal(sessionCountry(order('NOK', { customer: { country: 'US' } }), 'creditCard'), 'NO');
    assert.equal(sessionCountry(order('USD'), 'creditCard'), 'SE');
  });
  it('customer data needs a name and an email; the IP is unknown to Kassa', () => {
    assert.equal(customerData(order('SEK', { customer: { name: 'Anna' } })), undefined);
    assert.equal(customerData(order('SEK', { customer: { name: 'Anna', email: 'not-an-email' } })), undefined);
    assert.deepEqual(customerData(order('SEK', { customer: { ...ANNA, reference: 'c-7' } })), {
      name: 'Anna Andersson',
      email: 'anna@example.se',
      ip: UNKNOWN_IP,
      language: 'SV',
      phoneNumber: '+46701234567',
      customerReference: 'c-7',
    });
  });
  it('PayPal: shipping address and order lines that add up to the amount', () => {
    const data = paypalData(PAYPAL_ORDER);
    assert.deepEqual(data?.shippingAddress, {
      firstName: 'Anna',
      lastName: 'Andersson',
      streetAddress: 'Storgatan 1',
      postalCode: '11122',
      city: 'Stockholm',
      country: 'SE',
      email: 'anna@example.se',
      phoneNumber: '+46701234567',
    });
    assert.deepEqual(data?.orderLines?.map((l) => [l.name, l.quantity, l.pricePerItem, l.totalAmount]), [
      ['Mug', 2, 1000, 2000],
      ['Card', 1, 500, 500],
    ]);
    assert.equal(paypalData({ ...PAYPAL_ORDER, amount: 2600 }), undefined, 'lines must add up');
    assert.equal(paypalData({ ...PAYPAL_ORDER, customer: { ...PAYPAL_ORDER.customer, phone: undefined } }), undefined);
    assert.equal(paypalData({ ...PAYPAL_ORDER, customer: { ...PAYPAL_ORDER.customer, name: 'Cher' } }), undefined);
    assert.equal(sessionAdditionalData(PAYPAL_ORDER, 'payPal')?.orderLines?.length, 2);
    assert.equal(sessionAdditionalData(PAYPAL_ORDER, 'creditCard')?.orderLines, undefined, 'only PayPal gets the extras');
  });
});
