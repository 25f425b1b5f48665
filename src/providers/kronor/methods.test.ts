import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSafePattern, matchesSafePattern } from '../../core/safe-pattern.ts';
import type { ResolvedOrder } from '../../server/provider.ts';
import {
  customerData,
  DEFAULT_METHOD_CODES,
  includedTax,
  kronorTaxRate,
  KRONOR_METHOD_CODES,
  kronorMethodsCacheKey,
  listKronorMethods,
  methodCodeOf,
  methodTable,
  paypalData,
  sessionAdditionalData,
  sessionCountry,
  sessionLanguage,
  sessionMessage,
  SWISH_NUMBER_PATTERN,
  swishNumber,
  type KronorMethodCode,
  type SessionDataOptions,
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
  it("the merchant's own limits and currencies replace Kassa's assumed ones, method by method", () => {
    const table = methodTable({ creditCard: { min: 500, max: 1_000 } }, { bankTransfer: ['SEK', 'NOK'] });
    const [card] = listKronorMethods(order('SEK'), ['creditCard'], table);
    assert.deepEqual([card!.min, card!.max], [500, 1_000]);
    assert.deepEqual(listKronorMethods(order('NOK'), ['bankTransfer', 'swish'], table).map((m) => m.id), ['kronor:bankTransfer']);
    assert.deepEqual(listKronorMethods(order('NOK'), ['bankTransfer']).map((m) => m.id), [], 'the default table is untouched');
    assert.deepEqual(table.swish, methodTable().swish);
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
  it('customer data needs a name and an email', () => {
    assert.equal(customerData(order('SEK', { customer: { name: 'Anna' } })), undefined);
    assert.equal(customerData(order('SEK', { customer: { name: 'Anna', email: 'not-an-email' } })), undefined);
    assert.deepEqual(customerData(order('SEK', { customer: { ...ANNA, reference: 'c-7' } })), {
      name: 'Anna Andersson',
      email: 'anna@example.se',
      language: 'SV',
      phoneNumber: '+46701234567',
      customerReference: 'c-7',
    });
  });
  it("additionalData carries the shopper's IP; without one only the methods that need it are sent it, with the fallback", () => {
    const known: SessionDataOptions = { shopperIp: '203.0.113.7', unknownShopperIp: '0.0.0.0', defaultTaxRate: 0 };
    const unknown: SessionDataOptions = { unknownShopperIp: '192.0.2.1', defaultTaxRate: 0 };
    const anna = order('PLN', { customer: ANNA });
    const rows: Array<[code: KronorMethodCode, options: SessionDataOptions, ip: string | undefined]> = [
      ['creditCard', known, '203.0.113.7'],
      ['p24', known, '203.0.113.7'],
      ['payPal', known, '203.0.113.7'],
      // The real schema requires ip inside additionalData, and additionalData is optional: left out.
      ['creditCard', unknown, undefined],
      ['swish', unknown, undefined],
      // P24 and PayPal need additionalData: the configured fallback.
      ['p24', unknown, '192.0.2.1'],
      ['payPal', unknown, '192.0.2.1'],
    ];
    for (const [code, options, ip] of rows) {
      const data = sessionAdditionalData(code === 'payPal' ? PAYPAL_ORDER : anna, code, options);
      assert.equal(data?.ip, ip, `${code} ${options.shopperIp ?? 'unknown'}`);
      if (ip) assert.equal(data?.name, 'Anna Andersson');
      else assert.equal(data, undefined);
    }
    assert.equal(sessionAdditionalData(order('SEK'), 'creditCard', known), undefined, 'no customer, no additionalData');
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
    const options: SessionDataOptions = { shopperIp: '203.0.113.7', unknownShopperIp: '0.0.0.0', defaultTaxRate: 0 };
    assert.equal(sessionAdditionalData(PAYPAL_ORDER, 'payPal', options)?.orderLines?.length, 2);
    assert.equal(sessionAdditionalData(PAYPAL_ORDER, 'creditCard', options)?.orderLines, undefined, 'only PayPal gets the extras');
  });
  it("PayPal lines carry their own tax rate (hundredths of a percent) and the tax inside their total; else the default", () => {
    const taxed: ResolvedOrder = {
      ...PAYPAL_ORDER,
      lines: [
        { name: 'Mug', quantity: 2, unitPrice: 1000, taxRate: 25 },
        { name: 'Book', quantity: 1, unitPrice: 500, taxRate: 6 },
      ],
    };
    assert.deepEqual(paypalData(taxed)?.orderLines?.map((l) => [l.name, l.taxRate, l.totalTaxAmount]), [
      ['Mug', 2500, 400],
      ['Book', 600, 28],
    ]);
    // Lines without a rate: the configured default (0 unless the merchant sets one).
    assert.deepEqual(paypalData(PAYPAL_ORDER)?.orderLines?.map((l) => [l.taxRate, l.totalTaxAmount]), [[0, 0], [0, 0]]);
    assert.deepEqual(paypalData(PAYPAL_ORDER, 12)?.orderLines?.map((l) => [l.taxRate, l.totalTaxAmount]), [[1200, 214], [1200, 54]]);
    const mixed = { ...taxed, lines: [taxed.lines![0]!, { name: 'Card', quantity: 1, unitPrice: 500 }] };
    assert.deepEqual(paypalData(mixed, 12)?.orderLines?.map((l) => l.taxRate), [2500, 1200]);
    // A rate that is not a percentage makes PayPal unavailable rather than wrong.
    for (const bad of [-1, 101, Number.NaN]) assert.equal(paypalData({ ...taxed, lines: [{ ...taxed.lines![0]!, taxRate: bad }, taxed.lines![1]!] }), undefined);
    assert.equal(sessionAdditionalData(taxed, 'payPal', { shopperIp: '203.0.113.7', unknownShopperIp: '0.0.0.0', defaultTaxRate: 0 })?.orderLines?.[0]?.taxRate, 2500);
  });
  it('tax rates and included tax, row by row', () => {
    const rows: Array<[percent: number, total: number, rate: number, tax: number]> = [
      [25, 10_000, 2500, 2000],
      [12, 11_200, 1200, 1200],
      [6, 10_600, 600, 600],
      [0, 10_000, 0, 0],
      [12.5, 1_125, 1250, 125],
      [25, 1, 2500, 0],
      [25, 3, 2500, 1],
    ];
    for (const [percent, total, rate, tax] of rows) {
      assert.equal(kronorTaxRate(percent), rate, `${percent} %`);
      assert.equal(includedTax(total, percent), tax, `${percent} % of ${total}`);
    }
  });
});
