/**
 * The hi.health HiDirect adapter over real HTTP against the sandbox: configuration, methods, payments through each
 * outcome, capture / cancel / documents after the sale, signed webhooks as received on the wire in every scheme
 * hi.health's headers can name, decimal amounts, refusals and faults.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useSandbox } from '../../../sandbox/testing.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';
import {
  OperationNotSupported,
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type DocumentType,
  type OperationPayment,
  type ProviderAdapter,
  type ResolvedOrder,
  type WebhookRequest,
} from '../../server/provider.ts';
import { hidirectProvider, METHOD_ID, type HidirectConfig } from './server.ts';

const API_KEY = 'sandbox-hidirect-key';
const EUR_ORDER: ResolvedOrder = { reference: 'A-1001', amount: 4990, currency: 'EUR' };
const RETURN_URL = 'https://shop.example/return.html?kassa_payment=x';

/** Our own RSA pair, standing in for hi.health's key where a test must sign bodies itself. */
const ownKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const OWN_PUBLIC_PEM = ownKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A self-signed X.509 certificate (hi.health publishes its key as one); only its RSA key is used. */
const CERTIFICATE_PEM = `-----BEGIN CERTIFICATE-----
MIIC+TCCAeGgAwIBAgIUK2/2xjm6i9xLPobF0SVM4uq+gjgwDQYJKoZIhvcNAQEL
BQAwDDEKMAgGA1UEAwwBeDAeFw0yNjExMjUxNzA5MzZaFw0yNjExMjYxNzA5MzZa
MAwxCjAIBgNVBAMMAXgwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC0
FbROUQ5jxJtx3jlVdQMTyAW5g2lYLSCO7Ft4Yx3RB8MUEW0zWt937TRCLxN33MCq
o8hcpgWYCTXa/JwdHa+dx/qg7hSJiR6fs2w8s5wzq6nwtQt2OoqNeQfZ4V807PNL
mba7APg/oi38XFLkhEzYCbk6gaI71hV/l7BWrreazIWWhgILA/KzTZZ4kgHZdEA+
465FTnn0iEOkcGNW6mtiMTuQueyroJQhdfmY+hOH9BZfxvi/wMzYj2TphSwTbgKW
j4ZsSVkGIaP7TQwf41JuMlD2zpLXJpFumWgmoUWX7+PkaO+of9W0BsTozw4/QWgq
MNlHRybIL4UHGuOXjGHzAgMBAAGjUzBRMB0GA1UdDgQWBBR1qPk+xyzgCTlYW+49
Tqp9nPYcZzAfBgNVHSMEGDAWgBR1qPk+xyzgCTlYW+49Tqp9nPYcZzAPBgNVHRMB
Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQCQFmdJLyPCFHRnFn9gDThyHEdr
gUJWtsWgMN8L54J14TV5NsmwHIn/zyJ7RE0CCb+PCtJf2lVm/qoPWtpJrOF2fgrh
KVK1RG1h7kacPAoiem0RSr2VSDWoD/sUWhLPf91U0wRKjMo/t0QmaBqVRzXiC9TB
PCmPNalWHSCRcqLBmC3RO3Z6/LDHvvgs8fUYO+927Uosx9raxU7Ga/tuvQcbx9+s
NXuRLaw+cQkrubqHKICsox08Ra0Ot7E+XjTRkDiZxF5w8cPJWu/qIrA0ZoZ8bWuw
POdfLzKNerW4qcYXXLMZR1yywo8h80Fin0rmS8Jn9bc+Et7gv1n7cGEXSRnc
-----END CERTIFICATE-----
`;

const STAGING = { environment: 'staging', apiKey: 'live-secret-key-123', baseUrl: 'https://api.hidirect.example', webhookPublicKey: OWN_PUBLIC_PEM } as const;

/** The first problem zod reports for a config, as `path: message` (or the unknown key). */
function firstProblem(config: unknown): string {
  const result = hidirectProvider.configSchema.safeParse(config);
  assert.equal(result.success, false, 'the config should be refused');
  const issue = result.error!.issues[0]!;
  return issue.code === 'unrecognized_keys' ? `unknown: ${issue.keys?.join(',')}` : `${issue.path.join('.')}: ${issue.message}`;
}

describe('hi.health configuration', () => {
  const deps = { sandboxUrl: 'http://127.0.0.1:4010', timeoutMs: 2000, attempts: 2 };

  const refusals: Array<[name: string, config: Record<string, unknown>, problem: RegExp]> = [
    ['a missing apiKey', { environment: 'sandbox' }, /^apiKey: apiKey is required/],
    ['an empty apiKey', { environment: 'sandbox', apiKey: '' }, /^apiKey: apiKey is required/],
    ['an unknown option', { environment: 'sandbox', apiKey: 'k', colour: 'blue' }, /^unknown: colour$/],
    ['an unknown environment', { environment: 'live', apiKey: 'k' }, /^environment:/],
    ['staging without baseUrl', { ...STAGING, baseUrl: undefined }, /^baseUrl: baseUrl is required for staging: hi\.health hands out/],
    ['production without webhookPublicKey', { ...STAGING, environment: 'production', webhookPublicKey: undefined }, /^webhookPublicKey: webhookPublicKey is required for production/],
    ['a plain-http baseUrl off loopback', { ...STAGING, baseUrl: 'http://api.hidirect.example' }, /^baseUrl: baseUrl must use https/],
    ['a relative checkoutUrl', { ...STAGING, checkoutUrl: '/pay' }, /^checkoutUrl:/],
    ['a private key as webhookPublicKey', { ...STAGING, webhookPublicKey: ownKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, /never a private key/],
    ['a webhookPublicKey that is no PEM', { ...STAGING, webhookPublicKey: 'not a key' }, /must be a PEM RSA public key/],
    ['an EC webhookPublicKey', { ...STAGING, webhookPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString() }, /must be a PEM RSA public key/],
    ['an unknown cardCaptureMode', { environment: 'sandbox', apiKey: 'k', cardCaptureMode: 'LATER' }, /^cardCaptureMode:/],
    ['an unknown amount unit', { environment: 'sandbox', apiKey: 'k', webhookAmountUnit: 'cents' }, /^webhookAmountUnit:/],
    ['a signature encoding node:crypto cannot name', { environment: 'sandbox', apiKey: 'k', webhookSignatureFormats: ['latin1'] }, /^webhookSignatureFormats\.0:/],
    ['no signature encoding at all', { environment: 'sandbox', apiKey: 'k', webhookSignatureFormats: [] }, /^webhookSignatureFormats: webhookSignatureFormats must name at least one/],
    ['SHA-1 for webhooks', { environment: 'sandbox', apiKey: 'k', webhookHashAlgorithms: ['SHA1'] }, /^webhookHashAlgorithms\.0:/],
    ['a refusal status that is no client error', { environment: 'sandbox', apiKey: 'k', refusalStatuses: [500] }, /^refusalStatuses\.0:/],
    ['a status mapped to no Kassa state', { environment: 'sandbox', apiKey: 'k', statuses: { VOIDED: 'gone' } }, /^statuses\.VOIDED:/],
  ];
  for (const [name, config, problem] of refusals) {
    it(`refuses ${name}, without echoing the key`, () => {
      const message = firstProblem(config);
      assert.match(message, problem);
      assert.ok(!message.includes('live-secret-key-123'));
      assert.throws(() => hidirectProvider.create(config as HidirectConfig, deps));
    });
  }

  it('fills in the documented defaults', () => {
    const parsed = hidirectProvider.configSchema.parse({ environment: 'sandbox', apiKey: 'k' });
    assert.deepEqual(parsed, {
      environment: 'sandbox',
      apiKey: 'k',
      cardCaptureMode: 'AUTO',
      prescriptionRequired: false,
      restAmountUnit: 'major',
      webhookAmountUnit: 'minor',
      maxAmount: 1_000_000,
      webhookSignatureFormats: ['base64', 'base64url', 'hex'],
      webhookHashAlgorithms: ['SHA256', 'SHA384', 'SHA512'],
      refusalStatuses: [400, 409, 413, 415, 422],
      maxDocumentBytes: 10 * 1024 * 1024,
      statuses: {},
    });
  });

  it('accepts hi.health key as an X.509 certificate', () => {
    assert.ok(hidirectProvider.configSchema.safeParse({ ...STAGING, webhookPublicKey: CERTIFICATE_PEM }).success);
  });

  it('sends shoppers only to the checkout host of its environment', () => {
    assert.deepEqual(hidirectProvider.create(STAGING, deps).redirectHosts, ['pay.sandbox.hi.health']);
    assert.deepEqual(hidirectProvider.create({ ...STAGING, environment: 'production' }, deps).redirectHosts, ['pay.hi.health']);
    assert.deepEqual(hidirectProvider.create({ environment: 'sandbox', apiKey: 'k' }, deps).redirectHosts, ['127.0.0.1:4010']);
    assert.deepEqual(hidirectProvider.create({ ...STAGING, checkoutUrl: 'https://checkout.hi.example/' }, deps).redirectHosts, ['checkout.hi.example']);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The merchant's webhook route: keeps each request's exact bytes and answers 200. */
class WebhookReceiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/kassa/webhooks/hidirect`;
  }

  /** The webhooks about one payment, once `count` of them have arrived. */
  async waitFor(paymentId: string, count: number): Promise<Received[]> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const hits = this.received.filter((r) => JSON.parse(r.body.toString('utf8')).id === paymentId);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) assert.fail(`expected ${count} webhooks for ${paymentId}, got ${hits.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function asWebhook(received: Received): WebhookRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(received.headers)) if (typeof value === 'string') headers.set(name, value);
  return { method: 'POST', url: new URL('http://shop.example/kassa/webhooks/hidirect'), headers, body: new Uint8Array(received.body) };
}

function signedWebhook(body: string, headers: Record<string, string> = {}): WebhookRequest {
  const signature = sign('sha256', Buffer.from(body), ownKeys.privateKey).toString('base64');
  return {
    method: 'POST',
    url: new URL('http://shop.example/kassa/webhooks/hidirect'),
    headers: new Headers({ 'hi-api-signature': signature, 'hi-api-signature-format': 'base64', 'hi-api-hash-algorithm': 'SHA256', ...headers }),
    body: new TextEncoder().encode(body),
  };
}

describe('hi.health adapter against the sandbox', () => {
  const sb = useSandbox();
  const receiver = new WebhookReceiver();
  before(() => receiver.start());
  after(() => receiver.close());

  const adapter = (config: Partial<HidirectConfig> = {}, timeoutMs = 2000): ProviderAdapter =>
    hidirectProvider.create({ environment: 'sandbox', apiKey: API_KEY, ...config }, { sandboxUrl: sb.url, timeoutMs, attempts: 2 });

  async function paymentInput(hidirect: ProviderAdapter, order: ResolvedOrder = EUR_ORDER): Promise<CreatePaymentInput> {
    const reference = `kp_${randomBytes(18).toString('base64url')}`;
    const [method] = await hidirect.listMethods(EUR_ORDER, AbortSignal.timeout(1000));
    return {
      reference,
      order,
      method: method!,
      fields: {},
      returnUrl: RETURN_URL,
      endpointReturnUrl: `https://shop.example/kassa/return/${reference}`,
      webhookUrl: receiver.url,
      idempotencyKey: reference,
      signal: AbortSignal.timeout(5000),
    };
  }

  const sandboxPayments = async () => (await sb.control('GET', '/payments?provider=hidirect')).payments as any[];
  const requestCount = async (operation: string) => (await sb.control('GET', `/requests?provider=hidirect&operation=${operation}`)).count as number;
  const decide = (id: string, outcome: string) => sb.control('POST', `/payments/hidirect/${id}/outcome`, { outcome });
  const readStatus = (hidirect: ProviderAdapter, providerPaymentId: string) =>
    hidirect.readStatus({ reference: 'kp_x', providerPaymentId }, AbortSignal.timeout(5000));

  /** The payment as the endpoint hands it to an operation. */
  const operation = (created: CreatedPayment, state: OperationPayment['state'] = created.state, amount = EUR_ORDER.amount): OperationPayment => ({
    reference: 'kp_x',
    order: EUR_ORDER.reference,
    providerPaymentId: created.providerPaymentId,
    amount,
    currency: 'EUR',
    state,
    providerStatus: created.providerStatus,
  });
  const operationInput = () => ({ idempotencyKey: `op_${randomBytes(9).toString('base64url')}`, signal: AbortSignal.timeout(5000) });

  /** A MANUAL payment the shopper paid: pre-authorised, waiting for the merchant's capture. */
  async function authorised(hidirect: ProviderAdapter, order: ResolvedOrder = EUR_ORDER): Promise<CreatedPayment> {
    const created = await hidirect.createPayment(await paymentInput(hidirect, order));
    await decide(created.providerPaymentId, 'pay');
    assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'authorized', providerStatus: 'AUTHORISED' });
    return created;
  }

  async function fetchPayment(id: string): Promise<any> {
    const response = await fetch(`${sb.url}/hidirect/payments/${id}`, { headers: { 'x-api-key': API_KEY } });
    return response.json();
  }

  describe('listMethods', () => {
    it('offers one health method for EUR orders, with its limits', async () => {
      const methods = await adapter().listMethods(EUR_ORDER, AbortSignal.timeout(1000));
      assert.deepEqual(methods, [
        { id: 'hidirect:hi-health', provider: 'hidirect', kind: 'health', type: 'hi-health', name: { en: 'hi.health – health expenses', de: 'hi.health – Gesundheitsausgaben' }, min: 1, max: 1_000_000 },
      ]);
      assert.equal(methods[0]!.id, METHOD_ID);
    });

    it('offers nothing in other currencies, and takes the maximum from the config', async () => {
      for (const currency of ['SEK', 'USD', 'CHF']) assert.deepEqual(await adapter().listMethods({ ...EUR_ORDER, currency }, AbortSignal.timeout(1000)), []);
      const [method] = await adapter({ maxAmount: 250_000 }).listMethods(EUR_ORDER, AbortSignal.timeout(1000));
      assert.equal(method!.max, 250_000);
    });
  });

  describe('createPayment', () => {
    it('creates one payment for the reference and sends the shopper to the checkout with its token', async () => {
      const hidirect = adapter();
      const input = await paymentInput(hidirect);
      const created = await hidirect.createPayment(input);

      assert.equal(created.state, 'action_required');
      assert.equal(created.providerStatus, 'INITIAL');
      assert.equal(created.action.type, 'redirect');
      const url = created.action.type === 'redirect' ? created.action.url : '';
      assert.ok(isAllowedUrl(url, hidirect.redirectHosts), url);
      assert.equal(new URL(url).pathname, '/hidirect/pay');
      assert.match(new URL(url).searchParams.get('token') ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);

      const payments = await sandboxPayments();
      assert.equal(payments.length, 1);
      assert.equal(payments[0].id, created.providerPaymentId);
      assert.equal(payments[0].reference, input.reference);
      assert.equal(payments[0].amount, 4990);
      assert.equal(payments[0].currency, 'EUR');

      const stored = await fetchPayment(created.providerPaymentId);
      assert.equal(stored.amount, 49.9, 'REST amounts in major units by default');
      assert.equal(stored.prescriptionRequired, false);
      assert.deepEqual(stored.merchantUrls, { callback: receiver.url, cancelRedirect: RETURN_URL, failureRedirect: RETURN_URL, successRedirect: RETURN_URL });
    });

    it('sends the configured amount unit, prescription flag and sub-merchant', async () => {
      const hidirect = adapter({ restAmountUnit: 'minor', prescriptionRequired: true, merchantId: 'sub-merchant-7' });
      const created = await hidirect.createPayment(await paymentInput(hidirect, { ...EUR_ORDER, amount: 4990 }));
      const stored = await fetchPayment(created.providerPaymentId);
      assert.equal(stored.amount, 4990, 'read by the sandbox as 4990 euros');
      assert.equal(stored.prescriptionRequired, true);
      const page = await (await fetch((created.action as { url: string }).url)).text();
      assert.match(page, /sub-merchant-7/);
    });

    it('is claimed once the shopper opens the checkout link', async () => {
      const hidirect = adapter();
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      const page = await fetch((created.action as { url: string }).url, { redirect: 'manual' });
      assert.equal(page.status, 200);
      await page.body?.cancel();
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'pending', providerStatus: 'CLAIMED' });
    });

    const outcomes: Array<[outcome: string, config: Partial<HidirectConfig>, state: string, status: string]> = [
      ['pay', {}, 'paid', 'SETTLED'],
      ['decline', {}, 'declined', 'DENIED'],
      ['cancel', {}, 'cancelled', 'CANCELLED'],
      ['pay', { cardCaptureMode: 'MANUAL' }, 'authorized', 'AUTHORISED'],
    ];
    for (const [outcome, config, state, status] of outcomes) {
      it(`reads ${state} after the shopper chose ${outcome}${config.cardCaptureMode ? ' with manual capture' : ''}`, async () => {
        const hidirect = adapter(config);
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'action_required', providerStatus: 'INITIAL' });
        await decide(created.providerPaymentId, outcome);
        // A settled payment was captured in full.
        const captured = status === 'SETTLED' ? { capturedAmount: EUR_ORDER.amount } : {};
        assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state, providerStatus: status, ...captured });
      });
    }

    it('refuses a currency other than EUR without calling hi.health', async () => {
      const hidirect = adapter();
      const input = await paymentInput(hidirect, { ...EUR_ORDER, currency: 'SEK' });
      await assert.rejects(hidirect.createPayment(input), (error: Error) => error instanceof ProviderRefused && error.field === 'currency');
      assert.equal(await requestCount('createPayment'), 0);
    });

    it('turns an amount hi.health refuses into a short refusal, without the provider payload', async () => {
      const hidirect = adapter({ maxAmount: 5_000_000 });
      const input = await paymentInput(hidirect, { ...EUR_ORDER, amount: 1_000_001 });
      await assert.rejects(hidirect.createPayment(input), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.field, 'amount');
        assert.equal(error.message, 'hi.health does not accept this amount');
        return true;
      });
      assert.equal((await sandboxPayments()).length, 0);
    });

    it('reports a refused API key as the merchant setup error it is, never echoing the key', async () => {
      const hidirect = adapter({ apiKey: 'wrong-key-abc' });
      await assert.rejects(hidirect.createPayment(await paymentInput(hidirect)), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
        assert.match(error.message, /API key was refused/);
        assert.ok(!error.message.includes('wrong-key-abc'));
        return true;
      });
      await assert.rejects(readStatus(hidirect, 'X'), /API key was refused/);
    });
  });

  describe('cancelPayment', () => {
    const cancelInput = operationInput;

    it('voids a pre-authorised payment (manual capture): it reads cancelled, and can no longer be captured', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await hidirect.cancelPayment!(operation(created, 'authorized'), cancelInput());
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'cancelled', providerStatus: 'CANCELLED' });
      assert.equal(await requestCount('cancelPayment'), 1);
      const capture = await fetch(`${sb.url}/hidirect/payments/${created.providerPaymentId}/capture`, { method: 'POST', headers: { 'x-api-key': API_KEY } });
      assert.equal(capture.status, 409);
      await capture.body?.cancel();
    });

    it('is refused for a payment still open: hi.health cancels only pre-authorised payments', async () => {
      for (const config of [{ cardCaptureMode: 'MANUAL' }, {}] as const) {
        const hidirect = adapter(config);
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        await assert.rejects(hidirect.cancelPayment!(operation(created), cancelInput()), (error: Error) => {
          assert.ok(error instanceof ProviderRefused);
          assert.match(error.message, /pre-authorised/);
          return true;
        });
        assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'action_required', providerStatus: 'INITIAL' });
      }
    });

    it('is refused for a payment already settled, which stays paid', async () => {
      const hidirect = adapter();
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      await decide(created.providerPaymentId, 'pay');
      await assert.rejects(hidirect.cancelPayment!(operation(created, 'paid'), cancelInput()), ProviderRefused);
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'paid', providerStatus: 'SETTLED', capturedAmount: 4990 });
    });

    it('is sent once (hi.health takes no idempotency key): a 500 is unavailable, and the payment stays authorised', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'cancelPayment', kind: 'error', status: 500, times: 0 });
      await assert.rejects(hidirect.cancelPayment!(operation(created, 'authorized'), cancelInput()), ProviderUnavailable);
      assert.equal(await requestCount('cancelPayment'), 1);
      await sb.control('DELETE', '/faults');
      assert.equal((await readStatus(hidirect, created.providerPaymentId)).providerStatus, 'AUTHORISED');
    });

    it('reports an unknown payment and a refused key as errors, not refusals', async () => {
      const unknown = { reference: 'kp_x', order: 'A-1001', providerPaymentId: 'NO-SUCH-PAYMENT', amount: 4990, currency: 'EUR', state: 'authorized', providerStatus: 'AUTHORISED' } as const;
      await assert.rejects(adapter().cancelPayment!(unknown, cancelInput()), (error: Error) => !(error instanceof ProviderRefused) && /HTTP 404/.test(error.message));
      await assert.rejects(adapter({ apiKey: 'wrong-key-abc' }).cancelPayment!(unknown, cancelInput()), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused) && !(error instanceof ProviderUnavailable));
        assert.match(error.message, /API key was refused while cancelling/);
        assert.ok(!error.message.includes('wrong-key-abc'));
        return true;
      });
    });

    it('offers no refund: hi.health documents none', () => {
      assert.equal(adapter().refundPayment, undefined);
    });
  });

  describe('capturePayment', () => {
    it('captures the whole pre-authorised payment: it reads paid with the amount captured, and hi.health calls back', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await hidirect.capturePayment!(operation(created, 'authorized'), operationInput());
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'paid', providerStatus: 'SETTLED', capturedAmount: 4990 });
      assert.equal(await requestCount('capturePayment'), 1);
      const webhooks = await receiver.waitFor(created.providerPaymentId, 4);
      assert.deepEqual(webhooks.map((w) => JSON.parse(w.body.toString()).status), ['INITIAL', 'CLAIMED', 'AUTHORISED', 'SETTLED']);
      assert.equal((await hidirect.verifyWebhook(asWebhook(webhooks[3]!))).providerPaymentId, created.providerPaymentId);
    });

    it('takes an amount equal to the whole payment as a full capture', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await hidirect.capturePayment!(operation(created, 'authorized'), { ...operationInput(), amount: 4990 });
      assert.equal((await readStatus(hidirect, created.providerPaymentId)).state, 'paid');
    });

    for (const amount of [1, 2000, 4989, 4991]) {
      it(`does not offer a partial capture (${amount} of 4990): nothing is sent, and the payment stays authorised`, async () => {
        const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
        const created = await authorised(hidirect);
        await assert.rejects(hidirect.capturePayment!(operation(created, 'authorized'), { ...operationInput(), amount }), (error: Error) => {
          assert.ok(error instanceof OperationNotSupported);
          assert.equal(error.provider, 'hidirect');
          assert.equal(error.operation, 'partial-capture');
          return true;
        });
        assert.equal(await requestCount('capturePayment'), 0);
        assert.equal((await readStatus(hidirect, created.providerPaymentId)).providerStatus, 'AUTHORISED');
      });
    }

    it('is refused the second time, and the payment stays paid', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await hidirect.capturePayment!(operation(created, 'authorized'), operationInput());
      await assert.rejects(hidirect.capturePayment!(operation(created, 'paid'), operationInput()), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.match(error.message, /neither captured nor cancelled/);
        return true;
      });
      assert.equal(await requestCount('capturePayment'), 2);
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'paid', providerStatus: 'SETTLED', capturedAmount: 4990 });
    });

    it('is refused after a cancel, and the payment stays cancelled', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await hidirect.cancelPayment!(operation(created, 'authorized'), operationInput());
      await assert.rejects(hidirect.capturePayment!(operation(created, 'cancelled'), operationInput()), ProviderRefused);
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'cancelled', providerStatus: 'CANCELLED' });
    });

    it('is refused once 7 days passed without capture: hi.health cancelled the payment, and says so in a callback', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await sb.control('POST', '/hidirect/clock', { advanceMs: 7 * 24 * 60 * 60 * 1000 });
      await assert.rejects(hidirect.capturePayment!(operation(created, 'authorized'), operationInput()), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.match(error.message, /within 7 days/);
        return true;
      });
      assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'cancelled', providerStatus: 'CANCELLED' });
      const webhooks = await receiver.waitFor(created.providerPaymentId, 4);
      assert.equal(JSON.parse(webhooks[3]!.body.toString()).status, 'CANCELLED');
      assert.equal((await hidirect.verifyWebhook(asWebhook(webhooks[3]!))).providerPaymentId, created.providerPaymentId);
    });

    it('still captures a day before the 7 days are up', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await sb.control('POST', '/hidirect/clock', { advanceMs: 6 * 24 * 60 * 60 * 1000 });
      await hidirect.capturePayment!(operation(created, 'authorized'), operationInput());
      assert.equal((await readStatus(hidirect, created.providerPaymentId)).providerStatus, 'SETTLED');
    });

    it('is refused for a payment captured at once (AUTO) or still open', async () => {
      const auto = adapter();
      const settled = await auto.createPayment(await paymentInput(auto));
      await decide(settled.providerPaymentId, 'pay');
      await assert.rejects(auto.capturePayment!(operation(settled, 'paid'), operationInput()), ProviderRefused);
      const manual = adapter({ cardCaptureMode: 'MANUAL' });
      const open = await manual.createPayment(await paymentInput(manual));
      await assert.rejects(manual.capturePayment!(operation(open), operationInput()), ProviderRefused);
      assert.equal((await readStatus(manual, open.providerPaymentId)).providerStatus, 'INITIAL');
    });

    it('is sent once: a 500 is unavailable, and the payment stays authorised', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL' });
      const created = await authorised(hidirect);
      await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'capturePayment', kind: 'error', status: 500, times: 0 });
      await assert.rejects(hidirect.capturePayment!(operation(created, 'authorized'), operationInput()), ProviderUnavailable);
      assert.equal(await requestCount('capturePayment'), 1);
      await sb.control('DELETE', '/faults');
      assert.equal((await readStatus(hidirect, created.providerPaymentId)).providerStatus, 'AUTHORISED');
    });

    it('reads the refusal statuses from the config', async () => {
      const hidirect = adapter({ cardCaptureMode: 'MANUAL', refusalStatuses: [422] });
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      // The sandbox answers 409, which this merchant's hi.health does not use for a refusal.
      await assert.rejects(hidirect.capturePayment!(operation(created), operationInput()), (error: Error) => {
        assert.ok(!(error instanceof ProviderRefused));
        assert.match(error.message, /HTTP 409 while capturing/);
        return true;
      });
    });
  });

  describe('uploadDocument', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const documentInput = (type: string, content: Uint8Array = pdf) => ({ ...operationInput(), type: type as DocumentType, content });
    /** `size` bytes that start as a PDF. */
    const pdfOf = (size: number) => {
      const content = new Uint8Array(size).fill(0x20);
      content.set(pdf.subarray(0, Math.min(pdf.length, size)));
      return content;
    };

    for (const type of ['OTHER', 'INVOICE', 'PRESCRIPTION', 'CERTIFICATE', 'TEST_RESULT']) {
      it(`uploads a ${type} PDF`, async () => {
        const hidirect = adapter();
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        await hidirect.uploadDocument!(operation(created), documentInput(type));
        assert.equal(await requestCount('uploadDocument'), 1);
      });
    }

    it('uploads a PDF of exactly 10 MB', async () => {
      const hidirect = adapter({}, 10_000);
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      await hidirect.uploadDocument!(operation(created), documentInput('INVOICE', pdfOf(10 * 1024 * 1024)));
      assert.equal(await requestCount('uploadDocument'), 1);
    });

    const refusals: Array<[name: string, type: string, content: Uint8Array, message: RegExp]> = [
      ['a ZIP file', 'INVOICE', new TextEncoder().encode('PK\u0003\u0004 not a pdf'), /PDF only/],
      ['text that only mentions %PDF-', 'INVOICE', new TextEncoder().encode(' %PDF-1.7'), /PDF only/],
      ['%PDF without its version dash', 'INVOICE', new TextEncoder().encode('%PDF1.7'), /PDF only/],
      ['an empty file', 'INVOICE', new Uint8Array(0), /empty/],
      ['a PDF over 10 MB', 'INVOICE', pdfOf(10 * 1024 * 1024 + 1), /at most 10 MB/],
      ['an unknown type', 'RECEIPT', pdf, /OTHER, INVOICE, PRESCRIPTION, CERTIFICATE, TEST_RESULT/],
      ['a lower-case type', 'invoice', pdf, /types OTHER/],
    ];
    for (const [name, type, content, message] of refusals) {
      it(`refuses ${name} before sending it`, async () => {
        const hidirect = adapter();
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        await assert.rejects(hidirect.uploadDocument!(operation(created), documentInput(type, content)), (error: Error) => {
          assert.ok(error instanceof ProviderRefused);
          assert.equal(error.field, 'document');
          assert.match(error.message, message);
          return true;
        });
        assert.equal(await requestCount('uploadDocument'), 0);
      });
    }

    it('takes its size limit from the config, and reports hi.health\'s own refusal', async () => {
      const strict = adapter({ maxDocumentBytes: 1024 });
      const created = await strict.createPayment(await paymentInput(strict));
      await assert.rejects(strict.uploadDocument!(operation(created), documentInput('INVOICE', pdfOf(1025))), /at most 1024 bytes/);
      assert.equal(await requestCount('uploadDocument'), 0);

      // A merchant who allows more than hi.health takes hears hi.health's refusal (413) as a refusal too.
      const lenient = adapter({ maxDocumentBytes: 20 * 1024 * 1024 }, 10_000);
      await assert.rejects(lenient.uploadDocument!(operation(created), documentInput('INVOICE', pdfOf(10 * 1024 * 1024 + 1))), (error: Error) => {
        assert.ok(error instanceof ProviderRefused);
        assert.equal(error.message, 'hi.health did not take the document');
        return true;
      });
      assert.equal(await requestCount('uploadDocument'), 1);
    });

    it('reports an unknown payment and a refused key as errors, not refusals', async () => {
      const unknown: OperationPayment = { reference: 'kp_x', order: 'A-1001', providerPaymentId: 'NO-SUCH-PAYMENT', amount: 4990, currency: 'EUR', state: 'paid', providerStatus: 'SETTLED' };
      await assert.rejects(adapter().uploadDocument!(unknown, documentInput('INVOICE')), (error: Error) => !(error instanceof ProviderRefused) && /HTTP 404/.test(error.message));
      await assert.rejects(adapter({ apiKey: 'wrong-key-abc' }).uploadDocument!(unknown, documentInput('INVOICE')), /API key was refused while uploading a document/);
    });
  });

  describe('webhook signature schemes', () => {
    const sandboxSchemes: Array<[format: string, hashAlgorithm: string]> = [
      ['base64', 'SHA256'],
      ['hex', 'SHA256'],
      ['base64url', 'SHA384'],
      ['hex', 'SHA512'],
    ];
    for (const [signatureFormat, hashAlgorithm] of sandboxSchemes) {
      it(`verifies the sandbox's webhooks signed with ${hashAlgorithm} and encoded ${signatureFormat}`, async () => {
        await sb.control('POST', '/hidirect/settings', { signatureFormat, hashAlgorithm });
        const hidirect = adapter();
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        const [initial] = await receiver.waitFor(created.providerPaymentId, 1);
        assert.equal(initial!.headers['hi-api-signature-format'], signatureFormat);
        assert.equal((await hidirect.verifyWebhook(asWebhook(initial!))).providerPaymentId, created.providerPaymentId);
      });
    }

    const body = JSON.stringify({ amount: 4990, currency: 'EUR', createdAt: '2026-01-01T00:00:00.000Z', id: '01HIDIRECT', merchantReference: null, prescriptionRequired: false, status: 'SETTLED', updatedAt: null });
    /** Our own signature over `body`, with the headers as given (null leaves one out). */
    const signedWith = (hash: string, encoding: BufferEncoding, headers: Record<string, string | null>): WebhookRequest => {
      const signature = sign(hash, Buffer.from(body), ownKeys.privateKey).toString(encoding);
      const all = new Headers({ 'hi-api-signature': signature });
      for (const [name, value] of Object.entries(headers)) if (value !== null) all.set(name, value);
      return { method: 'POST', url: new URL('http://shop.example/kassa/webhooks/hidirect'), headers: all, body: new TextEncoder().encode(body) };
    };

    const accepted: Array<[name: string, hash: string, encoding: BufferEncoding, format: string | null, algorithm: string | null]> = [
      ['SHA256 / base64 as the sandbox writes them', 'sha256', 'base64', 'base64', 'SHA256'],
      ['lower case', 'sha256', 'base64', 'base64', 'sha256'],
      ['node:crypto\'s RSA-SHA256', 'sha256', 'base64', 'BASE64', 'RSA-SHA256'],
      ['sha-256', 'sha256', 'base64', 'base64', 'sha-256'],
      ['OpenSSL\'s sha256WithRSAEncryption', 'sha256', 'hex', 'hex', 'sha256WithRSAEncryption'],
      ['Java\'s SHA512withRSA', 'sha512', 'base64', 'base64', 'SHA512withRSA'],
      ['JOSE\'s RS384', 'sha384', 'base64url', 'base64url', 'RS384'],
      ['hex in upper case', 'sha256', 'hex', 'HEX', 'SHA256'],
      ['no format header: every accepted encoding is tried', 'sha256', 'hex', null, 'SHA256'],
      ['no hash header: every accepted hash is tried', 'sha512', 'base64', 'base64', null],
      ['neither header', 'sha384', 'base64url', null, null],
    ];
    for (const [name, hash, encoding, format, algorithm] of accepted) {
      it(`accepts ${name}`, async () => {
        const hidirect = adapter({ webhookPublicKey: OWN_PUBLIC_PEM });
        const request = signedWith(hash, encoding, { 'hi-api-signature-format': format, 'hi-api-hash-algorithm': algorithm });
        assert.deepEqual(await hidirect.verifyWebhook(request), { providerPaymentId: '01HIDIRECT' });
      });
    }

    const rejected: Array<[name: string, hash: string, encoding: BufferEncoding, format: string | null, algorithm: string | null, config: Partial<HidirectConfig>]> = [
      ['SHA-1, even when genuinely signed with it', 'sha1', 'base64', 'base64', 'SHA1', {}],
      ['MD5', 'md5', 'base64', 'base64', 'RSA-MD5', {}],
      ['a hash the header does not name (SHA256 signed, SHA512 declared)', 'sha256', 'base64', 'base64', 'SHA512', {}],
      ['an encoding the header does not name (hex sent, base64 declared)', 'sha256', 'hex', 'base64', 'SHA256', {}],
      ['an encoding no header should name (latin1)', 'sha256', 'base64', 'latin1', 'SHA256', {}],
      ['hex where the merchant accepts base64 only', 'sha256', 'hex', 'hex', 'SHA256', { webhookSignatureFormats: ['base64'] }],
      ['hex without a format header where the merchant accepts base64 only', 'sha256', 'hex', null, 'SHA256', { webhookSignatureFormats: ['base64'] }],
      ['SHA384 where the merchant accepts SHA256 only', 'sha384', 'base64', 'base64', 'SHA384', { webhookHashAlgorithms: ['SHA256'] }],
      ['SHA512 without a hash header where the merchant accepts SHA256 only', 'sha512', 'base64', 'base64', null, { webhookHashAlgorithms: ['SHA256'] }],
    ];
    for (const [name, hash, encoding, format, algorithm, config] of rejected) {
      it(`rejects ${name}`, async () => {
        const hidirect = adapter({ webhookPublicKey: OWN_PUBLIC_PEM, ...config });
        const request = signedWith(hash, encoding, { 'hi-api-signature-format': format, 'hi-api-hash-algorithm': algorithm });
        await assert.rejects(hidirect.verifyWebhook(request), WebhookRejected);
      });
    }
  });

  describe('decimal amounts', () => {
    const amounts: Array<[minor: number, major: number]> = [
      [2001, 20.01],
      [1, 0.01],
      [10, 0.1],
      [4990, 49.9],
      // 0.29 * 100 is 28.999999999999996 in floating point: the conversion must not multiply.
      [29, 0.29],
      [1_000_000, 10_000],
    ];
    for (const [minor, major] of amounts) {
      it(`reads ${major} EUR as ${minor} cents captured, exactly`, async () => {
        const hidirect = adapter();
        const created = await hidirect.createPayment(await paymentInput(hidirect, { ...EUR_ORDER, amount: minor }));
        assert.equal((await fetchPayment(created.providerPaymentId)).amount, major);
        await decide(created.providerPaymentId, 'pay');
        assert.deepEqual(await readStatus(hidirect, created.providerPaymentId), { state: 'paid', providerStatus: 'SETTLED', capturedAmount: minor });
      });
    }

    /** A stand-in for hi.health answering one fixed payment body, for amount shapes the sandbox does not send. */
    async function answering(payment: Record<string, unknown>, config: Partial<HidirectConfig> = {}): Promise<{ hidirect: ProviderAdapter; close: () => Promise<void> }> {
      const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: '01HIDIRECT', status: 'SETTLED', ...payment })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        hidirect: adapter({ baseUrl, webhookPublicKey: OWN_PUBLIC_PEM, ...config }),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }

    const shapes: Array<[name: string, payment: Record<string, unknown>, config: Partial<HidirectConfig>, captured: number | undefined]> = [
      ['a number', { amount: 20.01, currency: 'EUR' }, {}, 2001],
      ['a decimal string', { amount: '20.01', currency: 'EUR' }, {}, 2001],
      ['a string with trailing zeros', { amount: '20.10', currency: 'eur' }, {}, 2010],
      ['the entity table\'s {total, currency}', { amount: { total: 20.01, currency: 'EUR' } }, {}, 2001],
      ['a whole number', { amount: 20, currency: 'EUR' }, {}, 2000],
      ['minor units where configured', { amount: 2001, currency: 'EUR' }, { restAmountUnit: 'minor' }, 2001],
      ['a decimal where minor units are configured (minor units are whole)', { amount: 20.01, currency: 'EUR' }, { restAmountUnit: 'minor' }, 2001],
      // Nothing about the amount is reported when it cannot be read exactly; the status still is.
      ['a fraction of a cent', { amount: 20.015, currency: 'EUR' }, {}, undefined],
      ['an exponent', { amount: '2.001e1', currency: 'EUR' }, {}, undefined],
      ['a negative amount', { amount: -20.01, currency: 'EUR' }, {}, undefined],
      ['no currency', { amount: 20.01 }, {}, undefined],
      ['no amount', { currency: 'EUR' }, {}, undefined],
    ];
    for (const [name, payment, config, captured] of shapes) {
      it(`reads ${name} in a status read`, async () => {
        const { hidirect, close } = await answering(payment, config);
        try {
          const read = await readStatus(hidirect, '01HIDIRECT');
          assert.deepEqual(read, { state: 'paid', providerStatus: 'SETTLED', ...(captured === undefined ? {} : { capturedAmount: captured }) });
        } finally {
          await close();
        }
      });
    }

    const webhookAmounts: Array<[name: string, amount: unknown, unit: 'major' | 'minor', accepted: boolean]> = [
      ['minor units, as the webhook sample shows', 30000, 'minor', true],
      ['a decimal number where minor units are configured', 20.01, 'minor', true],
      ['a decimal string where minor units are configured', '20.01', 'minor', true],
      ['a decimal number in major units', 20.01, 'major', true],
      ['a decimal string in major units', '20.01', 'major', true],
      ['a fraction of a cent', 20.001, 'major', false],
      ['a fraction of a cent as a string', '20.001', 'minor', false],
      ['a negative amount', -1, 'minor', false],
      ['a string that is no number', 'twenty', 'minor', false],
    ];
    for (const [name, amount, unit, accepted] of webhookAmounts) {
      it(`${accepted ? 'accepts' : 'rejects'} a webhook with ${name}`, async () => {
        const hidirect = adapter({ webhookPublicKey: OWN_PUBLIC_PEM, webhookAmountUnit: unit });
        const body = { amount, currency: 'EUR', createdAt: '2026-01-01T00:00:00.000Z', id: '01HIDIRECT', merchantReference: 'kp_1', prescriptionRequired: false, status: 'SETTLED', updatedAt: null };
        const verified = hidirect.verifyWebhook(signedWebhook(JSON.stringify(body)));
        if (accepted) assert.deepEqual(await verified, { providerPaymentId: '01HIDIRECT', reference: 'kp_1' });
        else await assert.rejects(verified, WebhookRejected);
      });
    }
  });

  describe('statuses', () => {
    it('maps a status hi.health sends but does not document through the config', async () => {
      const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: '01HIDIRECT', status: 'Voided', amount: 1, currency: 'EUR' })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        assert.deepEqual(await readStatus(adapter({ baseUrl }), '01HIDIRECT'), { state: 'pending', providerStatus: 'Voided' });
        assert.deepEqual(await readStatus(adapter({ baseUrl, statuses: { VOIDED: 'cancelled' } }), '01HIDIRECT'), { state: 'cancelled', providerStatus: 'Voided' });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('faults', () => {
    const createFaults: Array<[name: string, fault: Record<string, unknown>]> = [
      ['a 500', { kind: 'error', status: 500 }],
      ['a 429', { kind: 'error', status: 429 }],
      ['no answer', { kind: 'timeout', latencyMs: 1000 }],
    ];
    for (const [name, fault] of createFaults) {
      it(`answers ${name} to create as unavailable, and never asks twice`, async () => {
        const hidirect = adapter({}, 300);
        await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', times: 0, ...fault });
        await assert.rejects(hidirect.createPayment(await paymentInput(hidirect)), ProviderUnavailable);
        assert.equal(await requestCount('createPayment'), 1);
        assert.equal((await sandboxPayments()).length, 0);
      });
    }

    it('does not retry a create that timed out but happened: one payment, not two', async () => {
      const hidirect = adapter({}, 300);
      await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'latency', latencyMs: 500 });
      await assert.rejects(hidirect.createPayment(await paymentInput(hidirect)), ProviderUnavailable);
      // The sandbox finishes the slow create after the adapter gave up on it.
      for (const deadline = Date.now() + 2000; (await sandboxPayments()).length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(await requestCount('createPayment'), 1);
      assert.equal((await sandboxPayments()).length, 1);
    });

    it('retries a status read after a 500, within its attempts', async () => {
      const hidirect = adapter();
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'status', kind: 'error', status: 500, times: 1 });
      assert.equal((await readStatus(hidirect, created.providerPaymentId)).providerStatus, 'INITIAL');
      assert.equal(await requestCount('getPayment'), 2);
    });

    const statusFaults: Array<[name: string, fault: Record<string, unknown>]> = [
      ['a 429', { kind: 'error', status: 429, times: 0 }],
      ['no answer', { kind: 'timeout', latencyMs: 1000, times: 0 }],
      ['a malformed body', { kind: 'malformed', times: 0 }],
    ];
    for (const [name, fault] of statusFaults) {
      it(`answers ${name} to a status read as unavailable`, async () => {
        const hidirect = adapter({}, 300);
        const created = await hidirect.createPayment(await paymentInput(hidirect));
        await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'status', ...fault });
        await assert.rejects(readStatus(hidirect, created.providerPaymentId), ProviderUnavailable);
        // A malformed 200 is not retried by the transport (it answered); the others use both attempts.
        assert.equal(await requestCount('getPayment'), fault.kind === 'malformed' ? 1 : 2);
      });
    }

    it('reads an unknown payment as an error, not as a status', async () => {
      await assert.rejects(readStatus(adapter(), 'NO-SUCH-PAYMENT'), (error: Error) => !(error instanceof ProviderUnavailable) && /HTTP 404/.test(error.message));
    });
  });

  describe('verifyWebhook', () => {
    it('verifies every webhook the sandbox sent for a payment, fetching its key once', async () => {
      const hidirect = adapter();
      const input = await paymentInput(hidirect);
      const created = await hidirect.createPayment(input);
      await decide(created.providerPaymentId, 'pay');
      const webhooks = await receiver.waitFor(created.providerPaymentId, 3);
      assert.deepEqual(webhooks.map((w) => JSON.parse(w.body.toString()).status), ['INITIAL', 'CLAIMED', 'SETTLED']);
      for (const webhook of webhooks) {
        assert.deepEqual(await hidirect.verifyWebhook(asWebhook(webhook)), { providerPaymentId: created.providerPaymentId, reference: input.reference });
      }
      assert.equal(await requestCount('getPublicKey'), 1);
      // The record the sandbox keeps of the same delivery carries the same bytes and headers.
      const [recorded] = (await sb.control('GET', '/webhooks?provider=hidirect')).webhooks as any[];
      assert.equal(recorded.body, webhooks[0]!.body.toString('utf8'));
    });

    it('rejects a webhook whose body, signature or declared scheme was changed', async () => {
      const hidirect = adapter();
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      await decide(created.providerPaymentId, 'decline');
      const [, , denied] = await receiver.waitFor(created.providerPaymentId, 3);
      const genuine = asWebhook(denied!);
      const signature = genuine.headers.get('hi-api-signature')!;
      const withHeaders = (change: Record<string, string | null>): WebhookRequest => {
        const headers = new Headers(genuine.headers);
        for (const [name, value] of Object.entries(change)) if (value === null) headers.delete(name); else headers.set(name, value);
        return { ...genuine, headers };
      };
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      const tampered: Array<[name: string, request: WebhookRequest]> = [
        ['a changed status', { ...genuine, body: new TextEncoder().encode(denied!.body.toString().replace('"DENIED"', '"SETTLED"')) }],
        ['an extra space in the body', { ...genuine, body: new TextEncoder().encode(`${denied!.body.toString()} `) }],
        ['a changed signature', withHeaders({ 'hi-api-signature': flipped })],
        ['no signature', withHeaders({ 'hi-api-signature': null })],
        ['a signature that is not base64', withHeaders({ 'hi-api-signature': `${signature}!` })],
        ['a hex format over a base64 signature', withHeaders({ 'hi-api-signature-format': 'hex' })],
        ['an encoding no header should name', withHeaders({ 'hi-api-signature-format': 'latin1' })],
        ['a SHA1 hash algorithm', withHeaders({ 'hi-api-hash-algorithm': 'SHA1' })],
        ['a signature by another key', signedWebhook(denied!.body.toString())],
      ];
      for (const [name, request] of tampered) {
        await assert.rejects(hidirect.verifyWebhook(request), WebhookRejected, name);
      }
      assert.equal((await hidirect.verifyWebhook(genuine)).providerPaymentId, created.providerPaymentId, 'the genuine one still passes');
    });

    it('uses a configured key without fetching one, and refuses signed bodies it cannot read', async () => {
      const hidirect = adapter({ webhookPublicKey: OWN_PUBLIC_PEM });
      const body = { amount: 4990, currency: 'EUR', createdAt: '2026-01-01T00:00:00.000Z', id: '01HIDIRECT', merchantReference: null, prescriptionRequired: false, status: 'SETTLED', updatedAt: null };
      assert.deepEqual(await hidirect.verifyWebhook(signedWebhook(JSON.stringify(body))), { providerPaymentId: '01HIDIRECT' });
      const unreadable: Array<[name: string, text: string]> = [
        ['not JSON', 'status=SETTLED'],
        ['an array', '[]'],
        ['no id', JSON.stringify({ ...body, id: undefined })],
        ['no status', JSON.stringify({ ...body, status: 42 })],
        ['a numeric merchantReference', JSON.stringify({ ...body, merchantReference: 7 })],
        ['a fraction of a cent', JSON.stringify({ ...body, amount: 49.999 })],
        ['an amount without its currency', JSON.stringify({ ...body, currency: undefined })],
      ];
      for (const [name, text] of unreadable) await assert.rejects(hidirect.verifyWebhook(signedWebhook(text)), WebhookRejected, name);
      assert.equal(await requestCount('getPublicKey'), 0);

      const major = adapter({ webhookPublicKey: OWN_PUBLIC_PEM, webhookAmountUnit: 'major' });
      assert.deepEqual(await major.verifyWebhook(signedWebhook(JSON.stringify({ ...body, amount: 49.9 }))), { providerPaymentId: '01HIDIRECT' });
      await assert.rejects(major.verifyWebhook(signedWebhook(JSON.stringify({ ...body, amount: 49.999 }))), WebhookRejected);
    });

    it('answers an unreachable sandbox key as unavailable, and fetches it again next time', async () => {
      const hidirect = adapter();
      const created = await hidirect.createPayment(await paymentInput(hidirect));
      const [initial] = await receiver.waitFor(created.providerPaymentId, 1);
      const unsigned = asWebhook(initial!);
      unsigned.headers.delete('hi-api-signature');
      await assert.rejects(hidirect.verifyWebhook(unsigned), WebhookRejected, 'turned away before any key is needed');
      assert.equal(await requestCount('getPublicKey'), 0);
      await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'getPublicKey', kind: 'error', status: 503, times: 2 });
      await assert.rejects(hidirect.verifyWebhook(asWebhook(initial!)), ProviderUnavailable);
      assert.equal((await hidirect.verifyWebhook(asWebhook(initial!))).providerPaymentId, created.providerPaymentId);
      assert.equal(await requestCount('getPublicKey'), 3);
    });
  });
});
