/**
 * The reconciliation schedule (a table) and its sharing: several instances on one store read a due payment once; a
 * wave of due payments is taken in bulk and read in few provider calls where the provider reads in batches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import { MemoryStore, type PaymentRecord } from '../stores/store.ts';
import { ProviderReads } from './reads.ts';
import { nextReadAt, Reconciler } from './reconciler.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Each record read one at a time by `read`, as the reconciler's `readAll` asks. */
function oneByOne(read: (record: PaymentRecord) => Promise<PaymentRecord>) {
  return (records: readonly PaymentRecord[]) => records.map(read);
}

describe('Reconciler', () => {
  it('reads each due payment once across instances, stops at a final state, and reschedules the rest', async () => {
    const store = new MemoryStore();
    const reads: string[] = [];
    const read = async (record: PaymentRecord) => {
      reads.push(record.reference);
      await sleep(30);
      if (record.reference === 'kp_paid_now') return savePayment(store, { ...record, state: 'paid' });
      return record;
    };
    const now = new Date().toISOString();
    for (const reference of ['kp_open', 'kp_paid_now', 'kp_final']) {
      await savePayment(store, paymentRecord(reference, { createdAt: now, state: reference === 'kp_final' ? 'declined' : 'pending' }));
      await store.scheduleRead(reference, Date.now());
    }
    const instances = ['a', 'b', 'c'].map(() => new Reconciler({ store, readAll: oneByOne(read), onError: assert.fail, readTimeoutMs: 1_000, pollMs: 10 }));
    const tracked = instances[0]!;
    for (const instance of instances) instance.start();
    await sleep(300);
    await Promise.all(instances.map((i) => i.close()));
    assert.deepEqual(reads.sort(), ['kp_open', 'kp_paid_now'], 'one read each, by one of the three; none of the final payment');
    assert.deepEqual(await store.dueReads(Date.now() + 11_000, 10), ['kp_open'], 'the open payment is due again in 10 s; the others are off the schedule');
    assert.deepEqual(await store.dueReads(Date.now() + 9_000, 10), []);
    await tracked.track({ ...(await store.getPayment('kp_open'))!, state: 'paid' });
    assert.deepEqual(await store.dueReads(Date.now() + 11_000, 10), [], 'a final state leaves the schedule');
  });

  it('works through a backlog at once instead of a batch per look: 2,000 payments due together are read within a second', async () => {
    const store = new MemoryStore();
    const now = new Date().toISOString();
    for (let i = 0; i < 2_000; i++) {
      await savePayment(store, paymentRecord(`kp_wave${i}`, { createdAt: now }));
      await store.scheduleRead(`kp_wave${i}`, Date.now());
    }
    const read: string[] = [];
    const reconciler = new Reconciler({
      store,
      readAll: oneByOne(async (record) => {
        read.push(record.reference);
        await sleep(5);
        return record;
      }),
      onError: assert.fail,
      readTimeoutMs: 1_000,
      pollMs: 1_000,
      claimLimit: 200,
    });
    const started = Date.now();
    reconciler.start();
    while (read.length < 2_000 && Date.now() - started < 5_000) await sleep(20);
    await reconciler.close();
    assert.equal(new Set(read).size, 2_000);
    assert.ok(Date.now() - started < 2_000, `all read in ${Date.now() - started} ms (one look a second, 200 at a time, would take 10 s)`);
  });

  it('keeps a payment whose read failed on the schedule, and says so once for the batch', async () => {
    const store = new MemoryStore();
    const now = new Date().toISOString();
    for (const reference of ['kp_a', 'kp_b']) {
      await savePayment(store, paymentRecord(reference, { createdAt: now }));
      await store.scheduleRead(reference, Date.now());
    }
    const down = new Error('the provider is down');
    const errors: string[] = [];
    const reconciler = new Reconciler({
      store,
      readAll: (records) => records.map(() => Promise.reject(down)),
      onError: (error, context) => void errors.push(`${context}: ${(error as Error).message}`),
      readTimeoutMs: 1_000,
      pollMs: 10,
    });
    reconciler.start();
    await sleep(100);
    await reconciler.close();
    assert.deepEqual(errors, ['reconciling payments kp_a, kp_b: the provider is down'], 'one look, one report: not retried at every look');
    assert.deepEqual((await store.dueReads(Date.now() + 11_000, 10)).sort(), ['kp_a', 'kp_b'], 'read again on the schedule');
  });

  it('reads 1,200 pending payments of a provider with batch reads in 12 calls, within the per-payment bound', async () => {
    const store = new MemoryStore();
    const now = new Date().toISOString();
    for (let i = 0; i < 1_200; i++) {
      await savePayment(store, paymentRecord(`kp_batch${i}`, { provider: 'hero', createdAt: now }));
      await store.scheduleRead(`kp_batch${i}`, Date.now());
    }
    const calls: number[] = [];
    const reads = new ProviderReads({
      store,
      intervalMs: 2_000,
      batchLimit: () => 100,
      read: async (_provider, records) => {
        calls.push(records.length);
        return new Map(records.map((record) => [record.reference, record]));
      },
    });
    const reconciler = new Reconciler({ store, readAll: (records) => reads.refreshAll(records), onError: assert.fail, readTimeoutMs: 1_000, pollMs: 10 });
    reconciler.start();
    const started = Date.now();
    while (calls.reduce((a, b) => a + b, 0) < 1_200 && Date.now() - started < 5_000) await sleep(20);
    await sleep(100); // a look after the wave finds nothing due: no more calls
    await reconciler.close();
    await reads.close();
    assert.deepEqual(calls, Array(12).fill(100));
    assert.equal((await store.dueReads(Date.now() + 9_000, 2_000)).length, 0, 'each next read is 10 s away');
    assert.equal((await store.dueReads(Date.now() + 11_000, 2_000)).length, 1_200);
  });

  it('two instances on one store share a wave of a batch provider without reading a payment twice', async () => {
    const store = new MemoryStore();
    const now = new Date().toISOString();
    for (let i = 0; i < 1_000; i++) {
      await savePayment(store, paymentRecord(`kp_shared${i}`, { provider: 'hero', createdAt: now }));
      await store.scheduleRead(`kp_shared${i}`, Date.now());
    }
    const read = new Map<string, number>();
    const instances = ['a', 'b'].map(() => {
      const reads = new ProviderReads({
        store,
        intervalMs: 2_000,
        batchLimit: () => 100,
        read: async (_provider, records) => {
          for (const record of records) read.set(record.reference, (read.get(record.reference) ?? 0) + 1);
          await sleep(5);
          return new Map();
        },
      });
      return { reads, reconciler: new Reconciler({ store, readAll: (records) => reads.refreshAll(records), onError: assert.fail, readTimeoutMs: 1_000, pollMs: 10, claimLimit: 100 }) };
    });
    for (const { reconciler } of instances) reconciler.start();
    const started = Date.now();
    while (read.size < 1_000 && Date.now() - started < 5_000) await sleep(20);
    await sleep(100);
    for (const { reconciler, reads } of instances) {
      await reconciler.close();
      await reads.close();
    }
    assert.equal(read.size, 1_000);
    assert.deepEqual(new Set(read.values()), new Set([1]), 'no payment read twice');
  });
});
