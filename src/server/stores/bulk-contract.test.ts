/**
 * The store steps that serve many payments at once, as one table of checks run against every store (store.test.ts for
 * MemoryStore and FileStore, redis-store.test.ts for RedisStore): `bulkContract(name, makeStore)` inside a test file.
 * Run alone, this file checks nothing: it only holds the table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import type { KassaStore } from './store.ts';

export function bulkContract(name: string, makeStore: () => KassaStore): void {
  describe(`${name}: many payments in one step`, () => {
    it('reads several payments at once, in the order asked, undefined where unknown', async () => {
      const store = makeStore();
      await savePayment(store, paymentRecord('kp_1'));
      await savePayment(store, paymentRecord('kp_2', { state: 'paid' }));
      const records = await store.getPayments(['kp_2', 'kp_unknown', 'kp_1']);
      assert.deepEqual(records.map((r) => r?.reference), ['kp_2', undefined, 'kp_1']);
      assert.equal(records[0]!.state, 'paid');
      assert.deepEqual(await store.getPayments([]), []);
    });

    it('claims due reads earliest first, at most the limit, and moves them past the lease so none is claimed twice', async () => {
      const store = makeStore();
      const now = Date.now();
      await store.scheduleReads([
        { reference: 'kp_late', at: now - 1_000 },
        { reference: 'kp_early', at: now - 5_000 },
        { reference: 'kp_middle', at: now - 3_000 },
        { reference: 'kp_future', at: now + 60_000 },
      ]);
      assert.deepEqual(await store.claimDueReads(now, 2, 10_000), ['kp_early', 'kp_middle']);
      assert.deepEqual(await store.claimDueReads(now, 10, 10_000), ['kp_late'], 'the two claimed are not due any more');
      assert.deepEqual(await store.claimDueReads(now, 10, 10_000), []);
      assert.deepEqual((await store.dueReads(now + 10_000, 10)).sort(), ['kp_early', 'kp_late', 'kp_middle'], 'due again once the lease has passed');
      assert.deepEqual(await store.claimDueReads(now, 0, 10_000), []);
    });

    it('concurrent claims take disjoint payments', async () => {
      const store = makeStore();
      const now = Date.now();
      await store.scheduleReads(Array.from({ length: 300 }, (_, i) => ({ reference: `kp_c${i}`, at: now - i })));
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimDueReads(now, 60, 10_000)));
      const all = claims.flat();
      assert.equal(all.length, 300);
      assert.equal(new Set(all).size, 300);
    });

    it('sets and removes many scheduled reads in one step', async () => {
      const store = makeStore();
      const now = Date.now();
      await store.scheduleReads([
        { reference: 'kp_a', at: now - 10 },
        { reference: 'kp_b', at: now - 10 },
      ]);
      await store.scheduleReads([
        { reference: 'kp_a', at: undefined },
        { reference: 'kp_b', at: now + 5_000 },
        { reference: 'kp_c', at: now - 5 },
      ]);
      assert.deepEqual(await store.dueReads(now, 10), ['kp_c']);
      assert.deepEqual(await store.dueReads(now + 5_000, 10), ['kp_c', 'kp_b']);
      await store.scheduleReads([]);
    });

    it('counts a hit on each key in one step, each against its own budget', async () => {
      const store = makeStore();
      assert.deepEqual(await store.hitEach(['read:a', 'read:b'], 1, 300), [true, true]);
      assert.deepEqual(await store.hitEach(['read:a', 'read:c', 'read:b'], 1, 300), [false, true, false]);
      assert.equal(await store.hit('read:c', 1, 300), false, 'the same windows as hit');
      await new Promise((resolve) => setTimeout(resolve, 350));
      assert.deepEqual(await store.hitEach(['read:a', 'read:b', 'read:c'], 1, 300), [true, true, true], 'a new window');
      assert.deepEqual(await store.hitEach([], 1, 300), []);
    });
  });
}
