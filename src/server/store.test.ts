/**
 * The stores' shared contract (MemoryStore and FileStore, the same table of checks), and what only FileStore
 * promises: a new process on the same directory knows the payments and the keys the last one saw.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PaymentView } from '../core/model.ts';
import { FileStore } from './file-store.ts';
import { MemoryStore, type KassaStore, type PaymentRecord, type StoredResponse } from './store.ts';

const directories: string[] = [];
after(() => directories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function freshDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-store-'));
  directories.push(dir);
  return dir;
}

function record(reference: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
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

const answer: StoredResponse = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

const STORES: Array<[string, () => KassaStore]> = [
  ['MemoryStore', () => new MemoryStore()],
  ['FileStore', () => new FileStore(freshDirectory())],
];

for (const [name, makeStore] of STORES) {
  describe(`${name}: the KassaStore contract`, () => {
    it('saves, reads and finds payments by reference and by provider id, as copies', async () => {
      const store = makeStore();
      await store.savePayment(record('kp_1'));
      const read = await store.getPayment('kp_1');
      assert.equal(read?.providerStatus, 'INITIAL');
      read!.state = 'paid';
      assert.equal((await store.getPayment('kp_1'))?.state, 'pending', 'a read is a copy');
      assert.equal((await store.findPayment('hidirect', 'hd-kp_1'))?.reference, 'kp_1');
      assert.equal(await store.findPayment('hero', 'hd-kp_1'), undefined);
      assert.equal(await store.getPayment('kp_unknown'), undefined);
      await store.savePayment(record('kp_1', { state: 'paid', providerStatus: 'SETTLED' }));
      assert.equal((await store.getPayment('kp_1'))?.state, 'paid');
    });

    it('claims a key once: same body replays the answer, another body conflicts, a released key is free again', async () => {
      const store = makeStore();
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-a', 0), { kind: 'acquired' });
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-b', 0), { kind: 'conflict' });
      assert.deepEqual(await store.claimIdempotency('key-1', 'body-a', 0), { kind: 'conflict' }, 'in flight, no time to wait');
      const waiting = store.claimIdempotency('key-1', 'body-a', 5_000);
      await store.finishIdempotency('key-1', answer, 60_000);
      assert.deepEqual(await waiting, { kind: 'replay', response: answer }, 'a waiting duplicate gets the first answer');
      assert.deepEqual(await store.claimIdempotency('key-2', 'body-a', 0), { kind: 'acquired' });
      await store.finishIdempotency('key-2', null, 60_000);
      assert.deepEqual(await store.claimIdempotency('key-2', 'body-a', 0), { kind: 'acquired' }, 'released');
    });

    it('tells subscribers of a payment, and only them, until they leave', async () => {
      const store = makeStore();
      const seen: string[] = [];
      const leave = store.subscribe('kp_1', (view) => seen.push(view.state));
      store.subscribe('kp_2', () => seen.push('wrong payment'));
      const view: PaymentView = {
        reference: 'kp_1',
        order: 'DEMO-EUR',
        provider: 'hidirect',
        method: 'hidirect:hi-health',
        state: 'paid',
        providerStatus: 'SETTLED',
        amount: 4990,
        currency: 'EUR',
        updatedAt: '2026-11-25T12:00:00.000Z',
      };
      await store.publish(view);
      leave();
      await store.publish(view);
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

describe('FileStore across a restart', () => {
  it('a new store on the same directory knows the payments and the answered, released and unsettled keys', async () => {
    const dir = freshDirectory();
    const before = new FileStore(dir);
    await before.savePayment(record('kp_1'));
    await before.savePayment(record('kp_1', { state: 'paid', providerStatus: 'SETTLED' }));
    await before.claimIdempotency('answered', 'body-a', 0);
    await before.finishIdempotency('answered', answer, 60_000);
    await before.claimIdempotency('released', 'body-a', 0);
    await before.finishIdempotency('released', null, 60_000);
    await before.claimIdempotency('in flight', 'body-a', 0); // the process stops before the provider answers

    const after = new FileStore(dir);
    assert.equal((await after.getPayment('kp_1'))?.state, 'paid', 'the last saved version');
    assert.equal((await after.findPayment('hidirect', 'hd-kp_1'))?.reference, 'kp_1');
    assert.deepEqual(await after.claimIdempotency('answered', 'body-a', 0), { kind: 'replay', response: answer });
    assert.deepEqual(await after.claimIdempotency('answered', 'body-b', 0), { kind: 'conflict' });
    assert.deepEqual(await after.claimIdempotency('released', 'body-a', 0), { kind: 'acquired' });
    // Its outcome is unknown (the provider may have made the payment): the same click must not run again.
    assert.deepEqual(await after.claimIdempotency('in flight', 'body-a', 50), { kind: 'conflict' });
  });

  it('names files by hash, never by the browser-chosen key, and leaves no temporary files', async () => {
    const dir = freshDirectory();
    const store = new FileStore(dir);
    await store.claimIdempotency('../../etc/passwd', 'body', 0);
    await store.finishIdempotency('../../etc/passwd', answer, 60_000);
    await store.savePayment(record('kp_1'));
    const names = [...readdirSync(join(dir, 'idempotency')), ...readdirSync(join(dir, 'payments'))];
    assert.equal(names.length, 2);
    for (const name of names) assert.match(name, /^[0-9a-f]{64}\.json$/);
  });
});
