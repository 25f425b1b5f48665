/** The pure parts of the Hero adapter: method building, the customer-limit rule, the issuer, error mapping. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderRefused, ProviderUnavailable, type ResolvedOrder } from '../../server/provider.ts';
import { createFailure, HeroSetupError, readFailure } from './errors.ts';
import { buildIssuer, fieldForIssuerPath, MissingIssuerDetail, missingIssuerFields } from './issuer.ts';
import { knownPaymentTypes, methodsCacheKey, paymentTypeOf, toMethods, withinCustomerLimits } from './methods.ts';

const COMPANY_ORDER: ResolvedOrder = {
  reference: 'A-1',
  amount: 40000,
  currency: 'EUR',
  customer: {
    reference: 'cust-1',
    email: 'compta@atelier.example',
    phone: '+33600000000',
    company: {
      name: 'Atelier SARL',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      address: { line1: '10 rue de la Paix', line2: 'Bât. B', city: 'Paris', postalCode: '75002', country: 'FR' },
    },
  },
};

const PERSON_ORDER: ResolvedOrder = { reference: 'A-2', amount: 40000, currency: 'EUR', customer: { email: 'someone@example.com' } };

const SHOPPER_FIELDS = {
  companyName: 'Typed SAS',
  addressLine1: '1 place du Typed',
  postalCode: '69001',
  city: 'Lyon',
  email: 'typed@example.fr',
  phone: '+33 4 00 00 00 00',
};

describe('payment types and methods', () => {
  test('knownPaymentTypes keeps Hero order, drops unknown values and duplicates', () => {
    assert.deepEqual(knownPaymentTypes(['Pay30D', 'Pay1X', 'Pay99X', 'Pay1X', 42]), ['Pay1X', 'Pay30D']);
    assert.deepEqual(knownPaymentTypes(null), []);
  });

  test('paymentTypeOf reads only hero:<type>', () => {
    assert.equal(paymentTypeOf('hero:Pay3X'), 'Pay3X');
    assert.equal(paymentTypeOf('hero:pay3x'), undefined);
    assert.equal(paymentTypeOf('kronor:Pay3X'), undefined);
    assert.equal(paymentTypeOf('hero:Pay3X:x'), undefined);
  });

  test('customer limits: remaining room is max − current, per family; Pay1X never hidden', () => {
    const all = ['Pay1X', 'Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay45D', 'Pay60D'] as const;
    const limits = { current: 20000, maxPay30D: 100000, maxPay3X: 50000 };
    assert.deepEqual(withinCustomerLimits(all, 30000, limits), [...all]);
    assert.deepEqual(withinCustomerLimits(all, 30001, limits), ['Pay1X', 'Pay15D', 'Pay30D', 'Pay45D', 'Pay60D']);
    assert.deepEqual(withinCustomerLimits(all, 80001, limits), ['Pay1X']);
    assert.deepEqual(withinCustomerLimits(all, 80001, undefined), [...all]);
  });

  test('methods carry French and English names and kinds; no fields when the order names the company', () => {
    const methods = toMethods(['Pay1X', 'Pay3X', 'Pay30D'], COMPANY_ORDER);
    assert.deepEqual(
      methods.map((m) => [m.id, m.provider, m.kind, m.name.fr, m.name.en]),
      [
        ['hero:Pay1X', 'hero', 'invoice', 'Paiement comptant', 'Pay in full'],
        ['hero:Pay3X', 'hero', 'installments', 'Paiement en 3 fois sans frais', 'Pay in 3 interest-free instalments'],
        ['hero:Pay30D', 'hero', 'invoice', 'Paiement à 30 jours', 'Pay in 30 days'],
      ],
    );
    assert.ok(methods.every((m) => m.fields === undefined && m.min === undefined && m.max === undefined && m.logo === undefined));
  });

  test('without a company every method asks the six issuer details', () => {
    const [method] = toMethods(['Pay1X'], PERSON_ORDER);
    assert.deepEqual(
      method!.fields!.map((f) => [f.key, f.type, f.required]),
      [
        ['companyName', 'text', true],
        ['addressLine1', 'text', true],
        ['postalCode', 'text', true],
        ['city', 'text', true],
        ['email', 'email', true],
        ['phone', 'tel', true],
      ],
    );
    assert.ok(method!.fields!.every((f) => f.label.en && f.label.fr));
  });

  test('with a company only the missing details are asked', () => {
    const order: ResolvedOrder = { ...COMPANY_ORDER, customer: { company: { name: 'Atelier SARL' } } };
    assert.deepEqual(missingIssuerFields(order), ['addressLine1', 'postalCode', 'city', 'email', 'phone']);
    const withPersonAddress: ResolvedOrder = {
      ...order,
      customer: { ...order.customer, email: 'a@b.fr', address: { line1: '1 rue X', city: 'Nice', postalCode: '06000', country: 'FR' } },
    };
    assert.deepEqual(missingIssuerFields(withPersonAddress), ['phone']);
  });

  test('the cache key changes with amount, customer and the asked details, and only currency outside EUR', () => {
    const key = methodsCacheKey(COMPANY_ORDER);
    assert.equal(methodsCacheKey({ ...COMPANY_ORDER }), key);
    assert.notEqual(methodsCacheKey({ ...COMPANY_ORDER, amount: 40001 }), key);
    assert.notEqual(methodsCacheKey({ ...COMPANY_ORDER, customer: { ...COMPANY_ORDER.customer, reference: 'cust-2' } }), key);
    assert.notEqual(methodsCacheKey({ ...COMPANY_ORDER, customer: { ...COMPANY_ORDER.customer, phone: undefined } }), key);
    assert.equal(methodsCacheKey({ ...COMPANY_ORDER, currency: 'SEK' }), 'SEK');
  });
});

describe('issuer', () => {
  test('from the order: company, address with line2, contact, reference, siret, VAT number', () => {
    assert.deepEqual(buildIssuer(COMPANY_ORDER, {}), {
      address: { line1: '10 rue de la Paix', line2: 'Bât. B', city: 'Paris', zipCode: '75002' },
      name: 'Atelier SARL',
      contactEmail: 'compta@atelier.example',
      contactPhone: '+33600000000',
      customerReference: 'cust-1',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
    });
  });

  test('from the fields when the order has no company; the order e-mail is not used then', () => {
    assert.deepEqual(buildIssuer(PERSON_ORDER, SHOPPER_FIELDS), {
      address: { line1: '1 place du Typed', city: 'Lyon', zipCode: '69001' },
      name: 'Typed SAS',
      contactEmail: 'typed@example.fr',
      contactPhone: '+33 4 00 00 00 00',
    });
  });

  test('a field that was not asked cannot replace the order', () => {
    assert.equal(buildIssuer(COMPANY_ORDER, SHOPPER_FIELDS).name, 'Atelier SARL');
  });

  test('a missing detail names its field', () => {
    const { phone: _phone, ...withoutPhone } = SHOPPER_FIELDS;
    assert.throws(() => buildIssuer(PERSON_ORDER, withoutPhone), (e) => e instanceof MissingIssuerDetail && e.key === 'phone');
    assert.throws(() => buildIssuer(PERSON_ORDER, { ...SHOPPER_FIELDS, city: '   ' }), (e) => e instanceof MissingIssuerDetail && e.key === 'city');
  });

  test('Hero validation paths map to field keys', () => {
    assert.equal(fieldForIssuerPath(['issuer', 'contactEmail']), 'email');
    assert.equal(fieldForIssuerPath(['issuer', 'address', 'zipCode']), 'postalCode');
    assert.equal(fieldForIssuerPath(['issuer', 'deliveryAddress', 'zipCode']), undefined);
    assert.equal(fieldForIssuerPath(['redirectUri']), undefined);
  });
});

describe('Hero errors', () => {
  const none = new Set<never>();

  test('NOT_LOGGED is the merchant setup, on reads and on create', () => {
    const errors = [{ message: 'NOT_LOGGED', extensions: { code: 'NOT_LOGGED' } }];
    assert.ok(readFailure('getPaymentsInfos', errors) instanceof HeroSetupError);
    assert.ok(createFailure(errors, none) instanceof HeroSetupError);
  });

  test('other read errors are the provider being unavailable', () => {
    assert.ok(readFailure('getPaymentsInfos', [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]) instanceof ProviderUnavailable);
  });

  test('amount out of range names the limit in euros', () => {
    const small = createFailure([{ message: 'Amount 5000 is smaller than paymentMin 10000' }], none);
    assert.ok(small instanceof ProviderRefused);
    assert.equal(small.message, "The amount is below this Hero option's minimum of 100.00 EUR.");
    const big = createFailure([{ message: 'Amount 9000000 is bigger than paymentMax 3000000' }], none);
    assert.equal(big.message, "The amount is above this Hero option's maximum of 30000.00 EUR.");
  });

  test('a refused detail points at the field only when the shopper typed it', () => {
    const errors = [{ message: 'contactEmail must be an email', extensions: { code: 'VALIDATION_ERROR', validationErrors: [{ path: ['issuer', 'contactEmail'], validationError: 'contactEmail must be an email' }] } }];
    const typed = createFailure(errors, new Set(['email'] as const));
    assert.ok(typed instanceof ProviderRefused);
    assert.equal(typed.field, 'fields.email');
    assert.doesNotMatch(typed.message, /must be an email/);
    const fromOrder = createFailure(errors, none);
    assert.ok(fromOrder instanceof ProviderRefused);
    assert.equal(fromOrder.field, undefined);
  });

  test('a refused return URL is the merchant setup', () => {
    const errors = [{ message: 'x', extensions: { validationErrors: [{ path: ['redirectUri'], validationError: 'redirectUri must not point to localhost' }] } }];
    assert.ok(createFailure(errors, none) instanceof HeroSetupError);
  });

  test('an unknown create error is neither a refusal nor unavailability', () => {
    const error = createFailure([{ message: 'Cannot query field "nope"' }], none);
    assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
  });
});
