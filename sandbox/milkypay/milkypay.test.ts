/**
 * The MilkyPay simulator against its documentation: run with
 *   node --import tsx --test sandbox/milkypay/*.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SandboxContext } from '../core/context.ts';
import { Faults } from '../core/faults.ts';
import { readRequest, Router } from '../core/http.ts';
import { PresetOutcomes } from '../core/outcomes.ts';
import { Webhooks } from '../core/webhooks.ts';
import { useSandbox } from '../testing.ts';
import { MILKYPAY_DEFAULTS, type MilkyPayConfig } from './config.ts';
import { create } from './index.ts';
import { checkBasicAuth, cursorPage } from './routes.ts';
import { formToObject } from './validation.ts';

const PUBLIC_KEY = 'pk_test_sandbox';
const BASIC = `Basic ${Buffer.from('sandbox-account:sandbox-milkypay-key').toString('base64')}`;
const SECRET = 'sandbox-milkypay-secret';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

interface CallOptions {
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  auth?: string | null;
}

async function call(base: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.raw !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw;
  }
  if (options.auth) headers.authorization = options.auth;
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The signature as MilkyPay documents it, computed here independently of the simulator. */
function expectedSignature(secret: string, rawBody: string): string {
  return createHash('sha1').update(`${secret}${rawBody}${secret}`).digest('base64');
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A merchant callback endpoint that answers 200 and keeps what it got. */
async function startReceiver() {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('OK');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/milkypay/callback`;
  return {
    url,
    received,
    /** Resolves once `count` callbacks arrived; fails after a second rather than hang the run. */
    async waitFor(count: number): Promise<void> {
      const deadline = Date.now() + 1000;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} callbacks, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left).unref();
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

describe('MilkyPay simulator', () => {
  const sb = useSandbox();

  const publicCreate = (fields: Record<string, unknown>) =>
    call(sb.url, '/milkypay/public-api/payment-invoices', {
      json: { public_key: PUBLIC_KEY, service: 'payment_card_eur_hpp', currency: 'EUR', amount: '49.90', ...fields },
    });

  const privateCreate = (attributes: Record<string, unknown>, auth: string | null = BASIC) =>
    call(sb.url, '/milkypay/api/payment-invoices', {
      auth,
      json: { data: { type: 'payment-invoices', attributes: { service: 'payment_card_eur_hpp', currency: 'EUR', amount: 49.9, ...attributes } } },
    });

  const privateGet = (id: string) => call(sb.url, `/milkypay/api/payment-invoices/${id}`, { auth: BASIC });
  const milkypayPayments = async () => (await sb.control('GET', '/payments?provider=milkypay')).payments as any[];

  describe('payment pre-request', () => {
    it('lists the currency’s services with fields and limits, and their methods with localized names and logos', async () => {
      const reply = await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: { public_key: PUBLIC_KEY, currency: 'EUR' } });
      assert.equal(reply.status, 200);
      const { data } = reply.json;
      assert.equal(data.currency, 'EUR');
      assert.equal(data.test_mode, true);
      assert.deepEqual(Object.keys(data.services).sort(), ['mbway_eur_hpp', 'payment_card_eur_hpp', 'paypal_eur_hpp']);
      for (const service of Object.values<any>(data.services)) assert.equal(service.currency, 'EUR');
      assert.deepEqual(data.services.payment_card_eur_hpp, {
        code: 'payment_card_eur_hpp',
        method: 'payment_card',
        flow: 'hpp',
        currency: 'EUR',
        fields: [],
        amount_min: 0.5,
        amount_max: 15000,
      });
      const [phone] = data.services.mbway_eur_hpp.fields;
      assert.equal(phone.key, 'phone');
      assert.equal(phone.required, true);
      assert.deepEqual(Object.keys(phone.label).sort(), ['en', 'ru', 'uk']);
      assert.ok(new RegExp(phone.regexp).test(phone.example));
      assert.deepEqual(Object.keys(data.methods).sort(), ['mbway', 'payment_card', 'paypal']);
      assert.deepEqual(data.methods.payment_card.name, { en: 'Payment card', ru: 'Платежная карта', uk: 'Платіжна карта' });
      assert.equal(data.account.name, 'Kassa demo shop');

      const logo = await fetch(data.methods.paypal.logo);
      assert.equal(logo.status, 200);
      assert.match(logo.headers.get('content-type') ?? '', /image\/svg\+xml/);
      assert.match(await logo.text(), /<svg[^>]*>[\s\S]*PayPal/);
      assert.equal((await fetch(data.methods.paypal.icon)).status, 200);
      assert.equal((await fetch(`${sb.url}/milkypay/static/logos/nope.svg`)).status, 404);
    });

    it('does not filter by amount, and answers no services for a currency the account lacks', async () => {
      const big = await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: { public_key: PUBLIC_KEY, currency: 'EUR', amount: 99999 } });
      assert.ok(big.json.data.services.mbway_eur_hpp, 'mbway (max 5000) is still listed for 99999');
      const none = await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: { public_key: PUBLIC_KEY, currency: 'SEK' } });
      assert.equal(none.status, 200);
      assert.deepEqual(none.json.data.services, {});
      assert.deepEqual(none.json.data.methods, {});
    });

    const refusals: Array<[string, Record<string, unknown>, number, unknown]> = [
      ['missing key', { currency: 'EUR' }, 401, { errors: [{ status: 'Unauthorized', code: '401' }] }],
      ['wrong key', { public_key: 'pk_test_other', currency: 'EUR' }, 401, { errors: [{ status: 'Unauthorized', code: '401' }] }],
      ['missing currency', { public_key: PUBLIC_KEY }, 422, { errors: { currency: 'This value should not be blank.' } }],
      ['lower-case currency', { public_key: PUBLIC_KEY, currency: 'eur' }, 422, { errors: { currency: 'This value is not a valid currency.' } }],
      ['amount not a number', { public_key: PUBLIC_KEY, currency: 'EUR', amount: 'ten' }, 422, { errors: { amount: 'This value should be of type numeric.' } }],
    ];
    for (const [name, body, status, expected] of refusals) {
      it(`refuses a pre-request with ${name} (${status})`, async () => {
        const reply = await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: body });
        assert.equal(reply.status, status);
        assert.deepEqual(reply.json, expected);
      });
    }
  });

  describe('invoices', () => {
    it('creates through the public API: flat body, decimal major units, hpp_url and a GET flow_data', async () => {
      const reply = await publicCreate({ reference_id: 'order-1', description: 'Order 1', return_url: 'https://shop.example/back' });
      assert.equal(reply.status, 201);
      const { data } = reply.json;
      assert.match(data.id, /^cpi_[A-Za-z0-9]{16}$/);
      assert.equal(data.serial_number, data.id.slice(4));
      assert.equal(data.reference_id, 'order-1');
      assert.equal(data.amount, 49.9);
      assert.equal(data.payment_amount, 49.9);
      assert.equal(data.processed_amount, null);
      assert.equal(data.status, 'process_pending');
      assert.equal(data.resolution, 'OK');
      assert.equal(data.test_mode, true);
      assert.equal(data.has_return_url, true);
      assert.equal(data.service_method, 'payment_card');
      assert.equal(data.hpp_url, `${sb.url}/milkypay/hpp/${data.id}`);
      assert.equal(data.active_payment.status, 'invoked');
      assert.equal(data.active_payment.payload.method, 'GET');
      assert.deepEqual(data.active_payment.payload.params, []);

      const read = await call(sb.url, `/milkypay/public-api/payment-invoices/${data.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.json.data, data);

      const [summary] = await milkypayPayments();
      assert.deepEqual(
        { id: summary.id, amount: summary.amount, currency: summary.currency, reference: summary.reference, status: summary.status },
        { id: data.id, amount: 4990, currency: 'EUR', reference: 'order-1', status: 'process_pending' },
      );
    });

    it('creates through the private API: JSON:API in and out, POST flow_data for a form_post service', async () => {
      const reply = await privateCreate({
        reference_id: 'order-2',
        service: 'mbway_eur_hpp',
        amount: '12.50',
        service_fields: { phone: '+351912345678' },
        customer: { reference_id: 'cust-7', email: 'ana@example.pt' },
        metadata: { cart: '42' },
        test_mode: true,
      });
      assert.equal(reply.status, 201);
      const resource = reply.json.data;
      assert.equal(resource.type, 'payment-invoices');
      assert.equal(resource.attributes.amount, 12.5);
      assert.equal(resource.attributes.resolution, 'ok');
      assert.equal(resource.attributes.status, 'process_pending');
      assert.equal(resource.attributes.test_mode, true);
      assert.equal(resource.attributes.source, 'merchant_api');
      assert.equal(resource.attributes.hpp_url, null);
      assert.deepEqual(resource.attributes.metadata, { cart: '42' });
      const flow = resource.attributes.flow_data;
      assert.equal(flow.method, 'POST');
      assert.equal(flow.action, `${sb.url}/milkypay/hpp/${resource.id}`);
      assert.equal(flow.params.token, flow.metadata.token);
      assert.equal(resource.relationships['payment-service'].data.id, 'mbway_eur_hpp');
      assert.match(resource.relationships.customer.data.id, /^cus_/);
      assert.equal(resource.links.self, `/milkypay/api/payment-invoices/${resource.id}`);

      const read = await privateGet(resource.id);
      assert.equal(read.status, 200);
      assert.deepEqual(read.json.data, resource);
    });

    it('defaults test_mode to false on the private API and generates a reference_id when none is sent', async () => {
      const first = await privateCreate({});
      const second = await privateCreate({});
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.equal(first.json.data.attributes.test_mode, false);
      assert.match(first.json.data.attributes.reference_id, /^[0-9a-f-]{36}$/);
      assert.notEqual(first.json.data.attributes.reference_id, second.json.data.attributes.reference_id);
    });

    it('uses the currency’s own decimals: 3 for KWD, 0 for JPY', async () => {
      const kwd = await publicCreate({ service: 'payment_card_kwd_hpp', currency: 'KWD', amount: '1.234' });
      assert.equal(kwd.status, 201);
      assert.equal(kwd.json.data.amount, 1.234);
      const jpy = await publicCreate({ service: 'payment_card_jpy_hpp', currency: 'JPY', amount: 500 });
      assert.equal(jpy.status, 201);
      const amounts = Object.fromEntries((await milkypayPayments()).map((p) => [p.currency, p.amount]));
      assert.deepEqual(amounts, { KWD: 1234, JPY: 500 });
    });

    it('finds an invoice by reference_id and pages the list with cursors', async () => {
      for (const ref of ['a', 'b', 'c']) assert.equal((await privateCreate({ reference_id: ref })).status, 201);
      const byRef = await call(sb.url, '/milkypay/api/payment-invoices?filter[reference_id]=b', { auth: BASIC });
      assert.equal(byRef.status, 200);
      assert.deepEqual(byRef.json.data.map((i: any) => i.attributes.reference_id), ['b']);
      assert.equal(byRef.json.meta.count, 1);
      const none = await call(sb.url, '/milkypay/api/payment-invoices?filter[reference_id]=zzz', { auth: BASIC });
      assert.deepEqual(none.json.data, []);

      const first = await call(sb.url, '/milkypay/api/payment-invoices?page[size]=2', { auth: BASIC });
      assert.deepEqual(first.json.data.map((i: any) => i.attributes.reference_id), ['c', 'b']);
      assert.equal(first.json.meta.count, 3);
      assert.notEqual(first.json.links.next, '');
      const second = await call(sb.url, first.json.links.next, { auth: BASIC });
      assert.deepEqual(second.json.data.map((i: any) => i.attributes.reference_id), ['a']);
      assert.equal(second.json.links.next, '');
      const bad = await call(sb.url, '/milkypay/api/payment-invoices?page[size]=0', { auth: BASIC });
      assert.equal(bad.status, 422);
    });

    it('answers 404 in MilkyPay’s shape for an unknown invoice, on both APIs', async () => {
      const expected = { errors: [{ status: 'Not Found', code: '404' }] };
      const viaPublic = await call(sb.url, '/milkypay/public-api/payment-invoices/cpi_missing');
      const viaPrivate = await privateGet('cpi_missing');
      assert.deepEqual([viaPublic.status, viaPublic.json], [404, expected]);
      assert.deepEqual([viaPrivate.status, viaPrivate.json], [404, expected]);
    });
  });

  describe('authentication', () => {
    const unauthorized = { errors: [{ status: 'Unauthorized', code: '401' }] };
    const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
    const cases: Array<[string, string | null, number]> = [
      ['no Authorization header', null, 401],
      ['a wrong API key', basic('sandbox-account:wrong'), 401],
      ['an unknown account', basic('someone:sandbox-milkypay-key'), 401],
      ['a Bearer token', 'Bearer sandbox-milkypay-key', 401],
      ['the public key as password', basic('sandbox-account:pk_test_sandbox'), 403],
    ];
    const endpoints: Array<[string, CallOptions]> = [
      ['/milkypay/api/payment-invoices', { json: { data: { type: 'payment-invoices', attributes: {} } } }],
      ['/milkypay/api/payment-invoices', {}],
      ['/milkypay/api/payment-invoices/cpi_x', {}],
      ['/milkypay/api/payment-services', {}],
      ['/milkypay/api/payment-services/comcps_u1xxlHVw1NyeqmjJ', {}],
    ];
    for (const [name, auth, status] of cases) {
      it(`refuses the private API with ${name} (${status})`, async () => {
        for (const [path, options] of endpoints) {
          const reply = await call(sb.url, path, { ...options, auth });
          assert.equal(reply.status, status, path);
          assert.deepEqual(reply.json, status === 401 ? unauthorized : { errors: [{ status: 'Forbidden', code: '403' }] });
        }
        assert.deepEqual(await milkypayPayments(), []);
      });
    }

    it('refuses public invoice creation with a missing or wrong public_key, creating nothing', async () => {
      for (const key of [undefined, 'pk_test_wrong', 'sandbox-milkypay-key']) {
        const reply = await publicCreate({ public_key: key });
        assert.equal(reply.status, 401);
        assert.deepEqual(reply.json, unauthorized);
      }
      assert.deepEqual(await milkypayPayments(), []);
    });

    it('refuses a public read with a wrong public_key but allows one without a key', async () => {
      const id = (await publicCreate({})).json.data.id;
      assert.equal((await call(sb.url, `/milkypay/public-api/payment-invoices/${id}?public_key=pk_test_wrong`)).status, 401);
      assert.equal((await call(sb.url, `/milkypay/public-api/payment-invoices/${id}?public_key=${PUBLIC_KEY}`)).status, 200);
      assert.equal((await call(sb.url, `/milkypay/public-api/payment-invoices/${id}`)).status, 200);
    });
  });

  describe('input validation', () => {
    const inFuture = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const rows: Array<[string, Record<string, unknown>, string, string]> = [
      ['a missing amount', { amount: undefined }, 'amount', 'This value should not be blank.'],
      ['a text amount', { amount: 'lots' }, 'amount', 'This value should be of type numeric.'],
      ['a boolean amount', { amount: true }, 'amount', 'This value should be of type numeric.'],
      ['a zero amount', { amount: 0 }, 'amount', 'This value should be greater than 0.'],
      ['a negative amount', { amount: '-5.00' }, 'amount', 'This value should be greater than 0.'],
      ['three decimals in EUR', { amount: 49.999 }, 'amount', 'This value should have at most 2 decimal places for EUR.'],
      ['decimals in JPY', { service: 'payment_card_jpy_hpp', currency: 'JPY', amount: '500.5' }, 'amount', 'This value should have at most 0 decimal places for JPY.'],
      ['an amount over the service maximum', { amount: '15000.01' }, 'amount', 'This value should be between 0.5 and 15000.'],
      ['an amount under the service minimum', { amount: '0.49' }, 'amount', 'This value should be between 0.5 and 15000.'],
      ['a missing currency', { currency: undefined }, 'currency', 'This value should not be blank.'],
      ['a malformed currency', { currency: 'euro' }, 'currency', 'This value is not a valid currency.'],
      ['a currency the service does not take', { currency: 'USD' }, 'currency', 'This value should be equal to "EUR".'],
      ['a missing service', { service: undefined }, 'service', 'This value should not be blank.'],
      ['an unknown service', { service: 'bitcoin_eur_hpp' }, 'service', 'The value you selected is not a valid choice.'],
      ['a service that is not a string', { service: 7 }, 'service', 'This value should be of type string.'],
      ['a missing required service field', { service: 'mbway_eur_hpp' }, 'service_fields.phone', 'This value should not be blank.'],
      ['a service field failing its regexp', { service: 'mbway_eur_hpp', service_fields: { phone: '912345678' } }, 'service_fields.phone', 'This value is not valid.'],
      ['a reference_id that is not a string', { reference_id: 12 }, 'reference_id', 'This value should be of type string.'],
      ['a return_url that is not a URL', { return_url: 'back-to-shop' }, 'return_url', 'This value is not a valid URL.'],
      ['return_urls without pending', { return_urls: { success: 'https://s.example/ok' } }, 'return_urls.pending', 'This value should not be blank.'],
      ['a callback_url that is not http', { callback_url: 'ftp://s.example/cb' }, 'callback_url', 'This value is not a valid URL.'],
      ['a customer without reference_id', { customer: { name: 'Ana' } }, 'customer.reference_id', 'This value should not be blank.'],
      ['an expiry that is not a datetime', { expires: 'tomorrow' }, 'expires', 'This value is not a valid datetime.'],
      ['an expiry under 14 minutes away', { expires: inFuture(5) }, 'expires', 'The expiry should be between 14 minutes and 2 days from the invoice creation.'],
      ['an expiry over 2 days away', { expires: inFuture(3 * 24 * 60) }, 'expires', 'The expiry should be between 14 minutes and 2 days from the invoice creation.'],
      ['a test_mode that is not a boolean', { test_mode: 'yes' }, 'test_mode', 'This value should be of type bool.'],
      ['an unknown flow', { flow: 'capture' }, 'flow', 'The value you selected is not a valid choice.'],
    ];
    for (const [name, attributes, field, message] of rows) {
      it(`refuses ${name} with 422 on both APIs`, async () => {
        const viaPrivate = await privateCreate(attributes);
        assert.equal(viaPrivate.status, 422);
        assert.equal(viaPrivate.json.errors[field], message);
        const viaPublic = await publicCreate(attributes);
        assert.equal(viaPublic.status, 422);
        assert.equal(viaPublic.json.errors[field], message);
        assert.deepEqual(await milkypayPayments(), []);
      });
    }

    it('accepts an expiry inside the window and a valid service field', async () => {
      const reply = await privateCreate({ service: 'mbway_eur_hpp', service_fields: { phone: '+351912345678' }, expires: inFuture(60) });
      assert.equal(reply.status, 201);
    });

    it('answers 400 to a body that is not JSON, and 422 to a private body that is not a payment-invoices resource', async () => {
      const publicBad = await call(sb.url, '/milkypay/public-api/payment-invoices', { raw: '{"public_key": ' });
      assert.equal(publicBad.status, 400);
      assert.equal(publicBad.json.errors[0].code, '400');
      const privateBad = await call(sb.url, '/milkypay/api/payment-invoices', { raw: 'nope', auth: BASIC });
      assert.equal(privateBad.status, 400);
      const flat = await call(sb.url, '/milkypay/api/payment-invoices', { json: { amount: 10 }, auth: BASIC });
      assert.deepEqual([flat.status, flat.json], [422, { errors: { data: 'This value should not be blank.' } }]);
      const wrongType = await call(sb.url, '/milkypay/api/payment-invoices', { json: { data: { type: 'payout-invoices', attributes: {} } }, auth: BASIC });
      assert.deepEqual([wrongType.status, wrongType.json], [422, { errors: { type: 'This value should be equal to "payment-invoices".' } }]);
    });

    it('answers MilkyPay’s 405 for a wrong HTTP method and its 404 for an unknown API path', async () => {
      const put = await call(sb.url, '/milkypay/api/payment-invoices', { method: 'PUT', auth: BASIC });
      assert.deepEqual([put.status, put.json], [405, { errors: [{ status: 'Method Not Allowed', code: '405' }] }]);
      const getPrerequest = await call(sb.url, '/milkypay/public-api/payment-prerequest');
      assert.equal(getPrerequest.status, 405);
      const unknown = await call(sb.url, '/milkypay/api/payment-refunds', { auth: BASIC });
      assert.deepEqual([unknown.status, unknown.json], [404, { errors: [{ status: 'Not Found', code: '404' }] }]);
    });
  });

  describe('reference_id uniqueness', () => {
    it('answers 409 to a second invoice with the same reference_id, across both APIs, naming the first', async () => {
      const first = await publicCreate({ reference_id: 'dup-1' });
      assert.equal(first.status, 201);
      const again = await privateCreate({ reference_id: 'dup-1', amount: 10 });
      assert.equal(again.status, 409);
      assert.equal(again.json.errors[0].code, '409');
      assert.equal(again.json.errors[0].status, 'Conflict');
      assert.match(again.json.errors[0].detail, /dup-1/);
      assert.equal(again.json.data.id, first.json.data.id);
      assert.equal(again.json.data.attributes.amount, 49.9, 'the body carries the previously created invoice');
      const publicAgain = await publicCreate({ reference_id: 'dup-1' });
      assert.equal(publicAgain.status, 409);
      assert.equal(publicAgain.json.data.id, first.json.data.id);
      const formAgain = await call(sb.url, '/milkypay/public-api/payment-invoices/process', {
        form: { public_key: PUBLIC_KEY, reference_id: 'dup-1', service: 'payment_card_eur_hpp', currency: 'EUR', amount: '49.90' },
      });
      assert.equal(formAgain.status, 409);
      assert.equal((await milkypayPayments()).length, 1);
    });
  });

  describe('hosted payment page', () => {
    const urls = { return_url: 'https://shop.example/return', return_urls: { success: 'https://shop.example/ok', pending: 'https://shop.example/wait', fail: 'https://shop.example/ko' } };
    const pageCases: Array<[string, string, string, string]> = [
      ['pay', 'processed', 'ok', 'https://shop.example/ok'],
      ['decline', 'process_failed', 'declined', 'https://shop.example/ko'],
      ['cancel', 'terminated', 'cancelled', 'https://shop.example/ko'],
    ];
    for (const [outcome, status, resolution, location] of pageCases) {
      it(`${outcome} on the page opened through hpp_url → ${status}, browser sent to ${location}`, async () => {
        const created = (await publicCreate(urls)).json.data;
        const page = await call(sb.url, created.hpp_url.slice(sb.url.length));
        assert.equal(page.status, 200);
        assert.match(page.text, /49\.90 EUR/);
        assert.match(page.text, /Kassa demo shop/);
        const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
        assert.equal(action, `${created.hpp_url}/decide`);
        const decided = await call(sb.url, action!.slice(sb.url.length), { form: { token: tokenOf(page.text)!, outcome } });
        assert.equal(decided.status, 303);
        assert.equal(decided.headers.get('location'), location);
        const read = (await privateGet(created.id)).json.data.attributes;
        assert.deepEqual([read.status, read.resolution], [status, resolution]);
        assert.equal(read.processed_amount, outcome === 'pay' ? 49.9 : null);
        assert.equal((await call(sb.url, `/milkypay/public-api/payment-invoices/${created.id}`)).json.data.resolution, resolution.toUpperCase());

        const twice = await call(sb.url, action!.slice(sb.url.length), { form: { token: tokenOf(page.text)!, outcome: 'pay' } });
        assert.equal(twice.status, 409);
        const reopened = await call(sb.url, created.hpp_url.slice(sb.url.length));
        assert.match(reopened.text, new RegExp(`already ${status}`));
      });
    }

    it('opens a form_post service’s page only by submitting its flow_data form', async () => {
      const created = (await privateCreate({ service: 'paypal_eur_hpp', return_url: 'https://shop.example/return' })).json.data;
      const flow = created.attributes.flow_data;
      const path = flow.action.slice(sb.url.length);
      assert.equal((await call(sb.url, path)).status, 405, 'a plain link cannot open it');
      assert.equal((await call(sb.url, path, { form: { token: 'forged' } })).status, 403);
      const page = await call(sb.url, path, { form: flow.params });
      assert.equal(page.status, 200);
      assert.match(page.text, /Pay with PayPal/);
      const decided = await call(sb.url, `${path}/decide`, { form: { token: tokenOf(page.text)!, outcome: 'pay' } });
      assert.equal(decided.headers.get('location'), 'https://shop.example/return', 'return_url when there are no return_urls');
      const forged = await call(sb.url, `${path}/decide`, { form: { token: 'forged', outcome: 'pay' } });
      assert.equal(forged.status, 403);
    });

    it('shows a result page instead of redirecting when the merchant gave no return URL', async () => {
      const created = (await publicCreate({})).json.data;
      const page = await call(sb.url, created.hpp_url.slice(sb.url.length));
      const decided = await call(sb.url, `${created.hpp_url.slice(sb.url.length)}/decide`, { form: { token: tokenOf(page.text)!, outcome: 'pay' } });
      assert.equal(decided.status, 200);
      assert.match(decided.text, /no return URL/);
    });

    it('applies a preset outcome as soon as the page opens', async () => {
      await sb.control('POST', '/outcomes', { provider: 'milkypay', outcome: 'decline' });
      const created = (await publicCreate(urls)).json.data;
      const opened = await call(sb.url, created.hpp_url.slice(sb.url.length));
      assert.equal(opened.status, 303);
      assert.equal(opened.headers.get('location'), 'https://shop.example/ko');
      assert.equal((await privateGet(created.id)).json.data.attributes.status, 'process_failed');
      const other = (await publicCreate({ reference_id: 'next' })).json.data;
      assert.equal((await call(sb.url, other.hpp_url.slice(sb.url.length))).status, 200, 'the preset was for one payment only');
    });

    it('takes the HTML form post (process) and sends the browser on to the page', async () => {
      const card = await call(sb.url, '/milkypay/public-api/payment-invoices/process', {
        form: {
          public_key: PUBLIC_KEY,
          reference_id: 'form-1',
          currency: 'EUR',
          amount: '100',
          service: 'payment_card_eur_hpp',
          'customer[reference_id]': 'cust-1',
          'customer[name]': 'Test Customer',
          'customer[address][full_address]': 'Test Address',
          'return_urls[success]': 'https://shop.example/ok',
          'return_urls[pending]': 'https://shop.example/wait',
        },
      });
      assert.equal(card.status, 303);
      const [invoice] = await milkypayPayments();
      assert.equal(card.headers.get('location'), `${sb.url}/milkypay/hpp/${invoice.id}`);
      assert.equal(invoice.amount, 10000);
      const attributes = (await privateGet(invoice.id)).json.data;
      assert.match(attributes.relationships.customer.data.id, /^cus_/);
      assert.equal(attributes.attributes.source, 'public_api');

      const paypal = await call(sb.url, '/milkypay/public-api/payment-invoices/process', {
        form: { public_key: PUBLIC_KEY, currency: 'USD', amount: '20', service: 'paypal_usd_hpp' },
      });
      assert.equal(paypal.status, 200);
      assert.match(paypal.text, /Pay with PayPal/);
      assert.ok(tokenOf(paypal.text));

      const noCustomerRef = await call(sb.url, '/milkypay/public-api/payment-invoices/process', {
        form: { public_key: PUBLIC_KEY, currency: 'EUR', amount: '5', service: 'payment_card_eur_hpp', 'customer[name]': 'X' },
      });
      assert.equal(noCustomerRef.status, 422);
      assert.equal(noCustomerRef.json.errors['customer.reference_id'], 'This value should not be blank.');
    });
  });

  describe('control API', () => {
    const outcomes: Array<[string, string, string, string | null]> = [
      ['pay', 'processed', 'ok', 'https://shop.example/ok'],
      ['decline', 'process_failed', 'declined', 'https://shop.example/ko'],
      ['cancel', 'terminated', 'cancelled', 'https://shop.example/ko'],
      ['expire', 'expired', 'expired', 'https://shop.example/ko'],
      ['fail', 'process_failed', 'processing_error', 'https://shop.example/ko'],
    ];
    for (const [outcome, status, resolution, redirectUrl] of outcomes) {
      it(`outcome ${outcome} → ${status} / ${resolution}`, async () => {
        const created = (await privateCreate({ return_urls: { success: 'https://shop.example/ok', fail: 'https://shop.example/ko', pending: 'https://shop.example/wait' } })).json.data;
        const result = await sb.control('POST', `/payments/milkypay/${created.id}/outcome`, { outcome });
        assert.deepEqual(result, { status, redirectUrl });
        const read = (await privateGet(created.id)).json.data.attributes;
        assert.deepEqual([read.status, read.resolution], [status, resolution]);
        await assert.rejects(sb.control('POST', `/payments/milkypay/${created.id}/outcome`, { outcome: 'pay' }), /409/);
      });
    }

    it('answers 404 for an unknown invoice and refuses an unknown status', async () => {
      await assert.rejects(sb.control('POST', '/payments/milkypay/cpi_nope/outcome', { outcome: 'pay' }), /404/);
      const created = (await privateCreate({})).json.data;
      await assert.rejects(sb.control('POST', `/payments/milkypay/${created.id}/status`, { status: 'paid' }), /400/);
    });
  });

  describe('callbacks', () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    before(async () => {
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    it('signs every callback with base64(sha1(secret + body + secret)) and sends creation, then the outcome', async () => {
      receiver.received.length = 0;
      const created = (await publicCreate({ reference_id: 'cb-1', callback_url: receiver.url })).json.data;
      await receiver.waitFor(1);
      await sb.control('POST', `/payments/milkypay/${created.id}/outcome`, { outcome: 'pay' });
      await receiver.waitFor(2);
      const statuses = receiver.received.map((r) => {
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['x-signature'], expectedSignature(SECRET, r.body));
        assert.notEqual(r.headers['x-signature'], expectedSignature('another-secret', r.body));
        const body = JSON.parse(r.body);
        assert.equal(body.data.type, 'payment-invoices');
        assert.equal(body.data.id, created.id);
        return body.data.attributes.status;
      });
      assert.deepEqual(statuses, ['process_pending', 'processed']);
      const last = JSON.parse(receiver.received[1]!.body).data.attributes;
      assert.equal(last.processed_amount, 49.9);
      assert.equal(last.payload.payment_card.mask, '551928******0000');

      const logs = Object.values<any>((await privateGet(created.id)).json.data.attributes.callback_logs);
      assert.deepEqual(
        logs.map((l) => [l.transaction_status, l.response_code, l.status]),
        [['process_pending', 200, 'done'], ['processed', 200, 'done']],
      );
    });

    it('sends a callback for a drill status with the amounts it implies, and signs live-mode invoices too', async () => {
      receiver.received.length = 0;
      const created = (await privateCreate({ callback_url: receiver.url, test_mode: false })).json.data;
      await sb.control('POST', `/payments/milkypay/${created.id}/status`, { status: 'processed' });
      await sb.control('POST', `/payments/milkypay/${created.id}/status`, { status: 'refunded' });
      await receiver.waitFor(3);
      const last = receiver.received[2]!;
      assert.equal(last.headers['x-signature'], expectedSignature(SECRET, last.body));
      const attributes = JSON.parse(last.body).data.attributes;
      assert.deepEqual([attributes.status, attributes.refunded_amount, attributes.test_mode], ['refunded', 49.9, false]);
      const deliveries = (await sb.control('GET', '/webhooks?provider=milkypay')).webhooks;
      assert.equal(deliveries.length, 3);
      assert.ok(deliveries.every((d: any) => d.status === 200 && d.paymentId === created.id));
    });

    it('sends nothing when the invoice has no callback_url', async () => {
      const created = (await privateCreate({})).json.data;
      await sb.control('POST', `/payments/milkypay/${created.id}/outcome`, { outcome: 'pay' });
      assert.deepEqual((await sb.control('GET', '/webhooks?provider=milkypay')).webhooks, []);
    });
  });

  describe('faults and counting', () => {
    const createCalls: Array<[string, () => Promise<Reply>]> = [
      ['public create', () => publicCreate({})],
      ['private create', () => privateCreate({})],
      ['form post', () => call(sb.url, '/milkypay/public-api/payment-invoices/process', { form: { public_key: PUBLIC_KEY, service: 'payment_card_eur_hpp', currency: 'EUR', amount: '5' } })],
    ];
    for (const [name, run] of createCalls) {
      it(`a create fault fails the ${name} and creates nothing, while reads still work`, async () => {
        await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'create', kind: 'error', status: 500 });
        const reply = await run();
        assert.equal(reply.status, 500);
        assert.deepEqual(await milkypayPayments(), []);
        const prerequest = await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: { public_key: PUBLIC_KEY, currency: 'EUR' } });
        assert.equal(prerequest.status, 200);
        const retry = await run();
        assert.ok([201, 303].includes(retry.status), `the one-shot fault is used up (got ${retry.status})`);
        assert.equal((await milkypayPayments()).length, 1);
      });
    }

    it('a status fault fails the public read, the private read and the list', async () => {
      const id = (await privateCreate({ reference_id: 'st-1' })).json.data.id;
      await sb.control('POST', '/faults', { provider: 'milkypay', operation: 'status', kind: 'error', status: 503, times: 3 });
      assert.equal((await call(sb.url, `/milkypay/public-api/payment-invoices/${id}`)).status, 503);
      assert.equal((await privateGet(id)).status, 503);
      assert.equal((await call(sb.url, '/milkypay/api/payment-invoices?filter[reference_id]=st-1', { auth: BASIC })).status, 503);
      assert.equal((await privateGet(id)).status, 200);
    });

    it('counts every operation under its name', async () => {
      await publicCreate({});
      await privateCreate({});
      await call(sb.url, '/milkypay/public-api/payment-prerequest', { json: { public_key: PUBLIC_KEY, currency: 'EUR' } });
      await call(sb.url, '/milkypay/api/payment-services', { auth: BASIC });
      const creates = await sb.control('GET', '/requests?provider=milkypay&operation=createPaymentInvoice');
      assert.equal(creates.count, 2);
      const all = await sb.control('GET', '/requests?provider=milkypay');
      assert.deepEqual(all.requests.map((r: any) => r.operation), ['createPaymentInvoice', 'createPaymentInvoice', 'paymentPrerequest', 'listPaymentServices']);
    });
  });

  describe('payment services (private)', () => {
    it('lists the account’s services in pages and reads one by id, as the seed shows them', async () => {
      const page = await call(sb.url, '/milkypay/api/payment-services?page[size]=5', { auth: BASIC });
      assert.equal(page.status, 200);
      assert.deepEqual(page.json.meta, { total: 12, pages: 3, page: 1 });
      assert.equal(page.json.data.length, 5);
      assert.equal(page.json.links.next, '/milkypay/api/payment-services?page[number]=2&page[size]=5');
      const one = await call(sb.url, '/milkypay/api/payment-services/comcps_u1xxlHVw1NyeqmjJ', { auth: BASIC });
      assert.equal(one.status, 200);
      assert.equal(one.json.data.type, 'payment-services');
      assert.equal(one.json.data.attributes.service, 'payment_card_usd_hpp');
      assert.equal(one.json.data.attributes.amount_max, 1000000);
      assert.equal(one.json.data.relationships['payment-method'].data.id, 'payment_card');
      assert.equal((await call(sb.url, '/milkypay/api/payment-services/comcps_nope', { auth: BASIC })).status, 404);
    });
  });
});

/** A MilkyPay simulator alone on its own server, for account settings the shared sandbox keeps at their defaults. */
async function startAlone(overrides: Partial<MilkyPayConfig>) {
  const router = new Router();
  let base = '';
  const ctx: SandboxContext = {
    router,
    baseUrl: () => base,
    faults: new Faults(),
    webhooks: new Webhooks(),
    presets: new PresetOutcomes(),
    onUpgrade: () => {},
    record: () => {},
  };
  create(ctx, { ...MILKYPAY_DEFAULTS, ...overrides });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (!('handler' in found)) return void res.writeHead(404).end();
    await found.handler(await readRequest(req, found.params, base), res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, ctx, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('MilkyPay account settings', () => {
  it('refuses public invoice creation with 403 when the account forbids it, but not private creation', async () => {
    const alone = await startAlone({ forbidPublicCreation: true });
    try {
      const viaPublic = await call(alone.base, '/milkypay/public-api/payment-invoices', {
        json: { public_key: PUBLIC_KEY, service: 'payment_card_eur_hpp', currency: 'EUR', amount: 10 },
      });
      assert.deepEqual([viaPublic.status, viaPublic.json], [403, { errors: [{ status: 'Forbidden', code: '403' }] }]);
      const viaPrivate = await call(alone.base, '/milkypay/api/payment-invoices', {
        auth: BASIC,
        json: { data: { type: 'payment-invoices', attributes: { service: 'payment_card_eur_hpp', currency: 'EUR', amount: 10 } } },
      });
      assert.equal(viaPrivate.status, 201);
    } finally {
      await alone.close();
    }
  });

  it('expires an invoice whose lifetime is over on the next read, with a callback to the account-level URL', async () => {
    const receiver = await startReceiver();
    const alone = await startAlone({ defaultInvoiceLifetimeMs: 30, accountCallbackUrl: receiver.url });
    try {
      const created = await call(alone.base, '/milkypay/api/payment-invoices', {
        auth: BASIC,
        json: { data: { type: 'payment-invoices', attributes: { service: 'payment_card_eur_hpp', currency: 'EUR', amount: 10 } } },
      });
      await new Promise((resolve) => setTimeout(resolve, 40));
      const read = await call(alone.base, `/milkypay/api/payment-invoices/${created.json.data.id}`, { auth: BASIC });
      assert.deepEqual([read.json.data.attributes.status, read.json.data.attributes.resolution], ['expired', 'expired']);
      await receiver.waitFor(2);
      assert.deepEqual(receiver.received.map((r) => JSON.parse(r.body).data.attributes.status), ['process_pending', 'expired']);
    } finally {
      await alone.close();
      await receiver.close();
    }
  });
});

describe('MilkyPay helpers', () => {
  it('reads Basic credentials strictly', () => {
    const header = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
    assert.equal(checkBasicAuth(header('sandbox-account:sandbox-milkypay-key'), MILKYPAY_DEFAULTS), 'ok');
    assert.equal(checkBasicAuth(header('sandbox-account:sandbox-milkypay-key:x'), MILKYPAY_DEFAULTS), 'unauthorized');
    assert.equal(checkBasicAuth(header('sandbox-account'), MILKYPAY_DEFAULTS), 'unauthorized');
    assert.equal(checkBasicAuth(undefined, MILKYPAY_DEFAULTS), 'unauthorized');
  });

  it('reads PHP-style form names into nested objects without touching prototypes', () => {
    const parsed = formToObject(new URLSearchParams('a=1&customer[address][city]=Porto&customer[name]=Ana&__proto__[x]=1&b[constructor][y]=2'));
    assert.deepEqual(parsed, { a: '1', customer: { address: { city: 'Porto' }, name: 'Ana' }, b: {} });
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('pages with cursors either way', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    assert.deepEqual(cursorPage(items, 2, null, null).page.map((i) => i.id), ['a', 'b']);
    assert.deepEqual(cursorPage(items, 2, 'b', null), { page: [{ id: 'c' }, { id: 'd' }], hasPrevious: true, hasNext: true });
    assert.deepEqual(cursorPage(items, 2, null, 'c'), { page: [{ id: 'a' }, { id: 'b' }], hasPrevious: false, hasNext: true });
    assert.deepEqual(cursorPage(items, 2, 'd', null), { page: [{ id: 'e' }], hasPrevious: true, hasNext: false });
  });
});
