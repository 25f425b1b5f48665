/**
 * The watcher's schedule (a table: the wait between reads by a payment's age) and the watcher itself on a MemoryStore
 * with reads that count: a young watched payment read every interval and never sooner, an older one less often, the
 * payments due at a tick read together, no more reads once final, and nothing left running after `close`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import { view } from '../payments/records.ts';
import { MemoryStore, type PaymentRecord } from '../stores/store.ts';
import { ProviderReads } from './reads.ts';
import { StatusWatcher, WATCH_SLACK_MS, watchedReadDelay, watchTickMs } from './watcher.ts';

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchedReadDelay', () => {
  // Ticks come every read interval and the slack (2.1 s for the default 2 s); a wait is a whole number of ticks.
  const cases: Array<[age: number, intervalMs: number, delay: number]> = [
    [0, 2_000, 2_100],
    [3 * MINUTE - 1, 2_000, 2_100],
    [3 * MINUTE, 2_000, 6_300],
    [15 * MINUTE - 1, 2_000, 6_300],
    [15 * MINUTE, 2_000, 10_500],
    [48 * 60 * MINUTE, 2_000, 10_500],
    [0, 6_000, 6_100],
    [3 * MINUTE, 6_000, 6_100],
    [15 * MINUTE, 12_000, 12_100],
  ];
  for (const [age, intervalMs, delay] of cases) {
    it(`a payment ${age / 1000} s old, read interval ${intervalMs} ms: next read after ${delay} ms`, () => {
      assert.equal(watchedReadDelay(age, intervalMs), delay);
      assert.equal(delay % watchTickMs(intervalMs), 0);
      assert.ok(delay >= intervalMs + WATCH_SLACK_MS);
    });
  }
});

/** A watcher over real `ProviderReads` whose provider reads are noted (time and size of each call). */
function setUp(intervalMs: number, answer: (record: PaymentRecord) => PaymentRecord = (record) => record) {
  const store = new MemoryStore();
  const calls: Array<{ at: number; references: string[] }> = [];
  const errors: unknown[] = [];
  const reads = new ProviderReads({
    store,
    intervalMs,
    batchLimit: () => 100,
    read: async (_provider, records) => {
      calls.push({ at: Date.now(), references: records.map((r) => r.reference) });
      return new Map(records.map((record) => [record.reference, answer(record)]));
    },
  });
  const watcher = new StatusWatcher({ store, refreshAll: (records) => reads.refreshAll(records), onError: (error) => void errors.push(error), intervalMs });
  const readsOf = (reference: string) => calls.filter((c) => c.references.includes(reference)).map((c) => c.at);
  return { store, reads, watcher, calls, errors, readsOf };
}

function pending(reference: string, ageMs = 0): PaymentRecord {
  return paymentRecord(reference, { provider: 'hero', createdAt: new Date(Date.now() - ageMs).toISOString() });
}

describe('StatusWatcher', () => {
  it('reads a young watched payment as it opens, then every interval (never sooner), and an older one less often', async () => {
    const { store, reads, watcher, errors, readsOf } = setUp(200);
    const young = await savePayment(store, pending('kp_young'));
    const older = await savePayment(store, pending('kp_older', 5 * MINUTE));
    const stops = [watcher.watch(young, () => {}), watcher.watch(older, () => {})];
    await sleep(1_200);
    stops.forEach((stop) => stop());
    await watcher.close();
    await reads.close();
    const times = readsOf('kp_young');
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.ok(times.length >= 3 && times.length <= 5, `${times.length} reads in 1.2 s (at the first tick, then one a tick: 300 ms)`);
    assert.ok(Math.min(...gaps) >= 200, `never sooner than the interval: gaps ${gaps.join(', ')} ms`);
    assert.ok(Math.max(...gaps) <= 350, `one read a tick: gaps ${gaps.join(', ')} ms`);
    assert.equal(readsOf('kp_older').length, 1, 'five minutes old: at the first tick, the next after 5 s');
    assert.deepEqual(errors, []);
  });

  it('reads the payments due at one tick in one call, however many streams watch each', async () => {
    const { store, reads, watcher, calls } = setUp(100);
    const records = await Promise.all(Array.from({ length: 30 }, (_, i) => savePayment(store, pending(`kp_tick${i}`))));
    const stops = records.slice(0, 15).flatMap((record) => [watcher.watch(record, () => {}), watcher.watch(record, () => {})]);
    await sleep(50); // the other half opens later, before the first tick or after it: read with the first half from then on
    stops.push(...records.slice(15).map((record) => watcher.watch(record, () => {})));
    assert.equal(watcher.active, 30);
    await sleep(600);
    assert.ok(calls.length >= 2, `${calls.length} calls`);
    assert.deepEqual(calls.at(-1)!.references.length, 30, 'all 30 in one call once on the same ticks');
    assert.ok(calls.length <= 4, `a call a tick (200 ms): ${calls.length}`);
    stops.forEach((stop) => stop());
    assert.equal(watcher.active, 0);
    await watcher.close();
    await reads.close();
  });

  it('stops reading a payment once a read finds it final; its watchers hear the change', async () => {
    const { store, reads, watcher, readsOf } = setUp(100, (record) => ({ ...record, state: 'paid' }));
    const record = await savePayment(store, pending('kp_final'));
    const heard: string[] = [];
    const stop = watcher.watch(record, (view) => heard.push(view.state));
    await sleep(250);
    await store.publish({ ...view(record), state: 'paid' });
    await sleep(400);
    stop();
    await watcher.close();
    await reads.close();
    assert.equal(readsOf('kp_final').length, 1);
    assert.deepEqual(heard, ['paid']);
    assert.equal(watcher.active, 0);
  });

  it('reads nothing more after close, with payments still watched', async () => {
    const { store, reads, watcher, calls } = setUp(100);
    const record = await savePayment(store, pending('kp_open'));
    watcher.watch(record, () => {});
    await sleep(450);
    const before = calls.length;
    assert.ok(before >= 2, `read while watched: ${before} calls`);
    await watcher.close();
    await reads.close();
    await sleep(400);
    assert.equal(calls.length, before);
  });
});
