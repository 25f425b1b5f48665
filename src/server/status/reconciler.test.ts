/** The reconciliation schedule (a table) and its sharing: several instances on one store read a due payment once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import { MemoryStore, type PaymentRecord } from '../stores/store.ts';
import { nextReadAt, Reconciler } from './reconciler.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('nextReadAt', () => {
  const cases: Array<[age: number, next: number | undefined]> = [
    [0, 10_000],
    [2 * MINUTE - 1, 10_000],
    [2 * MINUTE, 30_000],
    [15 * MINUTE - 1, 30_000],
    [15 * MINUTE, 2 * MINUTE],
    [2 * HOUR, 15 * MINUTE],
    [48 * HOUR - 1, 15 * MINUTE],
    [48 * HOUR, undefined],
  ];
  for (const [age, next] of cases) {
    it(`a payment ${age} ms old is read again ${next === undefined ? 'never' : `after ${next} ms`}`, () => {
      const now = 1_800_000_000_000;
      const at = nextReadAt(now - age, now);
      assert.equal(at === undefined ? undefined : at - now, next);
    });
  }
});

describe('Reconciler', () => {
  it('reads each due payment once across instances, stops at a final state, and reschedules the rest', async () => {
    const store = new MemoryStore();
    const reads: string[] = [];
    const read = async (record: PaymentRecord) => {
      reads.push(record.reference);
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (record.reference === 'kp_paid_now') return savePayment(store, { ...record, state: 'paid' });
      return record;
    };
    const now = new Date().toISOString();
    for (const reference of ['kp_open', 'kp_paid_now', 'kp_final']) {
      await savePayment(store, paymentRecord(reference, { createdAt: now, state: reference === 'kp_final' ? 'declined' : 'pending' }));
      await store.scheduleRead(reference, Date.now());
    }
    const instances = ['a', 'b', 'c'].map((owner) => new Reconciler({ store, read, onError: assert.fail, owner, readTimeoutMs: 1_000, pollMs: 10 }));
    const tracked = instances[0]!;
    for (const instance of instances) instance.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all(instances.map((i) => i.close()));
    assert.deepEqual(reads.sort(), ['kp_open', 'kp_paid_now'], 'one read each, by one of the three; none of the final payment');
    assert.deepEqual(await store.dueReads(Date.now() + 11_000, 10), ['kp_open'], 'the open payment is due again in 10 s; the others are off the schedule');
    assert.deepEqual(await store.dueReads(Date.now() + 9_000, 10), []);
    await tracked.track({ ...(await store.getPayment('kp_open'))!, state: 'paid' });
    assert.deepEqual(await store.dueReads(Date.now() + 11_000, 10), [], 'a final state leaves the schedule');
  });

  it('works through a backlog at once instead of a batch per look: 200 payments due together are read within a second', async () => {
    const store = new MemoryStore();
    const now = new Date().toISOString();
    for (let i = 0; i < 200; i++) {
      await savePayment(store, paymentRecord(`kp_wave${i}`, { createdAt: now }));
      await store.scheduleRead(`kp_wave${i}`, Date.now());
    }
    const read: string[] = [];
    const reconciler = new Reconciler({
      store,
      read: async (record) => {
        read.push(record.reference);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return record;
      },
      onError: assert.fail,
      owner: 'a',
      readTimeoutMs: 1_000,
      pollMs: 1_000,
      concurrency: 16,
    });
    const started = Date.now();
    reconciler.start();
    while (read.length < 200 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await reconciler.close();
    assert.equal(new Set(read).size, 200);
    assert.ok(Date.now() - started < 2_000, `all read in ${Date.now() - started} ms (one look a second, 16 at a time, would take 13 s)`);
  });
});
