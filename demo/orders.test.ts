/**
 * The demo shop's order book: its pure core (an order's state from its payments' events, each event once), and over
 * real HTTP — the sandbox and the demo shop on free ports — a hi.health payment paid or declined at the provider
 * reaching the book only through `onPaymentEvent`, as `/admin/orders.json`, `/admin/orders` and `/orders/{order}.json`
 * tell it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { PaymentResponse, PaymentState } from '../src/core/model.ts';
import type { PaymentEvent } from '../src/server/events/event.ts';
import { callControl } from '../sandbox/testing.ts';
import { methodById, startAtProvider, until, useEndpoint, type Harness } from '../test/support/endpoint.ts';
import { operationRoute, operationsFor, parseOperationRequest, problemOf, type AdminOperation } from './admin.ts';
import { applyPaymentEvent, OrderBook, orderAttempt, type BackOfficeOrder, type OrderAttempt } from './orders.ts';
import { ordersPage } from './pages.ts';

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
    assert.deepEqual(
      { ...attempt, createdAt: undefined, history: undefined, providerStatus: undefined, capturedAmount: undefined },
      { reference, provider: 'hidirect', method: attempt!.method, state: 'paid', amount: 4990, currency: 'EUR', createdAt: undefined, operations: ['refund'], history: undefined, providerStatus: undefined, capturedAmount: undefined },
    );
    assert.ok(attempt!.capturedAmount === undefined || attempt!.capturedAmount === 4990, 'captured in full, where Kassa knows it');
    // Its history: every event Kassa kept, oldest first, ending in the state shown.
    assert.deepEqual(attempt!.history.map((entry) => entry.sequence), attempt!.history.map((_, index) => index + 1));
    assert.equal(attempt!.history[0]?.type, 'payment.created');
    assert.equal(attempt!.history.at(-1)?.state, 'paid');
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

describe('demo back office: what each operation takes and when it is offered', () => {
  it('checks each operation\'s body: only its members, a positive whole amount, a short reason, a plain key', () => {
    const key = '0b6f3c1e-7d2a-4c55-9a57-5a0f3f7e9c21';
    const rows: Array<[AdminOperation, unknown, { amount?: number; reason?: string; idempotencyKey?: string } | string]> = [
      ['capture', {}, {}],
      ['capture', { amount: 1000, idempotencyKey: key }, { amount: 1000, idempotencyKey: key }],
      ['capture', { reason: 'x' }, 'reason'],
      ['cancel', { reason: '  out of stock  ' }, { reason: 'out of stock' }],
      ['cancel', { reason: '   ' }, {}],
      ['cancel', { amount: 100 }, 'amount'],
      ['refund', { amount: 1, reason: 'r'.repeat(200), idempotencyKey: key }, { amount: 1, reason: 'r'.repeat(200), idempotencyKey: key }],
      ['refund', { reason: 'r'.repeat(201) }, 'reason'],
      ['refund', { reason: 12 }, 'reason'],
      ['refund', { amount: 0 }, 'amount'],
      ['refund', { amount: -100 }, 'amount'],
      ['refund', { amount: 10.5 }, 'amount'],
      ['refund', { amount: '1000' }, 'amount'],
      ['refund', { amount: null }, 'amount'],
      ['refund', { amount: Number.MAX_SAFE_INTEGER + 1 }, 'amount'],
      ['refund', { idempotencyKey: 'short' }, 'idempotencyKey'],
      ['refund', { idempotencyKey: 'has spaces in it' }, 'idempotencyKey'],
      ['refund', { idempotencyKey: 42 }, 'idempotencyKey'],
      ['refund', { amount: 100, extra: true }, 'extra'],
    ];
    for (const [operation, body, expected] of rows) {
      const parsed = parseOperationRequest(operation, body);
      const label = `${operation} ${JSON.stringify(body)}`;
      if (typeof expected === 'string') {
        assert.equal(parsed.ok, false, label);
        assert.equal(!parsed.ok && parsed.field, expected, label);
      } else {
        assert.deepEqual(parsed, { ok: true, request: expected }, label);
      }
    }
    for (const body of [null, [], 'refund', 12]) assert.equal(parseOperationRequest('refund', body).ok, false, JSON.stringify(body));
  });

  it('offers capture and cancel for an authorisation, cancel for an open payment, refund for a paid one', () => {
    const rows: Array<[PaymentState, AdminOperation[]]> = [
      ['created', ['cancel']],
      ['action_required', ['cancel']],
      ['pending', ['cancel']],
      ['processing', ['cancel']],
      ['authorized', ['capture', 'cancel']],
      ['paid', ['refund']],
      ['partially_refunded', ['refund']],
      ['refunded', []],
      ['cancelled', []],
      ['declined', []],
      ['failed', []],
      ['expired', []],
    ];
    for (const [state, operations] of rows) assert.deepEqual(operationsFor(state), operations, state);
  });

  it('reads the route from the path', () => {
    assert.deepEqual(operationRoute('/admin/payments/kp_a-b/refund'), { reference: 'kp_a-b', operation: 'refund' });
    assert.deepEqual(operationRoute('/admin/payments/kp%5Fx/capture'), { reference: 'kp_x', operation: 'capture' });
    for (const path of ['/admin/payments/kp_x', '/admin/payments/kp_x/refund/more', '/admin/payments//refund', '/admin/payments/%E0%A4%A/refund', '/admin/orders']) {
      assert.equal(operationRoute(path), undefined, path);
    }
  });

  it('answers the problem a Kassa error carries, and nothing for another error', () => {
    const problem = { type: 'urn:kassa:problem:operation-not-supported', title: 'The payment provider does not support this operation', status: 422, detail: 'hidirect does not support refunds' };
    assert.equal(problemOf(Object.assign(new Error('x'), { problem })), problem);
    assert.equal(problemOf(new Error('x')), undefined);
    assert.equal(problemOf(Object.assign(new Error('x'), { problem: { ...problem, status: 200 } })), undefined);
    assert.equal(problemOf(undefined), undefined);
  });

  it('shows a payment with its amounts, history and operations; each form with its own idempotency key', () => {
    const created = event('A-1', 'kp_1', 1, 'created');
    const operation = { kind: 'refund' as const, amount: 1000, reason: 'one <b>mug</b> broken', idempotencyKey: 'k-12345678' };
    const refunded: PaymentEvent = {
      ...event('A-1', 'kp_1', 3, 'partially_refunded', 'paid'),
      type: 'payment.operation',
      operation,
      payment: { ...event('A-1', 'kp_1', 3, 'partially_refunded').payment, capturedAmount: 4990, refundedAmount: 1000 },
    };
    const attempt = orderAttempt(refunded.payment, [created, event('A-1', 'kp_1', 2, 'paid', 'created'), refunded]);
    assert.deepEqual(
      { ...attempt, history: undefined },
      {
        reference: 'kp_1',
        provider: 'hidirect',
        method: 'hidirect:hi-health',
        state: 'partially_refunded',
        providerStatus: null,
        amount: 4990,
        currency: 'EUR',
        capturedAmount: 4990,
        refundedAmount: 1000,
        createdAt: refunded.payment.createdAt,
        operations: ['refund'],
        history: undefined,
      },
    );
    assert.deepEqual(
      attempt.history.map(({ sequence, type, state, operation }) => ({ sequence, type, state, operation })),
      [
        { sequence: 1, type: 'payment.created', state: 'created', operation: undefined },
        { sequence: 2, type: 'payment.updated', state: 'paid', operation: undefined },
        { sequence: 3, type: 'payment.operation', state: 'partially_refunded', operation },
      ],
    );

    let keys = 0;
    const order = (a: OrderAttempt): BackOfficeOrder => ({ order: 'A-1', state: 'paid', paidBy: 'kp_1', paidAt: null, refundedAt: null, createdAt: a.createdAt, updatedAt: a.createdAt, attempts: [a] });
    const html = ordersPage({ sandboxUrl: 'http://127.0.0.1:4010' }, [order(attempt)], () => `key-${++keys}-abcdefgh`);
    assert.match(html, /Captured <span data-captured>€49\.90<\/span> · Refunded <span data-refunded>€10\.00<\/span>/);
    assert.match(html, /<td>refund €10\.00 “one &lt;b&gt;mug&lt;\/b&gt; broken”<\/td>/, 'the reason is text, never markup');
    assert.match(html, /<form class="operation" data-operation="refund" data-payment="kp_1" data-currency="EUR" data-digits="2">/);
    assert.match(html, /<input name="amount" inputmode="decimal" autocomplete="off" size="8" placeholder="39\.90">/, 'the placeholder is what is left to refund');
    assert.match(html, /<input type="hidden" name="idempotencyKey" value="key-1-abcdefgh">/);
    assert.doesNotMatch(html, /data-operation="(capture|cancel)"/);
    assert.match(html, /<script type="module" src="\/static\/admin\.js"><\/script>/);
    assert.ok(!/<script(?![^>]*\bsrc=)/.test(html) && !/\sstyle=/.test(html), 'no inline script or style');

    const authorized = orderAttempt({ ...created.payment, state: 'authorized' }, [created]);
    const twoForms = ordersPage({ sandboxUrl: 'http://127.0.0.1:4010' }, [order(authorized)], () => `key-${++keys}-abcdefgh`);
    assert.deepEqual([...twoForms.matchAll(/data-operation="(\w+)"/g)].map((m) => m[1]), ['capture', 'cancel']);
    assert.deepEqual([...twoForms.matchAll(/name="idempotencyKey" value="([^"]+)"/g)].map((m) => m[1]), ['key-2-abcdefgh', 'key-3-abcdefgh'], 'a key per form');
    assert.match(twoForms, /<label>Reason <input name="reason" maxlength="200"/);
  });
});

describe('demo back office: capture, cancel and refund over HTTP', () => {
  const h = useEndpoint({ onError: () => {} });
  const fresh = (currency: string, tag: string) => `DEMO-${currency}~${tag}-${randomBytes(4).toString('hex')}`;


  /** `POST /admin/payments/{ref}/{operation}` as the back office's script sends it. */
  async function operate(reference: string, operation: string, body: unknown = {}, headers: Record<string, string> = {}) {
    const response = await fetch(`${h.demo.url}/admin/payments/${encodeURIComponent(reference)}/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: parsed, text };
  }

  const backOffice = async (order: string) =>
    ((await (await fetch(`${h.demo.url}/admin/orders.json`)).json()) as { orders: BackOfficeOrder[] }).orders.find((o) => o.order === order);

  /** A payment for a new `order` paid with `methodId`, decided `pay` at the sandbox; answers once Kassa has `state`. */
  async function paid(order: string, methodId: string, state: PaymentState): Promise<string> {
    const session = await h.session(order);
    const method = methodById(session.methods, methodId);
    assert.ok(method, `${methodId} is offered for ${order}`);
    const answer = await h.pay(session.token, method.id);
    assert.equal(answer.status, 201, answer.text);
    const created = answer.body as PaymentResponse;
    const id = await startAtProvider(h.sandbox.url, method.provider, created, method.id);
    await h.control('POST', `/payments/${method.provider}/${encodeURIComponent(id)}/outcome`, { outcome: 'pay' });
    const reference = created.payment.reference;
    // The status stream a shopper's page keeps open is what makes Kassa read the provider at once.
    const watching = new AbortController();
    const stream = fetch(`${h.demo.url}/kassa/payments/${encodeURIComponent(reference)}/events`, { signal: watching.signal })
      .then(async (response) => {
        for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>);
      })
      .catch(() => {});
    try {
      await until(`${reference} ${state}`, async () => (await h.demo.kassa.payments.get(reference))?.state === state);
    } finally {
      watching.abort();
      await stream;
    }
    return reference;
  }

  /** A Kronor card payment that stops at AUTHORIZED (Kronor's manual capture, a merchant setting). */
  async function authorizedCard(order: string): Promise<string> {
    await h.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    return paid(order, 'kronor:creditCard', 'authorized');
  }

  const operationsOf = async (reference: string) => (await h.demo.kassa.payments.events(reference)).filter((e) => e.type === 'payment.operation').map((e) => e.operation);

  it('Kronor card authorised: captured, refunded in part (once for one key), refused above what is left, refunded in full; the history lists each step', async () => {
    const order = fresh('EUR', 'capture');
    const reference = await authorizedCard(order);
    const listed = await until('the back office lists the authorisation', async () => (await backOffice(order))?.attempts[0]?.state === 'authorized' && (await backOffice(order)));
    assert.deepEqual(listed.attempts[0]!.operations, ['capture', 'cancel']);

    const captured = await operate(reference, 'capture', { idempotencyKey: `capture-${reference}` });
    assert.equal(captured.status, 200, captured.text);
    assert.match(captured.type, /^application\/json/);
    assert.equal(captured.body.reference, reference);
    assert.equal(captured.body.state, 'paid');
    assert.equal(captured.body.capturedAmount, 4990);

    const twice = await operate(reference, 'capture', {});
    assert.equal(twice.status, 409, twice.text);
    assert.equal(twice.type, 'application/problem+json');
    assert.equal(twice.body.type, 'urn:kassa:problem:operation-not-allowed');

    const key = `refund-${randomBytes(8).toString('hex')}`;
    const partial = await operate(reference, 'refund', { amount: 1000, reason: 'one mug broken', idempotencyKey: key });
    assert.equal(partial.status, 200, partial.text);
    assert.equal(partial.body.state, 'partially_refunded');
    assert.equal(partial.body.refundedAmount, 1000);
    const again = await operate(reference, 'refund', { amount: 1000, reason: 'one mug broken', idempotencyKey: key });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, partial.body, 'the same key answers the first refund');
    assert.equal((await h.demo.kassa.payments.get(reference))?.refundedAmount, 1000, 'refunded once');

    const tooMuch = await operate(reference, 'refund', { amount: 5000 });
    assert.equal(tooMuch.status, 409, tooMuch.text);
    assert.equal(tooMuch.type, 'application/problem+json');
    assert.equal(tooMuch.body.type, 'urn:kassa:problem:operation-not-allowed');
    assert.match(tooMuch.body.detail, /3990/);
    const unchanged = await h.demo.kassa.payments.get(reference);
    assert.deepEqual([unchanged?.state, unchanged?.refundedAmount], ['partially_refunded', 1000], 'a refusal changes nothing');

    const rest = await operate(reference, 'refund', {});
    assert.equal(rest.status, 200, rest.text);
    assert.equal(rest.body.state, 'refunded');
    assert.equal(rest.body.refundedAmount, 4990);

    assert.deepEqual(
      (await operationsOf(reference)).map((o) => ({ kind: o?.kind, amount: o?.amount, reason: o?.reason })),
      [
        { kind: 'capture', amount: 4990, reason: undefined },
        { kind: 'refund', amount: 1000, reason: 'one mug broken' },
        { kind: 'refund', amount: 3990, reason: undefined },
      ],
    );
    const done = await until('the shop heard the order refunded', async () => {
      const found = await backOffice(order);
      return found?.state === 'refunded' && found;
    });
    const [attempt] = done.attempts;
    assert.deepEqual([attempt?.state, attempt?.capturedAmount, attempt?.refundedAmount, attempt?.operations], ['refunded', 4990, 4990, []]);
    assert.deepEqual(
      attempt!.history.filter((entry) => entry.operation).map((entry) => [entry.operation!.kind, entry.operation!.amount]),
      [['capture', 4990], ['refund', 1000], ['refund', 3990]],
    );
    assert.ok(attempt!.history.some((entry) => entry.state === 'partially_refunded'), 'the partial refund is in the history');
    assert.deepEqual(await (await fetch(`${h.demo.url}/orders/${encodeURIComponent(order)}.json`)).json(), { order, state: 'refunded' });

    const page = await (await fetch(`${h.demo.url}/admin/orders`)).text();
    const item = page.slice(page.indexOf(`<li data-payment="${reference}">`));
    assert.match(item, /Captured <span data-captured>€49\.90<\/span> · Refunded <span data-refunded>€49\.90<\/span>/);
    assert.match(item, /<td>refund €10\.00 “one mug broken”<\/td>/);
    assert.doesNotMatch(item.slice(0, item.indexOf('</li>')), /<form/, 'nothing left to do');
  });

  it('Kronor card authorised: cancelled with a reason; the order is open again', async () => {
    const order = fresh('EUR', 'cancel');
    const reference = await authorizedCard(order);
    const cancelled = await operate(reference, 'cancel', { reason: 'out of stock' });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.state, 'cancelled');
    assert.deepEqual((await operationsOf(reference)).map((o) => [o?.kind, o?.reason]), [['cancel', 'out of stock']]);
    const refund = await operate(reference, 'refund', {});
    assert.equal(refund.status, 409, 'a cancelled payment is not refunded');
    await until('the shop heard the order open again', async () => (await backOffice(order))?.state === 'open');
  });

  it('Kronor Swish paid: refunded in part and then in full', async () => {
    const reference = await paid(fresh('SEK', 'swish'), 'kronor:swish', 'paid');
    const partial = await operate(reference, 'refund', { amount: 10000, reason: 'discount' });
    assert.equal(partial.status, 200, partial.text);
    assert.deepEqual([partial.body.state, partial.body.refundedAmount], ['partially_refunded', 10000]);
    const rest = await operate(reference, 'refund', {});
    assert.equal(rest.status, 200, rest.text);
    assert.deepEqual([rest.body.state, rest.body.refundedAmount], ['refunded', partial.body.amount]);
  });

  it('hi.health paid: a refund is not supported, answered as a problem, and changes nothing', async () => {
    const reference = await paid(fresh('EUR', 'hidirect'), 'hidirect:hi-health', 'paid');
    const before = await h.demo.kassa.payments.events(reference);
    const refund = await operate(reference, 'refund', { amount: 1000 });
    assert.equal(refund.status, 422, refund.text);
    assert.equal(refund.type, 'application/problem+json');
    assert.equal(refund.body.type, 'urn:kassa:problem:operation-not-supported');
    assert.match(refund.body.detail, /hidirect/);
    assert.deepEqual(await h.demo.kassa.payments.events(reference), before);
    assert.equal((await h.demo.kassa.payments.get(reference))?.state, 'paid');
  });

  it('refuses what the routes do not take: as problems, before asking Kassa', async () => {
    const reference = await paid(fresh('EUR', 'refusals'), 'hidirect:hi-health', 'paid');
    const rows: Array<[string, string, unknown, Record<string, string>, number, string]> = [
      ['refund', reference, { amount: 0 }, {}, 400, 'invalid-body'],
      ['refund', reference, { amount: 10.5 }, {}, 400, 'invalid-body'],
      ['refund', reference, { amount: '1000' }, {}, 400, 'invalid-body'],
      ['refund', reference, { reason: 'x'.repeat(201) }, {}, 400, 'invalid-body'],
      ['capture', reference, { reason: 'why' }, {}, 400, 'invalid-body'],
      ['refund', reference, '{"amount":', {}, 400, 'invalid-body'],
      ['refund', reference, '[1000]', {}, 400, 'invalid-body'],
      ['refund', reference, { amount: 100 }, { 'content-type': 'text/plain' }, 415, 'unsupported-media-type'],
      ['refund', reference, { amount: 100 }, { origin: 'https://evil.example' }, 403, 'origin-not-allowed'],
      ['refund', reference, { pad: 'x'.repeat(5000) }, {}, 413, 'body-too-large'],
      ['refund', 'kp_unknown', { amount: 100 }, {}, 404, 'payment-not-found'],
      ['void', reference, {}, {}, 404, 'not-found'],
    ];
    for (const [operation, ref, body, headers, status, code] of rows) {
      const answer = await operate(ref, operation, body, headers);
      const label = `${operation} ${ref === reference ? '' : ref} ${typeof body === 'string' ? body : JSON.stringify(body).slice(0, 40)} ${JSON.stringify(headers)}`;
      assert.equal(answer.status, status, `${label}: ${answer.text}`);
      assert.equal(answer.type, 'application/problem+json', label);
      assert.equal(answer.body.type, `urn:kassa:problem:${code}`, label);
      assert.equal(answer.body.status, status, label);
    }
    const sameOrigin = await operate(reference, 'refund', { amount: 0 }, { origin: h.demo.url });
    assert.equal(sameOrigin.status, 400, "the shop's own origin passes the origin check");
    const get = await fetch(`${h.demo.url}/admin/payments/${reference}/refund`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await h.demo.kassa.payments.events(reference)).filter((e) => e.type === 'payment.operation').length, 0);
  });
});
