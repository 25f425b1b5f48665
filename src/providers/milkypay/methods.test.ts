/**
 * The pure parts of the MilkyPay adapter on hand-made provider answers: the pre-request → methods mapping with
 * untrusted text, logos and patterns; limits in minor units; the next action; refusals; the callback signature.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ProviderRefused, ProviderUnavailable, WebhookRejected } from '../../server/provider.ts';
import { nextAction, readInvoice, refusalFor } from './invoice.ts';
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

  test('hpp_url is a GET redirect', () => {
    assert.deepEqual(nextAction(readInvoice(resource({ hpp_url: 'https://pay.psp.name/redirect/hpp/?cpi=cpi_X', flow_data: { action: 'https://x', method: 'GET', params: [] } }))), {
      type: 'redirect',
      url: 'https://pay.psp.name/redirect/hpp/?cpi=cpi_X',
    });
  });

  test('flow_data alone is a form with its params as hidden fields', () => {
    const invoice = readInvoice(resource({ hpp_url: null, flow_data: { action: 'https://gate.example/hpp', method: 'post', params: { sid: 'cgi_1', n: 2, nested: { no: 1 } } } }));
    assert.deepEqual(nextAction(invoice), { type: 'form', url: 'https://gate.example/hpp', method: 'POST', fields: { sid: 'cgi_1', n: '2' } });
    const empty = readInvoice(resource({ flow_data: { action: 'https://gate.example/hpp', method: 'GET', params: [] } }));
    assert.deepEqual(nextAction(empty), { type: 'form', url: 'https://gate.example/hpp', method: 'GET', fields: {} });
  });

  test('no next step is none; an unknown form method or a broken invoice is the provider’s fault', () => {
    assert.deepEqual(nextAction(readInvoice(resource({}))), { type: 'none' });
    assert.throws(() => nextAction(readInvoice(resource({ flow_data: { action: 'https://x', method: 'PUT' } }))), ProviderUnavailable);
    assert.throws(() => readInvoice({ id: 'cpi_X', attributes: {} }), ProviderUnavailable);
    assert.throws(() => readInvoice({ id: '../x', attributes: { status: 'processed' } }), ProviderUnavailable);
  });

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
