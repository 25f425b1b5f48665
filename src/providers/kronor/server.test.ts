/**
 * The Kronor adapter over real HTTP against the sandbox's Kronor (sandbox/kronor/README.md): configuration,
 * methods, sessions and the payments a browser starts in them through every outcome, webhooks, and faults.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { useSandbox } from '../../../sandbox/testing.ts';
import type { NextAction, PaymentMethod } from '../../core/model.ts';
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
  type StatusRead,
  type StoredPaymentRef,
} from '../../server/provider.ts';
import { KronorSetupError } from './errors.ts';
import {
  captureRefusal,
  kronorProvider,
  operationKey,
  refundMessage,
  refundRefusal,
  releaseRefusal,
  setKronorWebhookUrl,
  shopperIpFor,
  type KronorConfig,
} from './server.ts';

const MERCHANT_TOKEN = 'sandbox-kronor-merchant-token';
/** For adapters whose webhooks a test does not check (a real secret comes from setWebhookUrl). */
const UNUSED_SECRET = 'f'.repeat(64);
const RETURN_URL = 'https://shop.example/return?kassa_payment=kp_abcdefghijklmnopqrstuvwx';

const sb = useSandbox();

/** Stands in for the endpoint's `/webhooks/kronor`: keeps every delivery, answers as Kronor expects. */
interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('[accepted]');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kassa/webhooks/kronor`;
});
after(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
});

const TIMING = { timeoutMs: 2000, attempts: 2 };

function kronor(config: Partial<KronorConfig> = {}, timing = TIMING): ProviderAdapter {
  return kronorProvider.create({ environment: 'sandbox', merchantToken: MERCHANT_TOKEN, webhookSecret: UNUSED_SECRET, ...config }, { sandboxUrl: sb.url, ...timing });
}

const signal = () => AbortSignal.timeout(5000);

function sekOrder(over: Partial<ResolvedOrder> = {}): ResolvedOrder {
  return { reference: 'A-1001', amount: 25_000, currency: 'SEK', customer: { name: 'Anna Andersson', email: 'anna@example.se', language: 'sv' }, ...over };
}

let references = 0;
/** A Kassa-shaped reference, new per call (Kronor's idempotency keys outlive a sandbox reset within a process). */
function newReference(): string {
  references += 1;
  return `kp_${String(references).padStart(4, '0')}${Date.now().toString(36)}abcdefghijklmnop`.slice(0, 27);
}

async function methodFor(adapter: ProviderAdapter, order: ResolvedOrder, id: string): Promise<PaymentMethod> {
  const method = (await adapter.listMethods(order, signal())).find((m) => m.id === id);
  assert.ok(method, `${id} is listed`);
  return method;
}

function paymentInput(order: ResolvedOrder, method: PaymentMethod, over: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  const reference = over.reference ?? newReference();
  return {
    reference,
    order,
    method,
    fields: {},
    returnUrl: RETURN_URL,
    endpointReturnUrl: `https://shop.example/kassa/return/${reference}`,
    webhookUrl: receiverUrl,
    idempotencyKey: reference,
    signal: signal(),
    ...over,
  };
}

type KronorAction = Extract<NextAction, { type: 'kronor' }>;

/** What the endpoint stores of a created payment and hands back to readStatus. */
function stored(created: CreatedPayment): StoredPaymentRef {
  return { reference: created.providerPaymentId, providerPaymentId: created.providerPaymentId, data: created.data };
}

function kronorAction(action: NextAction): KronorAction {
  assert.equal(action.type, 'kronor');
  return action as KronorAction;
}

/** A GraphQL call as the shopper's browser makes it: to the action's httpUrl, with the session token. */
async function asBrowser<T = any>(action: KronorAction, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(action.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${action.sessionToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`browser call refused: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/** A merchant call the adapter does not make itself (refunds, drills). */
async function asMerchant<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${sb.url}/kronor/v1/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MERCHANT_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`merchant call refused: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

const START_SWISH = `mutation($pay: SwishPaymentInput!) { newSwishPayment(pay: $pay) { waitToken } }`;
const START_CARD = `mutation($pay: CreditCardPaymentInput!) { newCreditCardPayment(pay: $pay) { waitToken } }`;

async function startSwish(action: KronorAction, key = 'swish-1'): Promise<string> {
  const data = await asBrowser(action, START_SWISH, { pay: { flow: 'mcom', idempotencyKey: key, returnUrl: action.returnUrl } });
  return data.newSwishPayment.waitToken;
}

async function startCard(action: KronorAction): Promise<string> {
  const data = await asBrowser(action, START_CARD, { pay: { idempotencyKey: 'card-1', returnUrl: action.returnUrl } });
  return data.newCreditCardPayment.waitToken;
}

async function decide(waitToken: string, outcome: 'pay' | 'decline' | 'cancel' | 'expire' | 'fail'): Promise<void> {
  await sb.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome });
}

interface SandboxPayment {
  id: string;
  status: string;
  amount: number;
  currency: string;
  reference: string | null;
}

async function kronorPayments(): Promise<SandboxPayment[]> {
  return (await sb.control('GET', '/payments?provider=kronor')).payments;
}

async function count(operation: string): Promise<number> {
  return (await sb.control<{ count: number }>('GET', `/requests?provider=kronor&operation=${operation}`)).count;
}

async function faultsLeft(): Promise<Array<{ operation: string; remaining: number | null }>> {
  return (await sb.control('GET', '/faults')).faults;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 2000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('configuration', () => {
  const schema = kronorProvider.configSchema;
  const minimal = { environment: 'sandbox', merchantToken: MERCHANT_TOKEN, webhookSecret: UNUSED_SECRET } as const;

  test('a minimal configuration is accepted, with a 30-minute session and the values Kassa chose', () => {
    assert.deepEqual(schema.parse(minimal), {
      ...minimal,
      sessionTtlMinutes: 30,
      generatedFrom: 'Kassa',
      defaultRefundMessage: 'Refund',
      unknownShopperIp: '0.0.0.0',
      defaultTaxRate: 0,
      defaultCountry: 'SE',
      refusalErrorCodes: ['validation-failed', 'bad-request'],
      webhookSignatureHeader: 'X-HMAC-SHA256-Signature',
      webhookReferenceField: 'reference',
    });
  });

  test('the values Kassa chose are checked where Kronor fixes their shape', () => {
    const message = (over: Record<string, unknown>) => schema.safeParse({ ...minimal, ...over }).error?.issues[0]?.message;
    assert.match(message({ defaultRefundMessage: 'Refund <3' })!, /may only use letters/);
    assert.match(message({ defaultRefundMessage: 'x'.repeat(51) })!, /at most 50/);
    assert.match(message({ generatedFrom: 'x'.repeat(101) })!, /at most 100/);
    assert.match(message({ defaultTaxRate: -1 })!, /must not be negative/);
    assert.match(message({ defaultCountry: 'US' })!, /countries Kronor takes/);
    assert.match(message({ methodLimits: { creditCard: { min: 500, max: 100 } } })!, /min must not be above max/);
    assert.match(message({ methodCurrencies: { payPal: ['eur'] } })!, /ISO 4217/);
    assert.match(message({ webhookSignatureHeader: 'X Sig' })!, /header name/);
    assert.equal(message({ methodLimits: { swish: { min: 100, max: 1_000 } }, methodCurrencies: { bankTransfer: ['SEK', 'NOK'] }, defaultCountry: 'FI' }), undefined);
  });

  test('a missing merchant token or webhook secret is named', () => {
    const noToken = schema.safeParse({ environment: 'production', webhookSecret: UNUSED_SECRET });
    assert.deepEqual(noToken.error!.issues[0]!.path, ['merchantToken']);
    assert.match(noToken.error!.issues[0]!.message, /merchantToken is required/);
    const noSecret = schema.safeParse({ environment: 'production', merchantToken: 'x' });
    assert.deepEqual(noSecret.error!.issues[0]!.path, ['webhookSecret']);
    assert.match(noSecret.error!.issues[0]!.message, /webhookSecret is required: the hmacSecret/);
    assert.match(schema.safeParse({ ...minimal, merchantToken: '  ' }).error!.issues[0]!.message, /merchantToken must not be empty/);
  });

  test('an unknown option is refused, without echoing any value', () => {
    const result = schema.safeParse({ ...minimal, merchantToken: 'very-secret-token', apiKey: 'other-secret' });
    assert.equal(result.success, false);
    const issue = result.error!.issues[0]!;
    assert.equal(issue.code, 'unrecognized_keys');
    assert.deepEqual(issue.keys, ['apiKey']);
    assert.doesNotMatch(JSON.stringify(result.error!.issues), /secret-token|other-secret/);
  });

  test('URLs must be secure outside loopback; the session lifetime and methods are bounded', () => {
    const message = (over: Record<string, unknown>) => schema.safeParse({ ...minimal, ...over }).error?.issues[0]?.message;
    assert.match(message({ graphqlUrl: 'http://kronor.example/v1/graphql' })!, /graphqlUrl must use https/);
    assert.match(message({ wsUrl: 'https://kronor.example/v1/graphql' })!, /wsUrl must use wss/);
    assert.match(message({ paymentGatewayUrl: 'not a url' })!, /paymentGatewayUrl must be an absolute https URL/);
    assert.match(message({ graphqlUrl: 'https://user:pw@kronor.example/v1/graphql' })!, /must not carry credentials/);
    assert.equal(message({ graphqlUrl: 'http://127.0.0.1:9/v1/graphql', wsUrl: 'ws://localhost:9/v1/graphql' }), undefined);
    assert.match(message({ sessionTtlMinutes: 24 * 60 + 1 })!, /at most 1440/);
    assert.match(message({ sessionTtlMinutes: 2.5 })!, /whole number/);
    assert.match(message({ methods: ['swish', 'klarna'] })!, /methods may only list swish, swish-ecom, creditCard/);
    assert.match(message({ methods: [] })!, /at least one/);
    assert.match(message({ environment: 'live' })!, /'sandbox', 'staging' or 'production'/);
  });

  test('each environment has its own hosts; overrides move them', () => {
    const hosts = (config: Partial<KronorConfig>) => kronor(config).redirectHosts;
    assert.deepEqual(hosts({ environment: 'production' }), ['kronor.io', 'payment-gateway.kronor.io']);
    assert.deepEqual(hosts({ environment: 'staging' }), ['staging.kronor.io', 'payment-gateway.staging.kronor.io']);
    assert.deepEqual(hosts({}), [new URL(sb.url).host]);
    assert.deepEqual(hosts({ environment: 'production', graphqlUrl: 'https://api.kronor.example/v1/graphql' }), [
      'api.kronor.example',
      'payment-gateway.kronor.io',
    ]);
  });

  test('create refuses an invalid configuration too', () => {
    assert.throws(() => kronorProvider.create({ environment: 'sandbox', merchantToken: MERCHANT_TOKEN } as KronorConfig, { sandboxUrl: sb.url, ...TIMING }));
  });
});

describe('listMethods', () => {
  test('by currency, within limits, and only what the merchant enabled', async () => {
    const ids = async (adapter: ProviderAdapter, order: ResolvedOrder) => (await adapter.listMethods(order, signal())).map((m) => m.id);
    assert.deepEqual(await ids(kronor(), sekOrder()), ['kronor:swish', 'kronor:creditCard', 'kronor:bankTransfer']);
    assert.deepEqual(await ids(kronor(), sekOrder({ currency: 'NOK' })), ['kronor:creditCard', 'kronor:vipps']);
    assert.deepEqual(await ids(kronor({ methods: ['swish-ecom', 'creditCard'] }), sekOrder()), ['kronor:swish-ecom', 'kronor:creditCard']);
    const swish = await methodFor(kronor(), sekOrder(), 'kronor:swish');
    assert.deepEqual([swish.min, swish.max, swish.kind, swish.name.en], [100, 15_000_000, 'mobile', 'Swish']);
    // No call to Kronor: there is no list call.
    assert.equal(await count('paymentRequests'), 0);
    assert.equal((await sb.control('GET', '/requests?provider=kronor')).count, 0);
  });
});

describe('the values Kassa chose, configured', () => {
  test("the merchant's own limits and currencies decide which methods are offered and taken", async () => {
    const adapter = kronor({ methodLimits: { creditCard: { min: 500, max: 20_000 } }, methodCurrencies: { bankTransfer: ['SEK', 'NOK'] } });
    const card = (await adapter.listMethods(sekOrder(), signal())).find((m) => m.id === 'kronor:creditCard')!;
    assert.deepEqual([card.min, card.max], [500, 20_000]);
    assert.deepEqual((await adapter.listMethods(sekOrder({ currency: 'NOK' }), signal())).map((m) => m.id), ['kronor:creditCard', 'kronor:vipps', 'kronor:bankTransfer']);
    const bank = (await adapter.listMethods(sekOrder({ currency: 'NOK' }), signal())).find((m) => m.id === 'kronor:bankTransfer')!;
    await assert.rejects(kronor().createPayment(paymentInput(sekOrder({ currency: 'NOK' }), bank)), /not available for this order/);
  });

  test('the webhook signature header and reference field', async () => {
    const { createHmac } = await import('node:crypto');
    const body = '{"events":[{"event":"paymentStatusChanged","id":"1","triggeredAt":"x","additionalData":{"merchantRef":"kp_1"}}]}';
    const adapter = kronor({ webhookSignatureHeader: 'X-Kronor-Signature', webhookReferenceField: 'merchantRef' });
    const headers = new Headers({ 'X-Kronor-Signature': createHmac('sha256', UNUSED_SECRET).update(body).digest('hex') });
    const request = { method: 'POST', url: new URL(receiverUrl), headers, body: new TextEncoder().encode(body) };
    assert.deepEqual(await adapter.verifyWebhook(request), { reference: 'kp_1', providerPaymentId: 'kp_1' });
    await assert.rejects(kronor().verifyWebhook(request), /X-HMAC-SHA256-Signature header is missing/);
  });
});

describe('createPayment and readStatus', () => {
  test('a session the browser can use, on the allow-list, waiting for the shopper', async () => {
    const adapter = kronor();
    const order = sekOrder();
    const input = paymentInput(order, await methodFor(adapter, order, 'kronor:swish'));
    const created = await adapter.createPayment(input);
    const action = kronorAction(created.action);
    assert.equal(created.providerPaymentId, input.reference);
    assert.deepEqual([created.state, created.providerStatus], ['action_required', 'SESSION_OPEN']);
    assert.deepEqual({ paymentMethod: action.paymentMethod, returnUrl: action.returnUrl }, { paymentMethod: 'swish', returnUrl: RETURN_URL });
    assert.ok(isAllowedUrl(action.httpUrl, adapter.redirectHosts));
    assert.ok(isAllowedUrl(action.wsUrl.replace(/^ws/, 'http'), adapter.redirectHosts));
    assert.equal(action.wsUrl, action.httpUrl.replace(/^http/, 'ws'));
    // What the endpoint keeps holds no token.
    assert.doesNotMatch(JSON.stringify(created.data), new RegExp(action.sessionToken.slice(-20)));
    assert.deepEqual(Object.keys(created.data!).sort(), ['expiresAt', 'method']);
    const ttl = Date.parse(String(created.data!.expiresAt)) - Date.now();
    assert.ok(ttl > 29 * 60_000 && ttl <= 30 * 60_000, `expires in 30 minutes, not ${ttl} ms`);
    // The browser counts down to the session's end: Kronor's payment requests have no expiry of their own.
    assert.equal(action.expiresAt, created.data!.expiresAt);

    // A real session token: the session role sees an empty session.
    assert.deepEqual((await asBrowser(action, '{ paymentRequests { waitToken } }')).paymentRequests, []);
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'action_required', providerStatus: 'SESSION_OPEN' });
  });

  test('Swish as the browser starts it: waiting, approved → paid; one payment, with the order\'s terms', async () => {
    const adapter = kronor();
    const order = sekOrder();
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish')));
    const action = kronorAction(created.action);
    const waitToken = await startSwish(action);
    const waiting = await until(() => adapter.readStatus(stored(created), signal()), (s) => s.state === 'action_required' && s.providerStatus !== 'SESSION_OPEN');
    assert.deepEqual(waiting, { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' });
    await decide(waitToken, 'pay');
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'paid', providerStatus: 'PAID', capturedAmount: 25_000, refundedAmount: 0 });
    const payments = await kronorPayments();
    assert.equal(payments.length, 1);
    assert.deepEqual(payments.map((p) => [p.amount, p.currency, p.reference]), [[25_000, 'SEK', created.providerPaymentId]]);
  });

  for (const [outcome, state, status] of [
    ['pay', 'paid', 'PAID'],
    ['decline', 'declined', 'DECLINED'],
    ['cancel', 'cancelled', 'CANCELLED'],
    ['fail', 'failed', 'ERROR'],
  ] as const) {
    test(`a card payment the shopper ends with ${outcome} reads ${state}`, async () => {
      const adapter = kronor();
      const order = sekOrder({ currency: 'EUR' });
      const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:creditCard')));
      await decide(await startCard(kronorAction(created.action)), outcome);
      // Only a payment that succeeded has amounts at Kronor.
      const amounts = outcome === 'pay' ? { capturedAmount: 25_000, refundedAmount: 0 } : {};
      assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state, providerStatus: status, ...amounts });
    });
  }

  test('Swish timing out reads expired; a session nobody paid in expires with its expiresAt', async () => {
    const adapter = kronor();
    const order = sekOrder();
    const method = await methodFor(adapter, order, 'kronor:swish');
    const created = await adapter.createPayment(paymentInput(order, method));
    await decide(await startSwish(kronorAction(created.action)), 'expire');
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'expired', providerStatus: 'ERROR (TM01)' });

    const idle = await adapter.createPayment(paymentInput(order, method));
    const past = { ...idle, data: { ...idle.data, expiresAt: new Date(Date.now() - 1000).toISOString() } };
    assert.deepEqual(await adapter.readStatus(stored(past), signal()), { state: 'expired', providerStatus: 'SESSION_EXPIRED' });
  });

  test('a card under manual capture reads authorized; a refunded payment reads refunded', async () => {
    await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    const adapter = kronor();
    const order = sekOrder();
    const method = await methodFor(adapter, order, 'kronor:creditCard');
    const held = await adapter.createPayment(paymentInput(order, method));
    await decide(await startCard(kronorAction(held.action)), 'pay');
    assert.deepEqual(await adapter.readStatus(stored(held), signal()), { state: 'authorized', providerStatus: 'AUTHORIZED', capturedAmount: 0, refundedAmount: 0 });
    await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'automatic' });

    const paid = await adapter.createPayment(paymentInput(order, method));
    await decide(await startCard(kronorAction(paid.action)), 'pay');
    const { payments } = await asMerchant(`query($r: String!) { payments(where: {merchantReference: {_eq: $r}}) { id } }`, { r: paid.providerPaymentId });
    const refund = `mutation($r: RefundPaymentInput!) { refundPayment(refund: $r) { waitToken } }`;
    await asMerchant(refund, { r: { amount: 5_000, idempotencyKey: `${paid.providerPaymentId}-r1`, message: 'Part', paymentId: payments[0].id } });
    assert.deepEqual(await adapter.readStatus(stored(paid), signal()), {
      state: 'partially_refunded',
      providerStatus: 'PAID (PARTIALLY_REFUNDED)',
      capturedAmount: 25_000,
      refundedAmount: 5_000,
    });
    await asMerchant(refund, { r: { amount: 20_000, idempotencyKey: `${paid.providerPaymentId}-r2`, message: 'Rest', paymentId: payments[0].id } });
    assert.deepEqual(await adapter.readStatus(stored(paid), signal()), { state: 'refunded', providerStatus: 'PAID (FULLY_REFUNDED)', capturedAmount: 25_000, refundedAmount: 25_000 });
  });

  test('the same reference again reuses the session (a retry never makes a second one)', async () => {
    const adapter = kronor();
    const order = sekOrder();
    const input = paymentInput(order, await methodFor(adapter, order, 'kronor:swish'));
    const first = kronorAction((await adapter.createPayment(input)).action);
    const again = kronorAction((await adapter.createPayment({ ...input, signal: signal() })).action);
    assert.equal(again.sessionToken, first.sessionToken);
    const waitToken = await startSwish(first);
    // The browser after a reload, with the reused session: Kronor answers the pending payment again.
    assert.equal(await startSwish(again, 'swish-after-reload'), waitToken);
    assert.equal((await kronorPayments()).length, 1);
  });

  test('a reference already paid at Kronor answers no action and its state, starting nothing', async () => {
    const adapter = kronor();
    const order = sekOrder();
    const reference = newReference();
    // A session for the same reference made with another idempotency key (an earlier attempt Kronor still knows).
    const earlier = await asMerchant(
      `mutation($p: PaymentSessionWithReferenceCheckInput!) { newPaymentSessionWithReferenceCheck(payment: $p) { token } }`,
      { p: { amount: 25_000, currency: 'SEK', country: 'SE', expiresAt: new Date(Date.now() + 600_000).toISOString(), idempotencyKey: `${reference}-old`, merchantReference: reference, message: 'Order' } },
    );
    const token: string = earlier.newPaymentSessionWithReferenceCheck.token;
    const httpUrl = `${sb.url}/kronor/v1/graphql`;
    const action: KronorAction = { type: 'kronor', sessionToken: token, httpUrl, wsUrl: httpUrl.replace(/^http/, 'ws'), paymentMethod: 'swish', returnUrl: RETURN_URL };
    await decide(await startSwish(action), 'pay');

    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish'), { reference }));
    assert.deepEqual(created.action, { type: 'none' });
    assert.deepEqual([created.state, created.providerStatus], ['paid', 'PAID']);
    assert.equal((await kronorPayments()).filter((p) => p.reference === reference).length, 1);
  });

  test('P24 and PayPal sessions carry what Kronor needs to start them', async () => {
    const adapter = kronor();
    const customer = {
      name: 'Jan Kowalski',
      email: 'jan@example.pl',
      phone: '+48500100200',
      language: 'pl',
      address: { line1: 'Ul. Długa 1', city: 'Kraków', postalCode: '30-001', country: 'PL' },
    };
    const pln: ResolvedOrder = { reference: 'PL-1', amount: 4_000, currency: 'PLN', customer, lines: [{ name: 'Kubek', quantity: 2, unitPrice: 2_000 }] };
    const p24 = kronorAction((await adapter.createPayment(paymentInput(pln, await methodFor(adapter, pln, 'kronor:p24')))).action);
    assert.equal(p24.paymentMethod, 'p24');
    // The sandbox refuses P24 unless the session's country is PL and it names the customer.
    await asBrowser(p24, `mutation($pay: P24PaymentInput!) { newP24Payment(pay: $pay) { paymentId } }`, { pay: { idempotencyKey: 'p24-1', returnUrl: RETURN_URL } });

    const paypal = kronorAction((await adapter.createPayment(paymentInput(pln, await methodFor(adapter, pln, 'kronor:payPal')))).action);
    assert.equal(paypal.paymentMethod, 'payPal');
    await asBrowser(paypal, `mutation($pay: PayPalPaymentInput!) { newPayPalPayment(pay: $pay) { paymentId } }`, { pay: { idempotencyKey: 'pp-1', returnUrl: RETURN_URL } });
    assert.deepEqual((await kronorPayments()).map((p) => [p.currency, p.amount]), [['PLN', 4_000], ['PLN', 4_000]]);
  });

  test('Swish by phone number: started by the server, approved on the phone → paid', async () => {
    const adapter = kronor({ methods: ['swish-ecom'] });
    const order = sekOrder();
    const method = await methodFor(adapter, order, 'kronor:swish-ecom');
    const created = await adapter.createPayment(paymentInput(order, method, { fields: { phone: '070-123 45 67' } }));
    assert.deepEqual(created.action, { type: 'none' });
    assert.deepEqual([created.state, created.providerStatus], ['pending', 'INITIALIZING']);
    const phone = await fetch(`${sb.url}/kronor/swish/phone?number=46701234567`).then((r) => r.text());
    const [payment] = await kronorPayments();
    assert.ok(payment && phone.includes(payment.id), 'the Swish phone of that number shows the request');
    await decide(payment.id, 'pay');
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'paid', providerStatus: 'PAID', capturedAmount: 25_000, refundedAmount: 0 });
  });

  test('refusals the shopper can act on, with plain messages', async () => {
    const ecom = kronor({ methods: ['swish-ecom', 'creditCard'] });
    const order = sekOrder();
    const method = await methodFor(ecom, order, 'kronor:swish-ecom');
    await assert.rejects(ecom.createPayment(paymentInput(order, method, { fields: { phone: '08 123 456' } })), (error: unknown) => {
      assert.ok(error instanceof ProviderRefused);
      assert.equal(error.field, 'fields.phone');
      return true;
    });
    assert.equal((await sb.control('GET', '/requests?provider=kronor')).count, 0, 'a bad number never reaches Kronor');

    // Kronor's own limit on a session (1–100 000 000 minor units) → a refusal naming the amount, not Kronor's text.
    const huge = sekOrder({ amount: 100_000_001 });
    const card = (await ecom.listMethods(sekOrder(), signal())).find((m) => m.id === 'kronor:creditCard')!;
    await assert.rejects(ecom.createPayment(paymentInput(huge, card)), (error: unknown) => {
      assert.ok(error instanceof ProviderRefused);
      assert.match(error.message, /does not accept this amount/);
      assert.doesNotMatch(error.message, /100000000|minor units/);
      return true;
    });
    // A method of another provider, or one not offered for the currency.
    await assert.rejects(ecom.createPayment(paymentInput(order, { ...card, id: 'hero:creditCard' })), ProviderRefused);
    await assert.rejects(ecom.createPayment(paymentInput(sekOrder({ currency: 'ISK' }), card)), ProviderRefused);
  });

  test('a refused merchant token is the merchant\'s setup, and the message holds no token', async () => {
    const adapter = kronor({ merchantToken: 'wrong-merchant-token-123' });
    const order = sekOrder();
    const method = await methodFor(adapter, order, 'kronor:swish');
    await assert.rejects(adapter.createPayment(paymentInput(order, method)), (error: unknown) => {
      assert.ok(error instanceof KronorSetupError);
      assert.match(error.message, /merchantToken/);
      assert.doesNotMatch(error.message, /wrong-merchant-token/);
      return true;
    });
    await assert.rejects(adapter.readStatus({ reference: 'kp_x', providerPaymentId: 'kp_x' }, signal()), KronorSetupError);
  });
});

describe('after the sale: capture, cancel, refund', () => {
  let keys = 0;
  /** Unique per call: Kronor's idempotency keys outlive a sandbox reset within a process. */
  const opKey = () => `op-${++keys}-${Date.now().toString(36)}`;
  const op = (over: { amount?: number; reason?: string; idempotencyKey?: string } = {}) => ({ idempotencyKey: opKey(), signal: signal(), ...over });

  /** The payment as the endpoint hands it to an operation. */
  function operation(created: CreatedPayment, state: OperationPayment['state'], amount = 25_000): OperationPayment {
    return { reference: created.providerPaymentId, providerPaymentId: created.providerPaymentId, data: created.data, order: 'A-1001', amount, currency: 'SEK', state, providerStatus: null };
  }

  const PAYMENT = `query($r: String!) { payments(where: {merchantReference: {_eq: $r}}) {
    id currentStatus amountPaid captures { amount } refunds { totalAmount message } transactionReleases { amount currentStatus }
  } }`;
  interface KronorPayment {
    id: number;
    currentStatus: string;
    amountPaid: number;
    captures: Array<{ amount: number }>;
    refunds: Array<{ totalAmount: number; message: string }>;
    transactionReleases: Array<{ amount: number; currentStatus: string }>;
  }
  async function kronorPayment(created: CreatedPayment): Promise<KronorPayment> {
    const { payments } = await asMerchant(PAYMENT, { r: created.providerPaymentId });
    return payments[0];
  }

  /** A Swish payment the browser started, waiting in the app (or paid). */
  async function swish(outcome?: 'pay' | 'decline') {
    const adapter = kronor();
    const order = sekOrder();
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish')));
    const waitToken = await startSwish(kronorAction(created.action));
    await until(() => adapter.readStatus(stored(created), signal()), (s) => s.providerStatus === 'WAITING_FOR_PAYMENT');
    if (outcome) await decide(waitToken, outcome);
    return { adapter, created };
  }

  /** A card payment under manual capture: authorised, nothing captured. */
  async function authorizedCard() {
    await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    try {
      const adapter = kronor();
      const order = sekOrder();
      const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:creditCard')));
      await decide(await startCard(kronorAction(created.action)), 'pay');
      assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'authorized', providerStatus: 'AUTHORIZED', capturedAmount: 0, refundedAmount: 0 });
      return { adapter, created };
    } finally {
      await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'automatic' });
    }
  }

  /** Refused as the merchant should hear it, with Kronor's payment as it was. */
  async function refusedChangingNothing(created: CreatedPayment, attempt: () => Promise<unknown>, message: RegExp, field?: string) {
    const before = await kronorPayment(created);
    await assert.rejects(attempt(), (error: unknown) => {
      assert.ok(error instanceof ProviderRefused, `ProviderRefused, not ${String(error)}`);
      assert.match(error.message, message);
      assert.equal(error.field, field);
      return true;
    });
    assert.deepEqual(await kronorPayment(created), before);
  }

  test('an authorised card captured in full → paid, with what was captured', async () => {
    const { adapter, created } = await authorizedCard();
    await adapter.capturePayment!(operation(created, 'authorized'), op());
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'paid', providerStatus: 'PAID', capturedAmount: 25_000, refundedAmount: 0 });
    const payment = await kronorPayment(created);
    assert.deepEqual(payment.captures, [{ amount: 25_000 }]);
    assert.equal(payment.amountPaid, 25_000);
    assert.equal(await count('newPaymentCapture'), 1);
  });

  test('a partial capture → paid with less captured; its refund → refunded; the rest can still be captured', async () => {
    const { adapter, created } = await authorizedCard();
    await adapter.capturePayment!(operation(created, 'authorized'), op({ amount: 10_000 }));
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), {
      state: 'paid',
      providerStatus: 'PARTIALLY_CAPTURED',
      capturedAmount: 10_000,
      refundedAmount: 0,
    });
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 4_000, reason: 'One mug broke' }));
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), {
      state: 'partially_refunded',
      providerStatus: 'PARTIALLY_CAPTURED (PARTIALLY_REFUNDED)',
      capturedAmount: 10_000,
      refundedAmount: 4_000,
    });
    // Without an amount: what is left of what was captured, not of the authorisation.
    await adapter.refundPayment!(operation(created, 'partially_refunded'), op());
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), {
      state: 'refunded',
      providerStatus: 'PARTIALLY_CAPTURED (FULLY_REFUNDED)',
      capturedAmount: 10_000,
      refundedAmount: 10_000,
    });
    assert.deepEqual((await kronorPayment(created)).refunds, [
      { totalAmount: 4_000, message: 'One mug broke' },
      { totalAmount: 6_000, message: 'Refund' },
    ]);
    await adapter.capturePayment!(operation(created, 'refunded'), op());
    assert.deepEqual((await kronorPayment(created)).captures, [{ amount: 10_000 }, { amount: 15_000 }]);
    assert.equal((await adapter.readStatus(stored(created), signal())).capturedAmount, 25_000);
  });

  test('a capture twice, above the authorisation, or of what is not authorised: refused, nothing captured', async () => {
    const { adapter, created } = await authorizedCard();
    await refusedChangingNothing(created, () => adapter.capturePayment!(operation(created, 'authorized'), op({ amount: 25_001 })), /more than what is left of the authorisation/, 'amount');
    await adapter.capturePayment!(operation(created, 'authorized'), op());
    await refusedChangingNothing(created, () => adapter.capturePayment!(operation(created, 'paid'), op()), /already been captured in full/);
    await refusedChangingNothing(created, () => adapter.capturePayment!(operation(created, 'paid'), op({ amount: 1 })), /already been captured in full/);
    assert.deepEqual((await kronorPayment(created)).captures, [{ amount: 25_000 }]);

    const { adapter: other, created: partly } = await authorizedCard();
    await other.capturePayment!(operation(partly, 'authorized'), op({ amount: 20_000 }));
    await refusedChangingNothing(partly, () => other.capturePayment!(operation(partly, 'paid'), op({ amount: 5_001 })), /more than what is left of the authorisation on this Kronor payment \(5000 minor units\)/, 'amount');

    const { adapter: released, created: gone } = await authorizedCard();
    await released.cancelPayment!(operation(gone, 'authorized'), op());
    await refusedChangingNothing(gone, () => released.capturePayment!(operation(gone, 'cancelled'), op()), /was released/);

    const { adapter: swishAdapter, created: waiting } = await swish();
    await assert.rejects(swishAdapter.capturePayment!(operation(waiting, 'action_required'), op()), (error: unknown) => error instanceof ProviderRefused && /no authorised payment/.test(error.message));
    await assert.rejects(swishAdapter.capturePayment!(operation(waiting, 'action_required'), op({ amount: 0 })), ProviderRefused);
    assert.equal(await count('newPaymentCapture'), 7, 'the last two never reached Kronor');
  });

  test('a capture retried with its key captures once, even once nothing is left', async () => {
    const { adapter, created } = await authorizedCard();
    const idempotencyKey = opKey();
    await adapter.capturePayment!(operation(created, 'authorized'), op({ idempotencyKey }));
    // The endpoint did not hear the answer and asks again with the same key: Kronor answers the first capture.
    await adapter.capturePayment!(operation(created, 'authorized'), op({ idempotencyKey }));
    assert.deepEqual((await kronorPayment(created)).captures, [{ amount: 25_000 }]);
    assert.equal(await count('newPaymentCapture'), 2);
  });

  test('a capture whose answer was lost is retried with the same idempotencyKey: one capture', async () => {
    const { created } = await authorizedCard();
    const quick = kronor({}, { timeoutMs: 300, attempts: 2 });
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'newPaymentCapture', kind: 'latency', latencyMs: 500, times: 1 });
    await quick.capturePayment!(operation(created, 'authorized'), op({ amount: 7_000 }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual((await kronorPayment(created)).captures, [{ amount: 7_000 }]);
  });

  test('cancels a payment waiting for the shopper (merchant cancelPayment by reference) → cancelled', async () => {
    const { adapter, created } = await swish();
    await adapter.cancelPayment!(operation(created, 'action_required'), op());
    const read = await until(() => adapter.readStatus(stored(created), signal()), (s) => s.providerStatus === 'CANCELLED');
    assert.deepEqual(read, { state: 'cancelled', providerStatus: 'CANCELLED' });
    assert.equal(await count('cancelPayment'), 1);
    assert.equal(await count('releasePayment'), 0);
  });

  test('a cancel is refused once paid, and when the shopper has started nothing to cancel yet', async () => {
    const { adapter, created } = await swish('pay');
    await refusedChangingNothing(created, () => adapter.cancelPayment!(operation(created, 'paid'), op()), /was captured, so it can no longer be cancelled: refund it instead/);
    assert.equal((await adapter.readStatus(stored(created), signal())).state, 'paid');
    assert.equal(await count('cancelPayment') + (await count('releasePayment')), 0, 'Kronor was not asked to undo a payment');

    const order = sekOrder();
    const idle = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish')));
    await assert.rejects(adapter.cancelPayment!(operation(idle, 'action_required'), op()), (error: unknown) => error instanceof ProviderRefused && /has not started one/.test(error.message));
  });

  test('an authorised card is released in full → cancelled (RELEASED), whatever state Kassa had stored', async () => {
    const { adapter, created } = await authorizedCard();
    // Kassa may not have heard of the authorisation yet: Kronor's read decides.
    await adapter.cancelPayment!(operation(created, 'action_required'), op());
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'cancelled', providerStatus: 'RELEASED', capturedAmount: 0, refundedAmount: 0 });
    assert.deepEqual((await kronorPayment(created)).transactionReleases, [{ amount: 25_000, currentStatus: 'DONE' }]);
    assert.equal(await count('releasePayment'), 1);
    assert.equal(await count('cancelPayment'), 0);
  });

  test('a release is answered again for its own retry, refused for a second cancel', async () => {
    const { adapter, created } = await authorizedCard();
    const idempotencyKey = opKey();
    await adapter.cancelPayment!(operation(created, 'authorized'), op({ idempotencyKey }));
    await adapter.cancelPayment!(operation(created, 'authorized'), op({ idempotencyKey }));
    await refusedChangingNothing(created, () => adapter.cancelPayment!(operation(created, 'cancelled'), op()), /released already/);
    assert.equal((await kronorPayment(created)).transactionReleases.length, 1);
  });

  test('an authorised card partly captured cannot be released: refused, nothing released', async () => {
    const { adapter, created } = await authorizedCard();
    await adapter.capturePayment!(operation(created, 'authorized'), op({ amount: 5_000 }));
    await refusedChangingNothing(created, () => adapter.cancelPayment!(operation(created, 'paid'), op()), /refund it instead/);
    assert.equal((await kronorPayment(created)).currentStatus, 'PARTIALLY_CAPTURED');
  });

  test('refunds a paid payment in full without an amount → refunded, with the reason as the message', async () => {
    const { adapter, created } = await swish('pay');
    await adapter.refundPayment!(operation(created, 'paid'), op({ reason: 'Returned: 2 mugs (broken) — sorry!' }));
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'refunded', providerStatus: 'PAID (FULLY_REFUNDED)', capturedAmount: 25_000, refundedAmount: 25_000 });
    assert.deepEqual((await kronorPayment(created)).refunds, [{ totalAmount: 25_000, message: 'Returned: 2 mugs (broken) sorry!' }]);
  });

  test('refunds in parts: partially_refunded, then what is left → refunded; a further refund is refused', async () => {
    const { adapter, created } = await swish('pay');
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 10_000 }));
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), {
      state: 'partially_refunded',
      providerStatus: 'PAID (PARTIALLY_REFUNDED)',
      capturedAmount: 25_000,
      refundedAmount: 10_000,
    });
    await adapter.refundPayment!(operation(created, 'partially_refunded'), op());
    assert.deepEqual(await adapter.readStatus(stored(created), signal()), { state: 'refunded', providerStatus: 'PAID (FULLY_REFUNDED)', capturedAmount: 25_000, refundedAmount: 25_000 });
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => [r.totalAmount, r.message]), [[10_000, 'Refund'], [15_000, 'Refund']]);
    await refusedChangingNothing(created, () => adapter.refundPayment!(operation(created, 'refunded'), op()), /already been refunded in full/);
    await refusedChangingNothing(created, () => adapter.refundPayment!(operation(created, 'refunded'), op({ amount: 1 })), /already been refunded in full/);
    assert.equal(await count('refundPayment'), 4);
  });

  test('a refund above what is left is refused and refunds nothing', async () => {
    const { adapter, created } = await swish('pay');
    await refusedChangingNothing(created, () => adapter.refundPayment!(operation(created, 'paid'), op({ amount: 25_001 })), /more than what is left to refund on this Kronor payment \(25000 minor units\)/, 'amount');
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 20_000 }));
    await refusedChangingNothing(created, () => adapter.refundPayment!(operation(created, 'partially_refunded'), op({ amount: 5_001 })), /\(5000 minor units\)/, 'amount');
    for (const amount of [0, -1, 1.5, 2 ** 31]) {
      await assert.rejects(adapter.refundPayment!(operation(created, 'paid'), op({ amount })), (error: unknown) => error instanceof ProviderRefused && error.field === 'amount');
    }
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => r.totalAmount), [20_000]);
  });

  test('a refund of what was only authorised or never paid is refused, without asking Kronor to refund', async () => {
    const { adapter, created } = await swish('decline');
    await assert.rejects(adapter.refundPayment!(operation(created, 'declined'), op()), (error: unknown) => error instanceof ProviderRefused && /Nothing was paid/.test(error.message));
    const { adapter: card, created: held } = await authorizedCard();
    await refusedChangingNothing(held, () => card.refundPayment!(operation(held, 'authorized'), op()), /Nothing was captured .* cancel it to release the authorisation/);
    assert.equal(await count('refundPayment'), 0);
  });

  test('the same refund sent twice refunds once (its idempotencyKey), even without an amount; another operation refunds again', async () => {
    const { adapter, created } = await swish('pay');
    const idempotencyKey = opKey();
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 5_000, idempotencyKey }));
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 5_000, idempotencyKey }));
    assert.equal(await count('refundPayment'), 2);
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => r.totalAmount), [5_000]);
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 5_000 }));
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => r.totalAmount), [5_000, 5_000]);
    const rest = opKey();
    await adapter.refundPayment!(operation(created, 'partially_refunded'), op({ idempotencyKey: rest }));
    // Nothing left now; the retry of the refund that took it is answered again, not refused.
    await adapter.refundPayment!(operation(created, 'partially_refunded'), op({ idempotencyKey: rest }));
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => r.totalAmount), [5_000, 5_000, 15_000]);
  });

  test('a refund whose answer was lost is retried with the same idempotencyKey: one refund', async () => {
    const { created } = await swish('pay');
    const quick = kronor({}, { timeoutMs: 300, attempts: 2 });
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'refundPayment', kind: 'latency', latencyMs: 500, times: 1 });
    await quick.refundPayment!(operation(created, 'paid'), op({ amount: 7_000 }));
    // Let the slow first attempt finish in the sandbox too.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(await count('refundPayment'), 2);
    assert.deepEqual((await kronorPayment(created)).refunds.map((r) => r.totalAmount), [7_000]);
  });

  test('operations carry the configured generatedFrom and refund message', async () => {
    const { created } = await swish('pay');
    const adapter = kronor({ generatedFrom: 'Shop backoffice', defaultRefundMessage: 'Återbetalning' });
    await adapter.refundPayment!(operation(created, 'paid'), op({ amount: 1_000 }));
    const { payments } = await asMerchant(`query($r: String!) { payments(where: {merchantReference: {_eq: $r}}) { refunds { message generatedFrom } } }`, { r: created.providerPaymentId });
    assert.deepEqual(payments[0].refunds, [{ message: 'Återbetalning', generatedFrom: 'Shop backoffice' }]);
  });

  test('a refused merchant token is setup, not a refusal', async () => {
    const { created } = await swish('pay');
    const wrong = kronor({ merchantToken: 'wrong-merchant-token-123' });
    await assert.rejects(wrong.refundPayment!(operation(created, 'paid'), op()), KronorSetupError);
    await assert.rejects(wrong.cancelPayment!(operation(created, 'action_required'), op()), KronorSetupError);
    await assert.rejects(wrong.capturePayment!(operation(created, 'authorized'), op()), KronorSetupError);
    // A read-only token reads the payment, then may not write: named as such.
    await assert.rejects(kronor({ merchantToken: 'sandbox-kronor-read-only-token' }).refundPayment!(operation(created, 'paid'), op()), (error: unknown) => {
      assert.ok(error instanceof KronorSetupError);
      assert.match(error.message, /may only read .* merchant-backend role/);
      return true;
    });
  });

  test('idempotency keys and refund messages fit what Kronor takes', () => {
    assert.equal(operationKey('refund', 'kp_abc-1'), 'refund-kp_abc-1');
    assert.equal(operationKey('capture', 'kp_abc-1'), 'capture-kp_abc-1');
    assert.match(operationKey('cancel', 'a key / with spaces'), /^cancel-[0-9a-f]{57}$/);
    assert.equal(operationKey('release', 'x'.repeat(100)).length, 64);
    assert.equal(operationKey('capture', 'x'.repeat(100)), operationKey('capture', 'x'.repeat(100)), 'deterministic');
    assert.notEqual(operationKey('cancel', 'k'), operationKey('release', 'k'));
    assert.notEqual(operationKey('capture', 'k'), operationKey('refund', 'k'));
    assert.equal(refundMessage(undefined), 'Refund');
    assert.equal(refundMessage(undefined, 'Pengar tillbaka'), 'Pengar tillbaka');
    assert.equal(refundMessage('  € '), 'Refund');
    assert.equal(refundMessage('Återbetalning: café crème'), 'Återbetalning: cafe creme');
    assert.equal(refundMessage('y'.repeat(80)).length, 50);
  });

  test('what the merchant hears when Kronor refuses, from Kronor\'s own read', () => {
    const rows: Array<[ProviderRefused, RegExp, string | undefined]> = [
      [captureRefusal('PAID', 1, 0), /already been captured in full/, undefined],
      [captureRefusal('PARTIALLY_CAPTURED', 1, 0), /already been captured in full/, undefined],
      [captureRefusal('PARTIALLY_CAPTURED', 6_001, 6_000), /more than what is left .*\(6000 minor units\)/, 'amount'],
      [captureRefusal('AUTHORIZED', 10_001, 10_000), /more than what is left/, 'amount'],
      [captureRefusal('RELEASED', 1, 10_000), /was released/, undefined],
      [captureRefusal('CAPTURE_DECLINED', 1, 10_000), /declined capturing/, undefined],
      [captureRefusal('AUTHORIZED', 100, 10_000), /only capture an authorised card payment/, undefined],
      [releaseRefusal('RELEASED'), /released already/, undefined],
      [releaseRefusal('PAID'), /refund it instead/, undefined],
      [releaseRefusal('PARTIALLY_CAPTURED'), /refund it instead/, undefined],
      [releaseRefusal('CAPTURE_DECLINED'), /only release an authorised payment/, undefined],
      [refundRefusal(1, 0), /already been refunded in full/, undefined],
      [refundRefusal(5_001, 5_000), /\(5000 minor units\)/, 'amount'],
      [refundRefusal(100, 5_000), /refused the refund/, undefined],
    ];
    for (const [refusal, message, field] of rows) {
      assert.match(refusal.message, message);
      assert.equal(refusal.field, field, refusal.message);
    }
  });
});

describe('production: the shopper\'s IP, PayPal tax, token roles', () => {
  /** Stands between the adapter and the sandbox's Kronor, keeping every GraphQL request it forwards. */
  let proxy: Server;
  let proxyUrl = '';
  const sent: Array<{ query: string; variables: Record<string, any> }> = [];
  before(async () => {
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        sent.push(JSON.parse(body.toString('utf8')));
        const answer = await fetch(`${sb.url}${req.url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization) },
          body,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/kronor/v1/graphql`;
  });
  after(async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  beforeEach(() => {
    sent.length = 0;
  });
  const sessionSent = () => sent.find((s) => s.query.includes('newPaymentSessionWithReferenceCheck'))!.variables.payment;

  const CUSTOMER = `query($r: String!) { paymentRequests(where: {reference: {_eq: $r}}) { customer { name ip } } }`;

  test("the shopper's IP address reaches Kronor as the customer's; without one, no made-up address", async () => {
    const adapter = kronor();
    const order = sekOrder();
    const card = await methodFor(adapter, order, 'kronor:creditCard');
    const rows: Array<[shopperIp: string | undefined, ip: string | null]> = [
      ['203.0.113.9', '203.0.113.9'],
      ['2001:db8::1', '2001:db8::1'],
      ['::ffff:198.51.100.4', '198.51.100.4'],
      [undefined, null],
      ['0.0.0.0', null],
      ['not an address', null],
    ];
    for (const [shopperIp, ip] of rows) {
      const created = await adapter.createPayment(paymentInput(order, card, shopperIp === undefined ? {} : { shopperIp }));
      await startCard(kronorAction(created.action));
      const { paymentRequests } = await asMerchant(CUSTOMER, { r: created.providerPaymentId });
      assert.deepEqual(paymentRequests[0].customer, ip === null ? null : { name: 'Anna Andersson', ip }, String(shopperIp));
    }
  });

  test('a method that needs the customer gets the configured address when the shopper\'s is unknown', async () => {
    const customer = { name: 'Jan Kowalski', email: 'jan@example.pl', language: 'pl' };
    const pln: ResolvedOrder = { reference: 'PL-1', amount: 4_000, currency: 'PLN', customer };
    for (const [config, ip] of [[{}, '0.0.0.0'], [{ unknownShopperIp: '192.0.2.10' }, '192.0.2.10']] as const) {
      const adapter = kronor(config);
      const created = await adapter.createPayment(paymentInput(pln, await methodFor(adapter, pln, 'kronor:p24')));
      await asBrowser(kronorAction(created.action), `mutation($pay: P24PaymentInput!) { newP24Payment(pay: $pay) { paymentId } }`, { pay: { idempotencyKey: 'p24-1', returnUrl: RETURN_URL } });
      assert.equal((await asMerchant(CUSTOMER, { r: created.providerPaymentId })).paymentRequests[0].customer.ip, ip);
    }
    assert.match(kronorProvider.configSchema.safeParse({ environment: 'sandbox', merchantToken: 't', webhookSecret: UNUSED_SECRET, unknownShopperIp: 'nowhere' }).error!.issues[0]!.message, /IPv4 or IPv6/);
  });

  test('shopper IP addresses as Kronor takes them, row by row', () => {
    const rows: Array<[string | undefined, string | undefined]> = [
      ['203.0.113.9', '203.0.113.9'],
      [' 203.0.113.9 ', '203.0.113.9'],
      ['::ffff:203.0.113.9', '203.0.113.9'],
      ['2001:db8::1', '2001:db8::1'],
      ['0.0.0.0', undefined],
      ['::', undefined],
      ['0:0:0:0:0:0:0:0', undefined],
      ['', undefined],
      [undefined, undefined],
      ['203.0.113.9:443', undefined],
      ['localhost', undefined],
    ];
    for (const [raw, ip] of rows) assert.equal(shopperIpFor(raw), ip, String(raw));
  });

  test('PayPal order lines carry their tax rate (hundredths of a percent) and the tax they include', async () => {
    const adapter = kronor({ graphqlUrl: proxyUrl });
    const customer = {
      name: 'Anna Andersson',
      email: 'anna@example.se',
      phone: '+46701234567',
      language: 'sv',
      address: { line1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE' },
    };
    const order: ResolvedOrder = {
      reference: 'A-2002',
      amount: 2_500 * 2 + 1_060,
      currency: 'SEK',
      customer,
      lines: [
        { name: 'Mug', quantity: 2, unitPrice: 2_500, taxRate: 25, reference: 'MUG' },
        { name: 'Book', quantity: 1, unitPrice: 1_060, taxRate: 6 },
      ],
    };
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:payPal'), { shopperIp: '203.0.113.9' }));
    assert.deepEqual(
      sessionSent().additionalData.orderLines.map((l: Record<string, unknown>) => [l.name, l.totalAmount, l.taxRate, l.totalTaxAmount]),
      [
        ['Mug', 5_000, 2_500, 1_000],
        ['Book', 1_060, 600, 60],
      ],
    );
    assert.equal(sessionSent().additionalData.ip, '203.0.113.9');
    // Kronor took the session: PayPal can start in it.
    await asBrowser(kronorAction(created.action), `mutation($pay: PayPalPaymentInput!) { newPayPalPayment(pay: $pay) { paymentId } }`, { pay: { idempotencyKey: 'pp-1', returnUrl: RETURN_URL } });

    sent.length = 0;
    const untaxed = { ...order, reference: 'A-2003', lines: order.lines!.map(({ taxRate: _, ...line }) => line) };
    await kronor({ graphqlUrl: proxyUrl, defaultTaxRate: 25 }).createPayment(paymentInput(untaxed, await methodFor(adapter, untaxed, 'kronor:payPal')));
    assert.deepEqual(sessionSent().additionalData.orderLines.map((l: Record<string, unknown>) => [l.taxRate, l.totalTaxAmount]), [[2_500, 1_000], [2_500, 212]]);
  });

  test('a session with no better hint takes place in the configured country', async () => {
    const adapter = kronor({ graphqlUrl: proxyUrl, defaultCountry: 'FI' });
    const usd = sekOrder({ currency: 'USD' });
    await adapter.createPayment(paymentInput(usd, await methodFor(adapter, usd, 'kronor:creditCard')));
    assert.equal(sessionSent().country, 'FI');
    sent.length = 0;
    await kronor({ graphqlUrl: proxyUrl }).createPayment(paymentInput(usd, await methodFor(adapter, usd, 'kronor:creditCard')));
    assert.equal(sessionSent().country, 'SE');
  });

  test('checkSetup passes with a merchant-backend token (and a read-only one: it only checks reads)', async () => {
    await kronor().checkSetup!(signal());
    await kronor({ merchantToken: 'sandbox-kronor-read-only-token' }).checkSetup!(signal());
    assert.equal(await count('payments'), 2);
  });

  test('checkSetup names what a payment-gateway token may not read, and a refused token', async () => {
    await assert.rejects(kronor({ merchantToken: 'sandbox-kronor-payment-gateway-token' }).checkSetup!(signal()), (error: unknown) => {
      assert.ok(error instanceof KronorSetupError);
      assert.match(error.message, /may not use PaymentRequest\.transactionSwishDetails/);
      assert.match(error.message, /merchant-backend role/);
      assert.doesNotMatch(error.message, /sandbox-kronor-payment-gateway-token/);
      return true;
    });
    await assert.rejects(kronor({ merchantToken: 'wrong-merchant-token-123' }).checkSetup!(signal()), (error: unknown) => error instanceof KronorSetupError && /merchantToken/.test(error.message));
    // The same token fails its status reads with the same message, not as "unavailable".
    await assert.rejects(kronor({ merchantToken: 'sandbox-kronor-payment-gateway-token' }).readStatus({ reference: 'kp_x', providerPaymentId: 'kp_x' }, signal()), KronorSetupError);
  });

  test('checkSetup reports Kronor being unreachable as unavailable', async () => {
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'status', kind: 'error', status: 503, times: 2 });
    await assert.rejects(kronor().checkSetup!(signal()), ProviderUnavailable);
  });
});

describe('webhooks', () => {
  /** Registers the receiver with Kronor, pays once, and answers the adapter and the sandbox's deliveries. */
  async function paidWithWebhooks() {
    const { hmacSecret } = await setKronorWebhookUrl({ environment: 'sandbox', merchantToken: MERCHANT_TOKEN }, receiverUrl, { sandboxUrl: sb.url, ...TIMING });
    assert.match(hmacSecret!, /^[0-9a-f]{64}$/);
    const adapter = kronor({ webhookSecret: hmacSecret! });
    const order = sekOrder();
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish')));
    await decide(await startSwish(kronorAction(created.action)), 'pay');
    const deliveries: Array<{ headers: Record<string, string>; body: string; status: number }> = (await sb.control('GET', '/webhooks?provider=kronor')).webhooks;
    return { adapter, created, hmacSecret: hmacSecret!, deliveries };
  }

  const request = (headers: Record<string, string>, body: string | Uint8Array, method = 'POST') => ({
    method,
    url: new URL(receiverUrl),
    headers: new Headers(headers),
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  });

  test('a webhook Kronor sent verifies and names the payment; the answer is [accepted]', async () => {
    const { adapter, created, deliveries } = await paidWithWebhooks();
    assert.ok(deliveries.length >= 2, 'WAITING_FOR_PAYMENT and PAID were announced');
    for (const delivery of deliveries) {
      assert.deepEqual(await adapter.verifyWebhook(request(delivery.headers, delivery.body)), {
        reference: created.providerPaymentId,
        providerPaymentId: created.providerPaymentId,
      });
    }
    // The same bytes arrived at the receiver, and it answered as Kronor expects.
    assert.equal(received.length, deliveries.length);
    const last = received[received.length - 1]!;
    const verified = await adapter.verifyWebhook({ method: 'POST', url: new URL(receiverUrl), headers: new Headers(last.headers as Record<string, string>), body: new Uint8Array(last.body) });
    assert.equal(verified.reference, created.providerPaymentId);
    const answer = adapter.webhookAnswer!();
    assert.deepEqual([answer.status, await answer.text()], [200, '[accepted]']);
  });

  test('a tampered, unsigned, mis-signed or unreadable webhook is rejected', async () => {
    const { adapter, hmacSecret, deliveries } = await paidWithWebhooks();
    const { headers, body } = deliveries[deliveries.length - 1]!;
    const reject = (promise: Promise<unknown>) => assert.rejects(promise, WebhookRejected);
    await reject(adapter.verifyWebhook(request(headers, body.replace('PAID', 'PAIF'))));
    await reject(adapter.verifyWebhook(request(headers, `${body} `)));
    await reject(adapter.verifyWebhook(request({ ...headers, 'X-HMAC-SHA256-Signature': '' }, body)));
    await reject(adapter.verifyWebhook(request({ 'content-type': 'application/json' }, body)));
    const signature = headers['X-HMAC-SHA256-Signature'] ?? headers['x-hmac-sha256-signature']!;
    await reject(adapter.verifyWebhook(request({ 'X-HMAC-SHA256-Signature': signature.slice(0, 62) }, body)));
    await reject(adapter.verifyWebhook(request({ 'X-HMAC-SHA256-Signature': `${signature.slice(0, 63)}${signature.endsWith('0') ? '1' : '0'}` }, body)));
    await reject(kronor({ webhookSecret: 'another-secret-of-enough-length' }).verifyWebhook(request(headers, body)));
    await reject(adapter.verifyWebhook(request(headers, body, 'GET')));
    // Genuinely signed, but not what Kronor sends.
    const { createHmac } = await import('node:crypto');
    const signed = (text: string) => request({ 'X-HMAC-SHA256-Signature': createHmac('sha256', hmacSecret).update(text).digest('hex') }, text);
    await reject(adapter.verifyWebhook(signed('not json')));
    await reject(adapter.verifyWebhook(signed('{"events":[]}')));
    // A signed event about no payment (a capture) is accepted and names nothing.
    assert.deepEqual(await adapter.verifyWebhook(signed('{"events":[{"event":"captureStateUpdate","id":"1","triggeredAt":"x","additionalData":{"paymentId":1}}]}')), {});
  });
});

describe('faults', () => {
  async function swishInput(adapter: ProviderAdapter, over: Partial<CreatePaymentInput> = {}) {
    const order = sekOrder();
    return paymentInput(order, await methodFor(adapter, order, 'kronor:swish'), over);
  }

  test('a 500 on the session is retried with the same key: one session', async () => {
    const adapter = kronor();
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'create', kind: 'error', status: 500 });
    const input = await swishInput(adapter);
    const created = await adapter.createPayment(input);
    assert.deepEqual(await faultsLeft(), [], 'the fault took the first attempt');
    assert.equal(await count('newPaymentSessionWithReferenceCheck'), 1);
    const again = await adapter.createPayment({ ...input, signal: signal() });
    assert.equal(kronorAction(again.action).sessionToken, kronorAction(created.action).sessionToken);
  });

  for (const status of [500, 429]) {
    test(`a session that keeps answering ${status} is unavailable after exactly the configured attempts`, async () => {
      const adapter = kronor();
      await sb.control('POST', '/faults', { provider: 'kronor', operation: 'create', kind: 'error', status, times: 3 });
      await assert.rejects(adapter.createPayment(await swishInput(adapter)), ProviderUnavailable);
      assert.deepEqual((await faultsLeft()).map((f) => f.remaining), [1], 'two attempts, not three');
      assert.deepEqual(await kronorPayments(), []);
    });
  }

  test('status reads are retried, then unavailable; a timeout too', async () => {
    const adapter = kronor();
    const created = await adapter.createPayment(await swishInput(adapter));
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'status', kind: 'error', status: 503, times: 3 });
    await assert.rejects(adapter.readStatus(stored(created), signal()), ProviderUnavailable);
    assert.deepEqual((await faultsLeft()).map((f) => f.remaining), [1]);
    await sb.control('DELETE', '/faults');

    const quick = kronor({}, { timeoutMs: 200, attempts: 2 });
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'status', kind: 'timeout', times: 2 });
    await assert.rejects(quick.readStatus(stored(created), signal()), (error: unknown) => error instanceof ProviderUnavailable && /200 ms/.test(error.message));
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'status', kind: 'malformed' });
    await assert.rejects(adapter.readStatus(stored(created), signal()), ProviderUnavailable);
    await sb.control('DELETE', '/faults');
    assert.equal((await adapter.readStatus(stored(created), signal())).state, 'action_required');
  });

  test('the Swish phone-number payment is retried with its key: one payment', async () => {
    const adapter = kronor({ methods: ['swish-ecom'] });
    const order = sekOrder();
    const method = await methodFor(adapter, order, 'kronor:swish-ecom');
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'newSwishPayment', kind: 'error', status: 502 });
    const input = paymentInput(order, method, { fields: { phone: '0701234567' } });
    await adapter.createPayment(input);
    await adapter.createPayment({ ...input, signal: signal() });
    assert.deepEqual(await faultsLeft(), []);
    assert.equal((await kronorPayments()).length, 1);
  });

  test('setting the webhook URL is not retried (a repeat would make a second setting)', async () => {
    await sb.control('POST', '/faults', { provider: 'kronor', operation: 'setWebhookUrl', kind: 'error', status: 500, times: 2 });
    await assert.rejects(setKronorWebhookUrl({ environment: 'sandbox', merchantToken: MERCHANT_TOKEN }, receiverUrl, { sandboxUrl: sb.url, ...TIMING }), ProviderUnavailable);
    assert.deepEqual((await faultsLeft()).map((f) => f.remaining), [1]);
  });
});

describe('readStatuses: many sessions in one call', () => {
  /** A session in the state `outcome` leaves it (no request started when undefined). */
  async function session(adapter: ProviderAdapter, start: 'swish' | 'card' | undefined, outcome?: 'pay' | 'decline' | 'cancel' | 'expire' | 'fail') {
    const order = sekOrder();
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, start === 'card' ? 'kronor:creditCard' : 'kronor:swish')));
    if (start) {
      const waitToken = start === 'card' ? await startCard(kronorAction(created.action)) : await startSwish(kronorAction(created.action));
      if (outcome) await decide(waitToken, outcome);
    }
    return created;
  }

  test('sessions in every state are read in one request, each read as readStatus reads it alone', async () => {
    const adapter = kronor();
    const created = [
      await session(adapter, undefined),
      await session(adapter, 'swish'),
      await session(adapter, 'swish', 'pay'),
      await session(adapter, 'swish', 'pay'),
      await session(adapter, 'swish', 'decline'),
      await session(adapter, 'card', 'cancel'),
      await session(adapter, 'swish', 'expire'),
      await session(adapter, 'card', 'fail'),
    ];
    await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    try {
      created.push(await session(adapter, 'card', 'pay'));
    } finally {
      await sb.control('POST', '/kronor/settings', { cardCaptureMode: 'automatic' });
    }
    const refunded = created[3]!;
    await adapter.refundPayment!(
      { ...stored(refunded), order: 'A-1001', amount: 25_000, currency: 'SEK', state: 'paid', providerStatus: 'PAID' },
      { idempotencyKey: `batch-refund-${Date.now()}`, signal: signal(), amount: 10_000 },
    );
    const refs = created.map(stored);
    const unknown: StoredPaymentRef = { reference: 'kp_not_at_kronor', providerPaymentId: 'kp_not_at_kronor', data: { method: 'swish', expiresAt: new Date(Date.now() - 1000).toISOString() } };

    const before = (await sb.control<{ count: number }>('GET', '/requests?provider=kronor')).count;
    const [paymentsBefore, requestsBefore] = [await count('payments'), await count('paymentRequests')];
    const reads = await adapter.readStatuses!([...refs, unknown], signal());
    // One HTTP request (the sandbox logs it by its first root field).
    assert.equal((await sb.control<{ count: number }>('GET', '/requests?provider=kronor')).count - before, 1);
    assert.deepEqual([(await count('payments')) - paymentsBefore, (await count('paymentRequests')) - requestsBefore], [1, 0]);

    const alone = new Map<string, StatusRead>();
    for (const ref of [...refs, unknown]) alone.set(ref.reference, await adapter.readStatus(ref, signal()));
    assert.deepEqual(reads, alone);
    assert.deepEqual(
      [...refs, unknown].map((r) => reads.get(r.reference)?.state),
      ['action_required', 'action_required', 'paid', 'partially_refunded', 'declined', 'cancelled', 'expired', 'failed', 'authorized', 'expired'],
    );
  });

  test('takes up to batchReadLimit (100) sessions; more is a programming error, and Kronor is not called', async () => {
    const adapter = kronor();
    assert.equal(adapter.batchReadLimit, 100);
    const many = Array.from({ length: 101 }, (_, i) => ({ reference: `kp_${i}`, providerPaymentId: `kp_${i}` }));
    await assert.rejects(adapter.readStatuses!(many, signal()), (error: Error) => error instanceof RangeError && /at most 100 payments at once \(got 101\)/.test(error.message));
    assert.equal(await count('payments'), 0);
    assert.equal((await adapter.readStatuses!(many.slice(0, 100), signal())).size, 100);
    assert.equal(await count('payments'), 1);
  });
});

describe('followStatuses: the live feed over the merchant websocket', () => {
  interface Seen {
    reference: string;
    read: StatusRead;
    at: number;
  }

  function follow(adapter: ProviderAdapter) {
    const seen: Seen[] = [];
    const controller = new AbortController();
    const done = adapter.followStatuses!((reference, read) => seen.push({ reference, read, at: Date.now() }), controller.signal);
    const readOf = (reference: string, state: string) => until(async () => seen.find((s) => s.reference === reference && s.read.state === state), Boolean, 3000);
    return { seen, controller, done, readOf };
  }

  async function waitingSwish(adapter: ProviderAdapter) {
    const order = sekOrder();
    const created = await adapter.createPayment(paymentInput(order, await methodFor(adapter, order, 'kronor:swish')));
    const waitToken = await startSwish(kronorAction(created.action));
    await until(() => adapter.readStatus(stored(created), signal()), (s) => s.providerStatus === 'WAITING_FOR_PAYMENT');
    return { created, waitToken };
  }

  const openHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;

  test('a payment paid at Kronor reaches onRead within a second, as readStatus reads it, without polling', async () => {
    const adapter = kronor();
    const { created, waitToken } = await waitingSwish(adapter);
    const feed = follow(adapter);
    try {
      const waiting = await feed.readOf(created.providerPaymentId, 'action_required');
      assert.deepEqual(waiting?.read, { state: 'action_required', providerStatus: 'WAITING_FOR_PAYMENT' });

      const quietFrom = await count('paymentRequests');
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.equal(await count('paymentRequests'), quietFrom, 'nothing is read while nothing changes');

      const paidAt = Date.now();
      await decide(waitToken, 'pay');
      const paid = await feed.readOf(created.providerPaymentId, 'paid');
      assert.ok(paid, 'the paid read arrived');
      assert.ok(paid.at - paidAt < 1000, `arrived after ${paid.at - paidAt} ms`);
      assert.deepEqual(paid.read, await adapter.readStatus(stored(created), signal()));
      // Reported once per change: the waiting read once, the paid read once.
      assert.deepEqual(feed.seen.filter((s) => s.reference === created.providerPaymentId).map((s) => s.read.providerStatus), ['WAITING_FOR_PAYMENT', 'PAID']);
    } finally {
      feed.controller.abort();
      await feed.done;
    }
  });

  test('a declined and a cancelled request are reported as readStatus reads them; other merchants’ references are not', async () => {
    const adapter = kronor();
    const declined = await waitingSwish(adapter);
    const cancelled = await waitingSwish(adapter);
    const feed = follow(adapter);
    try {
      await feed.readOf(cancelled.created.providerPaymentId, 'action_required');
      await decide(declined.waitToken, 'decline');
      await decide(cancelled.waitToken, 'cancel');
      const [a, b] = [await feed.readOf(declined.created.providerPaymentId, 'declined'), await feed.readOf(cancelled.created.providerPaymentId, 'cancelled')];
      assert.deepEqual(a?.read, await adapter.readStatus(stored(declined.created), signal()));
      assert.deepEqual(b?.read, await adapter.readStatus(stored(cancelled.created), signal()));
      assert.ok(feed.seen.every((s) => s.reference.startsWith('kp_')));
    } finally {
      feed.controller.abort();
      await feed.done;
    }
  });

  test('a dropped websocket is followed by a reconnect, and changes after it still arrive', async () => {
    const adapter = kronor();
    const first = await waitingSwish(adapter);
    const feed = follow(adapter);
    try {
      await feed.readOf(first.created.providerPaymentId, 'action_required');
      const subscriptions = await count('paymentRequests');
      const { closed } = await sb.control('POST', '/kronor/drop-connections');
      assert.ok(closed >= 1, 'the sandbox dropped the feed’s socket');
      await until(() => count('paymentRequests'), (n) => n > subscriptions, 3000);
      assert.ok((await count('paymentRequests')) > subscriptions, 'subscribed again');
      const second = await waitingSwish(adapter);
      // Listed first: a request paid within one refetch of its creation never shows as waiting (the endpoint's reads find it).
      await feed.readOf(second.created.providerPaymentId, 'action_required');
      await decide(second.waitToken, 'pay');
      assert.ok(await feed.readOf(second.created.providerPaymentId, 'paid'), 'a change after the reconnect arrives');
    } finally {
      feed.controller.abort();
      await feed.done;
    }
  });

  test('a token Kronor refuses is tried again with backoff, never thrown; abort ends it', async () => {
    const adapter = kronor({ merchantToken: 'not-a-kronor-token' });
    const feed = follow(adapter);
    await new Promise((resolve) => setTimeout(resolve, 600));
    feed.controller.abort();
    await feed.done;
    assert.deepEqual(feed.seen, []);
  });

  test('abort resolves the feed and leaves no socket or timer open', async () => {
    const adapter = kronor();
    await waitingSwish(adapter);
    const before = openHandles();
    const feed = follow(adapter);
    await until(async () => feed.seen.length, (n) => n > 0, 3000);
    assert.ok(openHandles() > before, 'the feed holds a socket while it runs');
    feed.controller.abort();
    await feed.done;
    const after = await until(async () => openHandles(), (n) => n <= before, 2000);
    assert.ok(after <= before, `${after} handles open after abort, ${before} before`);
  });

  test('an aborted signal resolves at once without connecting', async () => {
    const subscriptions = await count('paymentRequests');
    await kronor().followStatuses!(() => assert.fail('no read'), AbortSignal.abort());
    assert.equal(await count('paymentRequests'), subscriptions);
  });
});
