/**
 * The demo shop's order book: its pure core (an order's state from its payments' events, each event once), and over
 * real HTTP — the sandbox and the demo shop on free ports — a hi.health payment paid or declined at the provider
 * reaching the book only through `onPaymentEvent`, as `/admin/orders.json`, `/admin/orders` and `/orders/{order}.json`
 * tell it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { PaymentState } from '../src/core/model.ts';
import type { PaymentEvent } from '../src/server/events/event.ts';
import { callControl } from '../sandbox/testing.ts';
import { startAtProvider, useEndpoint, type Harness } from '../test/support/endpoint.ts';
import { applyPaymentEvent, OrderBook, type BackOfficeOrder } from './orders.ts';

/** An event as Kassa delivers it: `<reference>.<sequence>`, at a time a second per sequence after `base`. */
function event(order: string, reference: string, sequence: number, state: PaymentState, previousState: PaymentState | null = null): PaymentEvent {
  const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, seconds)).toISOString();
  return {
    id: `${reference}.${sequence}`,
    type: sequence === 1 ? 'payment.created' : 'payment.updated',
    sequence,
    occurredAt: at(sequence + Number(reference.replace(/\D/g, '') || 0) * 10),
    previousState,
    payment: {
      reference,
      order,
      provider: 'hidirect',
      method: 'hidirect:hi-health',
      state,
      providerStatus: null,
      providerPaymentId: `hd-${reference}`,
      amount: 4990,
      currency: 'EUR',
      createdAt: at(Number(reference.replace(/\D/g, '') || 0) * 10),
      updatedAt: at(sequence),
    },
  };
}

describe('demo order book', () => {
  it('opens an order on its first attempt and marks it paid when a payment is paid: by which payment, when', () => {
    const book = new OrderBook();
    assert.equal(book.hear(event('A-1', 'kp_1', 1, 'created')), true);
    assert.equal(book.get('A-1')?.state, 'open');
    book.hear(event('A-1', 'kp_1', 2, 'action_required'));
    assert.equal(book.get('A-1')?.state, 'open');
    const paid = event('A-1', 'kp_1', 3, 'paid');
    book.hear(paid);
    assert.deepEqual(
      { ...book.get('A-1'), payments: undefined },
      { order: 'A-1', state: 'paid', paidBy: 'kp_1', paidAt: paid.occurredAt, refundedAt: null, createdAt: paid.payment.createdAt, updatedAt: paid.occurredAt, payments: undefined },
    );
  });

  it('counts authorized and partially_refunded as paid', () => {
    for (const state of ['authorized', 'partially_refunded'] as const) {
      const book = new OrderBook();
      book.hear(event('A-1', 'kp_1', 1, 'created'));
      book.hear(event('A-1', 'kp_1', 2, state));
      assert.equal(book.get('A-1')?.state, 'paid', state);
    }
  });

  it('the same event delivered twice changes nothing', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'created'));
    const paid = event('A-1', 'kp_1', 2, 'paid');
    assert.equal(book.hear(paid), true);
    const before = structuredClone(book.get('A-1'));
    assert.equal(book.hear(paid), false, 'a redelivery is not heard again');
    assert.equal(book.hear(structuredClone(paid)), false, 'nor a copy of it');
    assert.deepEqual(book.get('A-1'), before);
    assert.deepEqual(book.list(), [before]);
  });

  it('an older change of a payment than the one heard changes nothing', () => {
    const paid = applyPaymentEvent(applyPaymentEvent(undefined, event('A-1', 'kp_1', 1, 'created')), event('A-1', 'kp_1', 3, 'paid'));
    assert.equal(applyPaymentEvent(paid, event('A-1', 'kp_1', 2, 'pending')), paid);
  });

  it('a declined attempt leaves the order open; a later attempt paid pays it', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'created'));
    book.hear(event('A-1', 'kp_1', 2, 'declined'));
    assert.equal(book.get('A-1')?.state, 'open');
    book.hear(event('A-1', 'kp_2', 1, 'created'));
    book.hear(event('A-1', 'kp_2', 2, 'paid'));
    assert.equal(book.get('A-1')?.state, 'paid');
    assert.equal(book.get('A-1')?.paidBy, 'kp_2');
  });

  it('paid → partially refunded stays paid; fully refunded makes the order refunded', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'created'));
    const paid = event('A-1', 'kp_1', 2, 'paid');
    book.hear(paid);
    book.hear(event('A-1', 'kp_1', 3, 'partially_refunded', 'paid'));
    assert.equal(book.get('A-1')?.state, 'paid');
    assert.equal(book.get('A-1')?.paidAt, paid.occurredAt, 'paid when it was first heard paid');
    const refunded = event('A-1', 'kp_1', 4, 'refunded', 'partially_refunded');
    book.hear(refunded);
    assert.equal(book.get('A-1')?.state, 'refunded');
    assert.equal(book.get('A-1')?.refundedAt, refunded.occurredAt);
    assert.equal(book.get('A-1')?.paidBy, null);
  });

  it('an authorisation voided leaves the order open again', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'authorized'));
    book.hear(event('A-1', 'kp_1', 2, 'cancelled', 'authorized'));
    assert.equal(book.get('A-1')?.state, 'open');
  });

  it('two payments holding money: the first stays the payer; when it is refunded, the other one pays', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'created'));
    book.hear(event('A-1', 'kp_2', 1, 'created'));
    book.hear(event('A-1', 'kp_1', 2, 'paid'));
    book.hear(event('A-1', 'kp_2', 2, 'paid'));
    assert.equal(book.get('A-1')?.paidBy, 'kp_1');
    book.hear(event('A-1', 'kp_1', 3, 'refunded', 'paid'));
    assert.equal(book.get('A-1')?.state, 'paid', 'the other payment still holds the money');
    assert.equal(book.get('A-1')?.paidBy, 'kp_2');
  });

  it('lists orders newest first', () => {
    const book = new OrderBook();
    book.hear(event('A-1', 'kp_1', 1, 'created'));
    book.hear(event('A-3', 'kp_3', 1, 'created'));
    book.hear(event('A-2', 'kp_2', 1, 'created'));
    assert.deepEqual(book.list().map((o) => o.order), ['A-3', 'A-2', 'A-1']);
  });
});

describe('demo shop: the merchant\'s truth over HTTP', () => {
  /** Each event id the test's own hook was called with, in order; it fails once for every event of a `~flaky` order. */
  const testHookCalls: string[] = [];
  const h = useEndpoint({
    onError: () => {},
    onPaymentEvent: (event) => {
      const first = !testHookCalls.includes(event.id);
      testHookCalls.push(event.id);
      if (first && event.payment.order.includes('~flaky')) throw new Error('the test hook fails once');
    },
  });

  const fresh = (tag: string) => `DEMO-EUR~${tag}-${randomBytes(4).toString('hex')}`;

  /** Pays (or declines) a hi.health payment for `order` at the sandbox, as the shopper does on its hosted page. */
  async function payHiHealth(harness: Harness, order: string, outcome: 'pay' | 'decline'): Promise<string> {
    const session = await harness.session(order);
    const method = session.methods.find((m) => m.provider === 'hidirect');
    assert.ok(method, 'hi.health is offered for a DEMO-EUR order');
    const answer = await harness.pay(session.token, method.id);
    assert.equal(answer.status, 201, answer.text);
    const id = await startAtProvider(harness.sandbox.url, 'hidirect', answer.body);
    await callControl(harness.sandbox.url, 'POST', `/payments/hidirect/${encodeURIComponent(id)}/outcome`, { outcome });
    return answer.body.payment.reference;
  }

  async function shop<T = any>(path: string): Promise<{ status: number; headers: Headers; body: T; text: string }> {
    const response = await fetch(`${h.demo.url}${path}`);
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const backOffice = async (order: string) => (await shop<{ orders: BackOfficeOrder[] }>('/admin/orders.json')).body.orders.find((o) => o.order === order);

  it('a hi.health payment paid at the provider: /admin/orders.json shows the order paid with its attempt', async () => {
    const order = fresh('paid');
    assert.equal((await shop(`/orders/${encodeURIComponent(order)}.json`)).status, 404, 'no attempt yet: the shop has not heard of it');
    const reference = await payHiHealth(h, order, 'pay');
    const listed = await until('the back office shows the order paid', async () => {
      const found = await backOffice(order);
      return found?.state === 'paid' && found;
    });
    assert.equal(listed.paidBy, reference);
    assert.ok(listed.paidAt && !Number.isNaN(Date.parse(listed.paidAt)));
    assert.equal(listed.refundedAt, null);
    assert.equal(listed.attempts.length, 1);
    const [attempt] = listed.attempts;
    assert.deepEqual({ ...attempt, createdAt: undefined }, { reference, provider: 'hidirect', method: attempt!.method, state: 'paid', amount: 4990, currency: 'EUR', createdAt: undefined });
    assert.match(attempt!.method, /^hidirect:/);
    assert.ok(!Number.isNaN(Date.parse(attempt!.createdAt)));

    const state = await shop(`/orders/${encodeURIComponent(order)}.json`);
    assert.equal(state.status, 200);
    assert.deepEqual(state.body, { order, state: 'paid' });
    assert.equal(state.headers.get('cache-control'), 'no-store');

    const page = await shop('/admin/orders');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(page.text, new RegExp(`<tr data-order="${order.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">`));
    assert.ok(page.text.includes(reference));
    assert.ok(page.text.includes('without authentication'));
    assert.ok(!/<script(?![^>]*\bsrc=)/.test(page.text), 'no inline script');
  });

  it('a declined payment leaves the order open', async () => {
    const order = fresh('declined');
    const reference = await payHiHealth(h, order, 'decline');
    const listed = await until('the back office shows the attempt declined', async () => {
      const found = await backOffice(order);
      return found?.attempts[0]?.state === 'declined' && found;
    });
    // The book heard every event the attempts list shows: the declined change was delivered.
    await until('the book heard the last event', async () => h.demo.orders.get(order)?.payments[reference]?.sequence === (await h.demo.kassa.payments.events(reference)).at(-1)?.sequence);
    assert.equal((await backOffice(order))?.state, 'open');
    assert.equal(listed.paidBy, null);
    assert.deepEqual((await shop(`/orders/${encodeURIComponent(order)}.json`)).body, { order, state: 'open' });
  });

  it('lists orders newest first, and answers 404 for an order it never heard of', async () => {
    const older = fresh('older');
    const newer = fresh('newer');
    await payHiHealth(h, older, 'pay');
    await payHiHealth(h, newer, 'pay');
    await until('both listed', async () => (await backOffice(older)) && (await backOffice(newer)));
    const orders = (await shop<{ orders: BackOfficeOrder[] }>('/admin/orders.json')).body.orders.map((o) => o.order);
    assert.ok(orders.indexOf(newer) < orders.indexOf(older), orders.join(', '));
    for (const path of ['/orders/DEMO-EUR~never.json', '/orders/%E0%A4%A.json', '/orders/.json']) assert.equal((await shop(path)).status, 404, path);
  });

  it("a test's hook that fails makes Kassa deliver the event again; the shop's book hears it once", async () => {
    const order = fresh('flaky');
    const reference = await payHiHealth(h, order, 'pay');
    await until('the book has the order paid', async () => h.demo.orders.get(order)?.state === 'paid');
    const calls = testHookCalls.filter((id) => id.startsWith(`${reference}.`));
    const first = `${reference}.1`;
    assert.deepEqual(calls.slice(0, 2), [first, first], "the test's hook failed the first event, which came again");
    assert.equal(h.demo.orders.get(order)?.payments[reference]?.sequence, (await h.demo.kassa.payments.events(reference)).at(-1)?.sequence);
  });
});
