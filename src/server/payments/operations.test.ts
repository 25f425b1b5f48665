/**
 * After the sale, for each of the five providers, through the endpoint and the sandbox over real HTTP: pay →
 * (capture) → partial refund → full refund, and authorise → cancel, with the events the merchant's server hears; each
 * refusal (over-refund, double capture, an operation the provider does not document) a clear error that changes
 * nothing; the merchant's routes (off by default) closed to a shopper's token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResponse, ProviderName } from '../../core/model.ts';
import { demoKassaConfig } from '../../../demo/config.ts';
import { exampleFields, json, methodById, PROVIDER_FLOWS, startAtProvider, until, useEndpoint } from '../../../test/support/endpoint.ts';
import type { MerchantPayment, PaymentEvent } from '../events/event.ts';
import { OperationNotSupported } from '../provider.ts';
import { amountsAfter } from './ledger.ts';
import { checkAllowed, PaymentOperationError } from './operations.ts';

const MERCHANT_KEY = 'merchant-back-office-key-0123456789';
const heard: PaymentEvent[] = [];
const errors: string[] = [];

const providers = demoKassaConfig({ sandboxUrl: 'http://127.0.0.1:1', shopUrl: 'http://127.0.0.1:1' }).providers;


/** How each provider's payment is made to hold money: the demo's method, and whether it waits for a capture. */
interface Flow {
  provider: ProviderName;
  order: string;
  /** The method id, or the first of the provider's methods that needs no fields. */
  method?: string;
  /** The state after the shopper pays. */
  holds: 'paid' | 'authorized';
  /** The payment exists only once the shopper pays on the provider's page (WhenThen's card checkout): preset it. */
  paysOnPage?: boolean;
}

describe('after the sale: capture, cancel and refund through the endpoint', () => {
  const h = useEndpoint({
    providerReadIntervalMs: 100,
    providers: {
      ...providers,
      hidirect: { ...(providers.hidirect as object), cardCaptureMode: 'MANUAL' },
      // A flow with a delayed capture: WhenThen leaves card payments AUTHORISED until captured.
      whenthen: { ...(providers.whenthen as object), flowId: 'sandbox-flow-manual-capture' },
    } as typeof providers,
    merchantApi: { authorize: (request) => request.headers.get('authorization') === `Bearer ${MERCHANT_KEY}` },
    onError: (error) => errors.push((error as Error).message),
    onPaymentEvent: (event) => void heard.push(event),
  });
  const kassa = () => h.demo.kassa;

  async function pay(flow: Flow, outcome = 'pay'): Promise<MerchantPayment> {
    const session = await h.session(flow.order);
    const method = flow.method ? methodById(session.methods, flow.method) : PROVIDER_FLOWS.find((f) => f.provider === flow.provider)!.method(session.methods);
    assert.ok(method, `${flow.provider}: no method ${flow.method ?? ''} for ${flow.order}`);
    const answer = await h.pay(session.token, method.id, { fields: exampleFields(method) });
    assert.equal(answer.status, 201, answer.text);
    const created = answer.body as PaymentResponse;
    if (flow.paysOnPage) await h.control('POST', '/outcomes', { provider: flow.provider, outcome });
    const id = await startAtProvider(h.sandbox.url, flow.provider, created, method.id);
    if (!flow.paysOnPage) await h.control('POST', `/payments/${flow.provider}/${encodeURIComponent(id)}/outcome`, { outcome });
    return settled(created.payment.reference, outcome === 'pay' ? [flow.holds] : ['declined', 'failed', 'cancelled']);
  }

  async function settled(reference: string, states: string[]): Promise<MerchantPayment> {
    return until(`${reference} in ${states.join('/')}`, async () => {
      await h.api(`/payments/${reference}`); // a status read, as a waiting page makes
      const payment = await kassa().payments.get(reference);
      return payment && states.includes(payment.state) && payment;
    });
  }

  /** The error an operation throws, checked to have changed nothing at all. */
  async function refused(reference: string, operation: () => Promise<unknown>): Promise<PaymentOperationError | OperationNotSupported> {
    const before = await kassa().payments.events(reference);
    const error = await operation().then(
      () => assert.fail('the operation was expected to be refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PaymentOperationError || error instanceof OperationNotSupported, `a typed error, not ${String(error)}`);
    assert.deepEqual(await kassa().payments.events(reference), before, 'a refusal changes nothing');
    return error;
  }

  const operationsOf = async (reference: string) => (await kassa().payments.events(reference)).filter((e) => e.type === 'payment.operation').map((e) => e.operation!.kind);

  it('Hero: paid → partial refund → full refund; no capture, no cancel; never more than is left', async () => {
    const paid = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
    const part = await kassa().payments.refund(paid.reference, { amount: 1000, reason: 'one item returned' });
    assert.equal(part.state, 'partially_refunded');
    assert.equal(part.refundedAmount, 1000);
    const over = await refused(paid.reference, () => kassa().payments.refund(paid.reference, { amount: paid.amount }));
    assert.equal(over.code, 'operation-not-allowed');
    assert.match(over.message, new RegExp(`${paid.amount - 1000} left`));
    const rest = await kassa().payments.refund(paid.reference);
    assert.equal(rest.state, 'refunded');
    assert.equal(rest.refundedAmount, paid.amount);
    for (const operation of [() => kassa().payments.capture(paid.reference), () => kassa().payments.cancel(paid.reference)]) {
      const error = await refused(paid.reference, operation);
      assert.ok(error instanceof OperationNotSupported);
      assert.equal(error.provider, 'hero');
    }
    assert.deepEqual(await operationsOf(paid.reference), ['refund', 'refund']);
  });

  it('MilkyPay documents no after-sale operation: each fails with OperationNotSupported naming provider and operation', async () => {
    const paid = await pay({ provider: 'milkypay', order: 'DEMO-EUR', holds: 'paid' });
    const cases = [
      ['refund', () => kassa().payments.refund(paid.reference)],
      ['capture', () => kassa().payments.capture(paid.reference)],
      ['cancel', () => kassa().payments.cancel(paid.reference)],
    ] as const;
    for (const [operation, run] of cases) {
      const error = await refused(paid.reference, run);
      assert.ok(error instanceof OperationNotSupported);
      assert.equal(error.operation, operation);
      assert.equal(error.problem.type, 'urn:kassa:problem:operation-not-supported');
      assert.match(error.message, /milkypay does not support/);
    }
  });

  it('hi.health (manual capture): authorised → capture → paid; a second capture and a partial one refused; no refunds', async () => {
    const held = await pay({ provider: 'hidirect', order: 'DEMO-EUR', holds: 'authorized' });
    const partial = await refused(held.reference, () => kassa().payments.capture(held.reference, { amount: 100 }));
    assert.ok(partial instanceof OperationNotSupported && partial.operation === 'partial-capture');
    const captured = await kassa().payments.capture(held.reference);
    assert.equal(captured.state, 'paid');
    assert.equal(captured.capturedAmount, held.amount);
    const twice = await refused(held.reference, () => kassa().payments.capture(held.reference));
    assert.equal(twice.code, 'operation-not-allowed');
    const refund = await refused(held.reference, () => kassa().payments.refund(held.reference));
    assert.ok(refund instanceof OperationNotSupported && refund.operation === 'refund');
    const heardHere = heard.filter((e) => e.payment.reference === held.reference);
    await until('the capture reaches the merchant', () => heardHere.length && heard.some((e) => e.payment.reference === held.reference && e.payment.state === 'paid'));
    assert.deepEqual(await operationsOf(held.reference), ['capture']);
  });

  it('hi.health (manual capture): authorised → cancel → cancelled, and a capture after it is refused', async () => {
    const held = await pay({ provider: 'hidirect', order: 'DEMO-EUR', holds: 'authorized' });
    const cancelled = await kassa().payments.cancel(held.reference, { reason: 'out of stock' });
    assert.equal(cancelled.state, 'cancelled');
    const capture = await refused(held.reference, () => kassa().payments.capture(held.reference));
    assert.equal(capture.code, 'operation-not-allowed');
  });

  it('hi.health: uploads a PDF for the reimbursement; refuses what is not one before hi.health hears of it', async () => {
    const held = await pay({ provider: 'hidirect', order: 'DEMO-EUR', holds: 'authorized' });
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const after = await kassa().payments.uploadDocument(held.reference, { type: 'INVOICE', content: pdf });
    assert.equal(after.state, 'authorized', 'a document moves no money');
    const events = await kassa().payments.events(held.reference);
    assert.deepEqual(events.at(-1)?.operation, { kind: 'document', documentType: 'INVOICE', idempotencyKey: events.at(-1)!.operation!.idempotencyKey });
    const text = await refused(held.reference, () => kassa().payments.uploadDocument(held.reference, { type: 'INVOICE', content: new TextEncoder().encode('not a pdf') }));
    assert.equal(text.code, 'invalid-body');
    const onHero = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
    const unsupported = await refused(onHero.reference, () => kassa().payments.uploadDocument(onHero.reference, { type: 'INVOICE', content: pdf }));
    assert.ok(unsupported instanceof OperationNotSupported && unsupported.operation === 'document');
  });

  it('hi.health: an authorisation not captured within 7 days is cancelled by hi.health, and a capture then is refused', async () => {
    const held = await pay({ provider: 'hidirect', order: 'DEMO-EUR', holds: 'authorized' });
    await h.control('POST', '/hidirect/clock', { advanceMs: 7 * 24 * 3_600_000 + 60_000 });
    const late = await kassa().payments.capture(held.reference).catch((e: unknown) => e);
    assert.ok(late instanceof PaymentOperationError && late.code === 'operation-not-allowed', String(late));
    assert.equal((await kassa().payments.get(held.reference))?.state, 'cancelled', 'read from hi.health before deciding');
    assert.deepEqual(await operationsOf(held.reference), []);
  });

  it('WhenThen (delayed capture): authorised → partial capture → partial refund → refund of the rest; over-capture refused', async () => {
    const held = await pay({ provider: 'whenthen', order: 'DEMO-EUR', method: 'whenthen:card', holds: 'authorized', paysOnPage: true });
    const over = await refused(held.reference, () => kassa().payments.capture(held.reference, { amount: held.amount + 1 }));
    assert.equal(over.code, 'operation-not-allowed');
    const captured = await kassa().payments.capture(held.reference, { amount: 3000 });
    assert.equal(captured.state, 'paid');
    assert.equal(captured.capturedAmount, 3000);
    const twice = await refused(held.reference, () => kassa().payments.capture(held.reference));
    assert.equal(twice.code, 'operation-not-allowed');
    const part = await kassa().payments.refund(held.reference, { amount: 1000, reason: 'one item returned' });
    assert.equal(part.state, 'partially_refunded');
    assert.equal(part.refundedAmount, 1000);
    const tooMuch = await refused(held.reference, () => kassa().payments.refund(held.reference, { amount: 2001 }));
    assert.match(tooMuch.message, /2000 left/);
    const rest = await kassa().payments.refund(held.reference);
    assert.equal(rest.state, 'refunded');
    assert.equal(rest.refundedAmount, 3000);
    assert.deepEqual(await operationsOf(held.reference), ['capture', 'refund', 'refund']);
    await until('the merchant hears the refund', () => heard.some((e) => e.payment.reference === held.reference && e.payment.state === 'refunded'));
  });

  it('WhenThen (delayed capture): authorised → cancel → cancelled', async () => {
    const held = await pay({ provider: 'whenthen', order: 'DEMO-EUR', method: 'whenthen:card', holds: 'authorized', paysOnPage: true });
    const cancelled = await kassa().payments.cancel(held.reference);
    assert.equal(cancelled.state, 'cancelled');
    const refund = await refused(held.reference, () => kassa().payments.refund(held.reference));
    assert.equal(refund.code, 'operation-not-allowed');
  });

  it('Kronor card (manual capture): authorised → partial capture → refund in part → refund of the rest', async () => {
    await h.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    const held = await pay({ provider: 'kronor', order: 'DEMO-SEK', method: 'kronor:creditCard', holds: 'authorized' });
    const captured = await kassa().payments.capture(held.reference, { amount: 20_000 });
    assert.equal(captured.state, 'paid');
    assert.equal(captured.capturedAmount, 20_000);
    const part = await kassa().payments.refund(held.reference, { amount: 5_000, reason: 'Returned' });
    assert.equal(part.state, 'partially_refunded');
    assert.equal(part.refundedAmount, 5_000);
    const over = await refused(held.reference, () => kassa().payments.refund(held.reference, { amount: 15_001 }));
    assert.equal(over.code, 'operation-not-allowed');
    const rest = await kassa().payments.refund(held.reference);
    assert.equal(rest.state, 'refunded');
    assert.equal(rest.refundedAmount, 20_000);
    assert.deepEqual(await operationsOf(held.reference), ['capture', 'refund', 'refund']);
  });

  it('Kronor card (manual capture): authorised → cancel releases it', async () => {
    await h.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    const held = await pay({ provider: 'kronor', order: 'DEMO-SEK', method: 'kronor:creditCard', holds: 'authorized' });
    const released = await kassa().payments.cancel(held.reference);
    assert.equal(released.state, 'cancelled');
  });

  it('Kronor Swish: paid → refunded in full; an open Swish request is cancelled before the shopper pays', async () => {
    const paid = await pay({ provider: 'kronor', order: 'DEMO-SEK', holds: 'paid' });
    const refunded = await kassa().payments.refund(paid.reference, { reason: 'Order cancelled' });
    assert.equal(refunded.state, 'refunded');
    assert.equal(refunded.refundedAmount, paid.amount);

    const session = await h.session('DEMO-SEK');
    const answer = await h.pay(session.token, 'kronor:swish');
    const created = answer.body as PaymentResponse;
    await startAtProvider(h.sandbox.url, 'kronor', created, 'kronor:swish');
    const cancelled = await kassa().payments.cancel(created.payment.reference, { reason: 'the shopper changed their mind' });
    assert.equal(cancelled.state, 'cancelled');
  });

  it('the same idempotency key makes one refund, however often it is sent; another request with it is a conflict', async () => {
    const paid = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
    const key = `refund-${paid.reference}-1`;
    const answers = await Promise.all([1, 2, 3].map(() => kassa().payments.refund(paid.reference, { amount: 500, idempotencyKey: key })));
    assert.ok(answers.every((a) => a.refundedAmount === 500), JSON.stringify(answers.map((a) => a.refundedAmount)));
    assert.deepEqual(await operationsOf(paid.reference), ['refund'], 'one refund');
    assert.equal((await h.control('GET', '/requests?provider=hero&operation=refundPaymentCheckout')).count, 1, 'Hero was asked once');
    const conflict = await refused(paid.reference, () => kassa().payments.refund(paid.reference, { amount: 600, idempotencyKey: key }));
    assert.equal(conflict.code, 'idempotency-conflict');
  });

  it('checks what it is asked before the provider hears of it', async () => {
    const paid = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
    for (const amount of [0, -1, 1.5, Number.NaN]) {
      const error = await refused(paid.reference, () => kassa().payments.refund(paid.reference, { amount }));
      assert.equal(error.code, 'invalid-body');
    }
    const unknown = await kassa().payments.refund('kp_unknown').catch((e: unknown) => e);
    assert.ok(unknown instanceof PaymentOperationError && unknown.code === 'payment-not-found');
  });

  describe("the merchant's routes", () => {
    const merchant = (path: string, init: RequestInit = {}, key: string | null = MERCHANT_KEY) =>
      h.api(`/merchant${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) } });

    it('refund and read over HTTP with the merchant key: the payment, then its history', async () => {
      const paid = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
      const refund = await merchant(`/payments/${paid.reference}/refund`, json({ amount: 700, reason: 'damaged' }, { 'idempotency-key': `r-${paid.reference}` }));
      assert.equal(refund.status, 200, refund.text);
      assert.equal(refund.body.payment.refundedAmount, 700);
      const read = await merchant(`/payments/${paid.reference}`);
      assert.equal(read.status, 200);
      assert.deepEqual(
        read.body.events.map((e: PaymentEvent) => e.type),
        ['payment.created', ...read.body.events.slice(1).map((e: PaymentEvent) => e.type)],
      );
      assert.ok(read.body.events.some((e: PaymentEvent) => e.operation?.kind === 'refund' && e.operation.amount === 700 && e.operation.reason === 'damaged'));
      assert.equal(refund.headers.get('access-control-allow-origin'), null, 'no CORS on the merchant routes');
    });

    it('answers problems: unsupported 422, not allowed 409, unknown 404', async () => {
      const paid = await pay({ provider: 'milkypay', order: 'DEMO-EUR', holds: 'paid' });
      const unsupported = await merchant(`/payments/${paid.reference}/refund`, json({}));
      assert.equal(unsupported.status, 422);
      assert.match(unsupported.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(unsupported.body.type, 'urn:kassa:problem:operation-not-supported');
      assert.equal(unsupported.body.provider, 'milkypay');
      assert.equal(unsupported.body.operation, 'refund');
      const hero = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
      const over = await merchant(`/payments/${hero.reference}/refund`, json({ amount: hero.amount + 1 }));
      assert.equal(over.status, 409);
      assert.equal(over.body.type, 'urn:kassa:problem:operation-not-allowed');
      const unknown = await merchant('/payments/kp_nope/refund', json({}));
      assert.equal(unknown.status, 404);
      const bad = await merchant(`/payments/${hero.reference}/refund`, json({ amount: 'all' }));
      assert.equal(bad.status, 400);
    });

    it("a shopper's session token, no key or a wrong key reaches none of them", async () => {
      const paid = await pay({ provider: 'hero', order: 'DEMO-EUR', holds: 'paid' });
      const session = await h.session('DEMO-EUR');
      const routes: Array<[string, RequestInit]> = [
        [`/payments/${paid.reference}`, {}],
        [`/payments/${paid.reference}/refund`, json({ amount: 100 })],
        [`/payments/${paid.reference}/capture`, json({})],
        [`/payments/${paid.reference}/cancel`, json({})],
        [`/payments/${paid.reference}/documents/INVOICE`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4\n' }],
      ];
      for (const [path, init] of routes) {
        for (const key of [session.token, null, 'not-the-key']) {
          const answer = await merchant(path, init, key);
          assert.equal(answer.status, 403, `${path} with ${key === session.token ? "a shopper's token" : (key ?? 'nothing')}: ${answer.text}`);
          assert.equal(answer.body.type, 'urn:kassa:problem:forbidden');
        }
      }
      assert.deepEqual(await operationsOf(paid.reference), [], 'nothing was done');
    });
  });
});

describe('after the sale: the merchant routes are off by default', () => {
  const h = useEndpoint();
  it('answers 404 for every merchant route without merchantApi', async () => {
    for (const path of ['/merchant/payments/kp_x', '/merchant/payments/kp_x/refund']) {
      const answer = await h.api(path, path.endsWith('refund') ? json({}) : {});
      assert.equal(answer.status, 404, path);
    }
  });
});

describe('checkAllowed: what a payment allows, by state and what is left', () => {
  const payment = (state: string, extra: { capturedAmount?: number; refundedAmount?: number } = {}) => ({ reference: 'kp_t', state: state as never, amount: 1000, ...extra });
  const table: Array<[string, Parameters<typeof checkAllowed>[0], Parameters<typeof checkAllowed>[1], number | undefined | 'refused']> = [
    ['capture all of an authorisation', payment('authorized'), { kind: 'capture' }, 1000],
    ['capture part of it', payment('authorized'), { kind: 'capture', amount: 400 }, 400],
    ['capture more than authorised', payment('authorized'), { kind: 'capture', amount: 1001 }, 'refused'],
    ['capture a paid payment', payment('paid'), { kind: 'capture' }, 'refused'],
    ['capture an open payment', payment('pending'), { kind: 'capture' }, 'refused'],
    ['cancel an open payment', payment('pending'), { kind: 'cancel' }, undefined],
    ['cancel an authorisation', payment('authorized'), { kind: 'cancel' }, undefined],
    ['cancel a paid payment', payment('paid'), { kind: 'cancel' }, 'refused'],
    ['cancel a cancelled payment', payment('cancelled'), { kind: 'cancel' }, 'refused'],
    ['refund all of a payment', payment('paid'), { kind: 'refund' }, 1000],
    ['refund what is left', payment('partially_refunded', { refundedAmount: 300 }), { kind: 'refund' }, 700],
    ['refund more than is left', payment('partially_refunded', { refundedAmount: 300 }), { kind: 'refund', amount: 701 }, 'refused'],
    ['refund above a partial capture', payment('paid', { capturedAmount: 400 }), { kind: 'refund', amount: 401 }, 'refused'],
    ['refund within a partial capture', payment('paid', { capturedAmount: 400 }), { kind: 'refund' }, 400],
    ['refund an authorisation', payment('authorized'), { kind: 'refund' }, 'refused'],
    ['refund a refunded payment', payment('refunded', { refundedAmount: 1000 }), { kind: 'refund' }, 'refused'],
    ['refund a declined payment', payment('declined'), { kind: 'refund' }, 'refused'],
    ['a document for any payment', payment('paid'), { kind: 'document' }, undefined],
  ];
  for (const [name, given, request, expected] of table) {
    it(name, () => {
      if (expected === 'refused') {
        assert.throws(() => checkAllowed(given, request), (e: unknown) => e instanceof PaymentOperationError && e.code === 'operation-not-allowed');
      } else {
        assert.equal(checkAllowed(given, request), expected);
      }
    });
  }
});

describe('amountsAfter: what a read says about the amounts, without losing a refund still settling', () => {
  const table: Array<[string, { capturedAmount?: number; refundedAmount?: number }, { capturedAmount?: number; refundedAmount?: number }, { capturedAmount?: number; refundedAmount?: number }]> = [
    ['a read with no amounts keeps what was known', { capturedAmount: 800, refundedAmount: 100 }, {}, { capturedAmount: 800, refundedAmount: 100 }],
    ["the provider's capture is taken", {}, { capturedAmount: 700 }, { capturedAmount: 700 }],
    ['a refund made at the provider is seen', { refundedAmount: 100 }, { refundedAmount: 300 }, { refundedAmount: 300 }],
    ["Kassa's refund not yet in the read still counts", { refundedAmount: 300 }, { refundedAmount: 0 }, { refundedAmount: 300 }],
    ['nothing known, nothing said', {}, {}, {}],
  ];
  for (const [name, current, read, expected] of table) {
    it(name, () => assert.deepEqual(amountsAfter(current, { state: 'paid', providerStatus: 'X', ...read }), expected));
  }
});
