/**
 * The `KassaStore` contract as one table of checks, run against every store (src/server/store.test.ts for
 * MemoryStore and FileStore, src/server/redis-store.test.ts for RedisStore): `storeContract(name, makeStore)` inside
 * a test file; `makeStore` answers a fresh, empty store each time. Also the sample records the checks use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentView } from '../../src/core/model.ts';
import { eventFor } from '../../src/server/events/event.ts';
import type { KassaStore, PaymentRecord, StoreOptions, StoredResponse } from '../../src/server/stores/store.ts';

export function paymentRecord(reference: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    reference,
    provider: 'hidirect',
    method: 'hidirect:hi-health',
    order: 'DEMO-EUR',
    amount: 4990,
    currency: 'EUR',
    session: 'session-1',
    providerPaymentId: `hd-${reference}`,
    state: 'pending',
    providerStatus: 'INITIAL',
    action: { type: 'redirect', url: 'https://pay.example/1' },
    sequence: 1,
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:00.000Z',
    ...overrides,
  };
}

/** Saves `record` as the payment's next change (its sequence follows the stored one), with its event; answers it as saved. */
export async function savePayment(store: KassaStore, record: PaymentRecord): Promise<PaymentRecord> {
  const previous = await store.getPayment(record.reference);
  const next = { ...record, sequence: (previous?.sequence ?? 0) + 1 };
  assert.equal(await store.commitPayment(next, eventFor(next, previous)), true, `saving ${record.reference}`);
  return next;
}

/** `savePayment`, with every event delivered: the payment's retention starts. */
export async function saveDelivered(store: KassaStore, record: PaymentRecord): Promise<PaymentRecord> {
  const saved = await savePayment(store, record);
  await store.markDelivered(saved.reference, saved.sequence);
  return saved;
}

export function paymentView(reference: string, overrides: Partial<PaymentView> = {}): PaymentView {
  return {
    reference,
    order: 'DEMO-EUR',
    provider: 'hidirect',
    method: 'hidirect:hi-health',
    state: 'paid',
    providerStatus: 'SETTLED',
    amount: 4990,
    currency: 'EUR',
    updatedAt: '2026-11-25T12:00:00.000Z',
    ...overrides,
  };
}

export const storedAnswer: StoredResponse = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

export function storeContract(name: string, makeStore: (options?: StoreOptions) => KassaStore): void {
  describe(`${name}: the KassaStore contract`, () => {
    it('forgets a payment once its retention after the last save has passed', async () => {
      const store = makeStore({ paymentRetentionMs: 300 });
      await saveDelivered(store, paymentRecord('kp_old'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await saveDelivered(store, paymentRecord('kp_old', { state: 'paid' })); // a save starts the retention again
      await saveDelivered(store, paymentRecord('kp_new'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await store.getPayment('kp_old'))?.state, 'paid', 'kept: saved 200 ms ago');
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(await store.getPayment('kp_old'), undefined);
      assert.equal(await store.findPayment('hidirect', 'hd-kp_old'), undefined);
      assert.equal(await store.getPayment('kp_new'), undefined);
    });

    it('saves, reads and finds payments by reference and by provider id, as copies', async () => {
      const store = makeStore();
      await savePayment(store, paymentRecord('kp_1'));
      const read = await store.getPayment('kp_1');
      assert.equal(read?.providerStatus, 'INITIAL');
      read!.state = 'paid';
      assert.equal((await store.getPayment('kp_1'))?.state, 'pending', 'a read is a copy');
      assert.equal((await store.findPayment('hidirect', 'hd-kp_1'))?.reference, 'kp_1');
      assert.equal(await store.findPayment('hero', 'hd-kp_1'), undefined);
      assert.equal(await store.getPayment('kp_unknown'), undefined);
      await savePayment(store, paymentRecord('kp_1', { state: 'paid', providerStatus: 'SETTLED' }));
      assert.equal((await store.getPayment('kp_1'))?.state, 'paid');
    });

    it('saves a change only over the sequence it was read at, with its event', async () => {
      const store = makeStore();
      const first = paymentRecord('kp_1');
      assert.equal(await store.commitPayment(first, eventFor(first, undefined)), true);
      assert.equal(await store.commitPayment(first, eventFor(first, undefined)), false, 'created twice');
      const paid = { ...first, state: 'paid' as const, sequence: 2 };
      const refunded = { ...first, state: 'refunded' as const, sequence: 2 };
      assert.equal(await store.commitPayment(paid, eventFor(paid, first)), true);
      assert.equal(await store.commitPayment(refunded, eventFor(refunded, first)), false, 'a writer that read sequence 1 loses');
      assert.equal((await store.getPayment('kp_1'))?.state, 'paid');
      assert.deepEqual((await store.paymentEvents('kp_1')).map((e) => [e.id, e.type, e.previousState, e.payment.state]), [
        ['kp_1.1', 'payment.created', null, 'pending'],
        ['kp_1.2', 'payment.updated', 'pending', 'paid'],
      ]);
    });

    it("lists an order's attempts, oldest first, and no other order's", async () => {
      const store = makeStore();
      await savePayment(store, paymentRecord('kp_b', { createdAt: '2026-11-25T12:00:02.000Z' }));
      await savePayment(store, paymentRecord('kp_a', { createdAt: '2026-11-25T12:00:01.000Z' }));
      await savePayment(store, paymentRecord('kp_a', { state: 'paid', createdAt: '2026-11-25T12:00:01.000Z' }));
      await savePayment(store, paymentRecord('kp_other', { order: 'DEMO-SEK' }));
      assert.deepEqual((await store.orderPayments('DEMO-EUR')).map((r) => [r.reference, r.state]), [
        ['kp_a', 'paid'],
        ['kp_b', 'pending'],
      ]);
      assert.deepEqual(await store.orderPayments('DEMO-NONE'), []);
    });

    it('keeps undelivered events in the outbox until delivered, in order, and keeps their payment past its retention', async () => {
      const store = makeStore({ paymentRetentionMs: 200 });
      await savePayment(store, paymentRecord('kp_1'));
      await savePayment(store, paymentRecord('kp_1', { state: 'paid' }));
      assert.deepEqual(await store.dueEvents(Date.now(), 10), ['kp_1']);
      assert.deepEqual((await store.pendingEvents('kp_1')).events.map((e) => e.sequence), [1, 2]);
      await store.markDelivered('kp_1', 1);
      assert.deepEqual(await store.pendingEvents('kp_1').then((p) => [p.delivered, p.events.map((e) => e.sequence)]), [1, [2]]);
      await store.postponeEvents('kp_1', Date.now() + 60_000);
      assert.deepEqual(await store.dueEvents(Date.now(), 10), [], 'postponed');
      assert.deepEqual(await store.dueEvents(Date.now() + 61_000, 10), ['kp_1']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await store.getPayment('kp_1'))?.state, 'paid', 'an undelivered event keeps its payment');
      await store.markDelivered('kp_1', 2);
      await store.markDelivered('kp_1', 1); // never moves back
      assert.deepEqual(await store.pendingEvents('kp_1').then((p) => [p.delivered, p.events.length]), [2, 0]);
      assert.deepEqual(await store.dueEvents(Date.now() + 61_000, 10), [], 'delivered: out of the outbox');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await store.getPayment('kp_1'), undefined, 'delivered, then kept for the retention only');
    });

    it('gives a lease to one owner at a time until released or lapsed', async () => {
      const store = makeStore();
      assert.equal(await store.acquireLease('events:kp_1', 'a', 300), true);
      assert.equal(await store.acquireLease('events:kp_1', 'b', 300), false);
      assert.equal(await store.acquireLease('events:kp_1', 'a', 300), true, 'extended by its owner');
      await store.releaseLease('events:kp_1', 'b'); // not b's: nothing happens
      assert.equal(await store.acquireLease('events:kp_1', 'b', 300), false);
      await store.releaseLease('events:kp_1', 'a');
      assert.equal(await store.acquireLease('events:kp_1', 'b', 100), true);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(await store.acquireLease('events:kp_1', 'a', 100), true, 'lapsed');
    });

    it('claims a key once: same body replays the answer, another body conflicts, a released key is free again', async () => {
      const store = makeStore();
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-a', 0), { kind: 'acquired' });
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-b', 0), { kind: 'conflict' });
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-a', 0), { kind: 'conflict' }, 'in flight, no time to wait');
      const waiting = store.claimIdempotency('key-1', 'body-a', 5_000);
      await store.finishIdempotency('key-1', storedAnswer, 60_000);
      assert.deepEqual(await waiting, { kind: 'replay', response: storedAnswer }, 'a waiting duplicate gets the first answer');
      assert.deepEqual(await store.claimIdempotency('key-2', 'body-a', 0), { kind: 'acquired' });
      await store.finishIdempotency('key-2', null, 60_000);
      assert.deepEqual(await store.claimIdempotency('key-2', 'body-a', 0), { kind: 'acquired' }, 'released');
    });

    it('tells subscribers of a payment, and only them, until they leave', async () => {
      const store = makeStore();
      const seen: string[] = [];
      const leave = store.subscribe('kp_1', (view) => seen.push(view.state));
      store.subscribe('kp_2', () => seen.push('wrong payment'));
      await store.publish(paymentView('kp_1'));
      leave();
      await store.publish(paymentView('kp_1'));
      assert.deepEqual(seen, ['paid']);
    });

    it('keeps a shared value until it expires, is replaced or deleted', async () => {
      const store = makeStore();
      assert.equal(await store.getValue('health:whenthen:create'), undefined);
      await store.setValue('health:whenthen:create', 'open', 150);
      await store.setValue('health:kronor:create', 'a', 60_000);
      await store.setValue('health:kronor:create', 'b', 60_000);
      assert.equal(await store.getValue('health:whenthen:create'), 'open');
      assert.equal(await store.getValue('health:kronor:create'), 'b', 'replaced');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await store.getValue('health:whenthen:create'), undefined, 'expired');
      await store.deleteValue('health:kronor:create');
      assert.equal(await store.getValue('health:kronor:create'), undefined, 'deleted');
    });

    it('counts requests per key within a window', async () => {
      const store = makeStore();
      const hits = [];
      for (let i = 0; i < 4; i++) hits.push(await store.hit('client-1', 3, 60_000));
      assert.deepEqual(hits, [true, true, true, false]);
      assert.equal(await store.hit('client-2', 3, 60_000), true);
    });
  });
}
