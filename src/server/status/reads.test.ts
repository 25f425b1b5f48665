/**
 * Status reads against adapters that count their calls: reads asked for close together go to a provider with batch
 * reads as one call (at most `batchReadLimit` payments each), a payment is read at most once per interval however
 * many ask, a payment the batch did not answer is read alone, a provider's live feed is applied like a read, and
 * `close` leaves nothing waiting.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentRecord, savePayment } from '../../../test/support/store-contract.ts';
import type { PaymentView, ProviderName } from '../../core/model.ts';
import { Ledger } from '../payments/ledger.ts';
import type { ProviderAdapter, StatusRead, StoredPaymentRef } from '../provider.ts';
import { MemoryStore } from '../stores/store.ts';
import { namePayments, StatusReads } from './reads.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An adapter whose payments are in `statuses` (by reference), counting its single and batch reads. */
class CountingAdapter {
  readonly single: string[] = [];
  readonly batches: string[][] = [];
  readonly statuses = new Map<string, StatusRead>();
  /** References the batch read leaves out of its answer (the provider did not find them in that call). */
  readonly missingFromBatch = new Set<string>();
  /** Thrown by the batch read when set. */
  batchFailure: Error | undefined;
  onRead: ((reference: string, status: StatusRead) => void) | undefined;
  followEnded = false;
  /** How many times the feed was started. */
  follows = 0;

  constructor(
    readonly name: ProviderName,
    readonly batchReadLimit: number | undefined,
    private readonly hasFeed = false,
  ) {}

  adapter(): ProviderAdapter {
    const adapter: Partial<ProviderAdapter> = {
      name: this.name,
      readStatus: async (payment: StoredPaymentRef) => {
        this.single.push(payment.reference);
        return this.status(payment.reference);
      },
    };
    if (this.batchReadLimit !== undefined) {
      Object.assign(adapter, {
        batchReadLimit: this.batchReadLimit,
        readStatuses: async (payments: readonly StoredPaymentRef[]) => {
          assert.ok(payments.length <= this.batchReadLimit!, `at most ${this.batchReadLimit} at once, got ${payments.length}`);
          this.batches.push(payments.map((p) => p.reference));
          await sleep(5);
          if (this.batchFailure) throw this.batchFailure;
          return new Map(payments.filter((p) => !this.missingFromBatch.has(p.reference)).map((p) => [p.reference, this.status(p.reference)]));
        },
      });
    }
    if (this.hasFeed) {
      adapter.followStatuses = async (onRead, signal) => {
        this.follows++;
        this.onRead = onRead;
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        this.followEnded = true;
      };
    }
    return adapter as ProviderAdapter;
  }

  private status(reference: string): StatusRead {
    return this.statuses.get(reference) ?? { state: 'pending', providerStatus: 'OPEN' };
  }
}

function setUp(providers: CountingAdapter[], intervalMs = 2_000) {
  const store = new MemoryStore();
  const errors: string[] = [];
  const onError = (error: unknown, context: string) => void errors.push(`${context}: ${String(error)}`);
  const ledger = new Ledger({ store, onError, committed: () => {} });
  const adapters = new Map(providers.map((p) => [p.name, p.adapter()]));
  const status = new StatusReads({ store, ledger, adapters, providerTimeoutMs: 1_000, providerReadIntervalMs: intervalMs, onError });
  const pending = async (reference: string, provider: ProviderName) =>
    savePayment(store, paymentRecord(reference, { provider, providerStatus: 'OPEN', createdAt: new Date().toISOString() }));
  return { store, status, errors, pending };
}

describe('StatusReads: batch reads per provider', () => {
  it('sends 50 reads asked for at about the same time as one batch call, and answers each its payment', async () => {
    const hero = new CountingAdapter('hero', 100);
    const { status, pending, errors } = setUp([hero]);
    const records = await Promise.all(Array.from({ length: 50 }, (_, i) => pending(`kp_b${i}`, 'hero')));
    hero.statuses.set('kp_b7', { state: 'paid', providerStatus: 'PAID' });
    const read = await Promise.all(records.map((record) => status.refresh(record)));
    assert.deepEqual(hero.batches.map((b) => b.length), [50]);
    assert.deepEqual(hero.single, []);
    assert.equal(read[7]!.state, 'paid');
    assert.equal(read[8]!.state, 'pending');
    assert.deepEqual(errors, []);
    await status.close();
  });

  it('splits a wave into batches of at most batchReadLimit', async () => {
    const kronor = new CountingAdapter('kronor', 100);
    const { status, pending } = setUp([kronor]);
    const records = await Promise.all(Array.from({ length: 250 }, (_, i) => pending(`kp_w${i}`, 'kronor')));
    await Promise.all(status.refreshAll(records));
    assert.deepEqual(kronor.batches.map((b) => b.length).sort((a, b) => b - a), [100, 100, 50]);
    assert.equal(new Set(kronor.batches.flat()).size, 250);
    await status.close();
  });

  it('reads a payment at most once per interval: a second ask within it answers the payment as stored', async () => {
    const hero = new CountingAdapter('hero', 100);
    const { status, pending } = setUp([hero], 300);
    const record = await pending('kp_bound', 'hero');
    await status.refresh(record);
    hero.statuses.set('kp_bound', { state: 'paid', providerStatus: 'PAID' });
    assert.equal((await status.refresh(record)).state, 'pending', 'within the interval: not read');
    assert.equal(hero.batches.length + hero.single.length, 1);
    await sleep(320);
    assert.equal((await status.refresh(record)).state, 'paid', 'after it: read');
    assert.equal(hero.batches.length + hero.single.length, 2);
    await status.close();
  });

  it('shares one read among the askers of one payment', async () => {
    const hero = new CountingAdapter('hero', 100);
    const { status, pending } = setUp([hero]);
    const record = await pending('kp_shared', 'hero');
    hero.statuses.set('kp_shared', { state: 'paid', providerStatus: 'PAID' });
    const answers = await Promise.all([status.refresh(record), status.refresh(record), status.refresh(record)]);
    assert.deepEqual(answers.map((a) => a.state), ['paid', 'paid', 'paid']);
    assert.equal(hero.batches.length + hero.single.length, 1);
    await status.close();
  });

  it('reads alone a payment the batch read did not answer about', async () => {
    const whenthen = new CountingAdapter('whenthen', 100);
    const { status, pending } = setUp([whenthen]);
    const records = await Promise.all(['kp_found', 'kp_lost'].map((reference) => pending(reference, 'whenthen')));
    whenthen.missingFromBatch.add('kp_lost');
    whenthen.statuses.set('kp_lost', { state: 'paid', providerStatus: 'succeeded' });
    const [, lost] = await Promise.all(status.refreshAll(records));
    assert.deepEqual(whenthen.batches, [['kp_found', 'kp_lost']]);
    assert.deepEqual(whenthen.single, ['kp_lost']);
    assert.equal(lost!.state, 'paid');
    await status.close();
  });

  it('reads one by one where the provider has no batch read, and keeps each provider to its own calls', async () => {
    const hidirect = new CountingAdapter('hidirect', undefined);
    const hero = new CountingAdapter('hero', 100);
    const { status, pending } = setUp([hidirect, hero]);
    const records = [
      ...(await Promise.all(Array.from({ length: 20 }, (_, i) => pending(`kp_hd${i}`, 'hidirect')))),
      ...(await Promise.all(Array.from({ length: 20 }, (_, i) => pending(`kp_he${i}`, 'hero')))),
    ];
    await Promise.all(records.map((record) => status.refresh(record)));
    assert.equal(hidirect.single.length, 20);
    assert.deepEqual(hero.batches.map((b) => b.length), [20]);
    assert.deepEqual(hero.single, []);
    await status.close();
  });

  it('keeps what it had when a batch read fails, and says so once', async () => {
    const hero = new CountingAdapter('hero', 100);
    hero.batchFailure = new Error('503 from Hero');
    const { status, pending, errors } = setUp([hero]);
    const records = await Promise.all(Array.from({ length: 3 }, (_, i) => pending(`kp_f${i}`, 'hero')));
    const answers = await Promise.all(status.refreshAll(records));
    assert.deepEqual(answers.map((a) => a.state), ['pending', 'pending', 'pending']);
    assert.deepEqual(errors, ['reading 3 hero payments: Error: 503 from Hero']);
    assert.deepEqual(hero.single, [], 'not read one by one instead: that would multiply the load on a failing provider');
    await status.close();
  });

  it('answers reads still waiting for their batch as stored on close, and leaves no timer', async () => {
    const hero = new CountingAdapter('hero', 100);
    const { status, pending } = setUp([hero]);
    const record = await pending('kp_closing', 'hero');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const waiting = status.refresh(record);
    await new Promise((resolve) => setImmediate(resolve)); // the store has said it is due: it waits for its batch
    assert.equal(timers(), before + 1, 'the batch window');
    await status.close();
    assert.equal((await waiting).state, 'pending');
    assert.equal(timers(), before);
    assert.deepEqual(hero.batches, []);
    assert.equal((await status.refresh(record)).state, 'pending', 'after close: no read');
  });
});

describe('StatusReads: a provider that reports changes live', () => {
  it('applies each followed read through the ledger, tells subscribers, and counts it in the read interval', async () => {
    const kronor = new CountingAdapter('kronor', 100, true);
    const { store, status, pending, errors } = setUp([kronor]);
    const record = await pending('kp_live', 'kronor');
    const heard: PaymentView[] = [];
    store.subscribe('kp_live', (view) => heard.push(view));
    status.follow('kronor');
    assert.ok(kronor.onRead, 'followed once started');
    kronor.onRead!('kp_live', { state: 'paid', providerStatus: 'PAID' });
    kronor.onRead!('kp_unknown', { state: 'paid', providerStatus: 'PAID' });
    for (let i = 0; i < 50 && !heard.length; i++) await sleep(5);
    assert.deepEqual(heard.map((v) => v.state), ['paid']);
    assert.equal((await store.getPayment('kp_live'))!.state, 'paid');
    await status.refresh(record);
    assert.deepEqual([kronor.batches, kronor.single], [[], []], 'no provider read: the live read counted in the interval');
    await status.close();
    assert.equal(kronor.followEnded, true, 'the feed stops on close');
    assert.deepEqual(errors, []);
  });

  it('starts following only once one of its payments is read, and once however often', async () => {
    const kronor = new CountingAdapter('kronor', 100, true);
    const hero = new CountingAdapter('hero', 100);
    const { status, pending } = setUp([kronor, hero]);
    await status.refresh(await pending('kp_hero_only', 'hero'));
    assert.equal(kronor.onRead, undefined, 'no Kronor payment yet: no connection held');
    const record = await pending('kp_kronor', 'kronor');
    await Promise.all([status.refresh(record), status.refresh(record), ...status.refreshAll([record])]);
    status.follow('kronor');
    assert.ok(kronor.onRead);
    assert.equal(kronor.follows, 1);
    await status.close();
    assert.equal(kronor.followEnded, true);
  });

  it("does not move another provider's payment with a followed read", async () => {
    const kronor = new CountingAdapter('kronor', 100, true);
    const hero = new CountingAdapter('hero', 100);
    const { store, status, pending } = setUp([kronor, hero]);
    await pending('kp_hero', 'hero');
    status.follow('kronor');
    kronor.onRead!('kp_hero', { state: 'paid', providerStatus: 'PAID' });
    await sleep(20);
    assert.equal((await store.getPayment('kp_hero'))!.state, 'pending');
    await status.close();
  });
});

describe('namePayments', () => {
  const cases: Array<[string[], string]> = [
    [['kp_1'], 'payment kp_1'],
    [['kp_1', 'kp_2'], 'payments kp_1, kp_2'],
    [['kp_1', 'kp_2', 'kp_3', 'kp_4', 'kp_5'], 'payments kp_1, kp_2, kp_3 and 2 more'],
  ];
  for (const [references, named] of cases) it(named, () => assert.equal(namePayments(references), named));
});

describe('StatusReads: the provider id a read learns', () => {
  it('keeps the id with the change it came with, so webhooks and later reads find the payment by it', async () => {
    const whenthen = new CountingAdapter('whenthen', 100);
    const { status, pending, store } = setUp([whenthen]);
    const record = await pending('kp_card', 'whenthen');
    whenthen.statuses.set('kp_card', { state: 'paid', providerStatus: 'SUCCEEDED', providerPaymentId: 'wt-pay-42' });
    const read = await status.refresh(record);
    assert.equal(read.state, 'paid');
    assert.equal(read.providerPaymentId, 'wt-pay-42');
    assert.equal((await store.getPayment('kp_card'))?.providerPaymentId, 'wt-pay-42');
    assert.equal((await store.findPayment('whenthen', 'wt-pay-42'))?.reference, 'kp_card');
    await status.close();
  });
});
