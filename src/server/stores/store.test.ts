/**
 * The stores' shared contract (MemoryStore and FileStore, the same table of checks: test/support/store-contract.ts),
 * and what only FileStore promises: a new process on the same directory knows the payments and the keys the last one
 * saw.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { paymentRecord as record, saveDelivered, savePayment, storeContract, storedAnswer as answer } from '../../../test/support/store-contract.ts';
import { eventFor } from '../events/event.ts';
import { bulkContract } from './bulk-contract.test.ts';
import { FileStore } from './file-store.ts';
import { MemoryStore } from './store.ts';

const directories: string[] = [];
after(() => directories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function freshDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-store-'));
  directories.push(dir);
  return dir;
}

storeContract('MemoryStore', (options) => new MemoryStore(options));
storeContract('FileStore', (options) => new FileStore(freshDirectory(), options));
bulkContract('MemoryStore', () => new MemoryStore());
bulkContract('FileStore', () => new FileStore(freshDirectory()));

describe('FileStore across a restart', () => {
  it('a new store on the same directory knows the payments and the answered, released and unsettled keys', async () => {
    const dir = freshDirectory();
    const before = new FileStore(dir);
    await savePayment(before, record('kp_1'));
    await saveDelivered(before, record('kp_1', { state: 'paid', providerStatus: 'SETTLED' }));
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

  it('keeps the latest of many changes saved close together: the files are never left at an older one', async () => {
    const dir = freshDirectory();
    const store = new FileStore(dir);
    let saved = await savePayment(store, record('kp_busy'));
    const commits: Array<Promise<boolean>> = [];
    for (let i = 0; i < 30; i++) {
      const next = { ...saved, providerStatus: `S${i}`, sequence: saved.sequence + 1 };
      commits.push(store.commitPayment(next, eventFor(next, saved)));
      saved = next;
    }
    assert.ok((await Promise.all(commits)).every(Boolean));
    const after = new FileStore(dir);
    assert.deepEqual([(await after.getPayment('kp_busy'))?.providerStatus, (await after.paymentEvents('kp_busy')).length], ['S29', 31]);
  });

  it('a new store drops the payments whose retention passed while no process ran, files included', async () => {
    const dir = freshDirectory();
    await saveDelivered(new FileStore(dir, { paymentRetentionMs: 200 }), record('kp_old'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = new FileStore(dir, { paymentRetentionMs: 200 });
    assert.equal(await later.getPayment('kp_old'), undefined);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the file is removed in the background
    assert.deepEqual(readdirSync(join(dir, 'payments')), []);
  });

  it('names files by hash, never by the browser-chosen key, and leaves no temporary files', async () => {
    const dir = freshDirectory();
    const store = new FileStore(dir);
    await store.claimIdempotency('../../etc/passwd', 'body', 0);
    await store.finishIdempotency('../../etc/passwd', answer, 60_000);
    await savePayment(store, record('kp_1'));
    const names = [...readdirSync(join(dir, 'idempotency')), ...readdirSync(join(dir, 'payments'))];
    assert.equal(names.length, 2);
    for (const name of names) assert.match(name, /^[0-9a-f]{64}\.json$/);
  });
});
