/**
 * The `KassaStore` contract as one table of checks, run against every store (src/server/store.test.ts for
 * MemoryStore and FileStore, src/server/redis-store.test.ts for RedisStore): `storeContract(name, makeStore)` inside
 * a test file; `makeStore` answers a fresh, empty store each time. Also the sample records the checks use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentView } from '../../src/core/model.ts';
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
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:00.000Z',
    ...overrides,
  };
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
      await store.savePayment(paymentRecord('kp_old'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await store.savePayment(paymentRecord('kp_old', { state: 'paid' })); // a save starts the retention again
      await store.savePayment(paymentRecord('kp_new'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await store.getPayment('kp_old'))?.state, 'paid', 'kept: saved 200 ms ago');
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(await store.getPayment('kp_old'), undefined);
      assert.equal(await store.findPayment('hidirect', 'hd-kp_old'), undefined);
      assert.equal(await store.getPayment('kp_new'), undefined);
    });

    it('saves, reads and finds payments by reference and by provider id, as copies', async () => {
      const store = makeStore();
      await store.savePayment(paymentRecord('kp_1'));
      const read = await store.getPayment('kp_1');
      assert.equal(read?.providerStatus, 'INITIAL');
      read!.state = 'paid';
      assert.equal((await store.getPayment('kp_1'))?.state, 'pending', 'a read is a copy');
      assert.equal((await store.findPayment('hidirect', 'hd-kp_1'))?.reference, 'kp_1');
      assert.equal(await store.findPayment('hero', 'hd-kp_1'), undefined);
      assert.equal(await store.getPayment('kp_unknown'), undefined);
      await store.savePayment(paymentRecord('kp_1', { state: 'paid', providerStatus: 'SETTLED' }));
      assert.equal((await store.getPayment('kp_1'))?.state, 'paid');
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

    it('counts requests per key within a window', async () => {
      const store = makeStore();
      const hits = [];
      for (let i = 0; i < 4; i++) hits.push(await store.hit('client-1', 3, 60_000));
      assert.deepEqual(hits, [true, true, true, false]);
      assert.equal(await store.hit('client-2', 3, 60_000), true);
    });
  });
}
