/**
 * The MilkyPay adapter over real HTTP against the sandbox: configuration and the hosts the shopper may be sent to,
 * the pre-request's methods, invoices through each outcome with the amounts read back, signed callbacks as received
 * on the wire, refusals, duplicates and faults.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useSandbox } from '../../../sandbox/testing.ts';
import type { PaymentMethod } from '../../core/model.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';
import {
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CreatePaymentInput,
  type ProviderAdapter,
  type ResolvedOrder,
  type WebhookRequest,
} from '../../server/provider.ts';
import { DOCUMENTED_REDIRECT_HOSTS } from './config.ts';
import { RedirectHostNotAllowed } from './invoice.ts';
import { milkypayProvider, type MilkypayConfig } from './server.ts';

const CREDENTIALS = {
  publicKey: 'pk_test_sandbox',
  accountId: 'sandbox-account',
  apiKey: 'sandbox-milkypay-key',
  callbackSecret: 'sandbox-milkypay-secret',
} as const;
const SANDBOX_CONFIG: MilkypayConfig = { environment: 'sandbox', ...CREDENTIALS };
const STAGING = { environment: 'staging', ...CREDENTIALS, baseUrl: 'https://api.milkypay.example' } as const;
const EUR_ORDER: ResolvedOrder = { reference: 'A-1001', amount: 4990, currency: 'EUR' };

/** The first problem zod reports for a config, as `path: message` (or the unknown key). */
function firstProblem(config: unknown): string {
  const result = milkypayProvider.configSchema.safeParse(config);
  assert.equal(result.success, false, 'the config should be refused');
  const issue = result.error!.issues[0]!;
  return issue.code === 'unrecognized_keys' ? `unknown: ${issue.keys?.join(',')}` : `${issue.path.join('.')}: ${issue.message}`;
}

describe('MilkyPay configuration', () => {
  const deps = { sandboxUrl: 'http://127.0.0.1:4010', timeoutMs: 2000, attempts: 2 };

  const refusals: Array<[name: string, config: Record<string, unknown>, problem: RegExp]> = [
    ['a missing apiKey', { environment: 'sandbox', ...CREDENTIALS, apiKey: undefined }, /^apiKey: apiKey is required$/],
    ['an empty callbackSecret', { environment: 'sandbox', ...CREDENTIALS, callbackSecret: '' }, /^callbackSecret: callbackSecret is required$/],
    ['a missing publicKey', { environment: 'sandbox', ...CREDENTIALS, publicKey: undefined }, /^publicKey: publicKey is required$/],
    ['a missing accountId', { environment: 'sandbox', ...CREDENTIALS, accountId: undefined }, /^accountId: accountId is required$/],
    ['an unknown option', { ...SANDBOX_CONFIG, secretKey: 'x' }, /^unknown: secretKey$/],
    ['no environment', { ...CREDENTIALS }, /^environment:/],
    ['an unknown environment', { ...SANDBOX_CONFIG, environment: 'live' }, /^environment:/],
    ['staging without baseUrl', { ...STAGING, baseUrl: undefined }, /^baseUrl: baseUrl is required for staging: MilkyPay hands out its API hosts per merchant$/],
    ['production without baseUrl', { ...STAGING, environment: 'production', baseUrl: undefined }, /^baseUrl: baseUrl is required for production/],
    ['production with only the public API URL', { ...STAGING, environment: 'production', baseUrl: undefined, publicApiUrl: 'https://a.example/public-api' }, /^baseUrl: baseUrl is required/],
    ['a plain-http baseUrl off loopback', { ...STAGING, baseUrl: 'http://api.milkypay.example' }, /^baseUrl: baseUrl must use https/],
    ['a relative privateApiUrl', { ...STAGING, privateApiUrl: '/api' }, /^privateApiUrl: privateApiUrl must be an absolute URL$/],
    ['a URL as a redirect host', { ...STAGING, redirectHosts: ['https://pay.example'] }, /^redirectHosts\.0: redirectHosts entries must be host names/],
    ['a path as a redirect host', { ...STAGING, redirectHosts: ['pay.example/hpp'] }, /^redirectHosts\.0: redirectHosts entries must be host names/],
    ['no redirect host at all', { ...STAGING, redirectHosts: [] }, /^redirectHosts: redirectHosts must name at least one host of MilkyPay's hosted pages/],
    ['a description bound that is not a whole number', { ...SANDBOX_CONFIG, descriptionMaxLength: 12.5 }, /^descriptionMaxLength: descriptionMaxLength must be a whole number/],
    ['a zero description bound', { ...SANDBOX_CONFIG, descriptionMaxLength: 0 }, /^descriptionMaxLength:/],
    ['an unknown guest reference', { ...SANDBOX_CONFIG, guestCustomerReference: 'phone' }, /^guestCustomerReference: guestCustomerReference must be 'email' or 'none'/],
    ['a resolution mapped to success', { ...SANDBOX_CONFIG, resolutionStates: { ok: 'paid' } }, /^resolutionStates\.ok: resolutionStates values must be one of declined, failed, expired, cancelled/],
    ['a resolution that is not a code', { ...SANDBOX_CONFIG, resolutionStates: { 'two words': 'failed' } }, /^resolutionStates\.two words: resolutionStates keys must be MilkyPay's resolutions/],
    ['a non-boolean testMode', { ...SANDBOX_CONFIG, testMode: 'yes' }, /^testMode:/],
  ];
  for (const [name, config, problem] of refusals) {
    it(`refuses ${name}`, () => {
      assert.match(firstProblem(config), problem);
    });
  }

  it('never echoes a secret in its complaints', () => {
    const result = milkypayProvider.configSchema.safeParse({ environment: 'live', ...CREDENTIALS, apiKey: 'live-secret-api-key', callbackSecret: 'live-callback-secret', extra: 1 });
    assert.equal(result.success, false);
    const text = JSON.stringify(result.error!.issues) + result.error!.message;
    assert.doesNotMatch(text, /live-secret-api-key|live-callback-secret/);
  });

  it('create() refuses an invalid config too', () => {
    assert.throws(() => milkypayProvider.create({ environment: 'staging', ...CREDENTIALS } as MilkypayConfig, deps), /baseUrl is required for staging/);
  });

  it('sends the shopper only to the sandbox’s host in sandbox', () => {
    const adapter = milkypayProvider.create(SANDBOX_CONFIG, { ...deps, sandboxUrl: 'http://127.0.0.1:4999/' });
    assert.equal(adapter.name, 'milkypay');
    assert.deepEqual(adapter.redirectHosts, ['127.0.0.1:4999']);
  });

  const hostsByEnvironment: Array<[string, Partial<MilkypayConfig>, string[]]> = [
    // [what, config over staging, the allow-list]
    ["staging: the API host and the seed's hosted page and card gateway hosts", {}, ['api.milkypay.example', 'pay.psp.name', 'cardgate-staging.psp.name']],
    ["production: the API host and the seed's hosted page host", { environment: 'production' }, ['api.milkypay.example', 'pay.psp.name']],
    [
      "the merchant's redirectHosts replace the documented ones, cleaned and once each",
      { environment: 'production', redirectHosts: [' Pay.MilkyPay.example ', 'cardgate.milkypay.example', 'pay.milkypay.example'] },
      ['api.milkypay.example', 'pay.milkypay.example', 'cardgate.milkypay.example'],
    ],
    ['the API host only once when listed again', { redirectHosts: ['api.milkypay.example'] }, ['api.milkypay.example']],
    [
      'split API hosts: the public one (its form post) and the documented hosts',
      { environment: 'production', baseUrl: undefined, publicApiUrl: 'https://public.example/public-api', privateApiUrl: 'https://private.example/api' },
      ['public.example', 'pay.psp.name'],
    ],
  ];
  for (const [what, over, hosts] of hostsByEnvironment) {
    it(`redirect hosts — ${what}`, () => {
      assert.deepEqual(milkypayProvider.create({ ...STAGING, ...over } as MilkypayConfig, deps).redirectHosts, hosts);
    });
  }

  it("the documented hosts are the seed's: hpp_url on pay.psp.name, flow_data.action on cardgate-staging.psp.name", () => {
    assert.deepEqual(DOCUMENTED_REDIRECT_HOSTS, { staging: ['pay.psp.name', 'cardgate-staging.psp.name'], production: ['pay.psp.name'] });
    const seedSample = { hpp: 'https://pay.psp.name/redirect/hpp/?cpi=cpi_Y8Puis4vtNjAYZwb', action: 'https://cardgate-staging.psp.name/hpp/cgi_8z1WIRwAtwvyI3G9' };
    const staging = milkypayProvider.create(STAGING, deps);
    assert.ok(isAllowedUrl(seedSample.hpp, staging.redirectHosts));
    assert.ok(isAllowedUrl(seedSample.action, staging.redirectHosts));
  });

  it('offers no capture, cancel or refund: the MilkyPay documentation Kassa follows describes none of them', () => {
    const adapter = milkypayProvider.create(SANDBOX_CONFIG, deps);
    assert.equal(adapter.capturePayment, undefined);
    assert.equal(adapter.cancelPayment, undefined);
    assert.equal(adapter.refundPayment, undefined);
    assert.equal(adapter.afterSuccess, undefined);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A tiny callback receiver: MilkyPay's callbacks exactly as they arrive on the wire. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kassa/webhooks/milkypay`, received, server };
}

function asWebhook(headers: Record<string, string | string[] | undefined>, body: Uint8Array): WebhookRequest {
  const flat = new Headers();
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') flat.set(name, value);
  return { method: 'POST', url: new URL('http://127.0.0.1/kassa/webhooks/milkypay'), headers: flat, body };
}

describe('MilkyPay adapter against the sandbox', () => {
  const sb = useSandbox();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  const adapter = (over: Partial<MilkypayConfig> = {}, timeoutMs = 2000): ProviderAdapter =>
    milkypayProvider.create({ ...SANDBOX_CONFIG, ...over }, { sandboxUrl: sb.url, timeoutMs, attempts: 2 });
  const signal = () => AbortSignal.timeout(10_000);

  async function methodFor(order: ResolvedOrder, code: string): Promise<PaymentMethod> {
    const method = (await adapter().listMethods(order, signal())).find((m) => m.id === `milkypay:${code}`);
    assert.ok(method, `milkypay:${code} is listed for ${order.currency}`);
    return method;
  }

  function input(method: PaymentMethod, over: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
    const reference = `kp_${randomBytes(18).toString('base64url')}`;
    return {
      reference,
      order: EUR_ORDER,
      method,
      fields: {},
      returnUrl: `https://shop.example/return.html?kassa_payment=${reference}`,
      endpointReturnUrl: `https://shop.example/kassa/return/${reference}`,
      webhookUrl: receiver.url,
      idempotencyKey: reference,
      signal: signal(),
      ...over,
    };
  }

  const sandboxPayments = async () => (await sb.control('GET', '/payments?provider=milkypay')).payments as Array<{ id: string; reference: string; amount: number; status: string }>;
  const calls = async (operation: string) => (await sb.control('GET', `/requests?provider=milkypay&operation=${operation}`)).count as number;

  /** The invoice as the private API holds it, read directly (to see what the adapter sent). */
  async function privateInvoice(id: string): Promise<any> {
    const auth = Buffer.from(`${CREDENTIALS.accountId}:${CREDENTIALS.apiKey}`).toString('base64');
    const response = await fetch(`${sb.url}/milkypay/api/payment-invoices/${id}`, { headers: { authorization: `Basic ${auth}` } });
    return (await response.json()).data;
  }

  describe('listMethods', () => {
    it('lists each EUR service with localized names, kinds, logos, fields and limits in minor units', async () => {
      const methods = await adapter().listMethods(EUR_ORDER, signal());
      assert.deepEqual(
        methods.map((m) => [m.id, m.kind, m.type, m.min, m.max]),
        [
          ['milkypay:payment_card_eur_hpp', 'card', 'card', 50, 1_500_000],
          ['milkypay:paypal_eur_hpp', 'wallet', 'paypal', 100, 1_000_000],
          ['milkypay:mbway_eur_hpp', 'other', 'mbway', 50, 500_000],
        ],
      );
      assert.deepEqual(methods[0]!.name, { en: 'Payment card', ru: 'Платежная карта', uk: 'Платіжна карта' });
      for (const m of methods) {
        assert.equal(m.provider, 'milkypay');
        assert.ok(m.logo && new URL(m.logo).href.startsWith(`${sb.url}/milkypay/static/logos/`), m.logo);
      }
      assert.equal(methods[0]!.fields, undefined);
      assert.deepEqual(methods[2]!.fields, [
        {
          key: 'phone',
          type: 'tel',
          kind: 'phone',
          label: { en: 'Phone number', ru: 'Номер телефона', uk: 'Номер телефону' },
          hint: {
            en: 'Enter the phone number linked to MB WAY',
            ru: 'Введите номер телефона, привязанный к MB WAY',
            uk: 'Введіть номер телефону, прив’язаний до MB WAY',
          },
          example: '+351912345678',
          pattern: '^\\+351[0-9]{9}$',
          required: true,
        },
      ]);
    });

    it('leaves out hidden methods (the seed’s test service) and lists whatever the amount', async () => {
      const methods = await adapter().listMethods({ reference: 'U', amount: 99_999_999_99, currency: 'USD' }, signal());
      assert.deepEqual(methods.map((m) => m.id), ['milkypay:payment_card_usd_hpp', 'milkypay:paypal_usd_hpp']);
      assert.equal(methods[0]!.max, 100_000_000);
    });

    it('converts limits with each currency’s exponent (JPY 0, KWD 3)', async () => {
      const [jpy] = await adapter().listMethods({ reference: 'J', amount: 5000, currency: 'JPY' }, signal());
      assert.deepEqual([jpy!.id, jpy!.min, jpy!.max], ['milkypay:payment_card_jpy_hpp', 50, 1_000_000]);
      const [kwd] = await adapter().listMethods({ reference: 'K', amount: 5000, currency: 'KWD' }, signal());
      assert.deepEqual([kwd!.id, kwd!.min, kwd!.max], ['milkypay:payment_card_kwd_hpp', 100, 3_000_000]);
    });

    it('lists nothing for a currency the account has no service in', async () => {
      assert.deepEqual(await adapter().listMethods({ reference: 'S', amount: 5000, currency: 'SEK' }, signal()), []);
    });

    it('a wrong public key is a setup error that names no secret', async () => {
      await assert.rejects(adapter({ publicKey: 'pk_test_wrong-key' }).listMethods(EUR_ORDER, signal()), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
        assert.match(error.message, /credentials were refused/);
        assert.doesNotMatch(error.message, /pk_test_wrong-key/);
        return true;
      });
    });

    it('an unreachable or failing pre-request is ProviderUnavailable, retried (a read)', async () => {
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'paymentPrerequest', kind: 'error', status: 503, times: 0 });
      await assert.rejects(adapter().listMethods(EUR_ORDER, signal()), ProviderUnavailable);
      assert.equal(await calls('paymentPrerequest'), 2);
    });
  });

  describe('createPayment → outcome → readStatus', () => {
    const OUTCOMES = [
      ['pay', 'paid', 'processed'],
      ['decline', 'declined', 'process_failed/declined'],
      ['cancel', 'cancelled', 'terminated/cancelled'],
    ] as const;
    for (const [outcome, state, raw] of OUTCOMES) {
      it(`card: redirect to the hosted page, ${outcome} → ${state}`, async () => {
        const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
        const mp = adapter();
        const payment = input(method);
        const created = await mp.createPayment(payment);
        assert.match(created.providerPaymentId, /^cpi_/);
        assert.equal(created.state, 'pending');
        assert.equal(created.providerStatus, 'process_pending');
        assert.equal(created.action.type, 'redirect');
        assert.ok(created.action.type === 'redirect' && isAllowedUrl(created.action.url, mp.redirectHosts), JSON.stringify(created.action));
        assert.ok(created.action.type === 'redirect' && created.action.url.startsWith(`${sb.url}/milkypay/hpp/`));

        const [sandboxPayment] = await sandboxPayments();
        assert.equal(sandboxPayment!.id, created.providerPaymentId);
        assert.equal(sandboxPayment!.reference, payment.reference);
        assert.equal(sandboxPayment!.amount, 4990);

        const ref = { reference: payment.reference, providerPaymentId: created.providerPaymentId };
        assert.deepEqual(await mp.readStatus(ref, signal()), { state: 'pending', providerStatus: 'process_pending' });
        await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome });
        const amounts = outcome === 'pay' ? { capturedAmount: 4990 } : {};
        assert.deepEqual(await mp.readStatus(ref, signal()), { state, providerStatus: raw, ...amounts });
      });
    }

    it("a refund made in MilkyPay's dashboard shows in the read, with the amounts", async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      const payment = input(method);
      const created = await mp.createPayment(payment);
      const ref = { reference: payment.reference, providerPaymentId: created.providerPaymentId };
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome: 'pay' });
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/status`, { status: 'partially_refunded' });
      assert.deepEqual(await mp.readStatus(ref, signal()), { state: 'partially_refunded', providerStatus: 'partially_refunded', capturedAmount: 4990, refundedAmount: 2495 });
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/status`, { status: 'refunded' });
      assert.deepEqual(await mp.readStatus(ref, signal()), { state: 'refunded', providerStatus: 'refunded', capturedAmount: 4990, refundedAmount: 4990 });
    });

    it('sends the invoice as documented: reference, major-unit amount, return URLs, callback, test mode, customer', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const order: ResolvedOrder = { ...EUR_ORDER, amount: 1005, description: 'Two mugs', customer: { email: 'ada@example.com', name: 'Ada' } };
      const payment = input(method, { order });
      const created = await adapter().createPayment(payment);
      const invoice = await privateInvoice(created.providerPaymentId);
      assert.equal(invoice.attributes.reference_id, payment.reference);
      assert.equal(invoice.attributes.amount, 10.05);
      assert.equal(invoice.attributes.currency, 'EUR');
      assert.equal(invoice.attributes.description, 'Two mugs');
      assert.equal(invoice.attributes.return_url, payment.returnUrl);
      assert.equal(invoice.attributes.callback_url, receiver.url);
      assert.equal(invoice.attributes.test_mode, true);
      assert.deepEqual(invoice.attributes.metadata, { kassa_order: 'A-1001' });
      assert.ok(invoice.relationships.customer, 'a customer was sent');
      const decided = await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome: 'pay' });
      assert.equal(decided.redirectUrl, payment.returnUrl, 'return_urls.success is the return page');
    });

    it('the description bound and the guest reference are the merchant’s to set', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const guest: ResolvedOrder = { ...EUR_ORDER, description: 'A very long description', customer: { email: 'guest@example.com' } };
      const byDefault = await privateInvoice((await adapter().createPayment(input(method, { order: guest }))).providerPaymentId);
      assert.equal(byDefault.attributes.description, 'A very long description');
      assert.ok(byDefault.relationships.customer, 'the e-mail stands in for a guest by default');
      const set = adapter({ descriptionMaxLength: 6, guestCustomerReference: 'none' });
      const invoice = await privateInvoice((await set.createPayment(input(method, { order: guest }))).providerPaymentId);
      assert.equal(invoice.attributes.description, 'A very');
      assert.equal(invoice.relationships.customer, undefined, 'no customer for a guest');
      const known = await privateInvoice((await set.createPayment(input(method, { order: { ...guest, customer: { reference: 'c-7', email: 'x@example.com' } } }))).providerPaymentId);
      assert.ok(known.relationships.customer, 'a customer with an id is still sent');
    });

    it("the merchant's own resolutions decide a failed invoice's state", async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter({ resolutionStates: { Declined: 'failed' } });
      const payment = input(method);
      const created = await mp.createPayment(payment);
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome: 'decline' });
      assert.deepEqual(await mp.readStatus({ reference: payment.reference, providerPaymentId: created.providerPaymentId }, signal()), {
        state: 'failed',
        providerStatus: 'process_failed/declined',
      });
    });

    it('a form-post service (PayPal) answers a POST form with its hidden params, on the allow-list', async () => {
      const method = await methodFor(EUR_ORDER, 'paypal_eur_hpp');
      const mp = adapter();
      const created = await mp.createPayment(input(method));
      assert.equal(created.action.type, 'form');
      if (created.action.type !== 'form') return;
      assert.equal(created.action.method, 'POST');
      assert.ok(isAllowedUrl(created.action.url, mp.redirectHosts));
      assert.deepEqual(Object.keys(created.action.fields).sort(), ['sid', 'token']);
      // The browser's form post opens the hosted page.
      const page = await fetch(created.action.url, { method: 'POST', body: new URLSearchParams(created.action.fields), redirect: 'manual' });
      assert.equal(page.status, 200);
      await page.body?.cancel();
    });

    it('passes the shopper’s inputs as service_fields (MB WAY phone)', async () => {
      const method = await methodFor(EUR_ORDER, 'mbway_eur_hpp');
      const created = await adapter().createPayment(input(method, { fields: { phone: '+351912345678' } }));
      assert.equal(created.state, 'pending');
      assert.equal((await sandboxPayments()).length, 1);
    });

    it('a field MilkyPay refuses is a ProviderRefused naming the field', async () => {
      const method = await methodFor(EUR_ORDER, 'mbway_eur_hpp');
      await assert.rejects(adapter().createPayment(input(method, { fields: { phone: '12' } })), (error: unknown) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.field, 'fields.phone');
        return true;
      });
      assert.equal((await sandboxPayments()).length, 0);
    });

    it('an amount outside the service’s limits is a ProviderRefused on the amount', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const order = { ...EUR_ORDER, amount: 1_500_001 };
      await assert.rejects(adapter().createPayment(input(method, { order })), (error: unknown) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.field, 'amount');
        assert.doesNotMatch(error.message, /This value/, 'no raw provider text');
        return true;
      });
    });

    it('the same reference twice (a retry) gives the same invoice, never a second one', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      const payment = input(method);
      const first = await mp.createPayment(payment);
      const again = await mp.createPayment({ ...payment, signal: signal() });
      assert.equal(again.providerPaymentId, first.providerPaymentId);
      assert.deepEqual(again.action, first.action);
      assert.equal((await sandboxPayments()).length, 1);
      assert.equal(await calls('createPaymentInvoice'), 2);
      assert.equal(await calls('listPaymentInvoices'), 1, 'the 409 was answered by a lookup by reference');
    });

    it('wrong private API credentials are a setup error that names no secret', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      await assert.rejects(adapter({ apiKey: 'wrong-private-key' }).createPayment(input(method)), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
        assert.match(error.message, /HTTP 401/);
        assert.doesNotMatch(error.message, /wrong-private-key|sandbox-account/);
        return true;
      });
    });

    it('reading an unknown invoice is an error, not a state', async () => {
      await assert.rejects(adapter().readStatus({ reference: 'kp_x', providerPaymentId: 'cpi_doesNotExist' }, signal()), /HTTP 404/);
    });
  });

  describe('hosts the shopper may be sent to', () => {
    // The sandbox writes its hosted pages on the host it listens on (127.0.0.1); reached as localhost, its API is on
    // another host than its pages, as MilkyPay's is.
    const apiOnOtherHost = (over: Partial<MilkypayConfig> = {}): ProviderAdapter => {
      const port = new URL(sb.url).port;
      return adapter({ environment: 'production', baseUrl: `http://localhost:${port}/milkypay`, ...over });
    };

    it('production defaults: the pages on another host than the API are refused with the host to allow, and nothing reaches the shopper', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = apiOnOtherHost();
      const pageHost = new URL(sb.url).host;
      assert.ok(!mp.redirectHosts.includes(pageHost));
      await assert.rejects(mp.createPayment(input(method)), (error: Error) => {
        assert.ok(error instanceof RedirectHostNotAllowed);
        assert.deepEqual(error.hosts, [pageHost]);
        assert.match(error.message, /providers\.milkypay\.redirectHosts/);
        assert.doesNotMatch(error.message, /cpi_|token|sandbox-milkypay-key/);
        return true;
      });
    });

    it('with the pages host in redirectHosts the same click goes on, with the invoice already made', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const pageHost = new URL(sb.url).host;
      const payment = input(method);
      await assert.rejects(apiOnOtherHost().createPayment(payment), RedirectHostNotAllowed);
      const mp = apiOnOtherHost({ redirectHosts: [pageHost] });
      const created = await mp.createPayment({ ...payment, signal: signal() });
      assert.equal(created.action.type, 'redirect');
      assert.ok(created.action.type === 'redirect' && isAllowedUrl(created.action.url, mp.redirectHosts));
      assert.equal((await sandboxPayments()).length, 1, 'one click, one invoice');
    });

    it('a form-post service on another host is refused the same way; allowed, it is the form', async () => {
      const method = await methodFor(EUR_ORDER, 'paypal_eur_hpp');
      await assert.rejects(apiOnOtherHost().createPayment(input(method)), RedirectHostNotAllowed);
      const created = await apiOnOtherHost({ redirectHosts: [new URL(sb.url).host] }).createPayment(input(method));
      assert.equal(created.action.type, 'form');
    });
  });

  describe('callbacks', () => {
    it('verifies the callbacks the sandbox sent, byte for byte, and names the invoice and reference', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      const payment = input(method);
      receiver.received.length = 0;
      const created = await mp.createPayment(payment);
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome: 'pay' });
      // decide waits for the callbacks (creation, then processed) to be delivered.
      assert.equal(receiver.received.length, 2);
      for (const callback of receiver.received) {
        assert.ok(callback.headers['x-signature']);
        assert.deepEqual(await mp.verifyWebhook(asWebhook(callback.headers, callback.body)), {
          providerPaymentId: created.providerPaymentId,
          reference: payment.reference,
        });
      }
      // The same callbacks as the sandbox recorded them.
      const { webhooks } = await sb.control('GET', '/webhooks?provider=milkypay');
      assert.equal(webhooks.length, 2);
      for (const w of webhooks) {
        const result = await mp.verifyWebhook(asWebhook(w.headers, new TextEncoder().encode(w.body)));
        assert.equal(result.providerPaymentId, created.providerPaymentId);
      }
    });

    it('rejects a tampered body, a forged or missing signature, and another secret', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      receiver.received.length = 0;
      const created = await mp.createPayment(input(method));
      await sb.control('POST', `/payments/milkypay/${created.providerPaymentId}/outcome`, { outcome: 'decline' });
      const callback = receiver.received.at(-1)!;
      const text = callback.body.toString('utf8');
      assert.match(text, /"process_failed"/);

      const tampered = Buffer.from(text.replace('"process_failed"', '"processed"'));
      await assert.rejects(mp.verifyWebhook(asWebhook(callback.headers, tampered)), WebhookRejected);
      const oneByte = Buffer.from(callback.body);
      oneByte.writeUInt8(oneByte.readUInt8(oneByte.length - 2) ^ 1, oneByte.length - 2);
      await assert.rejects(mp.verifyWebhook(asWebhook(callback.headers, oneByte)), WebhookRejected);
      await assert.rejects(mp.verifyWebhook(asWebhook({ ...callback.headers, 'x-signature': undefined }, callback.body)), WebhookRejected);
      await assert.rejects(mp.verifyWebhook(asWebhook({ ...callback.headers, 'x-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, callback.body)), WebhookRejected);
      await assert.rejects(adapter({ callbackSecret: 'another-secret' }).verifyWebhook(asWebhook(callback.headers, callback.body)), WebhookRejected);
      // The genuine one still passes.
      assert.equal((await mp.verifyWebhook(asWebhook(callback.headers, callback.body))).providerPaymentId, created.providerPaymentId);
    });
  });

  describe('faults', () => {
    it('a create failing with 500 is ProviderUnavailable after the retries, and makes no invoice', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'create', kind: 'error', status: 500, times: 0 });
      await assert.rejects(adapter().createPayment(input(method)), ProviderUnavailable);
      assert.equal(await calls('createPaymentInvoice'), 2, 'retried: creation is idempotent by reference_id');
      assert.equal((await sandboxPayments()).length, 0);
    });

    it('a create answered 429 once succeeds on the retry with exactly one invoice', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'create', kind: 'error', status: 429, times: 1 });
      const created = await adapter().createPayment(input(method));
      assert.equal(await calls('createPaymentInvoice'), 2);
      assert.deepEqual((await sandboxPayments()).map((p) => p.id), [created.providerPaymentId]);
    });

    it('a create that times out is retried and makes one invoice', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'create', kind: 'timeout', latencyMs: 1000, times: 1 });
      const created = await adapter({}, 300).createPayment(input(method));
      assert.equal(await calls('createPaymentInvoice'), 2);
      assert.deepEqual((await sandboxPayments()).map((p) => p.id), [created.providerPaymentId]);
    });

    it('a create that never answers is ProviderUnavailable', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'create', kind: 'timeout', latencyMs: 1000, times: 0 });
      await assert.rejects(adapter({}, 200).createPayment(input(method)), ProviderUnavailable);
      assert.equal((await sandboxPayments()).length, 0);
    });

    it('a status read failing with 500 or 429 is ProviderUnavailable after retries', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      const payment = input(method);
      const created = await mp.createPayment(payment);
      const ref = { reference: payment.reference, providerPaymentId: created.providerPaymentId };
      for (const status of [500, 429]) {
        await sb.control('DELETE', '/faults');
        const before = await calls('getPaymentInvoice');
        await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'status', kind: 'error', status, times: 0 });
        await assert.rejects(mp.readStatus(ref, signal()), ProviderUnavailable);
        assert.equal((await calls('getPaymentInvoice')) - before, 2, `retried on ${status}`);
      }
    });

    it('a status read that recovers on the retry answers the state', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const mp = adapter();
      const payment = input(method);
      const created = await mp.createPayment(payment);
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'status', kind: 'error', status: 502, times: 1 });
      const status = await mp.readStatus({ reference: payment.reference, providerPaymentId: created.providerPaymentId }, signal());
      assert.equal(status.state, 'pending');
    });

    it('a malformed body or a timeout on a status read is ProviderUnavailable', async () => {
      const method = await methodFor(EUR_ORDER, 'payment_card_eur_hpp');
      const payment = input(method);
      const created = await adapter().createPayment(payment);
      const ref = { reference: payment.reference, providerPaymentId: created.providerPaymentId };
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'status', kind: 'malformed', times: 1 });
      await assert.rejects(adapter({}, 2000).readStatus(ref, signal()), ProviderUnavailable);
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'status', kind: 'timeout', latencyMs: 1000, times: 0 });
      await assert.rejects(adapter({}, 200).readStatus(ref, signal()), ProviderUnavailable);
    });
  });
});
