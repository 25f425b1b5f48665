/** Live queries: every change answered with its own result, or (a merchant-wide query) coalesced while a result waits. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { liveQuery } from './live.ts';

function source() {
  let value = 0;
  let computed = 0;
  const listeners = new Set<() => void>();
  return {
    set(next: number) {
      value = next;
      for (const listener of listeners) listener();
    },
    listen: (notify: () => void) => {
      listeners.add(notify);
      return () => void listeners.delete(notify);
    },
    compute: () => {
      computed++;
      return { value };
    },
    get computed() {
      return computed;
    },
  };
}

describe('liveQuery', () => {
  test('answers every change with its own result, in order', async () => {
    const s = source();
    const results = liveQuery(s.listen, s.compute);
    s.set(1);
    s.set(2);
    assert.deepEqual([(await results.next()).value, (await results.next()).value, (await results.next()).value], [{ value: 0 }, { value: 1 }, { value: 2 }]);
    await results.return!();
  });

  test('coalescing: changes while a result waits to be taken make that one result, computed when taken', async () => {
    const s = source();
    const results = liveQuery(s.listen, s.compute, { coalesce: true });
    assert.deepEqual((await results.next()).value, { value: 0 });
    for (let i = 1; i <= 100; i++) s.set(i);
    assert.equal(s.computed, 1, 'nothing computed before it is taken');
    assert.deepEqual((await results.next()).value, { value: 100 });
    assert.equal(s.computed, 2, 'one result for 100 changes');
    s.set(101);
    assert.deepEqual((await results.next()).value, { value: 101 }, 'a subscriber that keeps up sees every change');
    await results.return!();
  });

});
