/**
 * The Hero adapter over real HTTP against the sandbox's Hero (sandbox/hero/README.md): configuration, methods,
 * the payment flow through every outcome, refunds and what reads show after them, linking the order after success,
 * Hero's GET notification, and faults.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { loadHeroSchema } from '../../../sandbox/hero/graphql-endpoint.ts';
import { useSandbox } from '../../../sandbox/testing.ts';
import type { PaymentMethod } from '../../core/model.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';
import {
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type OperationPayment,
  type ProviderAdapter,
  type ResolvedOrder,
} from '../../server/provider.ts';
import { HeroSetupError } from './errors.ts';
import { HERO_DOCUMENTS } from './graphql.ts';
import { heroEndpoints, heroProvider, type HeroConfig } from './server.ts';

const KEY = 'sandbox-hero-key';
const DISABLED_KEY = 'sandbox-hero-disabled-key';
const LIMITED_CUSTOMER = 'hero-limited-customer';

const sb = useSandbox();

/** Stands in for the endpoint's return route: Hero's notification is a GET there. */
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(303, { location: '/done' }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
after(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
});

function hero(config: Partial<HeroConfig> = {}, timing = { timeoutMs: 2000, attempts: 2 }): ProviderAdapter {
  return heroProvider.create({ environment: 'sandbox', apiKey: KEY, ...config }, { sandboxUrl: sb.url, ...timing });
}

function companyOrder(amount: number, reference = 'cust-42', over: Partial<ResolvedOrder> = {}): ResolvedOrder {
  return {
    reference: 'ORDER-1001',
    amount,
    currency: 'EUR',
    customer: {
      reference,
      email: 'compta@atelier.example',
      phone: '+33600000000',
      company: { name: 'Atelier SARL', siret: '73282932000074', address: { line1: '10 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' } },
    },
    ...over,
  };
}

const PERSON_ORDER: ResolvedOrder = { reference: 'ORDER-2002', amount: 15000, currency: 'EUR', customer: { email: 'someone@example.com' } };

const SHOPPER_FIELDS = {
  companyName: 'Typed Company SAS',
  addressLine1: '1 place Bellecour',
  postalCode: '69002',
  city: 'Lyon',
  email: 'typed@example.fr',
  phone: '+33 4 00 00 00 00',
};

const ids = (methods: PaymentMethod[]) => methods.map((m) => m.id);
const signal = () => AbortSignal.timeout(5000);

async function methodFor(adapter: ProviderAdapter, order: ResolvedOrder, id: string): Promise<PaymentMethod> {
  const method = (await adapter.listMethods(order, signal())).find((m) => m.id === id);
  assert.ok(method, `${id} is listed`);
  return method;
}

function paymentInput(order: ResolvedOrder, method: PaymentMethod, fields: Record<string, string> = {}): CreatePaymentInput {
  const reference = 'kp_abcdefghijklmnopqrstuvwx';
  return {
    reference,
    order,
    method,
    fields,
    returnUrl: `https://shop.example/return?kassa_payment=${reference}`,
    endpointReturnUrl: `${receiverUrl}/kassa/return/${reference}`,
    webhookUrl: `${receiverUrl}/kassa/webhooks/hero`,
    idempotencyKey: reference,
    signal: signal(),
  };
}

async function count(operation: string): Promise<number> {
  return (await sb.control<{ count: number }>('GET', `/requests?provider=hero&operation=${operation}`)).count;
}

async function heroPayments(): Promise<Array<{ id: string; status: string; amount: number; reference: string | null }>> {
  return (await sb.control('GET', '/payments?provider=hero')).payments;
}

describe('configuration', () => {
  const schema = heroProvider.configSchema;

  test('a minimal sandbox configuration is accepted', () => {
    assert.deepEqual(schema.parse({ environment: 'sandbox', apiKey: KEY }), { environment: 'sandbox', apiKey: KEY });
  });

  test('a missing API key is named', () => {
    const result = schema.safeParse({ environment: 'production' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error!.issues[0]!.path, ['apiKey']);
    assert.match(result.error!.issues[0]!.message, /apiKey is required/);
    assert.match(schema.safeParse({ environment: 'production', apiKey: '  ' }).error!.issues[0]!.message, /apiKey must not be empty/);
  });

  test('an unknown option is refused, without echoing any value', () => {
    const result = schema.safeParse({ environment: 'sandbox', apiKey: 'very-secret-key', webhookSecret: 'other-secret' });
    assert.equal(result.success, false);
    const issue = result.error!.issues[0]!;
    assert.equal(issue.code, 'unrecognized_keys');
    assert.deepEqual(issue.keys, ['webhookSecret']);
    assert.doesNotMatch(JSON.stringify(result.error!.issues), /secret-key|other-secret/);
  });

  test('a wrong environment is refused with the choices', () => {
    const result = schema.safeParse({ environment: 'live', apiKey: KEY });
    assert.match(result.error!.issues[0]!.message, /'sandbox', 'staging' or 'production'/);
  });

  test('base URLs must be https, plain http only on loopback', () => {
    assert.match(
      schema.safeParse({ environment: 'production', apiKey: KEY, graphqlUrl: 'http://api.example/graphql' }).error!.issues[0]!.message,
      /graphqlUrl must use https/,
    );
    assert.match(schema.safeParse({ environment: 'production', apiKey: KEY, checkoutUrl: 'javascript:alert(1)' }).error!.issues[0]!.message, /checkoutUrl/);
    assert.equal(schema.safeParse({ environment: 'production', apiKey: KEY, graphqlUrl: 'http://127.0.0.1:9/hero/graphql' }).success, true);
  });

  test('redirect hosts are exactly the hosted page host of the environment', () => {
    const create = (config: HeroConfig) => heroProvider.create(config, { sandboxUrl: 'http://127.0.0.1:4010', timeoutMs: 2000, attempts: 2 });
    assert.deepEqual(create({ environment: 'sandbox', apiKey: KEY }).redirectHosts, ['127.0.0.1:4010']);
    assert.deepEqual(create({ environment: 'staging', apiKey: KEY }).redirectHosts, ['staging.pay.heropay.eu']);
    assert.deepEqual(create({ environment: 'production', apiKey: KEY }).redirectHosts, ['pay.heropay.eu']);
    assert.deepEqual(create({ environment: 'production', apiKey: KEY, checkoutUrl: 'https://pay.hero.example/' }).redirectHosts, ['pay.hero.example']);
  });

  test('every GraphQL document validates against the sandbox rendering of Hero’s schema', () => {
    const schema = loadHeroSchema();
    for (const [name, document] of Object.entries(HERO_DOCUMENTS)) {
      assert.deepEqual(validate(schema, parse(document)).map((e) => e.message), [], name);
    }
  });

  test("availablePaymentTypes declares $amount: Int!, valid whether Hero's argument is nullable or not", () => {
    assert.match(HERO_DOCUMENTS.AVAILABLE_PAYMENT_TYPES, /\$amount: Int!/);
    const sdl = readFileSync(new URL('../../../sandbox/hero/schema.graphql', import.meta.url), 'utf8');
    const required = sdl.replace('availablePaymentTypes(amount: Int)', 'availablePaymentTypes(amount: Int!)');
    assert.notEqual(required, sdl);
    for (const schema of [buildSchema(sdl), buildSchema(required)]) {
      assert.deepEqual(validate(schema, parse(HERO_DOCUMENTS.AVAILABLE_PAYMENT_TYPES)).map((e) => e.message), []);
    }
    // What `$amount: Int` would have met against Hero's `Int!`.
    const nullable = HERO_DOCUMENTS.AVAILABLE_PAYMENT_TYPES.replace('$amount: Int!', '$amount: Int');
    assert.equal(validate(buildSchema(required), parse(nullable)).length, 1);
  });

  test("staging: Hero's documented URLs by default; the plugin's staging API URL when configured", () => {
    const sandboxUrl = 'http://127.0.0.1:4010';
    assert.deepEqual(heroEndpoints({ environment: 'staging', apiKey: KEY }, sandboxUrl), {
      graphqlUrl: 'https://staging.api.hero.fr/api/graphql',
      checkoutUrl: 'https://staging.pay.heropay.eu',
    });
    assert.deepEqual(heroEndpoints({ environment: 'staging', apiKey: KEY, graphqlUrl: 'https://api.hero.fr/api-staging/graphql' }, sandboxUrl), {
      graphqlUrl: 'https://api.hero.fr/api-staging/graphql',
      checkoutUrl: 'https://staging.pay.heropay.eu',
    });
    assert.deepEqual(heroEndpoints({ environment: 'production', apiKey: KEY }, sandboxUrl), {
      graphqlUrl: 'https://api.hero.fr/api/graphql',
      checkoutUrl: 'https://pay.heropay.eu',
    });
    assert.deepEqual(heroEndpoints({ environment: 'sandbox', apiKey: KEY, checkoutUrl: 'https://pay.hero.example/' }, `${sandboxUrl}/`), {
      graphqlUrl: `${sandboxUrl}/hero/graphql`,
      checkoutUrl: 'https://pay.hero.example',
    });
  });

  test('errorStates and reviewStates take Hero values to states an unfinished payment can be in', () => {
    const ok = schema.safeParse({ environment: 'production', apiKey: KEY, errorStates: { PAYMENT_REJECTED: 'declined' }, reviewStates: { '2': 'processing' } });
    assert.equal(ok.success, true);
    const problems: Array<[Record<string, unknown>, RegExp]> = [
      [{ errorStates: { PAYMENT_DONE: 'paid' } }, /errorStates values must be one of action_required, pending, processing, declined, cancelled, expired, failed/],
      [{ errorStates: { 'not a code!': 'failed' } }, /errorStates keys must be Hero's values/],
      [{ reviewStates: { ACCEPTED: 'refunded' } }, /reviewStates values must be one of/],
      [{ errorStates: ['PAYMENT_REFUSED'] }, /expected record/],
    ];
    for (const [options, problem] of problems) {
      const result = schema.safeParse({ environment: 'production', apiKey: KEY, ...options });
      assert.equal(result.success, false, JSON.stringify(options));
      assert.match(result.error!.issues[0]!.message, problem);
    }
  });
});

describe('listMethods', () => {
  test('only euros: another currency lists nothing and never calls Hero', async () => {
    assert.deepEqual(await hero().listMethods(companyOrder(15000, 'cust-42', { currency: 'SEK' }), signal()), []);
    assert.equal((await sb.control('GET', '/requests?provider=hero')).count, 0);
  });

  test('one method per type Hero offers for the amount (Pay45D is off on the demo account)', async () => {
    const methods = await hero().listMethods(companyOrder(15000), signal());
    assert.deepEqual(ids(methods), ['hero:Pay1X', 'hero:Pay3X', 'hero:Pay4X', 'hero:Pay15D', 'hero:Pay30D', 'hero:Pay60D']);
    const pay3x = methods.find((m) => m.id === 'hero:Pay3X')!;
    assert.deepEqual([pay3x.kind, pay3x.name.fr, pay3x.name.en], ['installments', 'Paiement en 3 fois sans frais', 'Pay in 3 interest-free instalments']);
    assert.equal(methods.find((m) => m.id === 'hero:Pay60D')!.name.fr, 'Paiement à 60 jours');
    assert.ok(methods.every((m) => m.provider === 'hero' && m.fields === undefined));
  });

  test('the amount filters: 60 € is under the instalment minimum, 0.50 € under every minimum', async () => {
    assert.deepEqual(ids(await hero().listMethods(companyOrder(6000), signal())), ['hero:Pay1X', 'hero:Pay15D', 'hero:Pay30D', 'hero:Pay60D']);
    assert.deepEqual(await hero().listMethods(companyOrder(50), signal()), []);
  });

  test("a customer's remaining limit hides instalments, then deferred payment", async () => {
    // hero-limited-customer: current 200 €, maxPay3X 500 €, maxPay30D 1000 € → room 300 € and 800 €.
    assert.deepEqual(ids(await hero().listMethods(companyOrder(30000, LIMITED_CUSTOMER), signal())), [
      'hero:Pay1X', 'hero:Pay3X', 'hero:Pay4X', 'hero:Pay15D', 'hero:Pay30D', 'hero:Pay60D',
    ]);
    assert.deepEqual(ids(await hero().listMethods(companyOrder(40000, LIMITED_CUSTOMER), signal())), [
      'hero:Pay1X', 'hero:Pay15D', 'hero:Pay30D', 'hero:Pay60D',
    ]);
    assert.deepEqual(ids(await hero().listMethods(companyOrder(90000, LIMITED_CUSTOMER), signal())), ['hero:Pay1X']);
    assert.equal(await count('maxPaymentForCustomer'), 3);
  });

  test('no customer reference: limits are not asked', async () => {
    const order = companyOrder(40000);
    delete order.customer!.reference;
    assert.equal((await hero().listMethods(order, signal())).length, 6);
    assert.equal(await count('maxPaymentForCustomer'), 0);
  });

  test('limits Hero cannot give hide nothing', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'maxPaymentForCustomer', kind: 'error', status: 500, times: 2 });
    assert.equal((await hero().listMethods(companyOrder(90000, LIMITED_CUSTOMER), signal())).length, 6);
    assert.equal(await count('maxPaymentForCustomer'), 2);
  });

  test('without a company every method asks for the company details', async () => {
    const methods = await hero().listMethods(PERSON_ORDER, signal());
    assert.ok(methods.length > 0);
    for (const method of methods) {
      assert.deepEqual(method.fields?.map((f) => f.key), ['companyName', 'addressLine1', 'postalCode', 'city', 'email', 'phone']);
    }
  });

  test('an account that may not take payments lists nothing', async () => {
    assert.deepEqual(await hero({ apiKey: DISABLED_KEY }).listMethods(companyOrder(15000), signal()), []);
  });

  test('a refused API key is a setup error that does not repeat the key', async () => {
    await assert.rejects(hero({ apiKey: 'wrong-hero-key-123' }).listMethods(companyOrder(15000), signal()), (error: Error) => {
      assert.ok(error instanceof HeroSetupError);
      assert.match(error.message, /NOT_LOGGED/);
      assert.doesNotMatch(error.message, /wrong-hero-key-123/);
      return true;
    });
  });

  test('an unreachable Hero is unavailable, retried as a read', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'availablePaymentTypes', kind: 'error', status: 503, times: 2 });
    await assert.rejects(hero().listMethods(companyOrder(15000), signal()), ProviderUnavailable);
    assert.equal(await count('availablePaymentTypes'), 2);
  });
});

describe('createPayment → hosted page → readStatus', () => {
  const OUTCOMES = [
    ['pay', 'paid', 'SUCCESS'],
    ['decline', 'declined', 'PAYMENT_REFUSED'],
    ['cancel', 'cancelled', 'PAYMENT_CANCELLED'],
    ['expire', 'expired', 'PAYMENT_EXPIRED'],
    ['fail', 'failed', 'PAYMENT_FAILED'],
  ] as const;

  for (const [outcome, state, raw] of OUTCOMES) {
    test(`${outcome} → ${state}`, async () => {
      const adapter = hero();
      const order = companyOrder(15000);
      const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay3X')));
      assert.equal(created.action.type, 'redirect');
      const url = (created.action as { url: string }).url;
      assert.equal(url, `${sb.url}/hero/checkout/${encodeURIComponent(created.providerPaymentId)}`);
      assert.ok(isAllowedUrl(url, adapter.redirectHosts));
      assert.deepEqual([created.state, created.providerStatus], ['action_required', 'PAYMENT_NOT_INITIATED']);

      const [payment] = await heroPayments();
      assert.deepEqual([payment!.id, payment!.amount, payment!.reference], [created.providerPaymentId, 15000, 'ORDER-1001']);
      assert.equal(created.data?.orderIdLinked, true);

      const ref = { reference: 'kp_abcdefghijklmnopqrstuvwx', providerPaymentId: created.providerPaymentId, data: created.data };
      assert.deepEqual(await adapter.readStatus(ref, signal()), { state: 'action_required', providerStatus: 'PAYMENT_NOT_INITIATED' });
      await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome });
      const amounts = outcome === 'pay' ? { capturedAmount: 15000, refundedAmount: 0 } : {};
      assert.deepEqual(await adapter.readStatus(ref, signal()), { state, providerStatus: raw, ...amounts });
    });
  }

  test("Hero's way back (comebackUri) leads to the checkout page where the method was chosen; the rest to the endpoint return route (redirectUri)", async () => {
    const adapter = hero();
    const order = companyOrder(15000);
    const method = await methodFor(adapter, order, 'hero:Pay1X');
    const checkoutUrl = 'https://shop.example/checkout?order=ORDER-1001';
    const first = await adapter.createPayment({ ...paymentInput(order, method), checkoutUrl });
    const second = await adapter.createPayment({ ...paymentInput(order, method), checkoutUrl });
    const cancelled = await sb.control('POST', `/payments/hero/${first.providerPaymentId}/outcome`, { outcome: 'cancel' });
    const paid = await sb.control('POST', `/payments/hero/${second.providerPaymentId}/outcome`, { outcome: 'pay' });
    assert.equal(cancelled.redirectUrl, checkoutUrl);
    assert.equal(paid.redirectUrl, `${receiverUrl}/kassa/return/kp_abcdefghijklmnopqrstuvwx`);
  });

  test('without a known checkout page, the way back is the return page', async () => {
    const adapter = hero();
    const order = companyOrder(15000);
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay1X')));
    const cancelled = await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome: 'cancel' });
    assert.equal(cancelled.redirectUrl, 'https://shop.example/return?kassa_payment=kp_abcdefghijklmnopqrstuvwx');
  });

  test("the merchant's own error values decide the state", async () => {
    const adapter = hero({ errorStates: { PAYMENT_CANCELLED: 'failed' } });
    const order = companyOrder(15000);
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay1X')));
    await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome: 'cancel' });
    assert.deepEqual(await adapter.readStatus({ reference: 'kp_x', providerPaymentId: created.providerPaymentId }, signal()), {
      state: 'failed',
      providerStatus: 'PAYMENT_CANCELLED',
    });
  });

  test("the company details the shopper typed reach Hero's page", async () => {
    const adapter = hero();
    const method = await methodFor(adapter, PERSON_ORDER, 'hero:Pay30D');
    const created = await adapter.createPayment(paymentInput(PERSON_ORDER, method, SHOPPER_FIELDS));
    const page = await (await fetch((created.action as { url: string }).url)).text();
    assert.match(page, /Typed Company SAS/);
    assert.match(page, /Pay30D/);
  });

  test('production checkout host with the API overridden to the sandbox', async () => {
    const adapter = hero({ environment: 'production', graphqlUrl: `${sb.url}/hero/graphql` });
    const order = companyOrder(15000);
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay1X')));
    assert.equal((created.action as { url: string }).url, `https://pay.heropay.eu/checkout/${encodeURIComponent(created.providerPaymentId)}`);
    assert.ok(isAllowedUrl((created.action as { url: string }).url, adapter.redirectHosts));
  });

  test('a missing company detail is refused with its field, before Hero is called', async () => {
    const adapter = hero();
    const method = await methodFor(adapter, PERSON_ORDER, 'hero:Pay1X');
    const { city: _city, ...withoutCity } = SHOPPER_FIELDS;
    await assert.rejects(adapter.createPayment(paymentInput(PERSON_ORDER, method, withoutCity)), (error: Error) => {
      assert.ok(error instanceof ProviderRefused);
      assert.equal(error.field, 'fields.city');
      return true;
    });
    assert.equal(await count('createPayment'), 0);
  });

  test("a detail Hero refuses is a refusal the shopper can read, pointing at the field they typed", async () => {
    const adapter = hero();
    const method = await methodFor(adapter, PERSON_ORDER, 'hero:Pay1X');
    // Passes Kassa's own field pattern check but not Hero's (the endpoint checks patterns; this goes straight to Hero).
    await assert.rejects(adapter.createPayment(paymentInput(PERSON_ORDER, method, { ...SHOPPER_FIELDS, email: 'not-an-email' })), (error: Error) => {
      assert.ok(error instanceof ProviderRefused);
      assert.equal(error.field, 'fields.email');
      assert.match(error.message, /e-mail/);
      return true;
    });
  });

  test('an amount out of the type’s range is refused with the limit in euros', async () => {
    const adapter = hero();
    const pay3x: PaymentMethod = { id: 'hero:Pay3X', provider: 'hero', kind: 'installments', name: { en: 'Pay in 3' } };
    await assert.rejects(adapter.createPayment(paymentInput(companyOrder(6000), pay3x)), (error: Error) => {
      assert.ok(error instanceof ProviderRefused);
      assert.equal(error.message, "The amount is below this Hero option's minimum of 100.00 EUR.");
      return true;
    });
  });

  test('a type the account does not have, and an account that may not take payments, are refusals', async () => {
    const pay45d: PaymentMethod = { id: 'hero:Pay45D', provider: 'hero', kind: 'invoice', name: { en: 'Pay in 45 days' } };
    await assert.rejects(hero().createPayment(paymentInput(companyOrder(15000), pay45d)), ProviderRefused);
    const pay1x: PaymentMethod = { id: 'hero:Pay1X', provider: 'hero', kind: 'invoice', name: { en: 'Pay in full' } };
    await assert.rejects(hero({ apiKey: DISABLED_KEY }).createPayment(paymentInput(companyOrder(15000), pay1x)), ProviderRefused);
    assert.equal((await heroPayments()).length, 0);
  });

  test('a non-euro order is refused without calling Hero', async () => {
    const pay1x: PaymentMethod = { id: 'hero:Pay1X', provider: 'hero', kind: 'invoice', name: { en: 'Pay in full' } };
    await assert.rejects(hero().createPayment(paymentInput(companyOrder(15000, 'c', { currency: 'USD' }), pay1x)), ProviderRefused);
    assert.equal(await count('createPayment'), 0);
  });

  test('a payment from another account is not readable', async () => {
    const adapter = hero();
    const order = companyOrder(15000);
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay1X')));
    await assert.rejects(hero({ apiKey: DISABLED_KEY }).readStatus({ reference: 'kp_x', providerPaymentId: created.providerPaymentId }, signal()), /does not know payment/);
  });
});

/** The payment as the endpoint hands it to an operation or to `afterSuccess`. */
function operation(created: CreatedPayment, state: OperationPayment['state'] = 'paid'): OperationPayment {
  return {
    reference: 'kp_abcdefghijklmnopqrstuvwx',
    providerPaymentId: created.providerPaymentId,
    data: created.data,
    order: 'ORDER-1001',
    amount: 15000,
    currency: 'EUR',
    state,
    providerStatus: 'SUCCESS',
  };
}

describe('readStatuses: many payments in one getPaymentsInfos', () => {
  const pay1x: PaymentMethod = { id: 'hero:Pay1X', provider: 'hero', kind: 'invoice', name: { en: 'Pay in full' } };

  test('payments in every state are read in one call, each read as readStatus reads it alone', async () => {
    const adapter = hero();
    const outcomes = [undefined, 'pay', 'pay', 'decline', 'cancel', 'expire', 'fail'] as const;
    const created: CreatedPayment[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      created.push(await adapter.createPayment({ ...paymentInput(companyOrder(15000), pay1x), reference: `kp_batch_${i}` }));
      if (outcome) await sb.control('POST', `/payments/hero/${created[i]!.providerPaymentId}/outcome`, { outcome });
    }
    await adapter.refundPayment!(operation(created[2]!), { idempotencyKey: 'batch-refund', signal: signal(), amount: 5000 });
    const refs = created.map((c, i) => ({ reference: `kp_batch_${i}`, providerPaymentId: c.providerPaymentId, data: c.data }));
    const unknown = { reference: 'kp_batch_unknown', providerPaymentId: 'paycheckout-00000000-0000-0000-0000-000000000000' };

    const before = await count('getPaymentsInfos');
    const reads = await adapter.readStatuses!([...refs, unknown], signal());
    assert.equal((await count('getPaymentsInfos')) - before, 1);

    const alone = new Map();
    for (const ref of refs) alone.set(ref.reference, await adapter.readStatus(ref, signal()));
    assert.deepEqual(reads, alone);
    assert.deepEqual(
      refs.map((r) => reads.get(r.reference)?.state),
      ['action_required', 'paid', 'partially_refunded', 'declined', 'cancelled', 'expired', 'failed'],
    );
    assert.equal(reads.has(unknown.reference), false, 'an id Hero does not know for this key gets no read');
  });

  test('takes up to batchReadLimit (100) payments; more is a programming error, and Hero is not called', async () => {
    const adapter = hero();
    assert.equal(adapter.batchReadLimit, 100);
    const many = Array.from({ length: 101 }, (_, i) => ({ reference: `kp_${i}`, providerPaymentId: `paycheckout-${i}` }));
    await assert.rejects(adapter.readStatuses!(many, signal()), (error: Error) => error instanceof RangeError && /at most 100 payments at once \(got 101\)/.test(error.message));
    const hundred = await adapter.readStatuses!(many.slice(0, 100), signal());
    assert.equal(hundred.size, 0);
    assert.equal(await count('getPaymentsInfos'), 1);
  });

  test('an unreachable Hero is unavailable, retried as a read', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'status', kind: 'error', status: 503, times: 2 });
    await assert.rejects(hero().readStatuses!([{ reference: 'kp_x', providerPaymentId: 'paycheckout-x' }], signal()), ProviderUnavailable);
    assert.equal(await count('getPaymentsInfos'), 2);
  });
});

describe('refundPayment', () => {
  const pay1x: PaymentMethod = { id: 'hero:Pay1X', provider: 'hero', kind: 'invoice', name: { en: 'Pay in full' } };
  let keys = 0;
  const refundInput = (amount?: number) => ({ idempotencyKey: `refund-${++keys}`, signal: signal(), ...(amount === undefined ? {} : { amount }) });

  async function payment(outcome?: 'pay' | 'decline'): Promise<CreatedPayment> {
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    if (outcome) await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome });
    return created;
  }

  const status = (created: CreatedPayment) => hero().readStatus({ reference: 'kp_x', providerPaymentId: created.providerPaymentId }, signal());
  const infos = async (created: CreatedPayment) => {
    const answer = await fetch(`${sb.url}/hero/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Api-Key ${KEY}` },
      body: JSON.stringify({
        query: 'query($ids: [String!]!) { getPaymentsInfos(paymentIds: $ids) { ... on GetPaymentsInfosResult { result { refundedAmount pendingRefundAmount } } } }',
        variables: { ids: [created.providerPaymentId] },
      }),
    });
    return ((await answer.json()) as { data: { getPaymentsInfos: { result: Array<{ refundedAmount: number; pendingRefundAmount: number }> } } }).data.getPaymentsInfos.result[0]!;
  };
  const read = (state: string, refundedAmount: number) => ({ state, providerStatus: 'SUCCESS', capturedAmount: 15000, refundedAmount });

  test('pay → partial refund → full refund: each read says the state and the amounts', async () => {
    const created = await payment('pay');
    assert.deepEqual(await status(created), read('paid', 0));
    await hero().refundPayment!(operation(created), refundInput(5000));
    assert.deepEqual(await status(created), read('partially_refunded', 5000));
    await hero().refundPayment!({ ...operation(created, 'partially_refunded'), capturedAmount: 15000, refundedAmount: 5000 }, refundInput(10000));
    assert.deepEqual(await status(created), read('refunded', 15000));
    assert.equal(await count('refundPaymentCheckout'), 2);
  });

  test('a refund Hero is still processing counts as refunded in the read, and stays so once it settles', async () => {
    await sb.control('POST', '/hero/settings', { refundSettleMs: 60_000 });
    const created = await payment('pay');
    await hero().refundPayment!(operation(created), refundInput(6000));
    assert.deepEqual(await infos(created), { refundedAmount: 0, pendingRefundAmount: 6000 });
    assert.deepEqual(await status(created), read('partially_refunded', 6000));
    // "The whole payment" leaves out what is pending: 90 € more, not 150 €.
    await hero().refundPayment!(operation(created, 'partially_refunded'), refundInput());
    assert.deepEqual(await infos(created), { refundedAmount: 0, pendingRefundAmount: 15000 });
    assert.deepEqual(await status(created), read('refunded', 15000));
    await sb.control('POST', `/hero/payments/${created.providerPaymentId}/settle-refunds`);
    assert.deepEqual(await infos(created), { refundedAmount: 15000, pendingRefundAmount: 0 });
    assert.deepEqual(await status(created), read('refunded', 15000));
  });

  test('without an amount, refunds the whole payment → refunded', async () => {
    const created = await payment('pay');
    await hero().refundPayment!(operation(created), refundInput());
    assert.deepEqual(await status(created), read('refunded', 15000));
    assert.equal((await infos(created)).refundedAmount, 15000);
    assert.equal(await count('refundPaymentCheckout'), 1);
  });

  test('in parts: partially_refunded, then the rest without an amount → refunded', async () => {
    const created = await payment('pay');
    await hero().refundPayment!(operation(created), refundInput(4000));
    assert.deepEqual(await status(created), read('partially_refunded', 4000));
    // "The whole payment" is what is left: 110 € (Hero would refuse 150 € now).
    await hero().refundPayment!(operation(created, 'partially_refunded'), refundInput());
    assert.deepEqual(await status(created), read('refunded', 15000));
    assert.equal((await infos(created)).refundedAmount, 15000);
    await assert.rejects(hero().refundPayment!(operation(created, 'refunded'), refundInput()), (error: Error) => error instanceof ProviderRefused && /already been refunded in full/.test(error.message));
    assert.equal(await count('refundPaymentCheckout'), 2, 'a refund with nothing left is refused before asking Hero');
  });

  test('more than is left is refused (AMOUNT_TOO_HIGH), and refunds nothing', async () => {
    const created = await payment('pay');
    await assert.rejects(hero().refundPayment!(operation(created), refundInput(15001)), (error: Error) => {
      assert.ok(error instanceof ProviderRefused);
      assert.equal(error.field, 'amount');
      assert.match(error.message, /more than what is left to refund/);
      return true;
    });
    assert.equal((await infos(created)).refundedAmount, 0);
    assert.deepEqual(await status(created), read('paid', 0));
  });

  test('after a partial refund, more than is left is refused and the first refund stands', async () => {
    const created = await payment('pay');
    await hero().refundPayment!(operation(created), refundInput(10000));
    await assert.rejects(hero().refundPayment!(operation(created, 'partially_refunded'), refundInput(5001)), (error: Error) => {
      assert.ok(error instanceof ProviderRefused);
      assert.match(error.message, /more than what is left to refund/);
      return true;
    });
    assert.deepEqual(await status(created), read('partially_refunded', 10000));
  });

  test('a payment that was never completed is refused (PAYMENT_NOT_STARTED), with or without an amount', async () => {
    for (const outcome of [undefined, 'decline'] as const) {
      const created = await payment(outcome);
      await assert.rejects(hero().refundPayment!(operation(created, 'action_required'), refundInput(1000)), (error: Error) => error instanceof ProviderRefused && /not completed/.test(error.message));
      await assert.rejects(hero().refundPayment!(operation(created, 'action_required'), refundInput()), (error: Error) => error instanceof ProviderRefused && /not completed/.test(error.message));
    }
  });

  test('an amount that is not a positive whole number is refused before asking Hero', async () => {
    const created = await payment('pay');
    for (const amount of [0, -5, 12.5]) await assert.rejects(hero().refundPayment!(operation(created), refundInput(amount)), ProviderRefused);
    assert.equal(await count('refundPaymentCheckout'), 0);
  });

  test("another account's payment is the merchant's setup, not a refusal", async () => {
    const created = await payment('pay');
    await assert.rejects(hero({ apiKey: DISABLED_KEY }).refundPayment!(operation(created), refundInput(1000)), (error: Error) => {
      assert.ok(error instanceof HeroSetupError);
      assert.match(error.message, /UNAUTHORIZED/);
      return true;
    });
    await assert.rejects(hero({ apiKey: 'wrong-hero-key-123' }).refundPayment!(operation(created), refundInput(1000)), HeroSetupError);
  });

  test('sent once (Hero takes no idempotency key): a 500 is unavailable and refunds nothing', async () => {
    const created = await payment('pay');
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'refundPaymentCheckout', kind: 'error', status: 500, times: 0 });
    await assert.rejects(hero().refundPayment!(operation(created), refundInput(1000)), ProviderUnavailable);
    assert.equal(await count('refundPaymentCheckout'), 1);
    await sb.control('DELETE', '/faults');
    assert.equal((await infos(created)).refundedAmount, 0);
  });

  test('a repeated refund is a second refund: Hero de-duplicates nothing', async () => {
    const created = await payment('pay');
    const input = refundInput(1000);
    await hero().refundPayment!(operation(created), input);
    await hero().refundPayment!(operation(created), { ...input, signal: signal() });
    assert.equal((await infos(created)).refundedAmount, 2000);
  });

  test('Hero documents no cancel and no capture: neither is offered', () => {
    assert.equal(hero().cancelPayment, undefined);
    assert.equal(hero().capturePayment, undefined);
    assert.equal(hero().uploadDocument, undefined);
  });
});

describe('notification and webhooks', () => {
  test("Hero's notification is a GET with no body to the endpoint's return route; nothing POSTed to /webhooks/hero is accepted", async () => {
    const adapter = hero();
    const order = companyOrder(15000);
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'hero:Pay1X')));
    await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome: 'pay' });

    assert.deepEqual(received.map((r) => [r.method, r.path, r.body]), [['GET', '/kassa/return/kp_abcdefghijklmnopqrstuvwx', '']]);
    const { webhooks } = await sb.control('GET', '/webhooks?provider=hero');
    assert.equal(webhooks.length, 1);
    const delivery = webhooks[0];
    assert.deepEqual([delivery.method, delivery.url, delivery.body, delivery.status], ['GET', `${receiverUrl}/kassa/return/kp_abcdefghijklmnopqrstuvwx`, '', 303]);

    // Replayed to the webhook route as the sandbox sent it, or forged with a body naming the payment: both rejected.
    const url = new URL(`${receiverUrl}/kassa/webhooks/hero`);
    await assert.rejects(
      adapter.verifyWebhook({ method: delivery.method, url, headers: new Headers(delivery.headers), body: new TextEncoder().encode(delivery.body) }),
      WebhookRejected,
    );
    const forged = JSON.stringify({ paymentId: created.providerPaymentId, isSuccess: true });
    await assert.rejects(
      adapter.verifyWebhook({ method: 'POST', url, headers: new Headers({ 'content-type': 'application/json' }), body: new TextEncoder().encode(forged) }),
      WebhookRejected,
    );
  });
});

describe('faults', () => {
  const pay1x: PaymentMethod = { id: 'hero:Pay1X', provider: 'hero', kind: 'invoice', name: { en: 'Pay in full' } };

  for (const status of [500, 429]) {
    test(`createPayment answered ${status}: unavailable, sent once, no payment`, async () => {
      await sb.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'error', status });
      await assert.rejects(hero().createPayment(paymentInput(companyOrder(15000), pay1x)), ProviderUnavailable);
      assert.equal(await count('createPayment'), 1);
      assert.equal((await heroPayments()).length, 0);
    });
  }

  test('createPayment unanswered: unavailable after one timeout, never sent twice', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'timeout', times: 5 });
    const started = Date.now();
    await assert.rejects(hero({}, { timeoutMs: 300, attempts: 3 }).createPayment(paymentInput(companyOrder(15000), pay1x)), ProviderUnavailable);
    assert.ok(Date.now() - started < 1500);
    assert.equal(await count('createPayment'), 1);
    assert.equal((await heroPayments()).length, 0);
  });

  test('createPayment with a body that is not JSON: unavailable', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'malformed' });
    await assert.rejects(hero().createPayment(paymentInput(companyOrder(15000), pay1x)), ProviderUnavailable);
    assert.equal(await count('createPayment'), 1);
  });

  test('setOrderId failing does not lose the payment', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'setOrderId', kind: 'error', status: 500, times: 0 });
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    assert.equal(created.data?.orderIdLinked, false);
    assert.equal(created.action.type, 'redirect');
    assert.equal(await count('setOrderId'), 2);
    assert.equal((await heroPayments()).length, 1);
  });

  test('afterSuccess links the order that creating the payment could not, and may be repeated', async () => {
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'setOrderId', kind: 'error', status: 500, times: 0 });
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    await sb.control('POST', `/payments/hero/${created.providerPaymentId}/outcome`, { outcome: 'pay' });
    assert.equal((await heroPayments())[0]!.reference, null);

    // Hero still failing: the error says so, so the work is tried again later.
    await assert.rejects(hero().afterSuccess!(operation(created), signal()), ProviderUnavailable);
    await sb.control('DELETE', '/faults');
    await hero().afterSuccess!(operation(created), signal());
    assert.equal((await heroPayments())[0]!.reference, 'ORDER-1001');
    // Events come at least once: a repeat sets the same order id again and changes nothing else.
    await hero().afterSuccess!(operation(created), signal());
    assert.equal((await heroPayments())[0]!.reference, 'ORDER-1001');
    assert.equal(await count('setOrderId'), 2 + 2 + 1 + 1);
  });

  test('afterSuccess does nothing when creating the payment linked the order', async () => {
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    assert.equal(created.data?.orderIdLinked, true);
    await hero().afterSuccess!(operation(created), signal());
    assert.equal(await count('setOrderId'), 1);
  });

  test('afterSuccess links a payment whose data does not say (stored before the flag existed)', async () => {
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    await hero().afterSuccess!({ ...operation(created), data: undefined, order: 'ORDER-1001-B' }, signal());
    assert.equal((await heroPayments())[0]!.reference, 'ORDER-1001-B');
  });

  test("afterSuccess with a refused key is the merchant's setup", async () => {
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    await assert.rejects(hero({ apiKey: 'wrong-hero-key-123' }).afterSuccess!({ ...operation(created), data: { orderIdLinked: false } }, signal()), HeroSetupError);
  });

  async function onePayment(): Promise<{ reference: string; providerPaymentId: string }> {
    const created = await hero().createPayment(paymentInput(companyOrder(15000), pay1x));
    return { reference: 'kp_abcdefghijklmnopqrstuvwx', providerPaymentId: created.providerPaymentId };
  }

  test('status read answered 500 twice: retried once, then unavailable', async () => {
    const ref = await onePayment();
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'status', kind: 'error', status: 500, times: 2 });
    await assert.rejects(hero().readStatus(ref, signal()), ProviderUnavailable);
    assert.equal(await count('getPaymentsInfos'), 2);
  });

  test('status read answered 429 once: the retry reads it', async () => {
    const ref = await onePayment();
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'status', kind: 'error', status: 429 });
    assert.deepEqual(await hero().readStatus(ref, signal()), { state: 'action_required', providerStatus: 'PAYMENT_NOT_INITIATED' });
    assert.equal(await count('getPaymentsInfos'), 2);
  });

  test('status read unanswered: each attempt times out, then unavailable', async () => {
    const ref = await onePayment();
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'status', kind: 'timeout', times: 2 });
    await assert.rejects(hero({}, { timeoutMs: 300, attempts: 2 }).readStatus(ref, signal()), ProviderUnavailable);
    assert.equal(await count('getPaymentsInfos'), 2);
  });

  test('errors never carry the API key', async () => {
    const secret = 'hero-key-that-must-not-leak';
    await sb.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'error', status: 500 });
    const adapter = hero({ apiKey: secret });
    const messages: string[] = [];
    for (const attempt of [() => adapter.createPayment(paymentInput(companyOrder(15000), pay1x)), () => adapter.listMethods(companyOrder(15000), signal())]) {
      await attempt().then(
        () => assert.fail('expected a failure'),
        (error: Error) => messages.push(error.message),
      );
    }
    assert.equal(messages.length, 2);
    for (const message of messages) assert.doesNotMatch(message, new RegExp(secret));
  });
});
