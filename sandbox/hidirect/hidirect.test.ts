import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useSandbox } from '../testing.ts';
import { Clock } from './clock.ts';
import { AUTHORISATION_LIFETIME_MS } from './config.ts';
import { authorisationLapsed, canDecide, decisionPath, refusalForManualAction, ulid } from './state.ts';

const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000;

const KEY = 'sandbox-hidirect-key';
const URLS = {
  successRedirect: 'https://shop.example/success',
  failureRedirect: 'https://shop.example/failure',
  cancelRedirect: 'https://shop.example/cancel',
};

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant's callback endpoint: keeps every request, answers 200. */
class Receiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private waiters: Array<() => void> = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Deliveries to one path (each test uses its own, so late deliveries of an earlier test do not count). */
  async waitFor(path: string, count: number): Promise<Received[]> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const hits = this.received.filter((r) => r.path === path);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) assert.fail(`expected ${count} callbacks on ${path}, got ${hits.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('hi.health HiDirect simulator', () => {
  const sandbox = useSandbox();
  const receiver = new Receiver();
  let callbackCounter = 0;

  before(() => receiver.start());
  after(() => receiver.close());

  async function call(method: string, path: string, init: { body?: unknown; raw?: Buffer | string; key?: string | null; type?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    const key = init.key === undefined ? KEY : init.key;
    if (key !== null) headers['x-api-key'] = key;
    let body: BodyInit | undefined;
    if (init.raw !== undefined) body = typeof init.raw === 'string' ? init.raw : new Uint8Array(init.raw);
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  function newCallbackPath(): string {
    return `/callback/${++callbackCounter}`;
  }

  async function createPayment(extra: Record<string, unknown> = {}): Promise<any> {
    const reply = await call('POST', '/hidirect/payments', {
      body: { amount: { total: 49.9, currency: 'EUR' }, merchantReference: 'A-1001', merchantUrls: URLS, ...extra },
    });
    assert.equal(reply.status, 201, reply.text);
    return reply.json;
  }

  async function statusOf(id: string): Promise<string> {
    const reply = await call('GET', `/hidirect/payments/${id}`);
    assert.equal(reply.status, 200, reply.text);
    return reply.json.status;
  }

  /** Opens the checkout as a browser would and reads its form. */
  async function openCheckout(token: string): Promise<{ status: number; html: string; location: string | null; action?: string; fields?: Record<string, string> }> {
    const response = await fetch(`${sandbox.url}/hidirect/pay?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]+)">/g)].map((m) => [m[1]!, m[2]!]));
    return { status: response.status, html, location: response.headers.get('location'), action: action?.replaceAll('&amp;', '&'), fields };
  }

  async function pressButton(action: string, fields: Record<string, string>, outcome: string): Promise<Response> {
    const form = new URLSearchParams({ ...fields, outcome });
    return fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
  }

  async function publicKeyPem(): Promise<string> {
    const reply = await call('GET', '/hidirect/public-key.pem', { key: null });
    assert.equal(reply.status, 200);
    return reply.text;
  }

  function decodeJwtPart(part: string): any {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  }

  describe('POST /payments', () => {
    it('creates an INITIAL payment in major units with a one-time ES512 token naming it', async () => {
      const payment = await createPayment({ amount: { total: 49.9, currency: 'eur' }, prescriptionRequired: true });
      assert.deepEqual(Object.keys(payment), [
        'amount', 'currency', 'createdAt', 'customerInformation', 'id', 'merchantReference', 'merchantUrls',
        'amountDetails', 'prescriptionRequired', 'status', 'updatedAt', 'token',
      ]);
      assert.equal(payment.amount, 49.9);
      assert.equal(payment.currency, 'EUR');
      assert.equal(payment.status, 'INITIAL');
      assert.equal(payment.updatedAt, null);
      assert.equal(payment.merchantReference, 'A-1001');
      assert.equal(payment.prescriptionRequired, true);
      assert.deepEqual(payment.customerInformation, {});
      assert.deepEqual(payment.amountDetails, { tax: 0, shipping: 0, subtotal: 49.9 });
      assert.deepEqual(payment.merchantUrls, { cancelRedirect: URLS.cancelRedirect, failureRedirect: URLS.failureRedirect, successRedirect: URLS.successRedirect });
      assert.match(payment.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.ok(!Number.isNaN(Date.parse(payment.createdAt)));

      const [header, claims] = payment.token.split('.').slice(0, 2).map(decodeJwtPart);
      assert.deepEqual(header, { alg: 'ES512', typ: 'JWT' });
      assert.equal(claims.id, payment.id);
      assert.equal(claims.amount, 4990, 'the token carries minor units, as in the seed');
      assert.equal(claims.status, 'INITIAL');
      assert.equal(claims.iss, 'https://hi.health');
      assert.equal(claims.exp - claims.iat, 7_200_000, 'iat/exp in milliseconds, 2 hours apart');
      assert.equal(claims.merchantUrls.callback, undefined);
      assert.equal(claims.merchantUrls.successRedirect, URLS.successRedirect);
    });

    it('keeps the amount breakdown, the capture mode default and a 40-character reference', async () => {
      const reference = 'R'.repeat(40);
      const payment = await createPayment({ merchantReference: reference, amountDetails: { tax: 2, shipping: 10, subtotal: 37.9 } });
      assert.equal(payment.merchantReference, reference);
      assert.deepEqual(payment.amountDetails, { tax: 2, shipping: 10, subtotal: 37.9 });
      // AUTO capture: paying settles at once.
      assert.equal((await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' })).status, 'SETTLED');
    });

    const invalid: Array<[name: string, body: unknown, field: string]> = [
      ['an array body', [], 'body'],
      ['no amount', { merchantUrls: URLS }, 'amount'],
      ['amount not an object', { amount: 10, merchantUrls: URLS }, 'amount'],
      ['no total', { amount: { currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['total as a string', { amount: { total: '49.90', currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['total zero', { amount: { total: 0, currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['total negative', { amount: { total: -5, currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['total with 3 decimals', { amount: { total: 10.005, currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['total over the limit', { amount: { total: 10000.01, currency: 'EUR' }, merchantUrls: URLS }, 'amount.total'],
      ['no currency', { amount: { total: 10 }, merchantUrls: URLS }, 'amount.currency'],
      ['an unsupported currency', { amount: { total: 10, currency: 'USD' }, merchantUrls: URLS }, 'amount.currency'],
      ['a 41-character reference', { amount: { total: 10, currency: 'EUR' }, merchantReference: 'R'.repeat(41), merchantUrls: URLS }, 'merchantReference'],
      ['a numeric reference', { amount: { total: 10, currency: 'EUR' }, merchantReference: 1001, merchantUrls: URLS }, 'merchantReference'],
      ['no merchantUrls', { amount: { total: 10, currency: 'EUR' } }, 'merchantUrls'],
      ['no successRedirect', { amount: { total: 10, currency: 'EUR' }, merchantUrls: { ...URLS, successRedirect: undefined } }, 'merchantUrls.successRedirect'],
      ['a relative cancelRedirect', { amount: { total: 10, currency: 'EUR' }, merchantUrls: { ...URLS, cancelRedirect: '/cancel' } }, 'merchantUrls.cancelRedirect'],
      ['a javascript: failureRedirect', { amount: { total: 10, currency: 'EUR' }, merchantUrls: { ...URLS, failureRedirect: 'javascript:alert(1)' } }, 'merchantUrls.failureRedirect'],
      ['a callback that is no URL', { amount: { total: 10, currency: 'EUR' }, merchantUrls: { ...URLS, callback: 'nope' } }, 'merchantUrls.callback'],
      ['prescriptionRequired as a string', { amount: { total: 10, currency: 'EUR' }, merchantUrls: URLS, prescriptionRequired: 'yes' }, 'prescriptionRequired'],
      ['an unknown cardCaptureMode', { amount: { total: 10, currency: 'EUR' }, merchantUrls: URLS, cardCaptureMode: 'manual' }, 'cardCaptureMode'],
      ['an empty merchantId', { amount: { total: 10, currency: 'EUR' }, merchantUrls: URLS, merchantId: '' }, 'merchantId'],
      ['a negative tax', { amount: { total: 10, currency: 'EUR' }, merchantUrls: URLS, amountDetails: { tax: -1 } }, 'amountDetails.tax'],
    ];
    for (const [name, body, field] of invalid) {
      it(`answers 400 naming ${field} for ${name}`, async () => {
        const reply = await call('POST', '/hidirect/payments', { body });
        assert.equal(reply.status, 400, reply.text);
        assert.equal(reply.json.message, 'Invalid request body');
        assert.deepEqual(reply.json.errors.map((e: { field: string }) => e.field), [field]);
        assert.deepEqual(await sandbox.control('GET', '/payments?provider=hidirect'), { payments: [] });
      });
    }

    it('answers 400 for a body that is not JSON', async () => {
      const reply = await call('POST', '/hidirect/payments', { raw: '{"amount":', type: 'application/json' });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.json.errors, [{ field: 'body', message: 'must be valid JSON' }]);
    });

    it('has no idempotency: the same body twice makes two payments with two tokens', async () => {
      const first = await createPayment();
      const second = await createPayment();
      assert.notEqual(first.id, second.id);
      assert.notEqual(first.token, second.token);
      const { payments } = await sandbox.control('GET', '/payments?provider=hidirect');
      assert.equal(payments.length, 2);
      assert.deepEqual(payments.map((p: { reference: string }) => p.reference), ['A-1001', 'A-1001']);
    });
  });

  describe('auth', () => {
    const operations: Array<[name: string, method: string, path: (id: string) => string]> = [
      ['create', 'POST', () => '/hidirect/payments'],
      ['fetch', 'GET', (id) => `/hidirect/payments/${id}`],
      ['capture', 'POST', (id) => `/hidirect/payments/${id}/capture`],
      ['cancel', 'POST', (id) => `/hidirect/payments/${id}/cancel`],
      ['upload', 'POST', (id) => `/hidirect/payments/${id}/document/INVOICE`],
    ];
    for (const [name, method, path] of operations) {
      for (const [label, key] of [['a missing', null], ['a wrong', 'sandbox-hidirect-key-x']] as const) {
        it(`refuses ${name} with ${label} x-api-key: 403 {"message":"Forbidden"}`, async () => {
          const payment = await createPayment({ cardCaptureMode: 'MANUAL' });
          await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });
          const body = method === 'POST' ? { raw: '%PDF-1.4', type: 'application/pdf' } : {};
          const reply = await call(method, path(payment.id), { key, ...body });
          assert.equal(reply.status, 403);
          assert.deepEqual(reply.json, { message: 'Forbidden' });
          assert.equal(await statusOf(payment.id), 'AUTHORISED', 'nothing changed');
        });
      }
    }

    it('serves the public key without an API key', async () => {
      assert.match(await publicKeyPem(), /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    });
  });

  describe('GET /payments/{id}', () => {
    it('returns the payment without its token', async () => {
      const created = await createPayment();
      const reply = await call('GET', `/hidirect/payments/${created.id}`);
      assert.equal(reply.status, 200);
      const { token, ...rest } = created;
      assert.ok(token);
      assert.deepEqual(reply.json, rest);
    });

    it('answers 404 for an unknown id', async () => {
      const reply = await call('GET', '/hidirect/payments/01F8YJG175R7JP223G76N7X75N');
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.json, { message: 'Payment not found' });
    });
  });

  describe('hosted checkout', () => {
    const pageOutcomes: Array<[outcome: string, mode: string, status: string, location: string]> = [
      ['pay', 'AUTO', 'SETTLED', URLS.successRedirect],
      ['pay', 'MANUAL', 'AUTHORISED', URLS.successRedirect],
      ['decline', 'AUTO', 'DENIED', URLS.failureRedirect],
      ['cancel', 'AUTO', 'CANCELLED', URLS.cancelRedirect],
      ['cancel', 'MANUAL', 'CANCELLED', URLS.cancelRedirect],
    ];
    for (const [outcome, mode, status, location] of pageOutcomes) {
      it(`${outcome} (${mode}) on the page's form → ${status}, browser to ${location}`, async () => {
        const path = newCallbackPath();
        const payment = await createPayment({ cardCaptureMode: mode, merchantUrls: { ...URLS, callback: receiver.url + path } });
        const page = await openCheckout(payment.token);
        assert.equal(page.status, 200);
        assert.match(page.html, /49\.90 EUR/);
        assert.equal(await statusOf(payment.id), 'CLAIMED', 'opening the checkout claims the payment');
        const response = await pressButton(page.action!, page.fields!, outcome);
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), location, 'no query parameters are added');
        assert.equal(await statusOf(payment.id), status);
        const statuses = (await receiver.waitFor(path, 3)).map((r) => JSON.parse(r.body).status);
        assert.deepEqual(statuses, ['INITIAL', 'CLAIMED', status]);
      });
    }

    it('opens once: a second visit says the link was already used', async () => {
      const payment = await createPayment();
      assert.equal((await openCheckout(payment.token)).status, 200);
      const again = await openCheckout(payment.token);
      assert.equal(again.status, 410);
      assert.match(again.html, /already been used/);
      assert.equal(again.action, undefined, 'no buttons');
    });

    it('refuses a missing, tampered or foreign token', async () => {
      const payment = await createPayment();
      const missing = await fetch(`${sandbox.url}/hidirect/pay`);
      assert.equal(missing.status, 400);
      await missing.body?.cancel();
      const [header, claims, signature] = payment.token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...decodeJwtPart(claims), amount: 1 })).toString('base64url');
      assert.equal((await openCheckout(`${header}.${forged}.${signature}`)).status, 404);
      assert.equal((await openCheckout('not-a-jwt')).status, 404);
      assert.equal(await statusOf(payment.id), 'INITIAL');
    });

    it('refuses a form post without the token the page carried', async () => {
      const payment = await createPayment();
      const page = await openCheckout(payment.token);
      const response = await pressButton(page.action!, { token: 'guess' }, 'pay');
      assert.equal(response.status, 403);
      assert.equal(await statusOf(payment.id), 'CLAIMED');
    });

    it('answers 409 when a button is pressed on a finished payment', async () => {
      const payment = await createPayment();
      const page = await openCheckout(payment.token);
      assert.equal((await pressButton(page.action!, page.fields!, 'pay')).status, 303);
      const second = await pressButton(page.action!, page.fields!, 'cancel');
      assert.equal(second.status, 409);
      assert.equal(await statusOf(payment.id), 'SETTLED');
    });

    it('applies an outcome preset for the next payment as soon as the page opens', async () => {
      await sandbox.control('POST', '/outcomes', { provider: 'hidirect', outcome: 'decline' });
      const payment = await createPayment();
      const page = await openCheckout(payment.token);
      assert.equal(page.status, 303);
      assert.equal(page.location, URLS.failureRedirect);
      assert.equal(await statusOf(payment.id), 'DENIED');
      // Only the next payment: the one after it shows the page.
      const next = await createPayment();
      assert.equal((await openCheckout(next.token)).status, 200);
    });

    it('applies an outcome preset for one payment', async () => {
      const payment = await createPayment();
      await sandbox.control('POST', '/outcomes', { provider: 'hidirect', outcome: 'cancel', paymentId: payment.id });
      const page = await openCheckout(payment.token);
      assert.equal(page.location, URLS.cancelRedirect);
      assert.equal(await statusOf(payment.id), 'CANCELLED');
    });

    it('lists the payment for the control API with its amount in cents and its checkout URL', async () => {
      const payment = await createPayment();
      const { payments } = await sandbox.control('GET', '/payments?provider=hidirect');
      assert.equal(payments.length, 1);
      const [summary] = payments;
      assert.deepEqual(
        { ...summary, pageUrl: undefined },
        { provider: 'hidirect', id: payment.id, status: 'INITIAL', amount: 4990, currency: 'EUR', reference: 'A-1001', pageUrl: undefined, createdAt: payment.createdAt },
      );
      const response = await fetch(summary.pageUrl);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    });
  });

  describe('control API outcomes', () => {
    const outcomes: Array<[outcome: string, mode: string, status: string, redirectUrl: string | null, path: string[]]> = [
      ['pay', 'AUTO', 'SETTLED', URLS.successRedirect, ['INITIAL', 'CLAIMED', 'SETTLED']],
      ['pay', 'MANUAL', 'AUTHORISED', URLS.successRedirect, ['INITIAL', 'CLAIMED', 'AUTHORISED']],
      ['decline', 'AUTO', 'DENIED', URLS.failureRedirect, ['INITIAL', 'CLAIMED', 'DENIED']],
      ['fail', 'AUTO', 'DENIED', URLS.failureRedirect, ['INITIAL', 'CLAIMED', 'DENIED']],
      ['cancel', 'AUTO', 'CANCELLED', URLS.cancelRedirect, ['INITIAL', 'CLAIMED', 'CANCELLED']],
      ['expire', 'AUTO', 'CANCELLED', null, ['INITIAL', 'CANCELLED']],
    ];
    for (const [outcome, mode, status, redirectUrl, path] of outcomes) {
      it(`${outcome} (${mode}) → ${status}`, async () => {
        const callback = newCallbackPath();
        const payment = await createPayment({ cardCaptureMode: mode, merchantUrls: { ...URLS, callback: receiver.url + callback } });
        const result = await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome });
        assert.deepEqual(result, { status, redirectUrl });
        assert.equal(await statusOf(payment.id), status);
        // decide() resolves after its callbacks were answered.
        assert.deepEqual(receiver.received.filter((r) => r.path === callback).map((r) => JSON.parse(r.body).status), path);
        assert.equal((await openCheckout(payment.token)).status, 410, 'the link is spent');
      });
    }

    it('refuses to decide a final payment (409) and an unknown one (404)', async () => {
      const payment = await createPayment();
      await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'decline' });
      await assert.rejects(sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' }), /→ 409/);
      await assert.rejects(sandbox.control('POST', '/payments/hidirect/NOPE/outcome', { outcome: 'pay' }), /→ 404/);
      assert.equal(await statusOf(payment.id), 'DENIED');
    });

    it('lets an uncaptured authorisation expire into CANCELLED (the 7-day auto-cancel), and nothing else', async () => {
      const payment = await createPayment({ cardCaptureMode: 'MANUAL' });
      await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });
      await assert.rejects(sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'decline' }), /→ 409/);
      assert.deepEqual(await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'expire' }), { status: 'CANCELLED', redirectUrl: null });
    });

    it('sets any HiDirect status as a drill, with its callback, and refuses an unknown one', async () => {
      const callback = newCallbackPath();
      const payment = await createPayment({ merchantUrls: { ...URLS, callback: receiver.url + callback } });
      assert.deepEqual(await sandbox.control('POST', `/payments/hidirect/${payment.id}/status`, { status: 'PENDING' }), { status: 'PENDING' });
      assert.equal(await statusOf(payment.id), 'PENDING');
      const last = (await receiver.waitFor(callback, 2)).at(-1)!;
      assert.equal(JSON.parse(last.body).status, 'PENDING');
      await assert.rejects(sandbox.control('POST', `/payments/hidirect/${payment.id}/status`, { status: 'PAID' }), /→ 400/);
    });
  });

  describe('webhooks', () => {
    it('signs every callback with RSA-SHA256, verifiable with the key from /hidirect/public-key.pem', async () => {
      const callback = newCallbackPath();
      const payment = await createPayment({ merchantUrls: { ...URLS, callback: receiver.url + callback } });
      const page = await openCheckout(payment.token);
      await pressButton(page.action!, page.fields!, 'pay');
      const deliveries = await receiver.waitFor(callback, 3);
      const pem = await publicKeyPem();

      for (const delivery of deliveries) {
        assert.equal(delivery.headers['hi-api-signature-format'], 'base64');
        assert.equal(delivery.headers['hi-api-hash-algorithm'], 'SHA256');
        assert.equal(delivery.headers['content-type'], 'application/json');
        const signature = Buffer.from(String(delivery.headers['hi-api-signature']), 'base64');
        assert.equal(verify('sha256', Buffer.from(delivery.body, 'utf8'), pem, signature), true);
        // A changed body must not verify, or the check above proves nothing.
        assert.equal(verify('sha256', Buffer.from(delivery.body.replace('EUR', 'USD'), 'utf8'), pem, signature), false);
      }

      const bodies = deliveries.map((d) => JSON.parse(d.body));
      assert.deepEqual(Object.keys(bodies[0]), ['amount', 'currency', 'createdAt', 'id', 'merchantReference', 'prescriptionRequired', 'status', 'updatedAt']);
      assert.deepEqual(bodies[0], {
        amount: 4990,
        currency: 'EUR',
        createdAt: payment.createdAt,
        id: payment.id,
        merchantReference: 'A-1001',
        prescriptionRequired: false,
        status: 'INITIAL',
        updatedAt: null,
      });
      assert.deepEqual(bodies.map((b) => b.status), ['INITIAL', 'CLAIMED', 'SETTLED']);
      assert.ok(bodies.slice(1).every((b) => typeof b.updatedAt === 'string'));
    });

    it('sends nothing when the payment has no callback URL', async () => {
      const payment = await createPayment();
      await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });
      assert.deepEqual((await sandbox.control('GET', '/webhooks?provider=hidirect')).webhooks, []);
    });
  });

  describe('capture and cancel (cardCaptureMode MANUAL)', () => {
    async function authorised(callback?: string): Promise<any> {
      const urls = callback ? { ...URLS, callback: receiver.url + callback } : URLS;
      const payment = await createPayment({ cardCaptureMode: 'MANUAL', merchantUrls: urls });
      await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });
      return payment;
    }

    it('captures an AUTHORISED payment into SETTLED, once', async () => {
      const callback = newCallbackPath();
      const payment = await authorised(callback);
      const reply = await call('POST', `/hidirect/payments/${payment.id}/capture`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.status, 'SETTLED');
      assert.equal(reply.json.amount, 49.9);
      assert.equal(JSON.parse((await receiver.waitFor(callback, 4))[3]!.body).status, 'SETTLED');
      const again = await call('POST', `/hidirect/payments/${payment.id}/capture`);
      assert.equal(again.status, 409);
      assert.match(again.json.message, /SETTLED/);
    });

    it('cancels an AUTHORISED payment into CANCELLED, once', async () => {
      const payment = await authorised();
      const reply = await call('POST', `/hidirect/payments/${payment.id}/cancel`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.status, 'CANCELLED');
      assert.equal((await call('POST', `/hidirect/payments/${payment.id}/cancel`)).status, 409);
      assert.equal((await call('POST', `/hidirect/payments/${payment.id}/capture`)).status, 409);
    });

    it('refuses to cancel a captured payment, and to capture a cancelled one, and changes neither', async () => {
      const captured = await authorised();
      assert.equal((await call('POST', `/hidirect/payments/${captured.id}/capture`)).status, 200);
      assert.equal((await call('POST', `/hidirect/payments/${captured.id}/cancel`)).status, 409);
      assert.equal(await statusOf(captured.id), 'SETTLED');
      const cancelled = await authorised();
      assert.equal((await call('POST', `/hidirect/payments/${cancelled.id}/cancel`)).status, 200);
      const reply = await call('POST', `/hidirect/payments/${cancelled.id}/capture`);
      assert.equal(reply.status, 409);
      assert.match(reply.json.message, /CANCELLED/);
      assert.equal(await statusOf(cancelled.id), 'CANCELLED');
    });

    it('sends the callback of a cancel, as of a capture', async () => {
      const callback = newCallbackPath();
      const payment = await authorised(callback);
      await call('POST', `/hidirect/payments/${payment.id}/cancel`);
      const deliveries = await receiver.waitFor(callback, 4);
      assert.deepEqual(deliveries.map((d) => JSON.parse(d.body).status), ['INITIAL', 'CLAIMED', 'AUTHORISED', 'CANCELLED']);
    });

    it('still captures an authorisation a moment before its 7 days are up', async () => {
      const payment = await authorised();
      await sandbox.control('POST', '/hidirect/clock', { advanceMs: SEVEN_DAYS - 60_000 });
      assert.equal(await statusOf(payment.id), 'AUTHORISED');
      assert.equal((await call('POST', `/hidirect/payments/${payment.id}/capture`)).status, 200);
      assert.equal(await statusOf(payment.id), 'SETTLED');
    });

    it('cancels an authorisation left uncaptured for 7 days, with its callback, and refuses to capture it then', async () => {
      const callback = newCallbackPath();
      const payment = await authorised(callback);
      const moved = await sandbox.control('POST', '/hidirect/clock', { advanceMs: SEVEN_DAYS });
      assert.deepEqual(moved.cancelled, [payment.id]);
      assert.equal(moved.offsetMs, SEVEN_DAYS);
      // The callback went out when the clock moved, before anyone asked.
      const deliveries = receiver.received.filter((r) => r.path === callback).map((r) => JSON.parse(r.body));
      assert.deepEqual(deliveries.map((b) => b.status), ['INITIAL', 'CLAIMED', 'AUTHORISED', 'CANCELLED']);
      assert.ok(Date.parse(deliveries[3].updatedAt) - Date.parse(deliveries[2].updatedAt) >= SEVEN_DAYS);
      const capture = await call('POST', `/hidirect/payments/${payment.id}/capture`);
      assert.equal(capture.status, 409);
      assert.match(capture.json.message, /CANCELLED/);
      assert.equal((await call('POST', `/hidirect/payments/${payment.id}/cancel`)).status, 409);
      assert.equal(await statusOf(payment.id), 'CANCELLED');
      const [listed] = (await sandbox.control('GET', '/payments?provider=hidirect')).payments;
      assert.equal(listed.status, 'CANCELLED');
    });

    it('leaves settled, open and AUTO payments alone when 7 days pass', async () => {
      const settled = await authorised();
      await call('POST', `/hidirect/payments/${settled.id}/capture`);
      const open = await createPayment({ cardCaptureMode: 'MANUAL' });
      const auto = await createPayment();
      await sandbox.control('POST', `/payments/hidirect/${auto.id}/outcome`, { outcome: 'pay' });
      const moved = await sandbox.control('POST', '/hidirect/clock', { advanceMs: 30 * 24 * 60 * 60 * 1000 });
      assert.deepEqual(moved.cancelled, []);
      assert.deepEqual([await statusOf(settled.id), await statusOf(open.id), await statusOf(auto.id)], ['SETTLED', 'INITIAL', 'SETTLED']);
    });

    const refused: Array<[name: string, mode: string, outcome: string | null]> = [
      ['a MANUAL payment not yet authorised', 'MANUAL', null],
      ['an AUTO payment that settled', 'AUTO', 'pay'],
      ['a declined MANUAL payment', 'MANUAL', 'decline'],
    ];
    for (const [name, mode, outcome] of refused) {
      for (const action of ['capture', 'cancel']) {
        it(`refuses to ${action} ${name} (409)`, async () => {
          const payment = await createPayment({ cardCaptureMode: mode });
          if (outcome) await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome });
          const before = await statusOf(payment.id);
          const reply = await call('POST', `/hidirect/payments/${payment.id}/${action}`);
          assert.equal(reply.status, 409);
          assert.equal(typeof reply.json.message, 'string');
          assert.equal(await statusOf(payment.id), before);
        });
      }
    }

    it('answers 404 for an unknown payment', async () => {
      assert.equal((await call('POST', '/hidirect/payments/NOPE/capture')).status, 404);
      assert.equal((await call('POST', '/hidirect/payments/NOPE/cancel')).status, 404);
    });
  });

  describe('document upload', () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

    for (const type of ['OTHER', 'INVOICE', 'PRESCRIPTION', 'CERTIFICATE', 'TEST_RESULT']) {
      it(`stores a ${type} PDF`, async () => {
        const payment = await createPayment();
        const reply = await call('POST', `/hidirect/payments/${payment.id}/document/${type}`, { raw: pdf, type: 'application/pdf' });
        assert.equal(reply.status, 201, reply.text);
        assert.equal(reply.json.type, type);
        assert.equal(reply.json.size, pdf.length);
        assert.equal(reply.json.paymentId, payment.id);
      });
    }

    it('defaults to OTHER without a type, and takes the seed example\'s /invoice path as INVOICE', async () => {
      const payment = await createPayment();
      const plain = await call('POST', `/hidirect/payments/${payment.id}/document`, { raw: pdf, type: 'application/pdf' });
      assert.equal(plain.json.type, 'OTHER');
      const legacy = await call('POST', `/hidirect/payments/${payment.id}/invoice`, { raw: pdf, type: 'application/pdf' });
      assert.equal(legacy.json.type, 'INVOICE');
    });

    it('takes a PDF of exactly 10 MB', async () => {
      const payment = await createPayment();
      const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 - pdf.length, 0x20)]);
      const reply = await call('POST', `/hidirect/payments/${payment.id}/document/INVOICE`, { raw: big, type: 'application/pdf' });
      assert.equal(reply.status, 201);
      assert.equal(reply.json.size, 10 * 1024 * 1024);
    });

    const bad: Array<[name: string, path: string, raw: Buffer, type: string, status: number]> = [
      ['an unknown type', 'document/RECEIPT', pdf, 'application/pdf', 400],
      ['a lowercase type', 'document/invoice', pdf, 'application/pdf', 400],
      ['another content type', 'document/INVOICE', pdf, 'application/octet-stream', 415],
      ['an empty body', 'document/INVOICE', Buffer.alloc(0), 'application/pdf', 400],
      ['a body that is no PDF', 'document/INVOICE', Buffer.from('PK\u0003\u0004 zip'), 'application/pdf', 400],
      ['a body that starts %PDF without its version dash', 'document/INVOICE', Buffer.from('%PDF1.4 not really'), 'application/pdf', 400],
      ['a PDF over 10 MB', 'document/INVOICE', Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024, 0x20)]), 'application/pdf', 413],
    ];
    for (const [name, path, raw, type, status] of bad) {
      it(`refuses ${name} (${status})`, async () => {
        const payment = await createPayment();
        const reply = await call('POST', `/hidirect/payments/${payment.id}/${path}`, { raw, type });
        assert.equal(reply.status, status, reply.text);
        assert.equal(typeof reply.json.message, 'string');
      });
    }

    it('answers 404 for an unknown payment', async () => {
      const reply = await call('POST', '/hidirect/payments/NOPE/document/INVOICE', { raw: pdf, type: 'application/pdf' });
      assert.equal(reply.status, 404);
    });
  });

  describe('drills', () => {
    it('expires an unopened checkout link once its 2 hours have passed', async () => {
      const payment = await createPayment();
      await sandbox.control('POST', '/hidirect/clock', { advanceMs: 2 * 60 * 60 * 1000 + 1 });
      const page = await openCheckout(payment.token);
      assert.equal(page.status, 410);
      assert.match(page.html, /expired/);
    });

    it('refuses to move the clock backwards or by something that is no number, and resets it', async () => {
      for (const advanceMs of [-1, 1.5, '60000', undefined]) {
        await assert.rejects(sandbox.control('POST', '/hidirect/clock', { advanceMs }), /→ 400/);
      }
      await sandbox.control('POST', '/hidirect/clock', { advanceMs: 1000 });
      assert.equal((await sandbox.control('GET', '/hidirect/clock')).offsetMs, 1000);
      await sandbox.control('POST', '/reset');
      assert.equal((await sandbox.control('GET', '/hidirect/clock')).offsetMs, 0);
    });

    const schemes: Array<[format: BufferEncoding, hashAlgorithm: string]> = [
      ['hex', 'SHA256'],
      ['base64url', 'SHA384'],
      ['base64', 'SHA512'],
    ];
    for (const [format, hashAlgorithm] of schemes) {
      it(`signs callbacks with ${hashAlgorithm} encoded ${format} when told to, naming both in the headers`, async () => {
        assert.deepEqual(await sandbox.control('POST', '/hidirect/settings', { signatureFormat: format, hashAlgorithm }), { signatureFormat: format, hashAlgorithm });
        const callback = newCallbackPath();
        await createPayment({ merchantUrls: { ...URLS, callback: receiver.url + callback } });
        const [delivery] = await receiver.waitFor(callback, 1);
        assert.equal(delivery!.headers['hi-api-signature-format'], format);
        assert.equal(delivery!.headers['hi-api-hash-algorithm'], hashAlgorithm);
        const signature = Buffer.from(String(delivery!.headers['hi-api-signature']), format);
        assert.equal(verify(hashAlgorithm, Buffer.from(delivery!.body), await publicKeyPem(), signature), true);
      });
    }

    it('refuses a signing scheme hi.health cannot name, and resets to base64 / SHA256', async () => {
      await assert.rejects(sandbox.control('POST', '/hidirect/settings', { signatureFormat: 'latin1' }), /→ 400/);
      await assert.rejects(sandbox.control('POST', '/hidirect/settings', { hashAlgorithm: 'SHA1' }), /→ 400/);
      await sandbox.control('POST', '/hidirect/settings', { signatureFormat: 'hex' });
      await sandbox.control('POST', '/reset');
      assert.deepEqual(await sandbox.control('GET', '/hidirect/settings'), { signatureFormat: 'base64', hashAlgorithm: 'SHA256' });
    });
  });

  describe('faults and request counts', () => {
    it('fails a create with the injected error once, then creates again', async () => {
      await sandbox.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 500 });
      const failed = await call('POST', '/hidirect/payments', { body: { amount: { total: 10, currency: 'EUR' }, merchantUrls: URLS } });
      assert.equal(failed.status, 500);
      assert.deepEqual((await sandbox.control('GET', '/payments?provider=hidirect')).payments, []);
      await createPayment();
      const counted = await sandbox.control('GET', '/requests?provider=hidirect&operation=createPayment');
      assert.equal(counted.count, 2);
    });

    it('fails status reads only, not captures', async () => {
      const payment = await createPayment({ cardCaptureMode: 'MANUAL' });
      await sandbox.control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });
      await sandbox.control('POST', '/faults', { provider: 'hidirect', operation: 'status', kind: 'error', status: 503, times: 2 });
      assert.equal((await call('GET', `/hidirect/payments/${payment.id}`)).status, 503);
      assert.equal((await call('POST', `/hidirect/payments/${payment.id}/capture`)).status, 200);
      assert.equal((await call('GET', `/hidirect/payments/${payment.id}`)).status, 503);
      assert.equal(await statusOf(payment.id), 'SETTLED');
    });

    it('answers a malformed body for a faulted fetch', async () => {
      const payment = await createPayment();
      await sandbox.control('POST', '/faults', { provider: 'hidirect', operation: 'getPayment', kind: 'malformed' });
      const reply = await call('GET', `/hidirect/payments/${payment.id}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json, undefined);
    });

    it('counts each operation by name', async () => {
      const payment = await createPayment();
      await call('GET', `/hidirect/payments/${payment.id}`);
      await call('GET', `/hidirect/payments/${payment.id}`, { key: null });
      const { requests } = await sandbox.control('GET', '/requests?provider=hidirect');
      assert.deepEqual(requests.map((r: { operation: string }) => r.operation), ['createPayment', 'getPayment', 'getPayment']);
    });
  });
});

describe('HiDirect payment rules', () => {
  it('walks an INITIAL payment through CLAIMED for every shopper outcome but expiry', () => {
    const table: Array<[status: 'INITIAL' | 'CLAIMED', mode: 'AUTO' | 'MANUAL', outcome: 'pay' | 'decline' | 'cancel' | 'expire' | 'fail', path: string[]]> = [
      ['INITIAL', 'AUTO', 'pay', ['CLAIMED', 'SETTLED']],
      ['CLAIMED', 'AUTO', 'pay', ['SETTLED']],
      ['CLAIMED', 'MANUAL', 'pay', ['AUTHORISED']],
      ['INITIAL', 'AUTO', 'fail', ['CLAIMED', 'DENIED']],
      ['INITIAL', 'MANUAL', 'expire', ['CANCELLED']],
    ];
    for (const [status, cardCaptureMode, outcome, path] of table) {
      assert.deepEqual(decisionPath({ status, cardCaptureMode }, outcome), path, `${status} ${cardCaptureMode} ${outcome}`);
    }
  });

  it('decides open payments, lets authorisations only expire, and leaves final ones alone', () => {
    assert.equal(canDecide('PENDING', 'pay'), true);
    assert.equal(canDecide('AUTHORISED', 'expire'), true);
    assert.equal(canDecide('AUTHORISED', 'cancel'), false);
    for (const status of ['SETTLED', 'DENIED', 'CANCELLED'] as const) assert.equal(canDecide(status, 'expire'), false);
  });

  it('lets capture and cancel through only for MANUAL payments that are AUTHORISED', () => {
    const table: Array<[mode: 'AUTO' | 'MANUAL', status: 'INITIAL' | 'CLAIMED' | 'PENDING' | 'AUTHORISED' | 'SETTLED' | 'DENIED' | 'CANCELLED', allowed: boolean]> = [
      ['MANUAL', 'AUTHORISED', true],
      ['MANUAL', 'INITIAL', false],
      ['MANUAL', 'CLAIMED', false],
      ['MANUAL', 'PENDING', false],
      // Captured already, or cancelled (by the merchant, the shopper or the 7-day timer): a second move is refused.
      ['MANUAL', 'SETTLED', false],
      ['MANUAL', 'CANCELLED', false],
      ['MANUAL', 'DENIED', false],
      // AUTO payments are never pre-authorised, whatever their status says.
      ['AUTO', 'AUTHORISED', false],
      ['AUTO', 'SETTLED', false],
    ];
    for (const [cardCaptureMode, status, allowed] of table) {
      for (const action of ['capture', 'cancel'] as const) {
        const refusal = refusalForManualAction({ cardCaptureMode, status }, action);
        assert.equal(refusal === null, allowed, `${action} ${cardCaptureMode} ${status}: ${refusal}`);
      }
    }
  });

  it('lets an authorisation lapse 7 days after it was given, and nothing else', () => {
    const authorisedAt = 1_700_000_000_000;
    const table: Array<[status: 'AUTHORISED' | 'SETTLED' | 'CANCELLED' | 'INITIAL', authorisedAt: number | null, ageMs: number, lapsed: boolean]> = [
      ['AUTHORISED', authorisedAt, 0, false],
      ['AUTHORISED', authorisedAt, SEVEN_DAYS - 1, false],
      ['AUTHORISED', authorisedAt, SEVEN_DAYS, true],
      ['AUTHORISED', authorisedAt, SEVEN_DAYS * 4, true],
      // Captured or cancelled in time: nothing left to lapse.
      ['SETTLED', authorisedAt, SEVEN_DAYS * 4, false],
      ['CANCELLED', authorisedAt, SEVEN_DAYS * 4, false],
      ['INITIAL', null, SEVEN_DAYS * 4, false],
    ];
    assert.equal(AUTHORISATION_LIFETIME_MS, SEVEN_DAYS);
    for (const [status, at, ageMs, lapsed] of table) {
      assert.equal(authorisationLapsed({ status, authorisedAt: at }, authorisedAt + ageMs), lapsed, `${status} after ${ageMs} ms`);
    }
  });

  it('keeps a clock that only moves forward', () => {
    let real = 1000;
    const clock = new Clock(() => real);
    clock.advance(500);
    real = 2000;
    assert.equal(clock.now(), 2500);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.throws(() => clock.advance(0.5), RangeError);
    clock.reset();
    assert.equal(clock.now(), 2000);
  });

  it('makes time-ordered ULIDs', () => {
    const earlier = ulid(1_624_427_422_090);
    const later = ulid(1_624_427_422_091);
    assert.match(earlier, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.ok(earlier.slice(0, 10) < later.slice(0, 10));
    assert.equal(earlier.slice(0, 8), '01F8VPPR', 'the seed example id 01F8VPPRANKR… was made within a second of its createdAt');
  });
});
