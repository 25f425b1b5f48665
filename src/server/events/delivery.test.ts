/**
 * The outbox's delivery, against real stores: in order per payment, at least once, retried with backoff while the
 * hook fails or hangs, one deliverer at a time per payment, and a failing payment never holds up the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import { MemoryStore } from '../stores/store.ts';
import { EventDelivery, PaymentEventHookError, type DeliveryOptions } from './delivery.ts';
import type { PaymentEvent } from './event.ts';

const FAST_RETRIES = [50, 100, 150];

function delivery(options: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'store' | 'hook'>): EventDelivery {
  return new EventDelivery({ onError: () => {}, owner: 'test', timeoutMs: 1_000, pollMs: 20, retryDelaysMs: FAST_RETRIES, ...options });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('payment event delivery', () => {
  it('delivers every event once, in order per payment, and empties the outbox', async () => {
    const store = new MemoryStore();
    const heard: string[] = [];
    const events = delivery({ store, hook: (event) => void heard.push(event.id) });
    await savePayment(store, paymentRecord('kp_1'));
    await savePayment(store, paymentRecord('kp_1', { state: 'processing' }));
    await savePayment(store, paymentRecord('kp_1', { state: 'paid' }));
    events.start();
    await until(() => heard.length === 3);
    await savePayment(store, paymentRecord('kp_1', { state: 'refunded' }));
    events.notify('kp_1');
    await until(() => heard.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await events.close();
    assert.deepEqual(heard, ['kp_1.1', 'kp_1.2', 'kp_1.3', 'kp_1.4']);
    assert.deepEqual(await store.dueEvents(Date.now() + 3_600_000, 10), []);
  });

  it('retries a failing hook with backoff, reports each failure with the event id and the cause, then goes on in order', async () => {
    const store = new MemoryStore();
    const heard: Array<[string, number]> = [];
    const errors: unknown[] = [];
    let failuresLeft = 3;
    const started = Date.now();
    const events = delivery({
      store,
      onError: (error) => errors.push(error),
      hook: (event) => {
        if (event.sequence === 2 && failuresLeft-- > 0) throw new TypeError('the shop database is down');
        heard.push([event.id, Date.now() - started]);
      },
    });
    await savePayment(store, paymentRecord('kp_1'));
    await savePayment(store, paymentRecord('kp_1', { state: 'paid' }));
    await savePayment(store, paymentRecord('kp_1', { state: 'refunded' }));
    events.start();
    await until(() => heard.length === 3);
    await events.close();
    assert.deepEqual(heard.map(([id]) => id), ['kp_1.1', 'kp_1.2', 'kp_1.3'], 'the later event waits for the earlier one');
    assert.ok(heard[1]![1] >= 50 + 100 + 150 - 20, `three backoffs passed before the retry succeeded (${heard[1]![1]} ms)`);
    assert.equal(errors.length, 3);
    const first = errors[0] as PaymentEventHookError;
    assert.ok(first instanceof PaymentEventHookError);
    assert.equal(first.eventId, 'kp_1.2');
    assert.equal(first.attempt, 1);
    assert.match(first.message, /kp_1\.2.*the shop database is down/);
    assert.ok(first.cause instanceof TypeError && first.cause.stack?.includes('delivery.test.ts'), "the hook's own stack");
  });

  it('counts a hook that runs past its timeout as failed (aborting its signal) and delivers the event again', async () => {
    const store = new MemoryStore();
    const calls: string[] = [];
    let aborted = false;
    const events = delivery({
      store,
      timeoutMs: 100,
      hook: (event, { signal }) => {
        calls.push(event.id);
        if (calls.length > 1) return;
        signal.addEventListener('abort', () => (aborted = true));
        return new Promise(() => {}); // never settles
      },
    });
    await savePayment(store, paymentRecord('kp_1'));
    events.start();
    await until(() => calls.length === 2);
    await events.close();
    assert.deepEqual(calls, ['kp_1.1', 'kp_1.1'], 'the same event again: the merchant dedupes by id');
    assert.equal(aborted, true);
  });

  it('keeps delivering other payments while one payment keeps failing', async () => {
    const store = new MemoryStore();
    const heard: string[] = [];
    const events = delivery({
      store,
      retryDelaysMs: [60_000],
      hook: (event) => {
        if (event.payment.reference === 'kp_bad') throw new Error('refused');
        heard.push(event.id);
      },
    });
    await savePayment(store, paymentRecord('kp_bad'));
    events.start();
    for (let i = 0; i < 20; i++) {
      await savePayment(store, paymentRecord(`kp_good${i}`));
      events.notify(`kp_good${i}`);
    }
    await until(() => heard.length === 20);
    await events.close();
    assert.deepEqual((await store.pendingEvents('kp_bad')).events.map((e) => e.id), ['kp_bad.1'], 'still waiting, not lost');
  });

  it('lets one deliverer at a time deliver a payment: two on one store never call the hook concurrently for it', async () => {
    const store = new MemoryStore();
    const heard: PaymentEvent[] = [];
    let inHook = 0;
    let overlap = false;
    const hook = async (event: PaymentEvent) => {
      if (++inHook > 1) overlap = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      heard.push(event);
      inHook--;
    };
    const a = delivery({ store, hook, owner: 'a' });
    const b = delivery({ store, hook, owner: 'b' });
    a.start();
    b.start();
    for (let sequence = 1; sequence <= 30; sequence++) {
      await savePayment(store, paymentRecord('kp_1', { providerStatus: `S${sequence}` }));
      (sequence % 2 ? a : b).notify('kp_1');
    }
    await until(async () => (await store.pendingEvents('kp_1')).events.length === 0);
    await Promise.all([a.close(), b.close()]);
    assert.equal(overlap, false);
    const sequences = heard.map((e) => e.sequence);
    assert.deepEqual([...new Set(sequences)], Array.from({ length: 30 }, (_, i) => i + 1), 'every event, in order');
  });
});
