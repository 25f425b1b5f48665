/**
 * The WhenThen adapter over real HTTP against the sandbox: configuration, methods, card payments through the hosted
 * checkout and PayPal / Klarna through their approval pages, each outcome read back by orderId, signed webhooks as
 * the sandbox sent them, refusals and faults.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useSandbox } from '../../../sandbox/testing.ts';
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
  type WebhookRequest,
} from '../../server/provider.ts';
import { DEFAULT_ERROR_CODES, whenthenEndpoints, type ResolvedWhenthenConfig } from './config.ts';
import { createFailure, operationFailure } from './errors.ts';
import { remainderToRefund, whenthenProvider, type WhenthenConfig } from './server.ts';

const API_KEY = 'sandbox-whenthen-key';
const WEBHOOK_SECRET = 'sandbox-whenthen-webhook-secret';
const EUR_ORDER: ResolvedOrder = { reference: 'A-1001', amount: 4990, currency: 'EUR', customer: { email: 'ada@example.com', name: 'Ada Shopper' } };
/** What readStatus reports of a 49.90 EUR order paid in full and not refunded. */
const CAPTURED_IN_FULL = { capturedAmount: 4990, refundedAmount: 0 };
const PAID = { state: 'paid', providerStatus: 'SUCCEEDED', ...CAPTURED_IN_FULL };
const SANDBOX_DEPS = { sandboxUrl: 'http://127.0.0.1:4010', timeoutMs: 2000, attempts: 2 };
const PRODUCTION = {
  environment: 'production',
  apiKey: 'live-private-key-123',
  webhookSecret: 'live-webhook-secret-456',
  hostedCheckoutUrl: 'https://checkout.whenthen.example/pay',
} as const;

/** The first problem zod reports for a config, as `path: message` (or the unknown key). */
function firstProblem(config: unknown): string {
  const result = whenthenProvider.configSchema.safeParse(config);
  assert.equal(result.success, false, 'the config should be refused');
  const issue = result.error!.issues[0]!;
  return issue.code === 'unrecognized_keys' ? `unknown: ${issue.keys?.join(',')}` : `${issue.path.join('.')}: ${issue.message}`;
}

/** A 9.90 EUR card payment made straight at WhenThen's API (as a headless integration would), answering its id. */
async function cardPaidAtWhenThen(sandboxUrl: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/whenthen/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({
      query: 'mutation($p: AuthorisedPaymentInput!) { authorizePayment(authorisePayment: $p) { id } }',
      variables: { p: { amount: 990, currencyCode: 'EUR', paymentMethod: { type: 'CARD', card: { number: '4242424242424242', expMonth: 12, expYear: 2040 } } } },
    }),
  });
  return ((await response.json()) as { data: { authorizePayment: { id: string } } }).data.authorizePayment.id;
}

describe('WhenThen configuration', () => {
  const refusals: Array<[name: string, config: Record<string, unknown>, problem: RegExp]> = [
    ['a missing apiKey', { environment: 'sandbox', webhookSecret: 's' }, /^apiKey: apiKey is required/],
    ['an empty apiKey', { environment: 'sandbox', apiKey: ' ', webhookSecret: 's' }, /^apiKey: apiKey must not be empty/],
    ['a missing webhookSecret', { environment: 'sandbox', apiKey: 'k' }, /^webhookSecret: webhookSecret is required/],
    ['an unknown option', { environment: 'sandbox', apiKey: 'k', webhookSecret: 's', colour: 'blue' }, /^unknown: colour$/],
    ['an unknown environment', { environment: 'live', apiKey: 'k', webhookSecret: 's' }, /^environment: environment must be/],
    ['production without hostedCheckoutUrl', { ...PRODUCTION, hostedCheckoutUrl: undefined }, /^hostedCheckoutUrl: hostedCheckoutUrl is required for production when card is offered/],
    ['a plain-http graphqlUrl off loopback', { ...PRODUCTION, graphqlUrl: 'http://api.whenthen.example/graphql' }, /^graphqlUrl: graphqlUrl must use https/],
    ['a hostedCheckoutUrl with a query', { ...PRODUCTION, hostedCheckoutUrl: 'https://checkout.whenthen.example/?a=1' }, /^hostedCheckoutUrl: .*must not carry/],
    ['a relative hostedCheckoutUrl', { ...PRODUCTION, hostedCheckoutUrl: '/pay' }, /^hostedCheckoutUrl: hostedCheckoutUrl must be an absolute/],
    ['an unknown method', { ...PRODUCTION, methods: ['card', 'swish'] }, /^methods\.1: methods may hold only card, paypal, klarna/],
    ['no methods', { ...PRODUCTION, methods: [] }, /^methods: methods must name at least one method/],
    ['a repeated method', { ...PRODUCTION, methods: ['card', 'card'] }, /^methods: methods must not repeat/],
    ['an apmRedirectHosts entry that is a URL', { ...PRODUCTION, apmRedirectHosts: ['https://www.paypal.com/'] }, /^apmRedirectHosts\.0: apmRedirectHosts must be host names/],
    ['two checkout parameters of one name', { ...PRODUCTION, hostedCheckoutParameters: { orderId: 'clientToken' } }, /^hostedCheckoutParameters: hostedCheckoutParameters must name four different/],
    ['a checkout parameter with a space', { ...PRODUCTION, hostedCheckoutParameters: { orderId: 'order id' } }, /^hostedCheckoutParameters\.orderId: .*plain query parameter name/],
    ['an unknown checkout parameter', { ...PRODUCTION, hostedCheckoutParameters: { amount: 'amount' } }, /^unknown: amount$/],
    ['a signature header that is no header name', { ...PRODUCTION, webhookSignature: { header: 'X Sig' } }, /^webhookSignature\.header: .*HTTP header name/],
    ['an unknown signature algorithm', { ...PRODUCTION, webhookSignature: { algorithm: 'md5' } }, /^webhookSignature\.algorithm: .*'sha256' or 'sha512'/],
    ['an unknown signature encoding', { ...PRODUCTION, webhookSignature: { encoding: 'base32' } }, /^webhookSignature\.encoding: .*'hex' or 'base64'/],
    ['an empty webhookEventType', { ...PRODUCTION, webhookEventType: ' ' }, /^webhookEventType: webhookEventType must not be empty/],
    ['an empty error code', { ...PRODUCTION, errorCodes: { invalidStatus: '' } }, /^errorCodes\.invalidStatus: errorCodes\.invalidStatus must not be empty/],
    ['a listPageSize of 0', { ...PRODUCTION, listPageSize: 0 }, /^listPageSize: listPageSize must be at least 1/],
  ];
  for (const [name, config, problem] of refusals) {
    it(`refuses ${name}, without echoing a secret`, () => {
      const message = firstProblem(config);
      assert.match(message, problem);
      assert.ok(!message.includes('live-private-key-123') && !message.includes('live-webhook-secret-456'));
      assert.throws(() => whenthenProvider.create(config as WhenthenConfig, SANDBOX_DEPS));
    });
  }

  it('offers all three methods by default and needs no checkout address without card', () => {
    const parsed = whenthenProvider.configSchema.parse({ environment: 'sandbox', apiKey: 'k', webhookSecret: 's' });
    assert.deepEqual(parsed, {
      environment: 'sandbox',
      apiKey: 'k',
      webhookSecret: 's',
      methods: ['card', 'paypal', 'klarna'],
      hostedCheckoutParameters: { clientToken: 'clientToken', redirectUrl: 'redirectUrl', orderId: 'orderId', flowId: 'flowId' },
      webhookSignature: { header: 'X-WhenThen-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '' },
      webhookEventType: 'payment.updated',
      errorCodes: {
        requiresApmAuthorization: 'error.authorize.requiresApmAuthorization',
        invalidStatus: 'error.payment.invalidStatus',
        unauthenticated: 'error.auth.unauthenticated',
        forbidden: 'error.auth.forbidden',
      },
      listPageSize: 100,
    });
    assert.ok(whenthenProvider.configSchema.safeParse({ ...PRODUCTION, hostedCheckoutUrl: undefined, methods: ['paypal'] }).success);
  });

  it("resolves WhenThen's API per environment and the sandbox's routes in the sandbox", () => {
    const endpoints = (config: WhenthenConfig) => whenthenEndpoints(whenthenProvider.configSchema.parse(config) as ResolvedWhenthenConfig, 'http://127.0.0.1:4010/');
    assert.deepEqual(endpoints({ environment: 'sandbox', apiKey: 'k', webhookSecret: 's' }), {
      graphqlUrl: 'http://127.0.0.1:4010/whenthen/graphql',
      hostedCheckoutUrl: 'http://127.0.0.1:4010/whenthen/hosted/checkout',
      redirectHosts: ['127.0.0.1:4010'],
    });
    assert.equal(endpoints(PRODUCTION).graphqlUrl, 'https://api.whenthen.com/api/graphql');
    assert.equal(endpoints({ ...PRODUCTION, environment: 'staging' }).graphqlUrl, 'https://api.sandbox.whenthen.co/api/graphql');
    assert.equal(endpoints({ ...PRODUCTION, graphqlUrl: 'https://gw.example/graphql' }).graphqlUrl, 'https://gw.example/graphql');
  });

  it('sends shoppers only to the hosts of its environment and methods', () => {
    const hosts = (config: WhenthenConfig) => whenthenProvider.create(config, SANDBOX_DEPS).redirectHosts;
    assert.deepEqual(hosts(PRODUCTION), ['checkout.whenthen.example', 'www.paypal.com', 'pay.klarna.com']);
    assert.deepEqual(hosts({ ...PRODUCTION, environment: 'staging' }), ['checkout.whenthen.example', 'www.sandbox.paypal.com', 'pay.playground.klarna.com']);
    assert.deepEqual(hosts({ ...PRODUCTION, methods: ['card'] }), ['checkout.whenthen.example']);
    assert.deepEqual(hosts({ ...PRODUCTION, methods: ['klarna'], apmRedirectHosts: ['Pay.Klarna.Example:8443'] }), ['pay.klarna.example:8443']);
    assert.deepEqual(hosts({ environment: 'sandbox', apiKey: 'k', webhookSecret: 's' }), ['127.0.0.1:4010']);
  });
});

describe('remainderToRefund', () => {
  const rows: Array<[payment: { amount: number; capturedAmount?: number; refundedAmount?: number }, remainder: number | undefined, why: string]> = [
    [{ amount: 4990 }, undefined, "Kassa knows nothing taken or refunded: WhenThen's default, the whole payment"],
    [{ amount: 4990, refundedAmount: 0 }, undefined, 'nothing refunded yet'],
    [{ amount: 4990, capturedAmount: 3000 }, 3000, 'a smaller capture: only that'],
    [{ amount: 4990, refundedAmount: 990 }, 4000, 'the rest after a partial refund'],
    [{ amount: 4990, capturedAmount: 3000, refundedAmount: 1000 }, 2000, 'the rest of a smaller capture'],
    [{ amount: 4990, capturedAmount: 3000, refundedAmount: 3000 }, 0, 'nothing left'],
  ];
  for (const [payment, remainder, why] of rows) {
    it(`${JSON.stringify(payment)} → ${remainder} (${why})`, () => assert.equal(remainderToRefund(payment), remainder));
  }
});

describe('WhenThen error mapping', () => {
  const error = (code: string) => [{ message: `WhenThen says ${code} for key live-private-key-123`, extensions: { code } }];

  it('turns amount and currency refusals into short refusals without the payload', () => {
    const amount = createFailure('authorizePayment', error('INVALID_AMOUNT'));
    assert.ok(amount instanceof ProviderRefused);
    assert.equal(amount.message, 'WhenThen does not accept this amount. Please choose another payment method.');
    const currency = createFailure('generateClientToken', error('UNSUPPORTED_CURRENCY'));
    assert.ok(currency instanceof ProviderRefused);
    assert.equal(currency.field, 'currency');
    assert.doesNotMatch(currency.message, /WhenThen says/);
  });

  it('maps operation refusals by the configured codes', () => {
    const invalidStatus = operationFailure('capturePayment', error('error.payment.invalidStatus'));
    assert.ok(invalidStatus instanceof ProviderRefused);
    assert.match(invalidStatus.message, /only capture a payment that is authorised/);
    const amount = operationFailure('capturePayment', error('INVALID_AMOUNT'));
    assert.ok(amount instanceof ProviderRefused && amount.field === 'amount');
    const codes = { ...DEFAULT_ERROR_CODES, invalidStatus: 'PAYMENT_STATE_INVALID' };
    assert.ok(operationFailure('refundPayment', error('PAYMENT_STATE_INVALID'), codes) instanceof ProviderRefused);
    const unknown = operationFailure('refundPayment', error('error.payment.invalidStatus'), codes);
    assert.ok(!(unknown instanceof ProviderRefused));
    assert.match(unknown.message, /refundPayment failed \(error\.payment\.invalidStatus/);
  });

  it('reports a refused key as setup and anything else as an error naming the code', () => {
    const auth = createFailure('authorizePayment', error('error.auth.unauthenticated'));
    assert.ok(!(auth instanceof ProviderRefused) && !(auth instanceof ProviderUnavailable));
    assert.match(auth.message, /error\.auth\.unauthenticated.*apiKey/);
    assert.doesNotMatch(auth.message, /live-private-key-123/);
    assert.match(createFailure('authorizePayment', error('error.authorize.unsupportedPaymentMethod')).message, /unsupportedPaymentMethod/);
  });
});

/** The merchant's webhook route: answers 200 to every delivery (the sandbox keeps the exact bytes itself). */
class WebhookReceiver {
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/kassa/webhooks/whenthen`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

interface Delivery {
  paymentId: string;
  headers: Record<string, string>;
  body: string;
  status: number | null;
}

function asWebhook(delivery: Pick<Delivery, 'headers' | 'body'>): WebhookRequest {
  return {
    method: 'POST',
    url: new URL('http://shop.example/kassa/webhooks/whenthen'),
    headers: new Headers(delivery.headers),
    body: new TextEncoder().encode(delivery.body),
  };
}

function signed(body: string, secret = WEBHOOK_SECRET): WebhookRequest {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return asWebhook({ headers: { 'content-type': 'application/json', 'X-WhenThen-Signature': signature }, body });
}

function unescapeHtml(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

describe('WhenThen adapter against the sandbox', () => {
  const sb = useSandbox();
  const receiver = new WebhookReceiver();
  before(() => receiver.start());
  after(() => receiver.close());

  const adapter = (config: Partial<WhenthenConfig> = {}, timeoutMs = 2000): ProviderAdapter =>
    whenthenProvider.create({ environment: 'sandbox', apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, ...config }, { sandboxUrl: sb.url, timeoutMs, attempts: 2 });

  async function paymentInput(whenthen: ProviderAdapter, code: string, order: ResolvedOrder = EUR_ORDER): Promise<CreatePaymentInput> {
    const reference = `kp_${randomBytes(18).toString('base64url')}`;
    const method = (await whenthen.listMethods(EUR_ORDER, AbortSignal.timeout(1000))).find((m) => m.id === `whenthen:${code}`);
    assert.ok(method, `whenthen:${code} is offered`);
    return {
      reference,
      order,
      method,
      fields: {},
      returnUrl: `https://shop.example/return?kassa_payment=${reference}`,
      endpointReturnUrl: `https://shop.example/kassa/return/${reference}`,
      webhookUrl: receiver.url,
      idempotencyKey: reference,
      signal: AbortSignal.timeout(5000),
    };
  }

  const sandboxPayments = async () =>
    (await sb.control('GET', '/payments?provider=whenthen')).payments as Array<{ id: string; status: string; amount: number; currency: string; reference: string | null }>;
  const requestCount = async (operation: string) => (await sb.control('GET', `/requests?provider=whenthen&operation=${operation}`)).count as number;
  const decide = (id: string, outcome: string) => sb.control('POST', `/payments/whenthen/${id}/outcome`, { outcome });
  const deliveries = async () => (await sb.control('GET', '/webhooks?provider=whenthen')).webhooks as Delivery[];
  /** A read as the shopper's page sees it: WhenThen's id, when the read learnt it, is checked on its own (learnt ids). */
  const readStatus = async (whenthen: ProviderAdapter, created: Pick<CreatedPayment, 'providerPaymentId' | 'data'>, reference: string) => {
    const { providerPaymentId: _learnt, ...read } = await whenthen.readStatus({ reference, providerPaymentId: created.providerPaymentId, data: created.data }, AbortSignal.timeout(5000));
    return read;
  };
  const actionUrl = (created: CreatedPayment) => (created.action.type === 'redirect' ? created.action.url : assert.fail(`not a redirect: ${created.action.type}`));

  /** The shopper on the hosted checkout: opens it, then presses a button (with a card of their choice). */
  async function checkout(url: string, outcome: 'pay' | 'decline' | 'cancel', cardNumber = '4242 4242 4242 4242'): Promise<URL> {
    const page = await fetch(url, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const html = await page.text();
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)]));
    const fields = { ...hidden, cardNumber, expMonth: '12', expYear: String(new Date().getUTCFullYear() + 2), cvc: '123', cardName: 'Ada Shopper', outcome };
    const submitted = await fetch(new URL('/whenthen/hosted/checkout', url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    assert.equal(submitted.status, 303);
    return new URL(submitted.headers.get('location')!);
  }

  describe('listMethods', () => {
    it('offers card, PayPal and Klarna for EUR, with limits, without calling WhenThen', async () => {
      const methods = await adapter().listMethods(EUR_ORDER, AbortSignal.timeout(1000));
      assert.deepEqual(methods, [
        { id: 'whenthen:card', provider: 'whenthen', kind: 'card', type: 'card', name: { en: 'Card', de: 'Karte', fr: 'Carte bancaire', sv: 'Kort' }, min: 1, max: 99_999_999 },
        { id: 'whenthen:paypal', provider: 'whenthen', kind: 'wallet', type: 'paypal', name: { en: 'PayPal' }, min: 1, max: 99_999_999 },
        { id: 'whenthen:klarna', provider: 'whenthen', kind: 'invoice', type: 'klarna', name: { en: 'Klarna' }, min: 1, max: 99_999_999 },
      ]);
      assert.ok(methods.every((m) => m.fields === undefined && m.logo === undefined), 'Kassa asks the shopper for nothing: cards are typed on WhenThen');
      assert.equal((await sb.control('GET', '/requests?provider=whenthen')).count, 0);
    });

    it('follows each method’s currencies', async () => {
      const ids = async (currency: string, config: Partial<WhenthenConfig> = {}) =>
        (await adapter(config).listMethods({ ...EUR_ORDER, currency }, AbortSignal.timeout(1000))).map((m) => m.id);
      assert.deepEqual(await ids('JPY'), ['whenthen:card', 'whenthen:paypal'], 'Klarna sells in no JPY');
      assert.deepEqual(await ids('SEK'), ['whenthen:card', 'whenthen:paypal', 'whenthen:klarna']);
      assert.deepEqual(await ids('BRL'), [], 'a currency WhenThen is not offered for');
      assert.deepEqual(await ids('eur'), [], 'currencies are ISO 4217 upper case');
    });

    it('offers only the configured methods, in the configured order', async () => {
      const methods = await adapter({ methods: ['klarna', 'card'] }).listMethods(EUR_ORDER, AbortSignal.timeout(1000));
      assert.deepEqual(methods.map((m) => m.id), ['whenthen:klarna', 'whenthen:card']);
    });
  });

  describe('card through the hosted checkout', () => {
    it('mints a client token for the order and sends the shopper to the checkout with it', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);

      assert.equal(created.providerPaymentId, input.reference, 'no WhenThen payment exists yet');
      assert.equal(created.state, 'action_required');
      assert.equal(created.providerStatus, 'AWAITING_CHECKOUT');
      const url = new URL(actionUrl(created));
      assert.ok(isAllowedUrl(url.href, whenthen.redirectHosts), url.href);
      assert.equal(url.pathname, '/whenthen/hosted/checkout');
      assert.deepEqual([...url.searchParams.keys()].sort(), ['clientToken', 'orderId', 'redirectUrl']);
      assert.equal(url.searchParams.get('orderId'), input.reference);
      assert.equal(url.searchParams.get('redirectUrl'), input.returnUrl);
      assert.equal(await requestCount('generateClientToken'), 1);
      assert.equal((await sandboxPayments()).length, 0);

      const page = await (await fetch(url)).text();
      assert.match(page, /data-field="amount">49\.90 EUR</, 'the token carries the amount and currency');
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'action_required', providerStatus: 'AWAITING_CHECKOUT' });
    });

    it('passes the configured flow on to the checkout', async () => {
      const whenthen = adapter({ flowId: 'sandbox-flow-manual-capture' });
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      assert.equal(new URL(actionUrl(created)).searchParams.get('flowId'), 'sandbox-flow-manual-capture');
      await checkout(actionUrl(created), 'pay');
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'authorized', providerStatus: 'AUTHORISED' });
    });

    const outcomes: Array<[outcome: 'pay' | 'decline' | 'cancel', state: string, status: string]> = [
      ['pay', 'paid', 'SUCCEEDED'],
      ['decline', 'declined', 'DECLINED'],
      ['cancel', 'cancelled', 'CANCELLED'],
    ];
    for (const [outcome, state, status] of outcomes) {
      it(`finds the payment by orderId and reads ${state} after the shopper chose ${outcome}`, async () => {
        const whenthen = adapter();
        const input = await paymentInput(whenthen, 'card');
        const created = await whenthen.createPayment(input);
        const back = await checkout(actionUrl(created), outcome);
        assert.equal(`${back.origin}${back.pathname}`, 'https://shop.example/return');
        assert.equal(back.searchParams.get('kassa_payment'), input.reference, 'the shopper comes back to the merchant with the reference');
        assert.deepEqual(await readStatus(whenthen, created, input.reference), { state, providerStatus: status, ...(state === 'paid' ? CAPTURED_IN_FULL : {}) });
        const [payment] = await sandboxPayments();
        assert.deepEqual([payment!.reference, payment!.amount, payment!.currency], [input.reference, 4990, 'EUR']);
      });
    }

    it('reads a preset outcome applied when the checkout opens', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await sb.control('POST', '/outcomes', { provider: 'whenthen', outcome: 'fail' });
      const opened = await fetch(actionUrl(created), { redirect: 'manual' });
      assert.equal(opened.status, 303);
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'failed', providerStatus: 'FAILED' });
    });

    it('follows a 3-D Secure card through its challenge', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      const challenge = await checkout(actionUrl(created), 'pay', '4000 0000 0000 3220');
      assert.match(challenge.pathname, /^\/whenthen\/3ds\//);
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'action_required', providerStatus: 'NEEDS_3D_SECURE' });
      const [payment] = await sandboxPayments();
      await decide(payment!.id, 'pay');
      assert.deepEqual(await readStatus(whenthen, created, input.reference), PAID);
    });

    it('reads the paid payment when the shopper was declined and tried again', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await checkout(actionUrl(created), 'pay', '4000 0000 0000 0002');
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'declined', providerStatus: 'DECLINED' });
      await checkout(actionUrl(created), 'pay');
      assert.equal((await sandboxPayments()).length, 2);
      assert.deepEqual(await readStatus(whenthen, created, input.reference), PAID);
    });

    it("keeps one order's payment apart from another's", async () => {
      const whenthen = adapter();
      const first = await paymentInput(whenthen, 'card');
      const second = await paymentInput(whenthen, 'card');
      const [a, b] = [await whenthen.createPayment(first), await whenthen.createPayment(second)];
      await checkout(actionUrl(a), 'pay');
      assert.deepEqual(await readStatus(whenthen, a, first.reference), PAID);
      assert.deepEqual(await readStatus(whenthen, b, second.reference), { state: 'action_required', providerStatus: 'AWAITING_CHECKOUT' });
    });

    it('reads a checkout whose client token expired without a payment as expired', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      const past = { ...created.data, checkoutExpiresAt: new Date(Date.now() - 6 * 60_000).toISOString() };
      assert.deepEqual(await readStatus(whenthen, { ...created, data: past }, input.reference), { state: 'expired', providerStatus: 'CHECKOUT_EXPIRED' });
      // A payment made in time still counts, whatever the clock says now.
      await checkout(actionUrl(created), 'pay');
      assert.deepEqual(await readStatus(whenthen, { ...created, data: past }, input.reference), PAID);
    });

    it('finds a payment by its reference alone when the record kept no read-back data', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await checkout(actionUrl(created), 'pay');
      assert.deepEqual(await readStatus(whenthen, { providerPaymentId: input.reference, data: undefined }, input.reference), PAID);
    });

    it('refuses an amount WhenThen does not accept, and makes nothing', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card', { ...EUR_ORDER, amount: 100_000_000 });
      await assert.rejects(whenthen.createPayment(input), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.message, 'WhenThen does not accept this amount. Please choose another payment method.');
        return true;
      });
      assert.equal((await sandboxPayments()).length, 0);
    });
  });

  describe('PayPal and Klarna through their approval pages', () => {
    for (const [code, type] of [['paypal', 'PAYPAL'], ['klarna', 'KLARNA']] as const) {
      it(`starts a ${type} payment for the reference and sends the shopper to its approval page`, async () => {
        const whenthen = adapter();
        const input = await paymentInput(whenthen, code, { ...EUR_ORDER, amount: 2500, currency: 'SEK', description: 'Order A-1001' });
        const created = await whenthen.createPayment(input);

        assert.equal(created.state, 'action_required');
        assert.equal(created.providerStatus, 'NEEDS_APM_AUTHORIZATION');
        assert.equal(created.providerPaymentId, input.reference);
        const [payment] = await sandboxPayments();
        assert.deepEqual([payment!.reference, payment!.amount, payment!.currency, payment!.status], [input.reference, 2500, 'SEK', 'NEEDS_APM_AUTHORIZATION']);
        const url = actionUrl(created);
        assert.ok(isAllowedUrl(url, whenthen.redirectHosts), url);
        assert.equal(new URL(url).pathname, `/whenthen/apm/${payment!.id}`);
        assert.match(await (await fetch(url)).text(), new RegExp(`Pay with ${type === 'PAYPAL' ? 'PayPal' : 'Klarna'}`));
      });
    }

    const outcomes: Array<[outcome: string, state: string, status: string]> = [
      ['pay', 'paid', 'SUCCEEDED'],
      ['decline', 'declined', 'DECLINED'],
      ['cancel', 'cancelled', 'CANCELLED'],
    ];
    for (const [outcome, state, status] of outcomes) {
      it(`reads ${state} after the shopper chose ${outcome} on PayPal`, async () => {
        const whenthen = adapter();
        const input = await paymentInput(whenthen, 'paypal');
        const created = await whenthen.createPayment(input);
        assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'action_required', providerStatus: 'NEEDS_APM_AUTHORIZATION' });
        const [payment] = await sandboxPayments();
        const decided = await decide(payment!.id, outcome);
        assert.equal(new URL(decided.redirectUrl).searchParams.get('kassa_payment'), input.reference, 'the approval page returns to the merchant');
        assert.deepEqual(await readStatus(whenthen, created, input.reference), { state, providerStatus: status, ...(state === 'paid' ? CAPTURED_IN_FULL : {}) });
      });
    }

    it('makes one payment of a repeated create (X-Idempotency-Key)', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'klarna');
      const [first, second] = await Promise.all([whenthen.createPayment(input), whenthen.createPayment(input)]);
      const third = await whenthen.createPayment(input);
      assert.equal(actionUrl(second), actionUrl(first));
      assert.equal(actionUrl(third), actionUrl(first));
      assert.equal(await requestCount('authorizePayment'), 3);
      assert.equal((await sandboxPayments()).length, 1);
    });

    it('refuses a currency the method does not take without calling WhenThen', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'klarna', { ...EUR_ORDER, currency: 'JPY' });
      await assert.rejects(whenthen.createPayment(input), (error: Error) => error instanceof ProviderRefused && error.field === 'currency' && /Klarna/.test(error.message));
      assert.equal(await requestCount('authorizePayment'), 0);
    });

    it('refuses a method it does not offer', async () => {
      const whenthen = adapter({ methods: ['card'] });
      const input = await paymentInput(adapter(), 'paypal');
      await assert.rejects(whenthen.createPayment(input), ProviderRefused);
      assert.equal(await requestCount('authorizePayment'), 0);
    });

    it('reports a refused private key as setup, never echoing it', async () => {
      const whenthen = adapter({ apiKey: 'wrong-key-abc' });
      for (const code of ['paypal', 'card']) {
        await assert.rejects(whenthen.createPayment(await paymentInput(whenthen, code)), (error: Error) => {
          assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
          assert.match(error.message, /error\.auth\.unauthenticated.*apiKey/);
          assert.ok(!error.message.includes('wrong-key-abc'));
          return true;
        });
      }
      await assert.rejects(whenthen.readStatus({ reference: 'kp_x', providerPaymentId: 'kp_x' }, AbortSignal.timeout(2000)), /listPayments was refused/);
    });
  });

  describe('capturePayment, cancelPayment and refundPayment', () => {
    let keys = 0;
    const opKey = () => `op-${++keys}-${randomBytes(6).toString('hex')}`;
    /** The payment as the endpoint hands it to an operation. */
    const operation = (
      created: CreatedPayment,
      input: CreatePaymentInput,
      state: OperationPayment['state'],
      amounts: Pick<OperationPayment, 'capturedAmount' | 'refundedAmount'> = {},
    ): OperationPayment => ({
      reference: input.reference,
      providerPaymentId: created.providerPaymentId,
      data: created.data,
      order: input.order.reference,
      amount: input.order.amount,
      currency: input.order.currency,
      state,
      providerStatus: null,
      ...amounts,
    });
    /** A WhenThen payment as getPayment answers it: status, refunded amount and the timeline's messages. */
    async function whenthenPayment(id: string): Promise<{ status: string; refunded: number | null; messages: Array<string | null> }> {
      const response = await fetch(`${sb.url}/whenthen/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({
          query: 'query($id: ID!) { getPayment(id: $id) { status refundedAmount { rawAmount } paymentTimeline { overview { message } } } }',
          variables: { id },
        }),
      });
      const payment = ((await response.json()) as { data: { getPayment: any } }).data.getPayment;
      return { status: payment.status, refunded: payment.refundedAmount?.rawAmount ?? null, messages: payment.paymentTimeline.overview.map((e: { message: string | null }) => e.message) };
    }

    /** A card paid on the hosted checkout (authorised only under the manual-capture flow). */
    async function cardPayment(config: Partial<WhenthenConfig> = {}) {
      const whenthen = adapter(config);
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await checkout(actionUrl(created), 'pay');
      const [payment] = await sandboxPayments();
      return { whenthen, input, created, id: payment!.id };
    }

    async function paypalPayment(outcome?: 'pay') {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'paypal');
      const created = await whenthen.createPayment(input);
      const [payment] = await sandboxPayments();
      if (outcome) await decide(payment!.id, outcome);
      return { whenthen, input, created, id: payment!.id };
    }

    const DELAYED_CAPTURE = { flowId: 'sandbox-flow-manual-capture' };
    const signal = () => AbortSignal.timeout(5000);
    const statusOf = async (payment: { whenthen: ProviderAdapter; created: CreatedPayment; input: CreatePaymentInput }) =>
      readStatus(payment.whenthen, payment.created, payment.input.reference);

    it('captures an authorised card payment in full → paid, with WhenThen’s webhook', async () => {
      await sb.control('POST', '/whenthen/webhook-endpoint', { url: receiver.url });
      const payment = await cardPayment(DELAYED_CAPTURE);
      assert.deepEqual(await statusOf(payment), { state: 'authorized', providerStatus: 'AUTHORISED' });
      await payment.whenthen.capturePayment!(operation(payment.created, payment.input, 'authorized'), { idempotencyKey: opKey(), signal: signal() });
      assert.deepEqual(await statusOf(payment), PAID);
      assert.equal(await requestCount('capturePayment'), 1);
      const sent = (await deliveries()).map((d) => JSON.parse(d.body).data);
      assert.deepEqual(sent.map((p) => [p.status, p.amount.rawAmount]), [['AUTHORISED', 4990], ['SUCCEEDED', 4990]]);
      const captureWebhook = (await deliveries()).at(-1)!;
      assert.deepEqual(await payment.whenthen.verifyWebhook(asWebhook(captureWebhook)), { providerPaymentId: payment.id, reference: payment.input.reference });
    });

    it('captures part, then refunds in part and the rest: paid → partially_refunded → refunded', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      const { whenthen, created, input, id } = payment;
      await whenthen.capturePayment!(operation(created, input, 'authorized'), { idempotencyKey: opKey(), signal: signal(), amount: 3000 });
      assert.deepEqual(await statusOf(payment), { state: 'paid', providerStatus: 'SUCCEEDED', capturedAmount: 3000, refundedAmount: 0 });
      await whenthen.refundPayment!(operation(created, input, 'paid', { capturedAmount: 3000 }), { idempotencyKey: opKey(), signal: signal(), amount: 1000 });
      assert.deepEqual(await statusOf(payment), { state: 'partially_refunded', providerStatus: 'PARTIAL_REFUNDED', capturedAmount: 3000, refundedAmount: 1000 });
      // No amount: the 2000 left is named, as WhenThen's own default would ask for the whole payment again.
      await whenthen.refundPayment!(operation(created, input, 'partially_refunded', { capturedAmount: 3000, refundedAmount: 1000 }), { idempotencyKey: opKey(), signal: signal() });
      assert.deepEqual(await statusOf(payment), { state: 'refunded', providerStatus: 'REFUNDED', capturedAmount: 3000, refundedAmount: 3000 });
      assert.equal((await whenthenPayment(id)).refunded, 3000);
    });

    it('captures a payment whose WhenThen id Kassa knows, without a lookup', async () => {
      const response = await fetch(`${sb.url}/whenthen/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({
          query: 'mutation($p: AuthorisedPaymentInput!) { authorizePayment(authorisePayment: $p) { id status } }',
          variables: { p: { orderId: 'kp_headless', amount: 4990, currencyCode: 'EUR', headlessMode: true, paymentMethod: { type: 'CARD', card: { number: '4242424242424242', expMonth: 12, expYear: 2040 } } } },
        }),
      });
      const { id, status } = ((await response.json()) as { data: { authorizePayment: { id: string; status: string } } }).data.authorizePayment;
      assert.equal(status, 'AUTHORISED');
      const whenthen = adapter();
      const known = { reference: 'kp_headless', providerPaymentId: id, data: { lookup: 'id' }, order: 'A-1001', amount: 4990, currency: 'EUR', state: 'authorized', providerStatus: 'AUTHORISED' } as const;
      await whenthen.capturePayment!(known, { idempotencyKey: opKey(), signal: signal(), amount: 4000 });
      assert.deepEqual(await readStatus(whenthen, { providerPaymentId: id, data: { lookup: 'id' } }, 'kp_headless'), { state: 'paid', providerStatus: 'SUCCEEDED', capturedAmount: 4000, refundedAmount: 0 });
      assert.equal(await requestCount('listPayments'), 0);
    });

    it('makes one capture of the same operation sent twice (X-Idempotency-Key derived from its key)', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      const key = opKey();
      const capture = () => payment.whenthen.capturePayment!(operation(payment.created, payment.input, 'authorized'), { idempotencyKey: key, signal: signal(), amount: 2000 });
      await capture();
      await capture();
      assert.equal(await requestCount('capturePayment'), 2);
      assert.deepEqual(await statusOf(payment), { state: 'paid', providerStatus: 'SUCCEEDED', capturedAmount: 2000, refundedAmount: 0 });
    });

    it('retries a capture answered 500 with the same X-Idempotency-Key, and captures once', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'capturePayment', kind: 'error', status: 500, times: 1 });
      await payment.whenthen.capturePayment!(operation(payment.created, payment.input, 'authorized'), { idempotencyKey: opKey(), signal: signal() });
      assert.equal(await requestCount('capturePayment'), 2);
      assert.deepEqual(await statusOf(payment), PAID);
    });

    /** Asserts a refusal, then that WhenThen's payment is as it was. */
    async function refusedWithoutChange(payment: Awaited<ReturnType<typeof cardPayment>>, attempt: () => Promise<void>, message: RegExp, field?: string) {
      const before = [await statusOf(payment), await whenthenPayment(payment.id)];
      await assert.rejects(attempt(), (error: Error) => {
        assert.ok(error instanceof ProviderRefused, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        assert.equal(error.field, field);
        return true;
      });
      assert.deepEqual([await statusOf(payment), await whenthenPayment(payment.id)], before);
    }

    it('refuses to capture twice, and changes nothing', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      const captured = operation(payment.created, payment.input, 'authorized');
      await payment.whenthen.capturePayment!(captured, { idempotencyKey: opKey(), signal: signal() });
      await refusedWithoutChange(payment, () => payment.whenthen.capturePayment!(captured, { idempotencyKey: opKey(), signal: signal() }), /only capture a payment that is authorised and not yet captured/);
      assert.deepEqual(await statusOf(payment), PAID);
    });

    it('refuses to capture more than was authorised, and changes nothing', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      const authorised = operation(payment.created, payment.input, 'authorized');
      await refusedWithoutChange(payment, () => payment.whenthen.capturePayment!(authorised, { idempotencyKey: opKey(), signal: signal(), amount: 4991 }), /at most the amount authorised/, 'amount');
      assert.deepEqual(await statusOf(payment), { state: 'authorized', providerStatus: 'AUTHORISED' });
      await assert.rejects(payment.whenthen.capturePayment!(authorised, { idempotencyKey: opKey(), signal: signal(), amount: 0 }), ProviderRefused);
      assert.equal(await requestCount('capturePayment'), 1, 'a capture of nothing is refused without asking WhenThen');
    });

    it('refuses to capture an authorisation that lapsed after 7 days: WhenThen cancelled it', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      await sb.control('POST', `/whenthen/payments/${payment.id}/age-authorisation`, { days: 7 });
      assert.deepEqual(await statusOf(payment), { state: 'cancelled', providerStatus: 'CANCELLED' });
      await refusedWithoutChange(payment, () => payment.whenthen.capturePayment!(operation(payment.created, payment.input, 'authorized'), { idempotencyKey: opKey(), signal: signal() }), /about 7 days/);
    });

    it('refuses to capture a paid PayPal payment or a checkout with no payment yet', async () => {
      const paidPaypal = await paypalPayment('pay');
      await refusedWithoutChange(paidPaypal, () => paidPaypal.whenthen.capturePayment!(operation(paidPaypal.created, paidPaypal.input, 'paid'), { idempotencyKey: opKey(), signal: signal() }), /only capture/);
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await assert.rejects(whenthen.capturePayment!(operation(created, input, 'action_required'), { idempotencyKey: opKey(), signal: signal() }), /nothing to capture/);
      assert.equal(await requestCount('capturePayment'), 1);
    });

    it('refuses to cancel a captured card payment and to refund above what is left, changing nothing', async () => {
      const payment = await cardPayment(DELAYED_CAPTURE);
      const { whenthen, created, input } = payment;
      await whenthen.capturePayment!(operation(created, input, 'authorized'), { idempotencyKey: opKey(), signal: signal(), amount: 4000 });
      await refusedWithoutChange(payment, () => whenthen.cancelPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: signal() }), /only cancel a payment that is authorised/);
      await refusedWithoutChange(payment, () => whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: signal(), amount: 4001 }), /at most what is left/, 'amount');
      await whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: signal(), amount: 4000 });
      await refusedWithoutChange(payment, () => whenthen.refundPayment!(operation(created, input, 'refunded'), { idempotencyKey: opKey(), signal: signal(), amount: 1 }), /only refund a payment that was paid/);
      await assert.rejects(whenthen.refundPayment!(operation(created, input, 'refunded', { capturedAmount: 4000, refundedAmount: 4000 }), { idempotencyKey: opKey(), signal: signal() }), /Nothing is left/);
      assert.deepEqual(await statusOf(payment), { state: 'refunded', providerStatus: 'REFUNDED', capturedAmount: 4000, refundedAmount: 4000 });
    });

    it('cancels an authorised card payment (found by orderId) → cancelled', async () => {
      const { whenthen, input, created } = await cardPayment({ flowId: 'sandbox-flow-manual-capture' });
      assert.equal((await readStatus(whenthen, created, input.reference)).providerStatus, 'AUTHORISED');
      await whenthen.cancelPayment!(operation(created, input, 'authorized'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) });
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'cancelled', providerStatus: 'CANCELLED' });
      assert.equal(await requestCount('cancelPayment'), 1);
    });

    it('refuses to cancel a payment still waiting for the shopper: WhenThen cancels only AUTHORISED payments', async () => {
      const { whenthen, input, created } = await paypalPayment();
      await assert.rejects(whenthen.cancelPayment!(operation(created, input, 'action_required'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) }), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.match(error.message, /only cancel a payment that is authorised/);
        return true;
      });
      assert.equal((await readStatus(whenthen, created, input.reference)).providerStatus, 'NEEDS_APM_AUTHORIZATION');
    });

    it('refuses to cancel a paid payment, which stays paid', async () => {
      const { whenthen, input, created } = await paypalPayment('pay');
      await assert.rejects(whenthen.cancelPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) }), ProviderRefused);
      assert.deepEqual(await readStatus(whenthen, created, input.reference), PAID);
    });

    it('refuses to cancel or refund a card checkout with no payment yet, without asking WhenThen to', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      const signal = () => AbortSignal.timeout(5000);
      await assert.rejects(whenthen.cancelPayment!(operation(created, input, 'action_required'), { idempotencyKey: opKey(), signal: signal() }), /no payment for this order yet/);
      await assert.rejects(whenthen.refundPayment!(operation(created, input, 'action_required'), { idempotencyKey: opKey(), signal: signal() }), ProviderRefused);
      assert.equal(await requestCount('cancelPayment') + (await requestCount('refundPayment')), 0);
    });

    it('retries a cancel answered 500 with the same X-Idempotency-Key', async () => {
      const { whenthen, input, created } = await cardPayment({ flowId: 'sandbox-flow-manual-capture' });
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'cancelPayment', kind: 'error', status: 500, times: 1 });
      await whenthen.cancelPayment!(operation(created, input, 'authorized'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) });
      assert.equal(await requestCount('cancelPayment'), 2);
      assert.equal((await readStatus(whenthen, created, input.reference)).providerStatus, 'CANCELLED');
    });

    it('refunds a paid payment in full without an amount → refunded, with the reason', async () => {
      const { whenthen, input, created, id } = await paypalPayment('pay');
      await whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), reason: 'Returned by the customer' });
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'refunded', providerStatus: 'REFUNDED', capturedAmount: 4990, refundedAmount: 4990 });
      const payment = await whenthenPayment(id);
      assert.equal(payment.refunded, input.order.amount);
      assert.ok(payment.messages.includes('Returned by the customer'), 'the reason reached WhenThen');
    });

    it('refunds a card in parts: partially_refunded, then the rest → refunded', async () => {
      const { whenthen, input, created, id } = await cardPayment();
      await whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 1990 });
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'partially_refunded', providerStatus: 'PARTIAL_REFUNDED', capturedAmount: 4990, refundedAmount: 1990 });
      assert.equal((await whenthenPayment(id)).refunded, 1990);
      await whenthen.refundPayment!(operation(created, input, 'partially_refunded'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 3000 });
      assert.deepEqual(await readStatus(whenthen, created, input.reference), { state: 'refunded', providerStatus: 'REFUNDED', capturedAmount: 4990, refundedAmount: 4990 });
    });

    it('refuses a refund above what is left, and a refund of an unpaid payment', async () => {
      const { whenthen, input, created, id } = await cardPayment();
      await assert.rejects(whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 4991 }), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.field, 'amount');
        return true;
      });
      assert.deepEqual([(await whenthenPayment(id)).refunded, (await readStatus(whenthen, created, input.reference)).providerStatus], [null, 'SUCCEEDED']);

      const open = await paypalPayment();
      await assert.rejects(open.whenthen.refundPayment!(operation(open.created, open.input, 'action_required'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) }), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.match(error.message, /only refund a payment that was paid/);
        return true;
      });
      await assert.rejects(whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 0 }), ProviderRefused);
    });

    it('makes one refund of the same operation sent twice (X-Idempotency-Key), two of two operations', async () => {
      const { whenthen, input, created, id } = await cardPayment();
      const key = opKey();
      const refund = () => whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: key, signal: AbortSignal.timeout(5000), amount: 1000 });
      await refund();
      await refund();
      assert.equal(await requestCount('refundPayment'), 2);
      assert.equal((await whenthenPayment(id)).refunded, 1000);
      await whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 1000 });
      assert.equal((await whenthenPayment(id)).refunded, 2000);
    });

    it('sends a refund once: a 500 is unavailable and refunds nothing', async () => {
      const { whenthen, input, created, id } = await cardPayment();
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'refundPayment', kind: 'error', status: 500, times: 0 });
      await assert.rejects(whenthen.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) }), ProviderUnavailable);
      assert.equal(await requestCount('refundPayment'), 1);
      await sb.control('DELETE', '/faults');
      assert.equal((await whenthenPayment(id)).refunded, null);
    });

    it('acts on a payment whose WhenThen id Kassa knows without a lookup', async () => {
      const { whenthen, input, id } = await paypalPayment('pay');
      await whenthen.refundPayment!(
        { reference: input.reference, providerPaymentId: id, data: { lookup: 'id' }, order: 'A-1001', amount: 4990, currency: 'EUR', state: 'paid', providerStatus: 'SUCCEEDED' },
        { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000), amount: 990 },
      );
      assert.equal((await whenthenPayment(id)).refunded, 990);
      assert.equal(await requestCount('listPayments'), 0);
    });

    it('reports a refused key as setup, never echoing it', async () => {
      const { input, created } = await paypalPayment('pay');
      const wrong = adapter({ apiKey: 'wrong-key-abc' });
      await assert.rejects(wrong.refundPayment!(operation(created, input, 'paid'), { idempotencyKey: opKey(), signal: AbortSignal.timeout(5000) }), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
        assert.ok(!error.message.includes('wrong-key-abc'));
        return true;
      });
    });
  });

  describe('readStatuses: many payments in few requests', () => {
    it('payments in every state are read in one call, each read as readStatus reads it alone', async () => {
      const whenthen = adapter();
      const manual = adapter({ flowId: 'sandbox-flow-manual-capture' });
      const start = async (by: ProviderAdapter, code = 'card') => {
        const input = await paymentInput(by, code);
        return { input, created: await by.createPayment(input) };
      };
      const open = await start(whenthen);
      const paid = await start(whenthen);
      await checkout(actionUrl(paid.created), 'pay');
      const declined = await start(whenthen);
      await checkout(actionUrl(declined.created), 'decline');
      const cancelled = await start(whenthen);
      await checkout(actionUrl(cancelled.created), 'cancel');
      const retried = await start(whenthen);
      await checkout(actionUrl(retried.created), 'pay', '4000 0000 0000 0002');
      await checkout(actionUrl(retried.created), 'pay');
      const challenged = await start(whenthen);
      await checkout(actionUrl(challenged.created), 'pay', '4000 0000 0000 3220');
      const refunded = await start(whenthen);
      await checkout(actionUrl(refunded.created), 'pay');
      await whenthen.refundPayment!(
        { reference: refunded.input.reference, providerPaymentId: refunded.created.providerPaymentId, data: refunded.created.data, order: 'A-1001', amount: 4990, currency: 'EUR', state: 'paid', providerStatus: 'SUCCEEDED' },
        { idempotencyKey: `batch-refund-${refunded.input.reference}`, signal: AbortSignal.timeout(5000), amount: 1000 },
      );
      const authorised = await start(manual);
      await checkout(actionUrl(authorised.created), 'pay');
      const expired = await start(whenthen);
      const expiredData = { ...expired.created.data, checkoutExpiresAt: new Date(Date.now() - 6 * 60_000).toISOString() };
      const paypal = await start(whenthen, 'paypal');

      const all = [open, paid, declined, cancelled, retried, challenged, refunded, authorised, paypal].map(({ input, created }) => ({
        reference: input.reference,
        providerPaymentId: created.providerPaymentId,
        data: created.data,
      }));
      all.push({ reference: expired.input.reference, providerPaymentId: expired.created.providerPaymentId, data: expiredData });

      const before = await requestCount('listPayments');
      const reads = await whenthen.readStatuses!(all, AbortSignal.timeout(5000));
      assert.equal((await requestCount('listPayments')) - before, 1, 'one listPayments call for the batch');

      const alone = new Map();
      for (const ref of all) alone.set(ref.reference, await whenthen.readStatus(ref, AbortSignal.timeout(5000)));
      assert.deepEqual(reads, alone);
      assert.deepEqual(
        all.map((r) => `${reads.get(r.reference)?.state} ${reads.get(r.reference)?.providerStatus}`),
        [
          'action_required AWAITING_CHECKOUT',
          'paid SUCCEEDED',
          'declined DECLINED',
          'cancelled CANCELLED',
          'paid SUCCEEDED',
          'action_required NEEDS_3D_SECURE',
          'partially_refunded PARTIAL_REFUNDED',
          'authorized AUTHORISED',
          'action_required NEEDS_APM_AUTHORIZATION',
          'expired CHECKOUT_EXPIRED',
        ],
      );
    });

    it('walks the pages of the window, and reads a payment known by id in the same batch', async () => {
      const whenthen = adapter({ listPageSize: 2 });
      const created = [];
      for (let i = 0; i < 5; i++) {
        const input = await paymentInput(whenthen, 'card');
        const payment = await whenthen.createPayment(input);
        await checkout(actionUrl(payment), i % 2 ? 'pay' : 'decline');
        created.push({ reference: input.reference, providerPaymentId: payment.providerPaymentId, data: payment.data });
      }
      const byId = { reference: 'kp_known_id', providerPaymentId: await cardPaidAtWhenThen(sb.url), data: { lookup: 'id' } };
      const [lists, gets] = [await requestCount('listPayments'), await requestCount('getPayment')];
      const reads = await whenthen.readStatuses!([...created, byId], AbortSignal.timeout(5000));
      assert.equal((await requestCount('listPayments')) - lists, 3, 'six payments in the window, two a page');
      assert.equal((await requestCount('getPayment')) - gets, 1);
      assert.deepEqual(
        created.map((r) => reads.get(r.reference)?.state),
        ['declined', 'paid', 'declined', 'paid', 'declined'],
      );
      assert.deepEqual(reads.get('kp_known_id'), await whenthen.readStatus(byId, AbortSignal.timeout(5000)));
    });

    it('reads 100 payments known by id in one request; one WhenThen does not know is left out, the rest read', async () => {
      const whenthen = adapter();
      const ids = await Promise.all(Array.from({ length: 99 }, () => cardPaidAtWhenThen(sb.url)));
      const known = ids.map((id, i) => ({ reference: `kp_id_${i}`, providerPaymentId: id, data: { lookup: 'id' } }));
      const unknown = { reference: 'kp_gone', providerPaymentId: 'f00dfeed-0000-4000-8000-000000000000', data: { lookup: 'id' } };
      const before = await requestCount('getPayment');
      const reads = await whenthen.readStatuses!([...known, unknown], AbortSignal.timeout(5000));
      assert.equal((await requestCount('getPayment')) - before, 1, 'one request for the batch');
      assert.equal(reads.size, 99);
      assert.equal(reads.has('kp_gone'), false, 'read alone by the endpoint, which reports what WhenThen said');
      await assert.rejects(whenthen.readStatus(unknown, AbortSignal.timeout(5000)));
      for (const ref of known.slice(0, 5)) assert.deepEqual(reads.get(ref.reference), await whenthen.readStatus(ref, AbortSignal.timeout(5000)));
    });

    it('reads 250 payments known by id in three requests of at most 100 aliases', async () => {
      const whenthen = adapter();
      const ids = await Promise.all(Array.from({ length: 250 }, () => cardPaidAtWhenThen(sb.url)));
      const known = ids.map((id, i) => ({ reference: `kp_many_${i}`, providerPaymentId: id, data: { lookup: 'id' } }));
      const before = await requestCount('getPayment');
      const reads = await whenthen.readStatuses!(known, AbortSignal.timeout(10_000));
      assert.equal((await requestCount('getPayment')) - before, 3);
      assert.equal(reads.size, 250);
      assert.deepEqual(reads.get('kp_many_249'), await whenthen.readStatus(known[249]!, AbortSignal.timeout(5000)));
    });

    it('fails the whole batch on a refused key or an outage, as readStatus does', async () => {
      const known = [{ reference: 'kp_a', providerPaymentId: await cardPaidAtWhenThen(sb.url), data: { lookup: 'id' } }];
      const bounded = await (async () => {
        const whenthen = adapter();
        const input = await paymentInput(whenthen, 'card');
        const created = await whenthen.createPayment(input);
        return { reference: input.reference, providerPaymentId: created.providerPaymentId, data: created.data };
      })();
      const refused = adapter({ apiKey: 'wrong-key-abc' });
      await assert.rejects(refused.readStatuses!(known, AbortSignal.timeout(5000)), /getPayment was refused/);
      await assert.rejects(refused.readStatuses!([bounded], AbortSignal.timeout(5000)), /listPayments was refused/);
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'status', kind: 'error', status: 503, times: 0 });
      await assert.rejects(adapter().readStatuses!([...known, bounded], AbortSignal.timeout(5000)), ProviderUnavailable);
    });

    it('reads 100 card payments made within a second among 2,000 made over the 2 minutes before in a few calls, each as readStatus reads it', async () => {
      const whenthen = adapter();
      // 2,000 other payments, 100 every 6 s of WhenThen's clock over the 2 minutes before.
      for (let step = 0; step < 20; step++) {
        await sb.control('POST', '/whenthen/clock', { offsetSeconds: -120 + step * 6 });
        await Promise.all(Array.from({ length: 100 }, () => cardPaidAtWhenThen(sb.url)));
      }
      await sb.control('POST', '/whenthen/clock', { offsetSeconds: 0 });
      const started = Date.now();
      const asked = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const input = await paymentInput(whenthen, 'card');
          const created = await whenthen.createPayment(input);
          if (i % 2 === 0) await checkout(actionUrl(created), i % 4 === 0 ? 'pay' : 'decline');
          return { reference: input.reference, providerPaymentId: created.providerPaymentId, data: created.data };
        }),
      );
      assert.ok(Date.now() - started < 5000, 'made within a few seconds');

      const before = await requestCount('listPayments');
      const reads = await whenthen.readStatuses!(asked, AbortSignal.timeout(10_000));
      const calls = (await requestCount('listPayments')) - before;
      assert.equal(reads.size, 100, 'every payment read in the batch');
      assert.ok(calls <= 3, `${calls} listPayments calls for the batch (the 2,000 others are not walked)`);
      for (const ref of asked.slice(0, 8)) assert.deepEqual(reads.get(ref.reference), await whenthen.readStatus(ref, AbortSignal.timeout(10_000)));
      assert.deepEqual(
        asked.slice(0, 4).map((r) => reads.get(r.reference)?.providerStatus),
        ['SUCCEEDED', 'AWAITING_CHECKOUT', 'DECLINED', 'AWAITING_CHECKOUT'],
      );
    });

    it("searches around WhenThen's own clock: a clock 90 s ahead is learnt from its answers and the batch still finds every payment", async () => {
      await sb.control('POST', '/whenthen/clock', { offsetSeconds: 90 });
      const whenthen = adapter({ listPageSize: 2 });
      // Payments made 30–60 s before Kassa starts its own by WhenThen's clock: inside a CLOCK_SKEW_MS window, not a learnt one.
      await sb.control('POST', '/whenthen/clock', { offsetSeconds: 45 });
      await Promise.all(Array.from({ length: 10 }, () => cardPaidAtWhenThen(sb.url)));
      await sb.control('POST', '/whenthen/clock', { offsetSeconds: 90 });
      const asked = [];
      for (let i = 0; i < 2; i++) {
        const input = await paymentInput(whenthen, 'card');
        const created = await whenthen.createPayment(input);
        await checkout(actionUrl(created), 'pay');
        asked.push({ reference: input.reference, providerPaymentId: created.providerPaymentId, data: created.data });
      }
      const before = await requestCount('listPayments');
      const reads = await whenthen.readStatuses!(asked, AbortSignal.timeout(5000));
      assert.equal((await requestCount('listPayments')) - before, 1, 'the two payments, two a page: the ten made 45 s before are not walked');
      assert.deepEqual(asked.map((r) => reads.get(r.reference)?.state), ['paid', 'paid']);

      const wide = adapter({ listPageSize: 2 });
      const beforeWide = await requestCount('listPayments');
      await wide.readStatuses!(asked, AbortSignal.timeout(5000));
      assert.equal((await requestCount('listPayments')) - beforeWide, 6, 'an adapter that knows no offset yet walks the skew: all twelve');
    });

    it('hands back the WhenThen id it found once money moved; a record keeping it is read by id after', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      const ref = { reference: input.reference, providerPaymentId: created.providerPaymentId, data: created.data };
      await checkout(actionUrl(created), 'decline');
      assert.equal((await whenthen.readStatus(ref, AbortSignal.timeout(5000))).providerPaymentId, undefined, 'declined: the shopper may try again');
      await checkout(actionUrl(created), 'pay');
      const read = await whenthen.readStatus(ref, AbortSignal.timeout(5000));
      const paid = (await sandboxPayments()).find((p) => p.status === 'SUCCEEDED');
      assert.equal(read.providerPaymentId, paid?.id);
      assert.deepEqual((await whenthen.readStatuses!([ref, { ...ref, reference: 'kp_other' }], AbortSignal.timeout(5000))).get(ref.reference), read);

      const kept = { ...ref, providerPaymentId: read.providerPaymentId! };
      const [lists, gets] = [await requestCount('listPayments'), await requestCount('getPayment')];
      const { providerPaymentId: _known, ...byOrder } = read;
      assert.deepEqual(await whenthen.readStatus(kept, AbortSignal.timeout(5000)), byOrder);
      assert.deepEqual([(await requestCount('listPayments')) - lists, (await requestCount('getPayment')) - gets], [0, 1]);
    });

    it('takes up to batchReadLimit (500) payments; more is a programming error, and WhenThen is not called', async () => {
      const whenthen = adapter();
      assert.equal(whenthen.batchReadLimit, 500);
      const many = Array.from({ length: 501 }, (_, i) => ({ reference: `kp_${i}`, providerPaymentId: `kp_${i}` }));
      await assert.rejects(whenthen.readStatuses!(many, AbortSignal.timeout(5000)), (error: Error) => error instanceof RangeError && /at most 500 payments at once \(got 501\)/.test(error.message));
      assert.equal(await requestCount('listPayments'), 0);
    });
  });

  describe('readStatus by id', () => {
    it('reads a payment whose WhenThen id Kassa knows with getPayment', async () => {
      const id = await cardPaidAtWhenThen(sb.url);
      const whenthen = adapter();
      assert.deepEqual(await readStatus(whenthen, { providerPaymentId: id, data: { lookup: 'id' } }, 'kp_x'), { state: 'paid', providerStatus: 'SUCCEEDED', capturedAmount: 990, refundedAmount: 0 });
      assert.equal(await requestCount('getPayment'), 1);
      await assert.rejects(readStatus(whenthen, { providerPaymentId: 'no-such-payment', data: { lookup: 'id' } }, 'kp_x'), /error\.payment\.notFound/);
    });
  });

  describe('verifyWebhook', () => {
    const register = (secret?: string) => sb.control('POST', '/whenthen/webhook-endpoint', { url: receiver.url, ...(secret ? { secret } : {}) });

    it('verifies the webhooks the sandbox sent for a PayPal payment and names its reference', async () => {
      await register();
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'paypal');
      await whenthen.createPayment(input);
      const [payment] = await sandboxPayments();
      await decide(payment!.id, 'pay');
      const sent = await deliveries();
      assert.deepEqual(sent.map((d) => [JSON.parse(d.body).data.status, d.status]), [['NEEDS_APM_AUTHORIZATION', 200], ['SUCCEEDED', 200]]);
      for (const delivery of sent) {
        assert.deepEqual(await whenthen.verifyWebhook(asWebhook(delivery)), { providerPaymentId: payment!.id, reference: input.reference });
      }
      assert.equal(await requestCount('listPayments'), 0, 'the reference came in the signed body');
    });

    it("finds a card payment's reference, which its webhook does not carry", async () => {
      await register();
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'card');
      await checkout(actionUrl(await whenthen.createPayment(input)), 'pay');
      const [delivery] = await deliveries();
      const [payment] = await sandboxPayments();
      assert.equal(JSON.parse(delivery!.body).data.orderId, undefined);
      assert.deepEqual(await whenthen.verifyWebhook(asWebhook(delivery!)), { providerPaymentId: payment!.id, reference: input.reference });
    });

    it('still verifies a card webhook when its reference cannot be looked up', async () => {
      await register();
      const whenthen = adapter();
      await checkout(actionUrl(await whenthen.createPayment(await paymentInput(whenthen, 'card'))), 'pay');
      const [delivery] = await deliveries();
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'listPayments', kind: 'error', status: 503, times: 0 });
      assert.deepEqual(await whenthen.verifyWebhook(asWebhook(delivery!)), { providerPaymentId: (await sandboxPayments())[0]!.id });
    });

    it('verifies with the configured secret', async () => {
      await register('merchant-own-secret');
      const input = await paymentInput(adapter(), 'paypal');
      await adapter().createPayment(input);
      const [delivery] = await deliveries();
      assert.equal((await adapter({ webhookSecret: 'merchant-own-secret' }).verifyWebhook(asWebhook(delivery!))).reference, input.reference);
      await assert.rejects(adapter().verifyWebhook(asWebhook(delivery!)), WebhookRejected);
    });

    it('rejects a webhook whose body or signature was changed, before reading the body', async () => {
      await register();
      const whenthen = adapter();
      await whenthen.createPayment(await paymentInput(whenthen, 'paypal'));
      const [delivery] = await deliveries();
      const signature = delivery!.headers['X-WhenThen-Signature']!;
      const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
      const withSignature = (value: string | undefined) => {
        const headers = { ...delivery!.headers };
        delete headers['X-WhenThen-Signature'];
        return asWebhook({ headers: value === undefined ? headers : { ...headers, 'x-whenthen-signature': value }, body: delivery!.body });
      };
      const tampered: Array<[name: string, request: WebhookRequest, reason: RegExp]> = [
        ['a changed status', asWebhook({ ...delivery!, body: delivery!.body.replace('"NEEDS_APM_AUTHORIZATION"', '"SUCCEEDED"') }), /does not match/],
        ['an extra space in the body', asWebhook({ ...delivery!, body: `${delivery!.body} ` }), /does not match/],
        ['a body that is not JSON', asWebhook({ ...delivery!, body: 'not json' }), /does not match/],
        ['a changed signature', withSignature(flipped), /does not match/],
        ['a truncated signature', withSignature(signature.slice(0, 40)), /not a hex HMAC-SHA256/],
        ['a base64 signature', withSignature(Buffer.from(signature, 'hex').toString('base64')), /not a hex HMAC-SHA256/],
        ['no signature', withSignature(undefined), /header is missing/],
        ['a signature by another secret', signed(delivery!.body, 'another-secret'), /does not match/],
      ];
      for (const [name, request, reason] of tampered) {
        await assert.rejects(whenthen.verifyWebhook(request), (error: Error) => error instanceof WebhookRejected && reason.test(error.message), name);
      }
      assert.ok((await whenthen.verifyWebhook(withSignature(signature.toUpperCase()))).reference, 'upper-case hex is the same signature');
    });

    it('refuses genuine bodies it cannot read and ignores other events', async () => {
      const whenthen = adapter();
      await assert.rejects(whenthen.verifyWebhook(signed('not json')), /not JSON/);
      await assert.rejects(whenthen.verifyWebhook(signed('{"data":{"id":"p1"}}')), /no event type/);
      await assert.rejects(whenthen.verifyWebhook(signed('{"type":"payment.updated","data":{"status":"SUCCEEDED"}}')), /names no payment/);
      assert.deepEqual(await whenthen.verifyWebhook(signed('{"type":"customer.created","data":{"id":"c1"}}')), {});
      assert.deepEqual(
        await whenthen.verifyWebhook(signed('{"type":"payment.updated","data":{"id":"p1","orderId":"kp_abc","status":"SUCCEEDED"}}')),
        { providerPaymentId: 'p1', reference: 'kp_abc' },
      );
    });
  });

  describe("values WhenThen does not publish, as configured", () => {
    it('names the hosted checkout’s query parameters as configured', async () => {
      const names = { clientToken: 'token', redirectUrl: 'return_url', orderId: 'order_id', flowId: 'flow' };
      const whenthen = adapter({ hostedCheckoutParameters: names, flowId: 'flow-1' });
      const input = await paymentInput(whenthen, 'card');
      const url = new URL(actionUrl(await whenthen.createPayment(input)));
      assert.deepEqual([...url.searchParams.keys()].sort(), ['flow', 'order_id', 'return_url', 'token']);
      assert.deepEqual([url.searchParams.get('order_id'), url.searchParams.get('return_url'), url.searchParams.get('flow')], [input.reference, input.returnUrl, 'flow-1']);
    });

    it('verifies webhooks by the configured signature scheme and event type', async () => {
      const whenthen = adapter({ webhookSignature: { header: 'WhenThen-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=' }, webhookEventType: 'PAYMENT_UPDATED' });
      const body = '{"type":"PAYMENT_UPDATED","data":{"id":"p1","orderId":"kp_abc","status":"SUCCEEDED"}}';
      const sign = (secret: string) => `sha512=${createHmac('sha512', secret).update(body).digest('base64')}`;
      const request = (signature: string, header = 'WhenThen-Signature') => asWebhook({ headers: { 'content-type': 'application/json', [header]: signature }, body });
      assert.deepEqual(await whenthen.verifyWebhook(request(sign(WEBHOOK_SECRET))), { providerPaymentId: 'p1', reference: 'kp_abc' });
      await assert.rejects(whenthen.verifyWebhook(request(sign('another-secret'))), /does not match/);
      await assert.rejects(whenthen.verifyWebhook(request(sign(WEBHOOK_SECRET).slice('sha512='.length))), /not a base64 HMAC-SHA512/);
      await assert.rejects(whenthen.verifyWebhook(request(sign(WEBHOOK_SECRET), 'X-WhenThen-Signature')), /WhenThen-Signature header is missing/);
      const defaultScheme = signed(body);
      await assert.rejects(whenthen.verifyWebhook(defaultScheme), WebhookRejected);
      const otherEvent = '{"type":"payment.updated","data":{"id":"p1"}}';
      const signedOther = asWebhook({ headers: { 'WhenThen-Signature': `sha512=${createHmac('sha512', WEBHOOK_SECRET).update(otherEvent).digest('base64')}` }, body: otherEvent });
      assert.deepEqual(await whenthen.verifyWebhook(signedOther), {}, 'another event type is acknowledged and ignored');
    });

    it('takes refusals by the configured error code only', async () => {
      const whenthen = adapter({ errorCodes: { invalidStatus: 'PAYMENT_STATE_INVALID' } });
      const id = await cardPaidAtWhenThen(sb.url);
      const known = { reference: 'kp_x', providerPaymentId: id, data: { lookup: 'id' }, order: 'A-1', amount: 990, currency: 'EUR', state: 'paid', providerStatus: 'SUCCEEDED' } as const;
      // The sandbox answers its own code, which this configuration does not know as a refusal.
      await assert.rejects(whenthen.capturePayment!(known, { idempotencyKey: 'k1', signal: AbortSignal.timeout(5000) }), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused));
        assert.match(error.message, /capturePayment failed \(error\.payment\.invalidStatus/);
        return true;
      });
    });

    it('pages through listPayments as many at a time as configured', async () => {
      const whenthen = adapter({ listPageSize: 1 });
      const input = await paymentInput(whenthen, 'card');
      const created = await whenthen.createPayment(input);
      await checkout(actionUrl(created), 'pay', '4000 0000 0000 0002');
      await checkout(actionUrl(created), 'pay');
      assert.deepEqual(await readStatus(whenthen, created, input.reference), PAID);
      assert.equal(await requestCount('listPayments'), 2, 'two payments, one a page');
    });
  });

  describe('faults', () => {
    it('retries a PayPal create after a 500, and makes one payment', async () => {
      const whenthen = adapter();
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'create', kind: 'error', status: 500, times: 1 });
      const created = await whenthen.createPayment(await paymentInput(whenthen, 'paypal'));
      assert.equal(created.state, 'action_required');
      assert.equal(await requestCount('authorizePayment'), 2);
      assert.equal((await sandboxPayments()).length, 1);
    });

    const createFaults: Array<[name: string, fault: Record<string, unknown>]> = [
      ['a 500', { kind: 'error', status: 500 }],
      ['a 429', { kind: 'error', status: 429 }],
      ['no answer', { kind: 'timeout', latencyMs: 1000 }],
    ];
    for (const [name, fault] of createFaults) {
      it(`answers ${name} to every create attempt as unavailable, within its attempts`, async () => {
        const whenthen = adapter({}, 300);
        await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'create', times: 0, ...fault });
        await assert.rejects(whenthen.createPayment(await paymentInput(whenthen, 'paypal')), ProviderUnavailable);
        assert.equal(await requestCount('authorizePayment'), 2);
        assert.equal((await sandboxPayments()).length, 0);
      });
    }

    it('retries a create that timed out but happened, and still makes one payment', async () => {
      const whenthen = adapter({}, 300);
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'create', kind: 'latency', latencyMs: 500, times: 1 });
      const created = await whenthen.createPayment(await paymentInput(whenthen, 'paypal'));
      // Let the slow first attempt finish in the sandbox too.
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(await requestCount('authorizePayment'), 2);
      const payments = await sandboxPayments();
      assert.equal(payments.length, 1);
      assert.equal(new URL(actionUrl(created)).pathname, `/whenthen/apm/${payments[0]!.id}`);
    });

    it('retries minting the client token after a 503', async () => {
      const whenthen = adapter();
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'generateClientToken', kind: 'error', status: 503, times: 1 });
      const created = await whenthen.createPayment(await paymentInput(whenthen, 'card'));
      assert.equal(created.action.type, 'redirect');
      assert.equal(await requestCount('generateClientToken'), 2);
    });

    it('retries a status read after a 500, within its attempts', async () => {
      const whenthen = adapter();
      const input = await paymentInput(whenthen, 'paypal');
      const created = await whenthen.createPayment(input);
      await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'status', kind: 'error', status: 500, times: 1 });
      assert.equal((await readStatus(whenthen, created, input.reference)).providerStatus, 'NEEDS_APM_AUTHORIZATION');
      assert.equal(await requestCount('listPayments'), 2);
    });

    const statusFaults: Array<[name: string, fault: Record<string, unknown>]> = [
      ['a 429', { kind: 'error', status: 429 }],
      ['no answer', { kind: 'timeout', latencyMs: 1000 }],
      ['a malformed body', { kind: 'malformed' }],
    ];
    for (const [name, fault] of statusFaults) {
      it(`answers ${name} to a status read as unavailable`, async () => {
        const whenthen = adapter({}, 300);
        const input = await paymentInput(whenthen, 'paypal');
        const created = await whenthen.createPayment(input);
        await sb.control('POST', '/faults', { provider: 'whenthen', operation: 'status', times: 0, ...fault });
        await assert.rejects(readStatus(whenthen, created, input.reference), ProviderUnavailable);
        assert.equal(await requestCount('listPayments'), fault.kind === 'malformed' ? 1 : 2);
        await assert.rejects(readStatus(whenthen, { providerPaymentId: 'p1', data: { lookup: 'id' } }, input.reference), ProviderUnavailable);
      });
    }
  });
});

describe('idempotencyUuid', () => {
  it('is a stable, well-formed UUID per reference', async () => {
    const { idempotencyUuid } = await import('./server.ts');
    const key = idempotencyUuid('kp_abcdefghijklmnopqrstuvwx');
    assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(idempotencyUuid('kp_abcdefghijklmnopqrstuvwx'), key);
    assert.notEqual(idempotencyUuid('kp_abcdefghijklmnopqrstuvwy'), key);
  });
});
