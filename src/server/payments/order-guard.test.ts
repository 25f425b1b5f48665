/**
 * One order, at most one successful charge, over real HTTP: a paid order refuses a new session and a new payment
 * (409 `order-already-paid` naming the payment), a new attempt cancels the open earlier one where its provider can,
 * and a second success is marked a duplicate, told to the merchant and refunded — or reported when it cannot be.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResponse } from '../../core/model.ts';
import { problemCode } from '../../core/problems.ts';
import { exampleFields, freshOrder, json, PROVIDER_FLOWS, startAtProvider, until, useEndpoint } from '../../../test/support/endpoint.ts';
import type { PaymentEvent } from '../events/event.ts';

const heard: PaymentEvent[] = [];
const errors: string[] = [];


describe('one successful payment per order', () => {
  const h = useEndpoint({
    providerReadIntervalMs: 100,
    onError: (error) => errors.push((error as Error).message),
    onPaymentEvent: (event) => void heard.push(event),
  });

  async function pay(order: string, provider: string, outcome = 'pay'): Promise<PaymentResponse> {
    const session = await h.session(order);
    const flow = PROVIDER_FLOWS.find((f) => f.provider === provider)!;
    const method = flow.method(session.methods)!;
    const answer = await h.pay(session.token, method.id, { fields: exampleFields(method) });
    assert.equal(answer.status, 201, answer.text);
    const created = answer.body as PaymentResponse;
    const id = await startAtProvider(h.sandbox.url, flow.provider, created);
    await h.control('POST', `/payments/${provider}/${encodeURIComponent(id)}/outcome`, { outcome });
    return created;
  }

  async function settled(reference: string, states: string[]): Promise<string> {
    return until(`${reference} in ${states.join('/')}`, async () => {
      const read = await h.api(`/payments/${reference}`);
      return states.includes(read.body?.state) && read.body.state;
    });
  }

  it('refuses a session and a payment for a paid order: 409 order-already-paid naming the payment', async () => {
    const order = freshOrder('DEMO-EUR');
    const late = await h.session(order); // a second tab opened before the order was paid
    const paid = await pay(order, 'hidirect');
    await settled(paid.payment.reference, ['paid']);

    const session = await h.api('/session', json({ order }));
    assert.equal(session.status, 409);
    assert.match(session.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(problemCode(session.body.type), 'order-already-paid');
    assert.equal(session.body.payment, paid.payment.reference);

    const hero = PROVIDER_FLOWS.find((f) => f.provider === 'hero')!.method(late.methods)!;
    const payment = await h.pay(late.token, hero.id);
    assert.equal(payment.status, 409, payment.text);
    assert.equal(problemCode(payment.body.type), 'order-already-paid');
    assert.equal(payment.body.payment, paid.payment.reference);
    assert.equal((await h.control('GET', '/payments?provider=hero')).payments.length, 0, 'nothing was created at Hero');
  });

  it('a declined or cancelled attempt leaves the order payable', async () => {
    const order = freshOrder('DEMO-EUR');
    const declined = await pay(order, 'hidirect', 'decline');
    await settled(declined.payment.reference, ['declined']);
    assert.equal((await h.api('/session', json({ order }))).status, 201);
  });

  it('a new attempt cancels the open earlier one at a provider that can cancel it (Kronor)', async () => {
    const order = freshOrder('DEMO-SEK');
    const session = await h.session(order);
    const swish = session.methods.find((m) => m.id === 'swish')!;
    const first = (await h.pay(session.token, swish.id)).body as PaymentResponse;
    await startAtProvider(h.sandbox.url, 'kronor', first);
    // The shopper comes back and chooses again: a second Swish request for the same order.
    const second = await h.pay(session.token, swish.id, { key: 'second-attempt-key' });
    assert.equal(second.status, 201, second.text);
    assert.equal(await settled(first.payment.reference, ['cancelled']), 'cancelled');
    const attempts = await h.demo.kassa.payments.forOrder(order);
    assert.deepEqual(attempts.map((p) => p.reference), [first.payment.reference, second.body.payment.reference]);
  });

  it('a second success is marked a duplicate, told to the merchant, and refunded at its provider', async () => {
    const order = freshOrder('DEMO-EUR');
    const a = await h.session(order);
    const b = await h.session(order);
    const heroMethod = PROVIDER_FLOWS.find((f) => f.provider === 'hero')!.method(a.methods)!;
    const whenthenMethod = PROVIDER_FLOWS.find((f) => f.provider === 'whenthen')!.method(b.methods)!;
    const first = (await h.pay(a.token, heroMethod.id)).body as PaymentResponse;
    const second = (await h.pay(b.token, whenthenMethod.id, { fields: exampleFields(whenthenMethod) })).body as PaymentResponse;
    const heroId = await startAtProvider(h.sandbox.url, 'hero', first);
    const whenthenId = await startAtProvider(h.sandbox.url, 'whenthen', second);
    // Both tabs approve: the second before the first.
    await h.control('POST', `/payments/whenthen/${encodeURIComponent(whenthenId)}/outcome`, { outcome: 'pay' });
    await settled(second.payment.reference, ['paid']);
    await h.control('POST', `/payments/hero/${encodeURIComponent(heroId)}/outcome`, { outcome: 'pay' });
    await settled(first.payment.reference, ['paid']);

    // The attempt created first is kept; the other is a duplicate, refunded at WhenThen.
    assert.equal(await settled(second.payment.reference, ['refunded']), 'refunded');
    const duplicate = await until('the duplicate event', () => heard.find((e) => e.payment.reference === second.payment.reference && e.type === 'payment.duplicate'));
    assert.equal(duplicate.payment.duplicateOf, first.payment.reference);
    const kept = await h.demo.kassa.payments.get(first.payment.reference);
    assert.equal(kept?.state, 'paid');
    assert.equal(kept?.duplicateOf, undefined);
    const refunded = await h.demo.kassa.payments.get(second.payment.reference);
    assert.deepEqual([refunded?.state, refunded?.duplicateOf], ['refunded', first.payment.reference]);
  });

  it('reports a duplicate it cannot refund (hi.health settles at once and documents no refund)', async () => {
    const order = freshOrder('DEMO-EUR');
    const a = await h.session(order);
    const b = await h.session(order);
    const whenthenMethod = PROVIDER_FLOWS.find((f) => f.provider === 'whenthen')!.method(a.methods)!;
    const first = (await h.pay(a.token, whenthenMethod.id, { fields: exampleFields(whenthenMethod) })).body as PaymentResponse;
    const second = (await h.pay(b.token, 'hidirect:hi-health')).body as PaymentResponse;
    const whenthenId = await startAtProvider(h.sandbox.url, 'whenthen', first);
    const hidirectId = await startAtProvider(h.sandbox.url, 'hidirect', second);
    errors.length = 0;
    await h.control('POST', `/payments/whenthen/${encodeURIComponent(whenthenId)}/outcome`, { outcome: 'pay' });
    await h.control('POST', `/payments/hidirect/${encodeURIComponent(hidirectId)}/outcome`, { outcome: 'pay' });
    await settled(first.payment.reference, ['paid']);
    await settled(second.payment.reference, ['paid']);
    const duplicate = await until('the duplicate event', () => heard.find((e) => e.payment.reference === second.payment.reference && e.type === 'payment.duplicate'));
    assert.equal(duplicate.payment.duplicateOf, first.payment.reference);
    const report = await until('the report', () => errors.find((m) => m.includes(second.payment.reference)));
    assert.match(report, /paid twice.*not refunded automatically.*hidirect offers no refund/);
    assert.equal((await h.demo.kassa.payments.get(second.payment.reference))?.state, 'paid', 'still paid: the merchant refunds it');
  });
});
