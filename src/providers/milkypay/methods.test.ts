/**
 * The pure parts of the MilkyPay adapter on hand-made provider answers: the pre-request → methods mapping with
 * untrusted text, logos and patterns; limits in minor units; the next step on an allowed host; amounts read back; refusals; the callback signature.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { NextAction } from '../../core/model.ts';
import { ProviderRefused, ProviderUnavailable, WebhookRejected } from '../../server/provider.ts';
import { invoiceAmounts, nextAction, readInvoice, RedirectHostNotAllowed, refusalFor } from './invoice.ts';
import { localized, methodsFromPrerequest, minorLimit, serviceCodeOf } from './methods.ts';
import { callbackSubject, checkSignature } from './webhook.ts';

/** The seed's own pre-request answer (USD), with a hostile method added. */
const SEED_PREREQUEST = {
  data: {
    currency: 'USD',
    test_mode: true,
    services: {
      payment_card_usd_hpp: { code: 'payment_card_usd_hpp', method: 'payment_card', flow: 'hpp', currency: 'USD', fields: [], amount_min: 0.01, amount_max: 1000000 },
      test_usd_test: {
        code: 'test_usd_test',
        method: 'test',
        flow: 'test',
        currency: 'USD',
        fields: [
          {
            key: 'status',
            type: 'string',
            label: { ru: 'Статус', en: 'Status', uk: 'Статус' },
            example: null,
            hint: { ru: 'Введите статус', en: 'Enter Status', uk: 'Введіть статус' },
            regexp: '^[a-zA-Z_]*$',
            required: true,
            position: 0,
          },
        ],
        amount_min: 0.01,
        amount_max: 9999999,
      },
      evil_usd_hpp: {
        code: 'evil_usd_hpp',
        method: 'evil',
        currency: 'USD',
        fields: [
          // Backtracks catastrophically in RegExp, but linear on re2js: kept.
          { key: 'code', type: 'string', label: { en: 'Code' }, regexp: '^(a+)+$', required: false, position: 2 },
          // A backreference has no linear-time form: dropped.
          { key: 'twice', type: 'string', label: { en: 'Twice' }, regexp: '^(\\d)\\1$', required: false, position: 3 },
          { key: 'phone', type: 'string', label: { uk: 'Телефон' }, regexp: '^\\+[0-9]{7,15}$', required: true, position: 1 },
          { key: 'bad key<script>', type: 'string', label: { en: 'x' } },
        ],
        amount_min: '1',
        amount_max: 'lots',
      },
      card_eur_hpp: { code: 'card_eur_hpp', method: 'payment_card', currency: 'EUR', fields: [], amount_min: 1, amount_max: 2 },
    },
    methods: {
      payment_card: {
        code: 'payment_card',
        category: 'payment_card',
        name: { en: 'Payment card', ru: 'Платежная карта', uk: 'Платіжна карта' },
        logo: 'https://static.openfintech.io/payment_methods/payment_card/logo.svg',
        position: null,
        hide: null,
      },
      test: { code: 'test', category: 'alternative', name: { en: 'Test' }, logo: 'https://static.openfintech.io/t.png', position: null, hide: null },
      evil: { code: 'evil', category: 'ewallet', name: { ru: 'Злой', 'not a language': 'x' }, logo: 'javascript:alert(1)', icon: 'data:image/svg+xml,<svg/>', position: 0, hide: false },
    },
  },
};

describe('methodsFromPrerequest', () => {
  const methods = methodsFromPrerequest(SEED_PREREQUEST, 'USD');

  test('one method per service of the currency, by position, then in the answer’s order', () => {
    assert.deepEqual(
      methods.map((m) => m.id),
      ['milkypay:evil_usd_hpp', 'milkypay:payment_card_usd_hpp', 'milkypay:test_usd_test'],
    );
  });

  test('the seed’s card service: localized name, kind, logo, limits in minor units', () => {
    assert.deepEqual(methods.find((m) => m.id === 'milkypay:payment_card_usd_hpp'), {
      id: 'milkypay:payment_card_usd_hpp',
      provider: 'milkypay',
      kind: 'card',
      type: 'card',
      name: { en: 'Payment card', ru: 'Платежная карта', uk: 'Платіжна карта' },
      logo: 'https://static.openfintech.io/payment_methods/payment_card/logo.svg',
      min: 1,
      max: 100000000,
    });
  });

  test('the seed’s service fields become method fields (regexp → pattern)', () => {
    assert.deepEqual(methods.find((m) => m.id === 'milkypay:test_usd_test')?.fields, [
      {
        key: 'status',
        type: 'text',
        label: { ru: 'Статус', en: 'Status', uk: 'Статус' },
        hint: { ru: 'Введите статус', en: 'Enter Status', uk: 'Введіть статус' },
        pattern: '^[a-zA-Z_]*$',
        required: true,
      },
    ]);
  });

  test('untrusted text: no unsafe logo, no pattern re2js cannot run, no odd keys, en always present', () => {
    const evil = methods.find((m) => m.id === 'milkypay:evil_usd_hpp')!;
    assert.equal(evil.logo, undefined);
    assert.deepEqual(evil.name, { ru: 'Злой', en: 'Злой' });
    assert.equal(evil.kind, 'wallet');
    assert.deepEqual(
      evil.fields?.map((f) => [f.key, f.type, f.pattern, f.required, f.label.en]),
      [
        ['phone', 'tel', '^\\+[0-9]{7,15}$', true, 'Телефон'],
        ['code', 'text', '^(a+)+$', false, 'Code'],
        ['twice', 'text', undefined, false, 'Twice'],
      ],
    );
    assert.equal(evil.min, 100);
    assert.equal(evil.max, undefined);
  });

  test('a hidden method’s services are left out', () => {
    const hidden = structuredClone(SEED_PREREQUEST);
    hidden.data.methods.test.hide = true as unknown as null;
    assert.ok(!methodsFromPrerequest(hidden, 'USD').some((m) => m.id === 'milkypay:test_usd_test'));
  });

  test('another currency, or a broken answer, gives no methods', () => {
    assert.deepEqual(methodsFromPrerequest(SEED_PREREQUEST, 'EUR').map((m) => m.id), ['milkypay:card_eur_hpp']);
    assert.deepEqual(methodsFromPrerequest(SEED_PREREQUEST, 'GBP'), []);
    assert.deepEqual(methodsFromPrerequest({ data: { services: [] } }, 'USD'), []);
    assert.deepEqual(methodsFromPrerequest('nonsense', 'USD'), []);
  });

  test('limits are rounded inwards with each currency’s exponent', () => {
    assert.equal(minorLimit(0.1, 'EUR', 'min'), 10);
    assert.equal(minorLimit(0.3, 'GBP', 'min'), 30);
    assert.equal(minorLimit(50, 'JPY', 'min'), 50);
    assert.equal(minorLimit(0.1, 'KWD', 'min'), 100);
    assert.equal(minorLimit(0.005, 'EUR', 'min'), 1);
    assert.equal(minorLimit(9.999, 'EUR', 'max'), 999);
    assert.equal(minorLimit(-1, 'EUR', 'min'), undefined);
  });

  test('names and method ids', () => {
    assert.deepEqual(localized({ en: ' Card ', xx_bad_language_tag: 'no' }, 'f'), { en: 'Card' });
    assert.deepEqual(localized(null, 'payment_card'), { en: 'payment_card' });
    assert.equal(serviceCodeOf('milkypay:mbway_eur_hpp'), 'mbway_eur_hpp');
    assert.equal(serviceCodeOf('hero:mbway_eur_hpp'), undefined);
    assert.equal(serviceCodeOf('milkypay:../../x'), undefined);
  });
});

describe('invoices', () => {
  const resource = (attributes: Record<string, unknown>) => ({ type: 'payment-invoices', id: 'cpi_X', attributes: { status: 'process_pending', ...attributes } });

  const HOSTS = ['api.milkypay.example', 'pay.psp.name', 'cardgate-staging.psp.name'];
  const HPP = 'https://pay.psp.name/redirect/hpp/?cpi=cpi_X';
  const GATE = 'https://cardgate-staging.psp.name/hpp/cgi_1';
  const getForm = (action: string) => ({ action, method: 'GET', params: [] });

  const STEPS: Array<[string, Record<string, unknown>, NextAction | RegExp]> = [
    // [what, invoice attributes, next step or the error naming the hosts]
    ['hpp_url is a GET redirect (the seed: both ways, hpp_url first)', { hpp_url: HPP, flow_data: getForm(GATE) }, { type: 'redirect', url: HPP }],
    ['hpp_url elsewhere: the flow_data form on an allowed host', { hpp_url: 'https://pay.elsewhere.example/x', flow_data: getForm(GATE) }, { type: 'form', url: GATE, method: 'GET', fields: {} }],
    ['flow_data alone, allowed', { flow_data: getForm(GATE) }, { type: 'form', url: GATE, method: 'GET', fields: {} }],
    ['both elsewhere: the error names both hosts, never the URLs', { hpp_url: 'https://pay.real.example/r?cpi=secret', flow_data: getForm('https://gate.real.example/hpp/secret') }, /sends the shopper to pay\.real\.example or gate\.real\.example, which is not in providers\.milkypay\.redirectHosts/],
    ['hpp_url alone elsewhere', { hpp_url: 'https://pay.real.example/r' }, /pay\.real\.example, which is not/],
    ['plain http off loopback is never allowed', { hpp_url: 'http://pay.psp.name/redirect' }, /pay\.psp\.name, which is not/],
    ['an hpp_url that is not a URL', { hpp_url: 'javascript:alert(1)' }, /an address without a host/],
    ['neither: nothing for the browser', {}, { type: 'none' }],
  ];
  for (const [what, attributes, expected] of STEPS) {
    test(`next step: ${what}`, () => {
      const invoice = readInvoice(resource(attributes));
      if (expected instanceof RegExp) {
        assert.throws(() => nextAction(invoice, HOSTS), (error: Error) => {
          assert.ok(error instanceof RedirectHostNotAllowed);
          assert.match(error.message, expected);
          assert.doesNotMatch(error.message, /secret/);
          return true;
        });
      } else {
        assert.deepEqual(nextAction(invoice, HOSTS), expected);
      }
    });
  }

  test('flow_data alone is a form with its params as hidden fields', () => {
    const invoice = readInvoice(resource({ hpp_url: null, flow_data: { action: 'https://gate.example/hpp', method: 'post', params: { sid: 'cgi_1', n: 2, nested: { no: 1 } } } }));
    assert.deepEqual(nextAction(invoice, ['gate.example']), { type: 'form', url: 'https://gate.example/hpp', method: 'POST', fields: { sid: 'cgi_1', n: '2' } });
  });

  test('no next step is none; an unknown form method or a broken invoice is the provider’s fault', () => {
    assert.throws(() => nextAction(readInvoice(resource({ flow_data: { action: 'https://x', method: 'PUT' } })), HOSTS), ProviderUnavailable);
    assert.throws(() => readInvoice({ id: 'cpi_X', attributes: {} }), ProviderUnavailable);
    assert.throws(() => readInvoice({ id: '../x', attributes: { status: 'processed' } }), ProviderUnavailable);
  });

  const AMOUNTS: Array<[string, Record<string, unknown>, ReturnType<typeof invoiceAmounts>]> = [
    // [what, invoice attributes, amounts in minor units]
    ['nothing moved yet (the seed: null)', { currency: 'USD', processed_amount: null, refunded_amount: null }, {}],
    ['processed (the seed: processed_amount 100)', { currency: 'USD', processed_amount: 100, refunded_amount: null }, { capturedAmount: 10000 }],
    ['partly refunded', { currency: 'EUR', processed_amount: 49.9, refunded_amount: 24.95 }, { capturedAmount: 4990, refundedAmount: 2495 }],
    ['amounts as strings', { currency: 'EUR', processed_amount: '49.90', refunded_amount: '49.90' }, { capturedAmount: 4990, refundedAmount: 4990 }],
    ['a zero-decimal currency', { currency: 'JPY', processed_amount: 500 }, { capturedAmount: 500 }],
    ['a three-decimal currency', { currency: 'KWD', processed_amount: 1.234 }, { capturedAmount: 1234 }],
    ['more decimals than the currency has: not reported', { currency: 'EUR', processed_amount: '1.234' }, {}],
    ['a negative amount: not reported', { currency: 'EUR', refunded_amount: -1 }, {}],
    ['no currency: nothing can be converted', { processed_amount: 10 }, {}],
  ];
  for (const [what, attributes, amounts] of AMOUNTS) {
    test(`amounts: ${what}`, () => {
      assert.deepEqual(invoiceAmounts(readInvoice(resource(attributes))), amounts);
    });
  }

  test('422 refusals: the shopper’s inputs and the amount are refusals, the rest is a setup error', () => {
    const field = refusalFor({ errors: { 'service_fields.phone': 'This value is not valid.' } });
    assert.ok(field instanceof ProviderRefused);
    assert.equal(field.field, 'fields.phone');
    const amount = refusalFor({ errors: { amount: 'This value should be between 0.5 and 5000.' } });
    assert.ok(amount instanceof ProviderRefused);
    assert.equal(amount.field, 'amount');
    assert.doesNotMatch(amount.message, /5000/, 'no raw provider text');
    const setup = refusalFor({ errors: { callback_url: 'This value is not a valid URL.' } });
    assert.ok(!(setup instanceof ProviderRefused));
    assert.match(setup.message, /callback_url/);
  });
});

describe('callback signature', () => {
  const secret = 'sandbox-milkypay-secret';
  const body = new TextEncoder().encode('{"data":{"type":"payment-invoices","id":"cpi_A","attributes":{"reference_id":"kp_1"}}}');
  const sign = (bytes: Uint8Array, key = secret) =>
    createHash('sha1').update(Buffer.concat([Buffer.from(key), bytes, Buffer.from(key)])).digest('base64');
  const request = (signature: string | null, bytes = body) => ({
    method: 'POST',
    url: new URL('https://shop.example/kassa/webhooks/milkypay'),
    headers: new Headers(signature === null ? {} : { 'x-signature': signature }),
    body: bytes,
  });

  test('the documented signature passes and names the invoice and reference', () => {
    assert.doesNotThrow(() => checkSignature(request(sign(body)), secret));
    assert.deepEqual(callbackSubject(body), { providerPaymentId: 'cpi_A', reference: 'kp_1' });
  });

  test('a missing, malformed, other-secret or other-body signature is rejected', () => {
    for (const signature of [null, '', 'abc', sign(body, 'other-secret'), sign(new TextEncoder().encode('{}')), `${sign(body)}x`]) {
      assert.throws(() => checkSignature(request(signature), secret), WebhookRejected, String(signature));
    }
  });

  test('a hex digest (not the binary one) is rejected', () => {
    const hex = createHash('sha1').update(`${secret}${new TextDecoder().decode(body)}${secret}`).digest('hex');
    assert.throws(() => checkSignature(request(hex), secret), WebhookRejected);
  });

  test('a body that is not an invoice is rejected', () => {
    for (const text of ['not json', '{"data":{"type":"customers","id":"cus_1"}}', '{"data":{"type":"payment-invoices","id":"../x"}}']) {
      assert.throws(() => callbackSubject(new TextEncoder().encode(text)), WebhookRejected, text);
    }
  });
});
